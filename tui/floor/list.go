package floor

import (
	"context"
	"errors"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/dialog"
	"github.com/talkmod/talkmod/tui/roomlist"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// List is the floor's part of the room list: P (who may speak: the
// chooser), E (end the call for everyone, y only) and d (write the
// attendance list) on the selected room. It reads the people before P or
// E asks, opens their dialogs through the root (dialog.OpenMsg), sends
// what they answer and words the outcomes; the root keeps the rooms'
// pending changes and outcomes (Answer says what to record). The people
// view shares it for d and the last list written. Held by pointer, like
// the pages.
type List struct {
	// be is a backend with a floor (nil: the console has none, and the
	// keys show nowhere); each room's requests go to its own (Sel).
	be Backend
	// dir is where attendance lists are written ("": not in this
	// console, e.g. an SSH session, whose files would land on the
	// server).
	dir string
	// reading is the room (its ID) whose people are read before P or E
	// opens ("" none), and for which.
	reading, readFor string
	// written is the last attendance list written, by room ID.
	written map[string]AttendanceMsg
	// attended is what d read of each room (by ID), for the people
	// view's attendance section.
	attended map[string]Attended
}

// Attended is what the console read of a room's attendance lists with d.
type Attended struct {
	// Answers counts the answers to d for the room; Err is the newest
	// one's error (nil: it was read and written).
	Answers int
	Err     error
	// Last is the newest list read (Rows nil: none yet), written to
	// Last.Path ("" when writing the file failed); Fresh: it is the
	// newest answer's (false: the newest could not be read).
	Last  AttendanceMsg
	Fresh bool
}

// Attended is what d read of a room (by its ID).
func (l *List) Attended(id string) Attended {
	if l == nil {
		return Attended{}
	}
	return l.attended[id]
}

// NewList is the floor of a console on be (nil when be has no floor: the
// keys then do nothing and show nowhere), writing attendance lists to dir.
func NewList(be any, dir string) *List { return &List{be: Of(be), dir: dir} }

// Backend is the floor's backend (nil: none).
func (l *List) Backend() Backend {
	if l == nil {
		return nil
	}
	return l.be
}

// Dir is where d writes ("": nowhere in this console).
func (l *List) Dir() string { return l.dir }

// Written is the last attendance list written for a room (by its ID).
func (l *List) Written(id string) (AttendanceMsg, bool) {
	w, ok := l.written[id]
	return w, ok
}

// Sel is a room as the root sees it: ID its identity in the list
// (roomlist.IDOf), Backend its own account's floor (nil: none), Blocked
// why no change can start on it now ("" none: the root's reasons, e.g.
// a change on its way). Every request about the room goes to Backend.
type Sel struct {
	ID      string
	Room    models.Room
	Name    string
	Backend Backend
	Blocked string
}

// NoDownloads is why d does nothing where no folder was given.
const NoDownloads = "attendance lists are not written in this console (an SSH session would write them on the server): use talkmod attendance"

// blocked says why P (call false), E or d (call true) cannot act on s.
func (l *List) blocked(s Sel, call bool) string {
	r := s.Room
	switch {
	case s.Blocked != "":
		return s.Blocked
	case l.Backend() == nil || s.Backend == nil:
		return "this console cannot change who may speak or end calls"
	case r.Type != models.ConversationGroup && r.Type != models.ConversationPublic:
		return "a " + words.Type(r.Type) + " conversation has no floor to give: only group and public conversations"
	case !r.IsModerator():
		return "you are not a moderator of " + s.Name
	case call && !r.HasCall:
		return words.NoCall + " in " + s.Name
	}
	return ""
}

// Keys are P, E and d where they work on s, and why not where they do
// not (nothing when the backend has no floor).
func (l *List) Keys(k *common.KeyMap, s Sel) (act []key.Binding, off []common.Unavailable) {
	if l.Backend() == nil {
		return nil, nil
	}
	for _, b := range []struct {
		b          key.Binding
		call, file bool
	}{{k.Permissions, false, false}, {k.EndCall, true, false}, {k.Attendance, true, true}} {
		why := l.blocked(s, b.call)
		if why == "" && b.file && l.dir == "" {
			why = NoDownloads
		}
		if why != "" {
			off = append(off, common.Unavailable{B: b.b, Why: why})
		} else {
			act = append(act, b.b)
		}
	}
	return act, off
}

// HelpText explains P, E and d in the full help ("" without a floor).
func (l *List) HelpText() string {
	if l.Backend() == nil {
		return ""
	}
	return "Who may speak: P chooses the room's default (listen only: attendees join the call and chat, moderators and those given the floor speak; everyone; the server default) and asks first, y only, when people would lose rights given to them. E ends the call for everyone (y only); d writes the attendance list of the running call to a file."
}

// readMsg is the read of the people before P or E asks (id: the room's
// ID).
type readMsg struct {
	id, purpose string
	people      []models.Participant
	err         error
}

// setMsg answers the chooser's change (id: the room's ID).
type setMsg struct {
	id     string
	preset models.Preset
	losers []models.Participant
	room   models.Room
	err    error
}

// EndPayload is the payload of the end-call question: the room's ID and
// token.
type EndPayload struct {
	ID, Token, Name string
	InCall          int
}

// endMsg answers the end of a call.
type endMsg struct {
	EndPayload
	err error
}

// Key handles P, E and d on the selected room s (none selected: the
// root's reason is in s.Blocked), saying why where they cannot act (a
// backend without a floor too); ok is false for any other key.
func (l *List) Key(c common.Common, s Sel, msg tea.KeyMsg) (cmd tea.Cmd, note common.Note, ok bool) {
	k := c.Keys
	if !key.Matches(msg, k.Permissions, k.EndCall, k.Attendance) {
		return nil, common.Note{}, false
	}
	call := !key.Matches(msg, k.Permissions)
	if why := l.blocked(s, call); why != "" {
		return nil, common.Note{Text: why, Level: common.LevelWarn}, true
	}
	if key.Matches(msg, k.Attendance) {
		cmd, note := l.Download(c, s.Backend, s.ID, s.Room.Token, s.Name)
		return cmd, note, true
	}
	purpose, what := "chooser", "reading who holds rights of their own in "
	if call {
		purpose, what = "end", "counting who is in the call in "
	}
	be, id, token := s.Backend, s.ID, s.Room.Token
	l.reading, l.readFor = id, purpose
	return c.Request(func(ctx context.Context) tea.Msg {
		ps, err := be.Participants(ctx, token)
		return readMsg{id: id, purpose: purpose, people: ps, err: err}
	}), common.Note{Text: what + s.Name + "…", Level: common.LevelInfo}, true
}

// Download writes the attendance list of a room's call (d, on the list
// and in the people view), asking be, the room's own backend (id: the
// room's ID).
func (l *List) Download(c common.Common, be Backend, id, token, name string) (tea.Cmd, common.Note) {
	if l.dir == "" {
		return nil, common.Note{Text: NoDownloads, Level: common.LevelWarn}
	}
	if be == nil {
		return nil, common.Note{Text: "this console cannot read the attendance list of " + name, Level: common.LevelWarn}
	}
	return DownloadAttendance(be, c.Request, id, token, l.dir, c.Now),
		common.Note{Text: "writing the attendance list of " + name + "…", Level: common.LevelInfo}
}

// Answer is what the root records after a message of the floor.
type Answer struct {
	Cmd  tea.Cmd
	Note common.Note
	// ClearNote: the status line's note goes (a dialog is the answer).
	ClearNote bool
	// Sent: a change to this room left (the room is pending).
	Sent string
	// Done: the outcome is about this room; Answered: it answers the
	// change on its way (no longer pending). Err is the refusal, else
	// Text the outcome; Room the room the server sent back (Token ""
	// when it did not); Reread: read the room again.
	Done     string
	Answered bool
	Err      error
	Text     string
	Room     models.Room
	Reread   bool
}

// Update takes the floor's messages and its dialogs' answers. find is
// the room of an ID as the root sees it (false: it left the list);
// selected is the ID of the room selected on the list screen ("" when a
// dialog or a page is on screen: no question opens unseen). The
// Answer's Sent and Done are room IDs. ok is false for a
// message not the floor's.
func (l *List) Update(c common.Common, find func(token string) (Sel, bool), selected string, msg tea.Msg) (a Answer, ok bool) {
	warn := func(text string) Answer { return Answer{Note: common.Note{Text: text, Level: common.LevelWarn}} }
	gone := "the conversation left the list: nothing was sent"
	switch msg := msg.(type) {
	case readMsg:
		if msg.id != l.reading || msg.purpose != l.readFor {
			return Answer{}, true
		}
		l.reading, l.readFor = "", ""
		s, found := find(msg.id)
		switch {
		case !found:
			return warn(gone), true
		case msg.err != nil:
			return Answer{Note: common.Note{Text: s.Name + ": could not read the people: " + client.Message(msg.err) + " (nothing was sent)", Level: common.LevelErr}}, true
		case selected != msg.id:
			// the user moved on meanwhile: nothing opens unseen
			return Answer{Note: common.Note{Text: s.Name + ": the question was not opened, as the screen changed; press the key again", Level: common.LevelInfo}}, true
		}
		var d dialog.Dialog
		if msg.purpose == "chooser" {
			ch := NewChooser(s.Room, s.Name, msg.people)
			ch.ID = s.ID
			d = ch
		} else {
			n := 0
			for _, p := range msg.people {
				if p.InCallNow() {
					n++
				}
			}
			d = dialog.Confirm{Title: "End the call · " + s.Name,
				Body:     []string{"Everyone leaves the call; they stay in the conversation and can start a new one. talkmod joins the conversation for a moment (a session of its own, not in the call), ends the call and leaves again."},
				Question: words.EndCallQuestion(s.Name, n),
				No:       "the call goes on: nothing was sent",
				Payload:  EndPayload{ID: s.ID, Token: s.Room.Token, Name: s.Name, InCall: n},
				Room:     s.ID}
		}
		// the "reading…" note goes: the dialog is the answer
		return Answer{Cmd: func() tea.Msg { return dialog.OpenMsg{Dialog: d} }, ClearNote: true}, true
	case Chosen:
		id := msg.ID
		if id == "" {
			id = msg.Token
		}
		s, found := find(id)
		if !found {
			return warn(gone), true
		}
		if why := l.blocked(s, false); why != "" {
			return warn(why), true
		}
		be, token := s.Backend, s.Room.Token
		return Answer{Sent: id, Cmd: c.Request(func(ctx context.Context) tea.Msg {
			room, err := be.SetDefaultPermissions(ctx, token, msg.Preset.Value())
			return setMsg{id: id, preset: msg.Preset, losers: msg.Losers, room: room, err: err}
		})}, true
	case dialog.ConfirmedMsg:
		p, isEnd := msg.Payload.(EndPayload)
		if !isEnd {
			return Answer{}, false
		}
		if p.ID == "" {
			p.ID = p.Token
		}
		s, found := find(p.ID)
		if !found {
			return warn(gone), true
		}
		if why := l.blocked(s, true); why != "" {
			return warn(why), true
		}
		be := s.Backend
		return Answer{Sent: p.ID, Cmd: c.Request(func(ctx context.Context) tea.Msg {
			return endMsg{EndPayload: p, err: be.EndCallForEveryone(ctx, p.Token)}
		})}, true
	case setMsg:
		name := nameOf(find, msg.id)
		if msg.err != nil {
			return l.refused(msg.id, name, "default permissions not changed: ", msg.err), true
		}
		text := "who may speak: " + words.Preset(msg.preset)
		if len(msg.losers) > 0 {
			text += "; " + words.RightsReset(len(msg.losers))
		}
		text += " (undo: P sets another; given rights must be given again)"
		return Answer{Done: msg.id, Answered: true, Text: text, Room: msg.room, Reread: msg.room.Token == "",
			Note: common.Note{Text: name + ": " + text, Level: common.LevelOK}}, true
	case endMsg:
		var le *client.LeaveError
		if msg.err != nil && !errors.As(msg.err, &le) {
			return l.refused(msg.ID, msg.Name, "call not ended: ", msg.err), true
		}
		text := words.CallEnded
		if le != nil {
			text = client.Message(msg.err) // ended; talkmod's own leaving failed
		}
		return Answer{Done: msg.ID, Answered: true, Text: text, Reread: true,
			Note: common.Note{Text: msg.Name + ": " + text, Level: common.LevelOK}}, true
	case AttendanceMsg:
		id := msg.ID
		if id == "" {
			id = msg.Token
		}
		name := nameOf(find, id)
		if l.attended == nil {
			l.attended = map[string]Attended{}
		}
		at := l.attended[id]
		at.Answers++
		at.Err, at.Fresh = msg.Err, msg.Rows != nil
		if at.Fresh {
			at.Last = msg
		}
		l.attended[id] = at
		if msg.Err != nil {
			text := "attendance list not written: " + client.Message(msg.Err)
			if client.IsNoCall(msg.Err) {
				text = "attendance list not written: " + words.NoCall
			}
			return Answer{Note: common.Note{Text: name + ": " + text, Level: common.LevelErr}}, true
		}
		text := words.AttendanceSaved(msg.N, sanitize.Line(msg.Path))
		if l.written == nil {
			l.written = map[string]AttendanceMsg{}
		}
		l.written[id] = msg
		return Answer{Text: text, Done: id, Note: common.Note{Text: name + ": " + text, Level: common.LevelOK}}, true
	}
	return Answer{}, false
}

// refused is the answer of a refused change (id: the room's ID).
func (l *List) refused(id, name, what string, err error) Answer {
	return Answer{Done: id, Answered: true, Err: err, Text: what + client.Message(err),
		Note: common.Note{Text: name + ": " + what + client.Message(err), Level: common.LevelErr}}
}

func nameOf(find func(string) (Sel, bool), id string) string {
	if s, ok := find(id); ok {
		return s.Name
	}
	return roomlist.TokenOf(id)
}
