package tui

import (
	"context"
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/bulk"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/dialog"
	"github.com/talkmod/talkmod/tui/roomlist"
	"github.com/talkmod/talkmod/tui/words"
)

// actionBlocked says why no action can be started on e, or "".
func (m Model) actionBlocked(e *roomlist.Entry) string {
	switch {
	case e == nil && m.table.Lost != "":
		return "select a room: " + m.table.Lost + " left the list (move with ↑/↓)"
	case e == nil:
		return m.noRoomReason()
	case m.accts.At(e).Backend == nil:
		return "no server to send to"
	case m.accts.At(e).Sync.Unauthorized:
		return m.accts.At(e).UnauthorizedWords()
	case e.Greyed:
		return "cannot change " + e.Name + ": " + e.Why
	case m.accts.Multi() && !m.accts.At(e).DownSince.IsZero():
		// several accounts: a server that does not answer shows its
		// rooms' last state; a change to them waits until it answers
		return "not sent: " + m.accts.At(e).DownWords(m.c, 0)
	}
	if m.rooms.isPending(e.ID) {
		return "still waiting for the server's answer about " + e.Name + ": wait for it before the next change"
	}
	return ""
}

// sipBlocked says why SIP cannot be switched at all (from the
// capabilities), or "". Room-level reasons are shown as a warning but the
// request is still sent: the server's answer is what counts.
func sipBlocked(caps models.Capabilities) string {
	// the capability reasons of the one rule (words.SIPUnavailableReason),
	// asked for a room that has no room-level reason
	return words.SIPUnavailableReason(sipProbe, caps)
}

// sipProbe is a room SIP dial-in has no room-level reason against: an
// owned group conversation with a dial-in token, where the server allows
// it.
var sipProbe = models.Room{Token: "1234567890", Type: models.ConversationGroup,
	ParticipantType: models.ParticipantOwner, CanEnableSIP: true}

// lobbyToggle is l: off sends state 0; on keeps the room's future timer.
// Both go through guard: a running call or a future timer asks first.
func (m Model) lobbyToggle() (Model, tea.Cmd) {
	e := m.table.Selected()
	if reason := m.actionBlocked(e); reason != "" {
		return m, m.flash.set(m.c, reason, common.LevelWarn)
	}
	r := e.Room
	req := actionReq{token: e.ID, Change: bulk.Change{Op: bulk.OpLobby}}
	if r.LobbyState == models.LobbyModeratorsOnly {
		req.Lobby = models.LobbyNone
		return m.guard(req, e)
	}
	req.Lobby = models.LobbyModeratorsOnly
	if t, ok := r.LobbyTimerTime(); ok && t.After(m.c.Now()) {
		req.Timer = &t
	}
	return m.guard(req, e)
}

// openPicker is t.
func (m Model) openPicker() (Model, tea.Cmd) {
	e := m.table.Selected()
	if reason := m.actionBlocked(e); reason != "" {
		return m, m.flash.set(m.c, reason, common.LevelWarn)
	}
	m.dialog = dialog.NewPicker(m.c, byID(e), e.Name)
	return m, nil
}

// openSIP is s.
func (m Model) openSIP() (Model, tea.Cmd) {
	e := m.table.Selected()
	if reason := m.actionBlocked(e); reason != "" {
		return m, m.flash.set(m.c, reason, common.LevelWarn)
	}
	caps := m.accts.At(e).Caps
	if reason := sipBlocked(caps); reason != "" {
		return m, m.flash.set(m.c, "cannot switch SIP dial-in: "+reason, common.LevelWarn)
	}
	m.dialog = dialog.NewSIP(byID(e), e.Name, caps, m.rooms.state(e.ID).sipForced)
	return m, nil
}

// undo is u: the last change made in this console on the selected room,
// undone in one request (through guard, like any change).
func (m Model) undo() (Model, tea.Cmd) {
	e := m.table.Selected()
	if reason := m.actionBlocked(e); reason != "" {
		return m, m.flash.set(m.c, reason, common.LevelWarn)
	}
	s := m.rooms[e.ID]
	if s == nil || s.undo == nil {
		return m, m.flash.set(m.c, "nothing to undo on "+e.Name+": no change was made to it in this console", common.LevelWarn)
	}
	return m.guard(*s.undo, e)
}

// newConfirm builds a question; one whose payload is a change to a room
// is about that room (it closes if the room leaves the list).
func newConfirm(title string, body []string, question, no string, payload any) dialog.Confirm {
	d := dialog.Confirm{Title: title, Body: body, Question: question, No: no, Payload: payload}
	if req, ok := payload.(actionReq); ok {
		d.Room = req.token
	}
	return d
}

