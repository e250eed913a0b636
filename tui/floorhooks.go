package tui

import (
	"context"
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/floor"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// The floor and the call (issue 17): the glue between the root model and
// the components of tui/floor. The room list gets P (who may speak: the
// default permissions chooser), E (end the call for everyone, y only) and
// d (write the attendance list); the people view gets f/F (give or take
// the floor), m (promote or demote) and d, and shows each person's
// rights. The keys work only where the backend can do them (a type
// assertion: floor.Of), and say why where they cannot.

// modalFloor is the default permissions chooser (P).
const modalFloor modalKind = 101

// opFloor is a floor change on a room (P or E) on its way.
const opFloor opKind = 101

// floorState is the floor's part of the root model.
type floorState struct {
	chooser floor.Chooser
	people  floor.People
	// dir is where attendance lists are written ("": not in this
	// console, e.g. an SSH session, whose files would land on the
	// server).
	dir string
	// reading is the room whose people are read before P or E opens
	// ("" none), and for which.
	reading, readFor string
	// written is the last attendance list written, by room (the people
	// view shows it).
	written map[string]floor.AttendanceMsg
}

// floorReadMsg is the read of the people before P or E asks.
type floorReadMsg struct {
	token, purpose string
	people         []models.Participant
	err            error
}

// floorSetMsg answers the chooser's change.
type floorSetMsg struct {
	token  string
	preset models.Preset
	losers []models.Participant
	room   models.Room
	err    error
}

// floorEndPayload is the payload of the end-call question.
type floorEndPayload struct {
	token, name string
	inCall      int
}

// floorEndMsg answers the end of a call.
type floorEndMsg struct {
	floorEndPayload
	err error
}

func (m Model) floorBackend() floor.Backend { return floor.Of(m.backend) }

func (m Model) floorStyles() floor.Styles {
	st := m.c.Styles
	return floor.Styles{Title: st.Title, Plain: st.Plain, Dim: st.Dim, Warn: st.Warn, OK: st.OK, Err: st.Err,
		Pending: st.Pending, Option: st.Option, OptionSel: st.OptionSel}
}

func (m Model) floorRun() floor.Runner { return m.request }

// floorBlocked says why P, E or d cannot act on the selected room ("" when
// they can); call: the key needs a running call.
func (m Model) floorBlocked(e *entry, call bool) string {
	if reason := m.actionBlocked(e); reason != "" {
		return reason
	}
	r := e.room
	switch {
	case m.floorBackend() == nil:
		return "this console cannot change who may speak or end calls"
	case r.Type != models.ConversationGroup && r.Type != models.ConversationPublic:
		return "a " + r.Type.String() + " conversation has no floor to give: only group and public conversations"
	case !r.IsModerator():
		return "you are not a moderator of " + e.name
	case call && !r.HasCall:
		return words.NoCall + " in " + e.name
	}
	return ""
}

// floorKeysNow adds P, E and d to the keys of the list screen, or says
// why they do nothing.
func (m Model) floorKeysNow(e *entry, act []key.Binding, off []unavailable) ([]key.Binding, []unavailable) {
	if m.floorBackend() == nil {
		return act, off
	}
	k := floor.Keys
	for _, b := range []struct {
		b          key.Binding
		call, file bool
	}{{k.Open, false, false}, {k.EndCall, true, false}, {k.Attendance, true, true}} {
		why := m.floorBlocked(e, b.call)
		if why == "" && b.file && m.floor.dir == "" {
			why = floorNoDownloads
		}
		if why != "" {
			off = append(off, unavailable{b.b, why})
		} else {
			act = append(act, b.b)
		}
	}
	return act, off
}

const floorNoDownloads = "attendance lists are not written in this console (an SSH session would write them on the server): use talkmod attendance"

// floorKey handles P, E and d on the room list.
func (m Model) floorKey(msg tea.KeyMsg) (Model, tea.Cmd, bool) {
	k := floor.Keys
	if !key.Matches(msg, k.Open, k.EndCall, k.Attendance) {
		return m, nil, false
	}
	e := m.table.selected()
	call := !key.Matches(msg, k.Open)
	if why := m.floorBlocked(e, call); why != "" {
		return m, m.setFlash(why, levelWarn), true
	}
	if key.Matches(msg, k.Attendance) {
		m2, cmd := m.floorAttendance(e.room.Token, e.name)
		return m2, cmd, true
	}
	purpose, what := "chooser", "reading who holds rights of their own in "
	if call {
		purpose, what = "end", "counting who is in the call in "
	}
	cmd := m.floorRead(e.room.Token, purpose)
	return m, tea.Batch(cmd, m.setFlash(what+e.name+"…", levelInfo)), true
}

// floorRead reads the people of a room before P or E.
func (m *Model) floorRead(token, purpose string) tea.Cmd {
	be := m.floorBackend()
	m.floor.reading, m.floor.readFor = token, purpose
	return m.request(func(ctx context.Context) tea.Msg {
		ps, err := be.Participants(ctx, token)
		return floorReadMsg{token: token, purpose: purpose, people: ps, err: err}
	})
}

// floorAttendance writes the attendance list of a room's call.
func (m Model) floorAttendance(token, name string) (Model, tea.Cmd) {
	if m.floor.dir == "" {
		return m, m.setFlash(floorNoDownloads, levelWarn)
	}
	return m, tea.Batch(floor.DownloadAttendance(m.floorBackend(), m.floorRun(), token, m.floor.dir, m.c.Now),
		m.setFlash("writing the attendance list of "+name+"…", levelInfo))
}

// floorUpdate handles the floor's messages.
func (m Model) floorUpdate(msg tea.Msg) (Model, tea.Cmd, bool) {
	switch msg := msg.(type) {
	case floorReadMsg:
		m2, cmd := m.floorReadAnswered(msg)
		return m2, cmd, true
	case floorSetMsg:
		m2, cmd := m.floorSetAnswered(msg)
		return m2, cmd, true
	case floorEndMsg:
		m2, cmd := m.floorEndAnswered(msg)
		return m2, cmd, true
	case floor.ActMsg:
		o := m.floor.people.Answered(msg)
		var cmd tea.Cmd
		if m.people.open && msg.Token == m.people.token {
			cmd = m.peopleRead() // the answer never says where the person is
		}
		if !o.OK {
			cmd = tea.Batch(cmd, m.setFlash(PersonName(msg.Before)+": "+o.Text, levelErr))
		}
		if m.quitting && m.pendingCount() == 0 {
			cmd = tea.Batch(cmd, tea.Quit)
		}
		return m, cmd, true
	case floor.AttendanceMsg:
		e := m.table.find(msg.Token)
		name := msg.Token
		if e != nil {
			name = e.name
		}
		if msg.Err != nil {
			text := "attendance list not written: " + client.Message(msg.Err)
			if client.IsNoCall(msg.Err) {
				text = "attendance list not written: " + words.NoCall
			}
			return m, m.setFlash(name+": "+text, levelErr), true
		}
		text := words.AttendanceSaved(msg.N, sanitize.Line(msg.Path))
		m.rs(msg.Token).outcome = &outcome{ok: true, op: opFloor, text: text}
		if m.floor.written == nil {
			m.floor.written = map[string]floor.AttendanceMsg{}
		}
		m.floor.written[msg.Token] = msg
		return m, m.setFlash(name+": "+text, levelOK), true
	}
	return m, nil, false
}

func (m Model) floorReadAnswered(msg floorReadMsg) (Model, tea.Cmd) {
	if msg.token != m.floor.reading || msg.purpose != m.floor.readFor {
		return m, nil
	}
	m.floor.reading, m.floor.readFor = "", ""
	e := m.table.find(msg.token)
	if e == nil {
		return m, m.setFlash("the conversation left the list: nothing was sent", levelWarn)
	}
	if msg.err != nil {
		return m, m.setFlash(e.name+": could not read the people: "+client.Message(msg.err)+" (nothing was sent)", levelErr)
	}
	if m.modal != modalNone || m.people.open || m.table.selected() != e {
		// the user moved on meanwhile: nothing opens unseen
		return m, m.setFlash(e.name+": the question was not opened, as the screen changed; press the key again", levelInfo)
	}
	if msg.purpose == "chooser" {
		m.flash = flash{} // the "reading…" note: the dialog is the answer
		m.floor.chooser = floor.NewChooser(e.room.Token, e.name, e.room.DefaultPermissions, msg.people, e.room.LobbyState == models.LobbyModeratorsOnly)
		m.modal = modalFloor
		return m, nil
	}
	n := 0
	for _, p := range msg.people {
		if p.InCallNow() {
			n++
		}
	}
	m.flash = flash{}
	return m.openConfirm(newConfirm("End the call · "+e.name,
		[]string{"Everyone leaves the call; they stay in the conversation and can start a new one. talkmod joins the conversation for a moment (a session of its own, not in the call), ends the call and leaves again."},
		words.EndCallQuestion(e.name, n),
		"the call goes on: nothing was sent", floorEndPayload{token: e.room.Token, name: e.name, inCall: n}))
}

// floorModalKey answers a key in the chooser.
func (m Model) floorModalKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	if msg.Type == tea.KeyCtrlC {
		return m.quit(msg)
	}
	c, res := m.floor.chooser.Update(msg)
	m.floor.chooser = c
	if res == nil {
		return m, nil
	}
	return m.handleDialogResult(res)
}

