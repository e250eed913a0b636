package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// confirmDialog asks before turning the lobby on while a call runs.
type confirmDialog struct {
	req  actionReq
	name string
}

func (m Model) updateConfirm(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Yes):
		m.modal = modalNone
		e := m.table.find(m.confirm.req.token)
		if reason := m.actionBlocked(e); reason != "" {
			return m, m.setFlash(reason, levelWarn)
		}
		return m.send(m.confirm.req)
	case key.Matches(msg, k.No):
		m.modal = modalNone
		return m, m.setFlash("lobby unchanged: nothing was sent", levelInfo)
	}
	return m, nil
}

func (m Model) confirmView() string {
	st := m.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render(fit("Turn the lobby on · "+m.confirm.name, m.c.Width-4)))
	b.WriteString("\n")
	w := m.c.Width - 4
	text := "A call is running in this conversation. Turning the lobby on removes everyone who is not a moderator from the call."
	if m.confirm.req.timer != nil {
		text += " The lobby opens again at " + m.c.clock(*m.confirm.req.timer) + "."
	}
	b.WriteString(st.Warn.Width(w).Render(text))
	b.WriteString("\n")
	b.WriteString(st.Plain.Render("Turn the lobby on now?"))
	b.WriteString("\n")
	k := m.c.Keys
	b.WriteString(m.help.ShortHelpView([]key.Binding{k.Yes, k.No}))
	return b.String()
}
