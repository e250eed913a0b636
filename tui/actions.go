package tui

import (
	"context"
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
	case e == nil:
		return m.noRoomReason()
	case m.backend == nil:
		return "no server to send to"
	case m.unauthorized:
		return "the server refused the login (401): run talkmod login, then start talkmod again"
	case e.greyed:
		return "cannot change " + e.name + ": " + e.why
	}
	if _, busy := m.pending[e.room.Token]; busy {
		return "still waiting for the server's answer about " + e.name + ": wait for it before the next change"
	}
	return ""
}

// sipBlocked says why SIP cannot be switched at all (from the
// capabilities), or "". Room-level reasons are shown as a warning but the
// request is still sent: the server's answer is what counts.
func (m Model) sipBlocked(r models.Room) string {
	caps := m.caps
	switch {
	case caps.Known && !caps.Has(models.FeatureSIP):
		return "this server has no SIP dial-in support"
	case caps.SIPConfigured != nil && !*caps.SIPConfigured:
		return "SIP dial-in is not configured on this server (ask the administrator)"
	case caps.CanEnableSIP != nil && !*caps.CanEnableSIP:
		return "you are not in the groups the administrator allowed to enable SIP dial-in"
	}
	return ""
}

// lobbyToggle is l: off sends state 0; on keeps the room's future timer.
// With a call running, turning the lobby on asks first.
func (m Model) lobbyToggle() (Model, tea.Cmd) {
	e := m.table.selected()
	if reason := m.actionBlocked(e); reason != "" {
		return m, m.setFlash(reason, levelWarn)
	}
	r := e.room
	req := actionReq{token: r.Token, op: opLobby}
	if r.LobbyState == models.LobbyModeratorsOnly {
		req.lobby = models.LobbyNone
		return m.send(req)
	}
	req.lobby = models.LobbyModeratorsOnly
	if t, ok := r.LobbyTimerTime(); ok && t.After(m.c.Now()) {
		req.timer = &t
	}
	return m.maybeConfirm(req, e)
}

// maybeConfirm asks before turning the lobby on in a room with a call.
func (m Model) maybeConfirm(req actionReq, e *entry) (Model, tea.Cmd) {
	if req.op == opLobby && req.lobby == models.LobbyModeratorsOnly &&
		e.room.LobbyState != models.LobbyModeratorsOnly && e.room.HasCall {
		m.modal = modalConfirm
		m.confirm = confirmDialog{req: req, name: e.name}
		return m, nil
	}
	return m.send(req)
}

// send starts an action: the room is pending (spinner, no second action)
// and its previous outcome is gone.
func (m Model) send(req actionReq) (Model, tea.Cmd) {
	if req.op == opLobby && req.timer != nil {
		// last check before anything leaves: the time may have passed
		// while a dialog was open
		if err := datetime.Validate(m.c.Now(), *req.timer); err != nil {
			verr := &client.ValidationError{Field: "timer", Problem: "not sent: the lobby timer " + m.c.clock(*req.timer) + " is refused: " + err.Error()}
			m.outcomes[req.token] = outcome{ok: false, op: req.op, text: client.Message(verr), kind: client.KindOf(verr)}
			return m, m.setFlash(client.Message(verr), levelErr)
		}
	}
	m.pending[req.token] = req.op
	delete(m.outcomes, req.token)
	be, ctx, timeout := m.backend, m.ctx, m.timeout
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
		return actionMsg{token: req.token, op: req.op, asked: req, room: room, err: err}
	}
	return m, cmd
}

func (m Model) handleAction(msg actionMsg) (Model, tea.Cmd) {
	if msg.op == opReread {
		return m.handleReread(msg)
	}
	delete(m.pending, msg.token)
	e := m.table.find(msg.token)
	name := msg.token
	if e != nil {
		name = e.name
	}
	now := m.c.Now()
	if msg.err != nil {
		kind := client.KindOf(msg.err)
		o := outcome{ok: false, op: msg.op, text: client.Message(msg.err), kind: kind}
		m.outcomes[msg.token] = o
		var cmds []tea.Cmd
		switch kind {
		case client.KindUnauthorized:
			m.unauthorized = true
			m.pollGen++ // no more polling: a 401 is never retried
		case client.KindThrottled:
			m.pause(msg.err, now)
			cmds = append(cmds, m.schedulePoll(m.pausedUntil.Sub(now)))
		case client.KindNotFound:
			m.gone[msg.token] = true
			m.needFull = true
		}
		cmds = append(cmds, m.setFlash(name+": "+o.text, levelErr))
		return m, tea.Batch(cmds...)
	}
	if msg.room.Token == "" {
		// a 200 without the room (old servers): read it
		m.ver[msg.token]++
		m.outcomes[msg.token] = outcome{ok: true, op: msg.op, text: m.successText(msg.asked, nil, now)}
		return m, m.getRoomCmd(msg.token)
	}
	m.applyRoom(msg.room)
	text := m.successText(msg.asked, &msg.room, now)
	m.outcomes[msg.token] = outcome{ok: true, op: msg.op, text: text}
	return m, m.setFlash(name+": "+text, levelOK)
}

// applyRoom puts a room the server just confirmed in the list, and marks
// it newer than any list answer already on its way.
func (m *Model) applyRoom(r models.Room) {
	m.ver[r.Token]++
	m.confirmedSeq[r.Token] = m.listSeq
	delete(m.gone, r.Token)
	m.table.merge([]models.Room{r}, nil)
}

func (m Model) handleReread(msg actionMsg) (Model, tea.Cmd) {
	if m.ver[msg.token] != msg.asked.ver {
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
			m.gone[msg.token] = true
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
