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

// readOnlyRefuses says whether msg is a key that would change a room (or
// open a dialog to change one) while the console is read-only.
func (m Model) readOnlyRefuses(msg tea.KeyMsg) bool {
	if !m.c.ReadOnly {
		return false
	}
	k := m.c.Keys
	if p := m.onScreen(); p != nil && !m.help.Show {
		return p.Changes(k, msg)
	}
	return key.Matches(msg, k.Lobby, k.Timer, k.SIP, k.Undo, k.Mark, k.MarkAll, k.Permissions, k.EndCall, k.Attendance)
}