// guard sends req, or first asks (y only) when it removes people from a
// running call or drops a future lobby timer.
func (m Model) guard(req actionReq, e *roomlist.Entry) (Model, tea.Cmd) {
	if d, ask := m.askFirst(req, e); ask {
		m.dialog = d
		return m, nil
	}
	return m.send(req)
}

// askFirst builds the question for a change that needs one.
func (m Model) askFirst(req actionReq, e *roomlist.Entry) (dialog.Confirm, bool) {
	if req.Op != bulk.OpLobby {
		return dialog.Confirm{}, false
	}
	r := e.Room
	now := m.c.Now()
	verb := "Change the lobby"
	if req.Undo {
		verb = "Undo the last change"
	}
	no := "lobby unchanged: nothing was sent"
	if req.Lobby == models.LobbyModeratorsOnly && r.LobbyState != models.LobbyModeratorsOnly && r.HasCall {
		body := "A call is running in " + e.Name + ". Turning the lobby on removes everyone who is not a moderator from the call"
		if n := m.people.CallRemovals(m.c, e.ID); n != "" {
			body += " (" + n + ")"
		}
		body += "."
		if req.Timer != nil {
			body += " The lobby opens again at " + m.c.Clock(*req.Timer) + "."
		}
		if !req.Undo {
			verb = "Turn the lobby on"
		}
		return newConfirm(verb+" · "+e.Name, []string{body}, "Turn the lobby on now and remove them from the call? y/n", no, req), true
	}
	t, has := r.LobbyTimerTime()
	if r.LobbyState == models.LobbyModeratorsOnly && has && t.After(now) && req.Timer == nil {
		at := m.c.Clock(t) + " (" + words.Relative(now, t) + ")"
		if req.Lobby == models.LobbyNone {
			if !req.Undo {
				verb = "Lift the lobby"
			}
			return newConfirm(verb+" · "+e.Name,
				[]string{"The lobby of " + e.Name + " is on until " + at + ". Lifting it now lets everyone in at once and drops that timer (u undoes it)."},
				"Lift the lobby now and drop the timer set for "+m.c.Clock(t)+"? y/n", no, req), true
		}
		if !req.Undo {
			verb = "Remove the lobby timer"
		}
		return newConfirm(verb+" · "+e.Name,
			[]string{"The lobby of " + e.Name + " opens by itself at " + at + ". Without the timer it stays on until someone lifts it (u undoes it)."},
			"Drop the timer set for "+m.c.Clock(t)+" and keep the lobby on? y/n", "lobby timer kept: nothing was sent", req), true
	}
	return dialog.Confirm{}, false
}

// runConfirmed does what a question asked about, after y.
func (m Model) runConfirmed(payload any) (Model, tea.Cmd) {
	switch p := payload.(type) {
	case actionReq:
		e := m.table.Find(p.token)
		if e == nil {
			return m, m.flash.set(m.c, "the conversation left the list: nothing was sent", common.LevelWarn)
		}
		if reason := m.actionBlocked(e); reason != "" {
			return m, m.flash.set(m.c, reason, common.LevelWarn)
		}
		return m.send(p)
	case quitPayload:
		return m, tea.Quit
	}
	// a page's question: the page acts on the y
	m, cmd, _ := m.pageMsg(dialog.ConfirmedMsg{Payload: payload})
	return m, cmd
}

// quitPayload is the payload of the question before quitting with a
// change in flight.
type quitPayload struct{}

// handleDialogResult turns a dialog's answer into an action.
func (m Model) handleDialogResult(msg tea.Msg) (Model, tea.Cmd) {
	m, cmd, ok := m.bulkDialogResult(msg)
	if ok {
		return m, cmd
	}
	switch msg := msg.(type) {
	case dialog.ConfirmedMsg:
		m.dialog = nil
		return m.runConfirmed(msg.Payload)
	case dialog.CancelledMsg:
		m.dialog = nil
		if _, ok := msg.Payload.(quitPayload); ok {
			m.quitting = false
		}
		return m, m.flash.set(m.c, msg.No, common.LevelInfo)
	case dialog.SIPChosenMsg:
		m, e, cmd := m.dialogRoom(msg.Token)
		if e == nil {
			return m, cmd
		}
		m.dialog = nil
		if msg.State == e.Room.SIPEnabled {
			return m, m.flash.set(m.c, e.Name+": SIP dial-in is already "+msg.Label+": nothing was sent", common.LevelInfo)
		}
		return m.send(actionReq{token: msg.Token, Change: bulk.Change{Op: bulk.OpSIP, SIP: msg.State}})
	case dialog.PickedMsg:
		m, e, cmd := m.dialogRoom(msg.Token)
		if e == nil {
			return m, cmd
		}
		req := actionReq{token: e.ID, Change: bulk.Change{Op: bulk.OpLobby}}
		if msg.Clear {
			if e.Room.LobbyState != models.LobbyModeratorsOnly && e.Room.LobbyTimer <= 0 {
				m.dialog = nil
				return m, m.flash.set(m.c, "the lobby is off and has no timer: nothing to remove, nothing sent", common.LevelInfo)
			}
			req.Lobby = e.Room.LobbyState
			req.ClearTimer = true
		} else {
			req.Lobby = models.LobbyModeratorsOnly
			req.Timer = msg.Timer
		}
		m.dialog = nil
		if msg.Clear {
			if d, ask := m.askFirst(req, e); ask {
				m.dialog = d
				return m, nil
			}
			// x says what it does before sending, even when no
			// schedule is lost
			m.dialog = newConfirm("Remove the lobby timer · "+e.Name,
				[]string{"Sends the lobby " + lobbyWord(req.Lobby) + " with no timer: nothing opens by itself."},
				"Remove the timer? y/n", "lobby timer kept: nothing was sent", req)
			return m, nil
		}
		return m.guard(req, e)
	}
	// an answer of a page's dialog: the page acts on it
	m.dialog = nil
	m, cmd, _ = m.pageMsg(msg)
	return m, cmd
}

