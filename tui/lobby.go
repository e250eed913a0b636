package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/datetime"
)

// pickerModal is the t dialog: the datetime picker for one room's lobby
// timer. It stays open with the typed value while the time is refused
// before sending; it closes once the request is sent (the answer shows
// beside the room).
type pickerModal struct {
	token string
	name  string
	dt    datetime.Model
	err   string
}

func (m Model) openPicker() (Model, tea.Cmd) {
	e := m.table.selected()
	if reason := m.actionBlocked(e); reason != "" {
		return m, m.setFlash(reason, levelWarn)
	}
	var initial time.Time
	if t, ok := e.room.LobbyTimerTime(); ok && t.After(m.c.Now()) {
		initial = t
	}
	m.modal = modalPicker
	m.picker = pickerModal{
		token: e.room.Token,
		name:  e.name,
		dt:    datetime.New(initial, m.c.Loc(), m.c.Now, m.c.Styles.Picker),
	}
	return m, nil
}

func (m Model) updatePicker(msg tea.KeyMsg) (Model, tea.Cmd) {
	if key.Matches(msg, m.c.Keys.Zone) {
		if reason := m.c.zoneBlocked(); reason != "" {
			m.picker.err = reason
			return m, nil
		}
		m.c.nextZone()
		m.picker.dt = m.picker.dt.SetLocation(m.c.Loc())
		return m, nil
	}
	dt, cmd, out := m.picker.dt.Update(msg)
	m.picker.dt = dt
	switch out {
	case datetime.None:
		if m.picker.err != "" && msg.Type != tea.KeyEnter {
			m.picker.err = ""
		}
		return m, cmd
	case datetime.Cancelled:
		m.modal = modalNone
		return m, tea.Batch(cmd, m.setFlash("lobby timer unchanged: nothing was sent", levelInfo))
	}
	e := m.table.find(m.picker.token)
	if e == nil {
		m.modal = modalNone
		return m, m.setFlash("the conversation left the list: nothing was sent", levelWarn)
	}
	if reason := m.actionBlocked(e); reason != "" {
		m.picker.err = reason
		return m, cmd
	}
	req := actionReq{token: e.room.Token, op: opLobby}
	switch out {
	case datetime.Submitted:
		v := dt.Value()
		if err := datetime.Validate(m.c.Now(), v); err != nil {
			m.picker.err = client.Message(err)
			return m, cmd
		}
		req.lobby = models.LobbyModeratorsOnly
		req.timer = &v
	case datetime.Cleared:
		if e.room.LobbyState != models.LobbyModeratorsOnly && e.room.LobbyTimer <= 0 {
			m.modal = modalNone
			return m, m.setFlash("the lobby is off and has no timer: nothing to remove, nothing sent", levelInfo)
		}
		req.lobby = e.room.LobbyState
		req.clearTimer = true
	}
	m.modal = modalNone
	m2, sendCmd := m.maybeConfirm(req, e)
	return m2, tea.Batch(cmd, sendCmd)
}

func (m Model) pickerView() string {
	st := m.c.Styles
	p := m.picker
	var b strings.Builder
	b.WriteString(st.Title.Render(fit("Lobby timer · "+p.name, m.c.Width-4)))
	b.WriteString("\n")
	hint := "the lobby opens for everyone at this time · z changes the time zone"
	if m.c.zoneBlocked() != "" {
		hint = "the lobby opens for everyone at this time"
	}
	b.WriteString(st.Dim.Render(fit(hint, m.c.Width-4)))
	b.WriteString("\n")
	b.WriteString(p.dt.View())
	if p.err != "" && p.err != p.dt.Err() {
		b.WriteString("\n")
		b.WriteString(st.Err.Render(fit("✗ "+sanitizeLine(p.err), m.c.Width-4)))
	}
	return b.String()
}