// floorDialogResult handles the answers of the chooser and of the
// end-call question.
func (m Model) floorDialogResult(msg tea.Msg) (Model, tea.Cmd, bool) {
	switch msg := msg.(type) {
	case floor.Cancelled:
		m.modal = modalNone
		return m, m.setFlash(msg.No, levelInfo), true
	case floor.Chosen:
		m.modal = modalNone
		e := m.table.find(msg.Token)
		if e == nil {
			return m, m.setFlash("the conversation left the list: nothing was sent", levelWarn), true
		}
		if why := m.floorBlocked(e, false); why != "" {
			return m, m.setFlash(why, levelWarn), true
		}
		be := m.floorBackend()
		m.rs(msg.Token).pending = opFloor
		return m, m.request(func(ctx context.Context) tea.Msg {
			room, err := be.SetDefaultPermissions(ctx, msg.Token, msg.Preset.Value())
			return floorSetMsg{token: msg.Token, preset: msg.Preset, losers: msg.Losers, room: room, err: err}
		}), true
	case confirmedMsg:
		p, ok := msg.Payload.(floorEndPayload)
		if !ok {
			return m, nil, false
		}
		m.modal = modalNone
		e := m.table.find(p.token)
		if e == nil {
			return m, m.setFlash("the conversation left the list: nothing was sent", levelWarn), true
		}
		if why := m.floorBlocked(e, true); why != "" {
			return m, m.setFlash(why, levelWarn), true
		}
		be := m.floorBackend()
		m.rs(p.token).pending = opFloor
		return m, m.request(func(ctx context.Context) tea.Msg {
			return floorEndMsg{floorEndPayload: p, err: be.EndCallForEveryone(ctx, p.token)}
		}), true
	}
	return m, nil, false
}

