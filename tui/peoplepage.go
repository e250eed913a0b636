package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/people"
)

// peopleHelpText explains the people view in the full help.
const peopleHelpText = "In the people view (p): a lets the selected person in, h sends them back to the lobby, x removes them (only y confirms), A lets in everyone waiting, r re-reads, esc goes back."

// peopleEnv is what the people view is told with each call: its room as
// the list has it now.
func (m Model) peopleEnv() people.Env {
	env := people.Env{Backend: m.backend, User: m.user, Spin: common.SpinFrame(m.ticks.frame)}
	env.Room = models.Room{Token: m.people.Token()}
	if e := m.table.Find(m.people.Token()); e != nil {
		env.Room, env.InList = e.Room, true
	}
	if m.backend == nil {
		env.Backend = nil // a nil Backend is no people.Backend either
	}
	return env
}

// openPeople is p: the people view of the selected room.
func (m Model) openPeople() (Model, tea.Cmd) {
	e := m.table.Selected()
	if e == nil {
		return m, m.flash.set(m.c, m.noRoomReason(), common.LevelWarn)
	}
	r := e.Room
	switch {
	case r.Type != models.ConversationGroup && r.Type != models.ConversationPublic:
		return m, m.flash.set(m.c, "a "+r.Type.String()+" conversation has no lobby: the people view is for group and public conversations", common.LevelWarn)
	case !r.IsModerator():
		return m, m.flash.set(m.c, "you are not a moderator of this conversation: only moderators see who waits in the lobby", common.LevelWarn)
	}
	env := m.peopleEnv()
	env.Room, env.InList = r, true
	cmd := m.people.Open(m.c, env)
	return m, cmd
}

// updatePeople gives the people view a message (a key only while it is
// open and no help covers it) and shows what it says.
func (m Model) updatePeople(msg tea.Msg) (Model, tea.Cmd) {
	if km, ok := msg.(tea.KeyMsg); ok && !m.people.Confirming() {
		// q and ? first (a removal waiting for its y takes any key)
		if m.flash.level == common.LevelWarn || m.flash.level == common.LevelErr {
			m.flash.clear()
		}
		switch k := m.c.Keys; {
		case key.Matches(km, k.Quit):
			return m.quit(km)
		case key.Matches(km, k.Help):
			m.help.show, m.help.offset = true, 0 // any key closes it, back to this view
			return m, nil
		}
	}
	cmd, note := m.people.Update(m.c, m.peopleEnv(), msg)
	if note.Text != "" {
		return m, tea.Batch(cmd, m.flash.set(m.c, note.Text, note.Level))
	}
	return m, cmd
}
