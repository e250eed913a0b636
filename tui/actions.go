package tui

import (
	"context"
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/datetime"
	"github.com/talkmod/talkmod/tui/words"
)

// actionBlocked says why no action can be started on e, or "".
func (m Model) actionBlocked(e *entry) string {
	switch {
	case e == nil && m.table.lost != "":
		return "select a room: " + m.table.lost + " left the list (move with ↑/↓)"
	case e == nil:
		return m.noRoomReason()
	case m.backend == nil:
		return "no server to send to"
	case m.unauthorized:
		return "the server refused the login (401): run talkmod login, then start talkmod again"
	case e.greyed:
		return "cannot change " + e.name + ": " + e.why
	}
	if m.isPending(e.room.Token) {
		return "still waiting for the server's answer about " + e.name + ": wait for it before the next change"
	}
	return ""
}

// sipBlocked says why SIP cannot be switched at all (from the
// capabilities), or "". Room-level reasons are shown as a warning but the
// request is still sent: the server's answer is what counts.
func (m Model) sipBlocked(models.Room) string {
	// the capability reasons of the one rule (models.SIPUnavailableReason),
	// asked for a room that has no room-level reason
	return sipProbe.SIPUnavailableReason(m.caps)
}

// sipProbe is a room SIP dial-in has no room-level reason against: an
// owned group conversation with a dial-in token, where the server allows
// it.
var sipProbe = models.Room{Token: "1234567890", Type: models.ConversationGroup,
	ParticipantType: models.ParticipantOwner, CanEnableSIP: true}

// lobbyToggle is l: off sends state 0; on keeps the room's future timer.
// Both go through guard: a running call or a future timer asks first.
func (m Model) lobbyToggle() (Model, tea.Cmd) {
	e := m.table.selected()
	if reason := m.actionBlocked(e); reason != "" {
		return m, m.setFlash(reason, levelWarn)
	}
	r := e.room
	req := actionReq{token: r.Token, op: opLobby}
	if r.LobbyState == models.LobbyModeratorsOnly {
		req.lobby = models.LobbyNone
		return m.guard(req, e)
	}
	req.lobby = models.LobbyModeratorsOnly
	if t, ok := r.LobbyTimerTime(); ok && t.After(m.c.Now()) {
		req.timer = &t
	}
	return m.guard(req, e)
}

// openPicker is t.
func (m Model) openPicker() (Model, tea.Cmd) {
	e := m.table.selected()
	if reason := m.actionBlocked(e); reason != "" {
		return m, m.setFlash(reason, levelWarn)
	}
	m.modal = modalPicker
	m.picker = newPicker(m.c, e)
	return m, nil
}

// openSIP is s.
func (m Model) openSIP() (Model, tea.Cmd) {
	e := m.table.selected()
	if reason := m.actionBlocked(e); reason != "" {
		return m, m.setFlash(reason, levelWarn)
	}
	if reason := m.sipBlocked(e.room); reason != "" {
		return m, m.setFlash("cannot switch SIP dial-in: "+reason, levelWarn)
	}
	m.modal = modalSIP
	m.sip = newSIPDialog(e, m.caps, m.state(e.room.Token).sipForced)
	return m, nil
}

// undo is u: the last change made in this console on the selected room,
// undone in one request (through guard, like any change).
func (m Model) undo() (Model, tea.Cmd) {
	e := m.table.selected()
	if reason := m.actionBlocked(e); reason != "" {
		return m, m.setFlash(reason, levelWarn)
	}
	s := m.rooms[e.room.Token]
	if s == nil || s.undo == nil {
		return m, m.setFlash("nothing to undo on "+e.name+": no change was made to it in this console", levelWarn)
	}
	return m.guard(*s.undo, e)
}

// openConfirm shows a confirmDialog.
func (m Model) openConfirm(d confirmDialog) (Model, tea.Cmd) {
	m.modal = modalConfirm
	m.confirm = d
	return m, nil
}

// guard sends req, or first asks (y only) when it removes people from a
// running call or drops a future lobby timer.
func (m Model) guard(req actionReq, e *entry) (Model, tea.Cmd) {
	if d, ask := m.askFirst(req, e); ask {
		return m.openConfirm(d)
	}
	return m.send(req)
}