// floorRoomFailed records a refused room change like the console's own.
func (m *Model) floorRoomFailed(token, name, what string, err error) tea.Cmd {
	s := m.rs(token)
	kind := client.KindOf(err)
	s.outcome = &outcome{ok: false, op: opFloor, text: what + client.Message(err), kind: kind}
	cmds := []tea.Cmd{m.setFlash(name+": "+s.outcome.text, levelErr)}
	switch kind {
	case client.KindUnauthorized:
		m.unauthorized = true
		m.pollGen++
	case client.KindNotFound:
		s.gone = true
		m.needFull = true
	case client.KindForbidden:
		cmds = append(cmds, m.getRoomCmd(token, rereadForbidden))
	}
	return tea.Batch(cmds...)
}

func (m Model) floorSetAnswered(msg floorSetMsg) (Model, tea.Cmd) {
	s := m.rs(msg.token)
	s.pending = 0
	name := msg.token
	if e := m.table.find(msg.token); e != nil {
		name = e.name
	}
	if msg.err != nil {
		return m, m.floorRoomFailed(msg.token, name, "default permissions not changed: ", msg.err)
	}
	var cmd tea.Cmd
	if msg.room.Token != "" {
		m.applyRoom(msg.room)
	} else {
		cmd = m.getRoomCmd(msg.token, rereadNoRoom)
	}
	text := "who may speak: " + words.Preset(msg.preset)
	if len(msg.losers) > 0 {
		text += "; " + words.RightsReset(len(msg.losers))
	}
	text += " (undo: P sets another; given rights must be given again)"
	s = m.rs(msg.token)
	s.outcome = &outcome{ok: true, op: opFloor, text: text}
	if m.people.open && m.people.token == msg.token {
		cmd = tea.Batch(cmd, m.peopleRead())
	}
	if m.quitting && m.pendingCount() == 0 {
		cmd = tea.Batch(cmd, tea.Quit)
	}
	return m, tea.Batch(cmd, m.setFlash(name+": "+text, levelOK))
}