// dialogRoom is the room a dialog's answer is about, if a change can
// be sent to it now. Else nil: a room that left the list closes the
// dialog with a warning; a blocked one keeps it open, saying why.
func (m Model) dialogRoom(token string) (Model, *roomlist.Entry, tea.Cmd) {
	e := m.table.Find(token)
	if e == nil {
		m.dialog = nil
		return m, nil, m.flash.set(m.c, "the conversation left the list: nothing was sent", common.LevelWarn)
	}
	if reason := m.actionBlocked(e); reason != "" {
		m.dialog = dialog.WithErr(m.dialog, reason)
		return m, nil, nil
	}
	return m, e, nil
}

func lobbyWord(s models.LobbyState) string {
	if s == models.LobbyModeratorsOnly {
		return "on"
	}
	return "off"
}

// send starts an action: the room is pending (spinner, no second action)
// and its previous outcome is gone.
func (m Model) send(req actionReq) (Model, tea.Cmd) {
	s := m.rooms.get(req.token)
	if req.Op == bulk.OpLobby && req.Timer != nil {
		// last check before anything leaves: the time may have passed
		// while a dialog was open (or since the change an undo restores)
		if err := client.ValidateLobbyTimer(m.c.Now(), *req.Timer); err != nil {
			verr := &client.ValidationError{Field: "timer", Problem: "not sent: the lobby timer " + m.c.Clock(*req.Timer) + " is refused: " + err.Error()}
			s.outcome = &outcome{ok: false, op: req.Op, text: client.Message(verr), kind: client.KindOf(verr)}
			return m, m.flash.set(m.c, client.Message(verr), common.LevelErr)
		}
	}
	s.pending = req.Op
	s.outcome = nil
	be, token := m.accts.Of(req.token).Backend, roomlist.TokenOf(req.token)
	var before models.Room
	if e := m.table.Find(req.token); e != nil {
		before = e.Room
	}
	cmd := m.c.Request(func(ctx context.Context) tea.Msg {
		var room models.Room
		var err error
		switch req.Op {
		case bulk.OpLobby:
			room, err = be.SetLobby(ctx, token, req.Lobby, req.Timer)
		case bulk.OpSIP:
			room, err = be.SetSIP(ctx, token, req.SIP)
		}
		return actionMsg{token: req.token, op: req.Op, asked: req, before: before, room: room, err: err}
	})
	return m, cmd
}

// applyAction takes the answer of a PUT (the root then tells the bulk
// run, and quits if that was the last answer the user waited for).
func (m Model) applyAction(msg actionMsg) (Model, tea.Cmd) {
	s := m.rooms.get(msg.token)
	s.pending = 0
	e := m.table.Find(msg.token)
	name := msg.token
	if e != nil {
		name = e.Name
	}
	now := m.c.Now()
	a := m.accts.Of(msg.token)
	if msg.err != nil {
		kind := client.KindOf(msg.err)
		o := outcome{ok: false, op: msg.op, text: client.Message(msg.err), kind: kind}
		s.outcome = &o
		var cmds []tea.Cmd
		switch kind {
		case client.KindUnauthorized:
			a.LoggedOut()
		case client.KindThrottled:
			cmds = append(cmds, a.Throttled(m.c, msg.err, now))
		case client.KindNotFound:
			s.gone = true
			a.Sync.NeedFull = true
		case client.KindForbidden:
			// the role may have changed: read the room again, so the
			// list, the detail and the keys follow it
			cmds = append(cmds, m.rooms.reread(m.c, a.Backend, msg.token, rereadForbidden))
		}
		var apiErr *client.APIError
		if msg.op == bulk.OpSIP && errors.As(msg.err, &apiErr) && apiErr.Reason == "forced" && apiErr.Forced != nil {
			// the SIP dialog warns before the next try
			f := *apiErr.Forced
			s.sipForced = &f
		}
		what := "undo refused: "
		if !msg.asked.Undo {
			what = ""
		}
		cmds = append(cmds, m.flash.set(m.c, name+": "+what+o.text, common.LevelErr))
		return m, tea.Batch(cmds...)
	}
	if msg.op == bulk.OpSIP {
		s.sipForced = nil
	}
	m.rooms.setUndo(msg, now)
	if msg.room.Token == "" {
		// a 200 without the room (old servers): read it
		s.ver++
		s.outcome = &outcome{ok: true, op: msg.op, text: successText(m.c, msg.asked, nil, now)}
		return m, m.rooms.reread(m.c, a.Backend, msg.token, rereadNoRoom)
	}
	m = m.applyRoom(msg.token, msg.room)
	text := successText(m.c, msg.asked, &msg.room, now)
	if msg.asked.Undo {
		text = "undone: " + text
	}
	s.outcome = &outcome{ok: true, op: msg.op, text: text}
	flash := name + ": " + text
	if s.undo != nil {
		flash += " · u undo"
	}
	return m, m.flash.set(m.c, flash, common.LevelOK)
}