// askFirst builds the question for a change that needs one.
func (m Model) askFirst(req actionReq, e *entry) (confirmDialog, bool) {
	if req.op != opLobby {
		return confirmDialog{}, false
	}
	r := e.room
	now := m.c.Now()
	verb := "Change the lobby"
	if req.undo {
		verb = "Undo the last change"
	}
	no := "lobby unchanged: nothing was sent"
	if req.lobby == models.LobbyModeratorsOnly && r.LobbyState != models.LobbyModeratorsOnly && r.HasCall {
		body := "A call is running in " + e.name + ". Turning the lobby on removes everyone who is not a moderator from the call"
		if n := m.callRemovals(r.Token); n != "" {
			body += " (" + n + ")"
		}
		body += "."
		if req.timer != nil {
			body += " The lobby opens again at " + m.c.clock(*req.timer) + "."
		}
		if !req.undo {
			verb = "Turn the lobby on"
		}
		return newConfirm(verb+" · "+e.name, []string{body}, "Turn the lobby on now and remove them from the call? y/n", no, req), true
	}
	t, has := r.LobbyTimerTime()
	if r.LobbyState == models.LobbyModeratorsOnly && has && t.After(now) && req.timer == nil {
		at := m.c.clock(t) + " (" + datetime.Relative(now, t) + ")"
		if req.lobby == models.LobbyNone {
			if !req.undo {
				verb = "Lift the lobby"
			}
			return newConfirm(verb+" · "+e.name,
				[]string{"The lobby of " + e.name + " is on until " + at + ". Lifting it now lets everyone in at once and drops that timer (u undoes it)."},
				"Lift the lobby now and drop the timer set for "+m.c.clock(t)+"? y/n", no, req), true
		}
		if !req.undo {
			verb = "Remove the lobby timer"
		}
		return newConfirm(verb+" · "+e.name,
			[]string{"The lobby of " + e.name + " opens by itself at " + at + ". Without the timer it stays on until someone lifts it (u undoes it)."},
			"Drop the timer set for "+m.c.clock(t)+" and keep the lobby on? y/n", "lobby timer kept: nothing was sent", req), true
	}
	return confirmDialog{}, false
}

// runConfirmed does what a confirmDialog asked about, after y.
func (m Model) runConfirmed(payload any) (Model, tea.Cmd) {
	switch p := payload.(type) {
	case actionReq:
		e := m.table.find(p.token)
		if e == nil {
			return m, m.setFlash("the conversation left the list: nothing was sent", levelWarn)
		}
		if reason := m.actionBlocked(e); reason != "" {
			return m, m.setFlash(reason, levelWarn)
		}
		return m.send(p)
	case quitPayload:
		return m, tea.Quit
	}
	return m, nil
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
	if m, cmd, ok := m.floorDialogResult(msg); ok {
		return m, cmd
	}
	switch msg := msg.(type) {
	case confirmedMsg:
		m.modal = modalNone
		return m.runConfirmed(msg.Payload)
	case confirmCancelledMsg:
		m.modal = modalNone
		if _, ok := msg.Payload.(quitPayload); ok {
			m.quitting = false
		}
		return m, m.setFlash(msg.No, levelInfo)
	case sipCancelledMsg, pickerCancelledMsg:
		m.modal = modalNone
		what := "SIP dial-in unchanged"
		if _, ok := msg.(pickerCancelledMsg); ok {
			what = "lobby timer unchanged"
		}
		return m, m.setFlash(what+": nothing was sent", levelInfo)
	case sipChosenMsg:
		e, cmd := m.dialogRoom(msg.token, &m.sip.err)
		if e == nil {
			return m, cmd
		}
		m.modal = modalNone
		if msg.state == e.room.SIPEnabled {
			return m, m.setFlash(e.name+": SIP dial-in is already "+msg.label+": nothing was sent", levelInfo)
		}
		return m.send(actionReq{token: msg.token, op: opSIP, sip: msg.state})
	case pickedMsg:
		e, cmd := m.dialogRoom(msg.token, &m.picker.err)
		if e == nil {
			return m, cmd
		}
		req := actionReq{token: e.room.Token, op: opLobby}
		if msg.clear {
			if e.room.LobbyState != models.LobbyModeratorsOnly && e.room.LobbyTimer <= 0 {
				m.modal = modalNone
				return m, m.setFlash("the lobby is off and has no timer: nothing to remove, nothing sent", levelInfo)
			}
			req.lobby = e.room.LobbyState
			req.clearTimer = true
		} else {
			req.lobby = models.LobbyModeratorsOnly
			req.timer = msg.timer
		}
		m.modal = modalNone
		if msg.clear {
			if d, ask := m.askFirst(req, e); ask {
				return m.openConfirm(d)
			}
			// x says what it does before sending, even when no
			// schedule is lost
			return m.openConfirm(newConfirm("Remove the lobby timer · "+e.name,
				[]string{"Sends the lobby " + lobbyWord(req.lobby) + " with no timer: nothing opens by itself."},
				"Remove the timer? y/n", "lobby timer kept: nothing was sent", req))
		}
		return m.guard(req, e)
	}
	return m, nil
}

