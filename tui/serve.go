package tui

import (
	"context"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// NewWithContext builds the console whose requests all derive from ctx:
// for talkmod serve, the SSH session's context, so that a disconnect
// cancels every request and poll of that session.
func NewWithContext(ctx context.Context, opts Options) tea.Model { return newModel(ctx, opts) }

// ReadOnlyNote is what every action key says in a read-only session.
const ReadOnlyNote = "read-only session: this key may look but not change anything"

// readOnlyRefuses says whether msg is a key that would change a room (or
// open a dialog to change one) while the console is read-only.
func (m Model) readOnlyRefuses(msg tea.KeyMsg) bool {
	if !m.c.ReadOnly {
		return false
	}
	k := m.c.Keys
	if m.people.open && !m.showHelp {
		pk := peopleKeys
		return key.Matches(msg, pk.Admit, pk.Hold, pk.Remove, pk.AdmitAll)
	}
	return key.Matches(msg, k.Lobby, k.Timer, k.SIP, k.Undo, bulkKeys.Mark, bulkKeys.MarkAll)
}

// refuseReadOnly says "read-only session" for a refused key, and tells
// Options.ReadOnlyRefused.
func (m *Model) refuseReadOnly(msg tea.KeyMsg) tea.Cmd {
	if m.c.readOnlyRefused != nil {
		m.c.readOnlyRefused(msg.String())
	}
	return m.setFlash(ReadOnlyNote, levelWarn)
}