// setUndo keeps the undo of a confirmed change (none for an undo).
func (rs roomStates) setUndo(msg actionMsg, now time.Time) {
	s := rs.get(msg.token)
	s.undo = nil
	if msg.asked.Undo || msg.before.Token == "" {
		return
	}
	s.undo = undoFor(msg.op, msg.before, now)
	s.undo.token = msg.token
	s.undoAt = now
}

// applyRoom puts a room the server just confirmed in the list, and marks
// it newer than any list answer already on its way.
// id is its identity in the list.
func (m Model) applyRoom(id string, r models.Room) Model {
	a := m.accts.Of(id)
	s := m.rooms.get(id)
	s.ver++
	s.confirmedSeq = a.Sync.ListSeq
	s.gone = false
	lost := m.table.MergeAccount(a.Account, []models.Room{r}, nil)
	return m.noteLost(lost)
}

// byID is e's room with its identity for a token: what a dialog about
// it carries back (its answer names the room by it).
func byID(e *roomlist.Entry) models.Room {
	r := e.Room
	r.Token = e.ID
	return r
}

func (m Model) handleReread(msg rereadMsg) (Model, tea.Cmd) {
	s := m.rooms.get(msg.token)
	if s.ver != msg.ver {
		return m, nil // an action's answer came in between: it is newer
	}
	e := m.table.Find(msg.token)
	name := msg.token
	if e != nil {
		name = e.Name
	}
	if msg.err != nil {
		a := m.accts.Of(msg.token)
		kind := client.KindOf(msg.err)
		switch kind {
		case client.KindNotFound:
			s.gone = true
			a.Sync.NeedFull = true
		case client.KindUnauthorized:
			a.LoggedOut()
		case client.KindThrottled:
			return m, tea.Batch(a.Throttled(m.c, msg.err, m.c.Now()),
				m.flash.set(m.c, name+": could not re-read the room: "+client.Message(msg.err), common.LevelErr))
		}
		return m, m.flash.set(m.c, name+": could not re-read the room: "+client.Message(msg.err), common.LevelErr)
	}
	m = m.applyRoom(msg.token, msg.room)
	r := msg.room
	switch msg.why {
	case rereadForbidden:
		// the outcome of the refused action stays; the role is the
		// server's now (the list and the detail follow it)
		return m, nil
	case rereadNoRoom:
		return m, nil
	}
	var text string
	switch {
	case r.LobbyState == models.LobbyNone:
		text = "the lobby timer passed: the server says the lobby is off, everyone can join"
	case r.LobbyTimer > 0 && r.LobbyTimer > m.c.Now().Unix():
		t, _ := r.LobbyTimerTime()
		text = "the server says the lobby stays on until " + m.c.Clock(t)
	default:
		text = "the server says the lobby is still on"
	}
	// kept as the room's last outcome: the detail shows it whole
	s.outcome = &outcome{ok: true, op: bulk.OpLobby, text: text}
	return m, m.flash.set(m.c, name+": "+text, common.LevelInfo)
}

// successText words a confirmed change: "lobby on until 15:00 CET, in 25m".
func successText(c common.Common, req actionReq, r *models.Room, now time.Time) string {
	if r == nil {
		return "done (the server confirmed without the new state; re-reading the room)"
	}
	switch req.Op {
	case bulk.OpLobby:
		return words.LobbyOutcomeWith(*r, req.Lobby, req.ClearTimer, func(t time.Time) string {
			return c.Clock(t) + ", " + words.Relative(now, t)
		})
	case bulk.OpSIP:
		return words.SIPOutcome(*r)
	}
	return "done"
}