// dialogRoom is the room a dialog's answer is about, if a change can
// be sent to it now. Else nil: a room that left the list closes the
// dialog with a warning; a blocked one keeps it open with why in errText.
func (m *Model) dialogRoom(token string, errText *string) (*entry, tea.Cmd) {
	e := m.table.find(token)
	if e == nil {
		m.modal = modalNone
		return nil, m.setFlash("the conversation left the list: nothing was sent", levelWarn)
	}
	if reason := m.actionBlocked(e); reason != "" {
		*errText = reason
		return nil, nil
	}
	return e, nil
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
	s := m.rs(req.token)
	if req.op == opLobby && req.timer != nil {
		// last check before anything leaves: the time may have passed
		// while a dialog was open (or since the change an undo restores)
		if err := datetime.Validate(m.c.Now(), *req.timer); err != nil {
			verr := &client.ValidationError{Field: "timer", Problem: "not sent: the lobby timer " + m.c.clock(*req.timer) + " is refused: " + err.Error()}
			s.outcome = &outcome{ok: false, op: req.op, text: client.Message(verr), kind: client.KindOf(verr)}
			return m, m.setFlash(client.Message(verr), levelErr)
		}
	}
	s.pending = req.op
	s.outcome = nil
	be, ctx, timeout := m.backend, m.ctx, m.timeout
	var before models.Room
	if e := m.table.find(req.token); e != nil {
		before = e.room
	}
	cmd := func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		var room models.Room
		var err error
		switch req.op {
		case opLobby:
			room, err = be.SetLobby(ctx, req.token, req.lobby, req.timer)
		case opSIP:
			room, err = be.SetSIP(ctx, req.token, req.sip)
		}
		return actionMsg{token: req.token, op: req.op, asked: req, before: before, room: room, err: err}
	}
	return m, cmd
}

func (m Model) handleAction(msg actionMsg) (Model, tea.Cmd) {
	m, cmd := m.applyAction(msg)
	m, cmd = m.bulkAnswered(msg, cmd)
	if m.quitting && m.pendingCount() == 0 {
		// the last answer the user waited for: quit by itself
		return m, tea.Batch(cmd, tea.Quit)
	}
	return m, cmd
}