func (m Model) floorEndAnswered(msg floorEndMsg) (Model, tea.Cmd) {
	s := m.rs(msg.token)
	s.pending = 0
	var le *client.LeaveError
	if msg.err != nil && !errors.As(msg.err, &le) {
		return m, m.floorRoomFailed(msg.token, msg.name, "call not ended: ", msg.err)
	}
	text := words.CallEnded
	ok := true
	if le != nil {
		text, ok = client.Message(msg.err), true
	}
	s.outcome = &outcome{ok: ok, op: opFloor, text: text}
	cmds := []tea.Cmd{m.getRoomCmd(msg.token, rereadNoRoom), m.setFlash(msg.name+": "+text, levelOK)}
	if m.people.open && m.people.token == msg.token {
		cmds = append(cmds, m.peopleRead())
	}
	if m.quitting && m.pendingCount() == 0 {
		cmds = append(cmds, tea.Quit)
	}
	return m, tea.Batch(cmds...)
}

// ---- the people view ----

// floorPeopleKey handles f, F, m and d in the people view, and the
// answer to the promotion question.
func (m Model) floorPeopleKey(msg tea.KeyMsg) (Model, tea.Cmd, bool) {
	be := m.floorBackend()
	if be == nil {
		return m, nil, false
	}
	p := &m.people
	if key.Matches(msg, floor.Keys.Attendance) && !m.floor.people.Asking() {
		room, _ := m.peopleRoom()
		name := sanitize.Line(room.Label())
		switch {
		case !room.HasCall:
			return m, m.setFlash(words.NoCall+" in "+name+": the attendance list exists only while a call runs", levelWarn), true
		case m.floor.dir == "":
			return m, m.setFlash(floorNoDownloads, levelWarn), true
		}
		m2, cmd := m.floorAttendance(room.Token, name)
		return m2, cmd, true
	}
	var sel *models.Participant
	if who, ok := p.find(p.sel); ok {
		sel = &who
	} else if p.sel != 0 && key.Matches(msg, floor.Keys.GiveFloor, floor.Keys.TakeFloor, floor.Keys.Moderator) && !m.floor.people.Asking() {
		return m, m.setFlash(p.nameOf(p.sel)+" is no longer in the conversation (left or removed): nothing sent", levelWarn), true
	}
	self := sel != nil && isSelf(*sel, m.user)
	handled, cmd, flash := m.floor.people.Key(msg, be, m.floorRun(), p.token, sel, self)
	if !handled {
		return m, nil, false
	}
	if sel != nil && cmd != nil {
		delete(p.outcomes, sel.AttendeeID) // the floor's answer is the newer one
	}
	if flash != "" {
		level := levelWarn
		if strings.HasPrefix(flash, "kept ") {
			level = levelInfo
		}
		cmd = tea.Batch(cmd, m.setFlash(flash, level))
	}
	return m, cmd, true
}

