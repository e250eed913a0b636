package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/models"
)

// maybeReadDialIn asks for the dial-in text when the selected room has SIP
// on and its account does not know the text for the current Talk hash.
func (m Model) maybeReadDialIn() tea.Cmd {
	e := m.table.Selected()
	if e == nil || e.Room.SIPEnabled == models.SIPDisabled || m.rooms.state(e.ID).gone {
		return nil
	}
	return m.accts.At(e).AskDialIn(m.c, e.Room.Token)
}