func (m Model) applyAction(msg actionMsg) (Model, tea.Cmd) {
	s := m.rs(msg.token)
	s.pending = 0
	e := m.table.find(msg.token)
	name := msg.token
	if e != nil {
		name = e.name
	}
	now := m.c.Now()
	if msg.err != nil {
		kind := client.KindOf(msg.err)
		o := outcome{ok: false, op: msg.op, text: client.Message(msg.err), kind: kind}
		s.outcome = &o
		var cmds []tea.Cmd
		switch kind {
		case client.KindUnauthorized:
			m.unauthorized = true
			m.pollGen++ // no more polling: a 401 is never retried
		case client.KindThrottled:
			m.pause(msg.err, now)
			cmds = append(cmds, m.schedulePoll(m.pausedUntil.Sub(now)))
		case client.KindNotFound:
			s.gone = true
			m.needFull = true
		case client.KindForbidden:
			// the role may have changed: read the room again, so the
			// list, the detail and the keys follow it
			cmds = append(cmds, m.getRoomCmd(msg.token, rereadForbidden))
		}
		var apiErr *client.APIError
		if msg.op == opSIP && errors.As(msg.err, &apiErr) && apiErr.Reason == "forced" && apiErr.Forced != nil {
			// the SIP dialog warns before the next try
			f := *apiErr.Forced
			s.sipForced = &f
		}
		what := "undo refused: "
		if !msg.asked.undo {
			what = ""
		}
		cmds = append(cmds, m.setFlash(name+": "+what+o.text, levelErr))
		return m, tea.Batch(cmds...)
	}
	if msg.op == opSIP {
		s.sipForced = nil
	}
	m.setUndo(msg, now)
	if msg.room.Token == "" {
		// a 200 without the room (old servers): read it
		s.ver++
		s.outcome = &outcome{ok: true, op: msg.op, text: m.successText(msg.asked, nil, now)}
		return m, m.getRoomCmd(msg.token, rereadNoRoom)
	}
	m.applyRoom(msg.room)
	text := m.successText(msg.asked, &msg.room, now)
	if msg.asked.undo {
		text = "undone: " + text
	}
	s.outcome = &outcome{ok: true, op: msg.op, text: text}
	flash := name + ": " + text
	if s.undo != nil {
		flash += " · u undo"
	}
	return m, m.setFlash(flash, levelOK)
}

// setUndo keeps the undo of a confirmed change (none for an undo).
func (m *Model) setUndo(msg actionMsg, now time.Time) {
	s := m.rs(msg.token)
	s.undo = nil
	if msg.asked.undo || msg.before.Token == "" {
		return
	}
	s.undo = undoFor(msg.op, msg.before, now)
	s.undoAt = now
}

// applyRoom puts a room the server just confirmed in the list, and marks
// it newer than any list answer already on its way.
func (m *Model) applyRoom(r models.Room) {
	s := m.rs(r.Token)
	s.ver++
	s.confirmedSeq = m.listSeq
	s.gone = false
	lost := m.table.merge([]models.Room{r}, nil)
	m.noteLost(lost)
}

func (m Model) handleReread(msg rereadMsg) (Model, tea.Cmd) {
	s := m.rs(msg.token)
	if s.ver != msg.ver {
		return m, nil // an action's answer came in between: it is newer
	}
	e := m.table.find(msg.token)
	name := msg.token
	if e != nil {
		name = e.name
	}
	if msg.err != nil {
		kind := client.KindOf(msg.err)
		switch kind {
		case client.KindNotFound:
			s.gone = true
			m.needFull = true
		case client.KindUnauthorized:
			m.unauthorized = true
			m.pollGen++
		case client.KindThrottled:
			now := m.c.Now()
			m.pause(msg.err, now)
			return m, tea.Batch(m.schedulePoll(m.pausedUntil.Sub(now)),
				m.setFlash(name+": could not re-read the room: "+client.Message(msg.err), levelErr))
		}
		return m, m.setFlash(name+": could not re-read the room: "+client.Message(msg.err), levelErr)
	}
	m.applyRoom(msg.room)
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
		text = "the server says the lobby stays on until " + m.c.clock(t)
	default:
		text = "the server says the lobby is still on"
	}
	// kept as the room's last outcome: the detail shows it whole
	s.outcome = &outcome{ok: true, op: opLobby, text: text}
	return m, m.setFlash(name+": "+text, levelInfo)
}

// successText words a confirmed change: "lobby on until 15:00 CET, in 25m".
func (m Model) successText(req actionReq, r *models.Room, now time.Time) string {
	if r == nil {
		return "done (the server confirmed without the new state; re-reading the room)"
	}
	switch req.op {
	case opLobby:
		return LobbyOutcome(*r, req.lobby, req.clearTimer, func(t time.Time) string {
			return m.c.clock(t) + ", " + words.Relative(now, t)
		})
	case opSIP:
		return SIPOutcome(*r)
	}
	return "done"
}