// floorPeopleHead is the people view's lines of the floor: the last
// attendance list written for the room, and the promotion question.
func (m Model) floorPeopleHead(room string) []string {
	var out []string
	if w, ok := m.floor.written[m.people.token]; ok {
		line := "✓ " + words.AttendanceSaved(w.N, sanitize.Line(w.Path)) + " at " + m.c.clock(w.At)
		for i, l := range wrap(line, m.c.Width, "  ") {
			if i == 2 {
				break
			}
			out = append(out, m.c.Styles.OK.Render(fit(l, m.c.Width)))
		}
	}
	q := m.floor.people.Question(room)
	if q == "" {
		return out
	}
	for _, l := range wrap(sanitize.Line(q), m.c.Width, "  ") {
		out = append(out, m.c.Styles.Warn.Render(fit(l, m.c.Width)))
	}
	return out
}

// floorSymbols: the rights as 🎤 📹 🖥 on a wide terminal in colour; as
// words at 80 columns and without colour (NO_COLOR, TERM=dumb).
func (m Model) floorSymbols() bool {
	return m.c.Width >= 110 && m.c.Styles.OK.Render("x") != "x"
}

// floorCols makes room for the rights column ("" when the backend has no
// floor: the view is as before).
func (m Model) floorCols(nw, kw, sw int) (int, int, int, int) {
	if m.floorBackend() == nil {
		return nw, kw, sw, 0
	}
	rw := floor.RightsWidth(m.floorSymbols())
	if m.c.Width < 110 {
		nw, sw = nw-3, sw-2
	}
	return nw, kw, sw, rw
}

// floorRights is the rights cell of a person's row ("" without a floor).
func (m Model) floorRights(q models.Participant, rw int) string {
	if rw == 0 {
		return ""
	}
	return floor.RightsCell(q, m.floorSymbols(), rw) + " "
}

// floorRowStatus is the floor's text in a person's outcome column.
func (m Model) floorRowStatus(q models.Participant) (string, string, bool) {
	if m.floorBackend() == nil {
		return "", "", false
	}
	return m.floor.people.Status(q, spinFrame(m.spinFrame))
}

// floorPeopleHelp is the people view's key line with f/F, m and d: the
// first wording that fits the width (? lists every key).
func (m Model) floorPeopleHelp(text string) string {
	if m.floor.people.Asking() {
		return "y promotes · any other key keeps them as they are"
	}
	if m.floorBackend() == nil || m.c.ReadOnly {
		return text
	}
	d := ""
	if room, _ := m.peopleRoom(); room.HasCall && m.floor.dir != "" {
		d = " · d attendance"
	}
	for _, v := range []string{
		"a let in · h back to lobby · x remove · A let in all waiting · f/F give/take floor · m moderator" + d + " · esc back · q quit",
		"a let in · h back to lobby · x remove · A let in all · f/F floor · m moderator" + d + " · esc back · q quit",
		"a let in · h lobby · x remove · f/F floor · m moderator" + d + " · ? keys · esc back · q quit",
		"a let in · h lobby · x remove · f/F floor · m moderator · ? keys · esc · q",
	} {
		if ansi.StringWidth(v) <= m.c.Width {
			return v
		}
	}
	return "a let in · h lobby · x remove · f/F floor · m mod · ? keys · q"
}

// floorHelpText explains the floor in the full help.
const floorHelpText = "Who may speak: P chooses the room's default (listen only: attendees join the call and chat, moderators and those given the floor speak; everyone; the server default) and asks first, y only, when people would lose rights given to them. In the people view f gives the selected person the floor (audio, video, screen) and F takes it back (their app applies it when it next updates), m promotes or demotes them. E ends the call for everyone (y only); d writes the attendance list of the running call to a file."

// floorReadOnly reports the floor keys a read-only session refuses.
func floorReadOnly(msg tea.KeyMsg, people bool) bool {
	k := floor.Keys
	if people {
		return key.Matches(msg, k.GiveFloor, k.TakeFloor, k.Moderator, k.Attendance)
	}
	return key.Matches(msg, k.Open, k.EndCall, k.Attendance)
}

// floorHelp is floorHelpText where the backend has a floor ("" else).
func (m Model) floorHelp() string {
	if m.floorBackend() == nil {
		return ""
	}
	return floorHelpText + " "
}
