package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/tui/bulk"
	"github.com/talkmod/talkmod/tui/floor"
	"github.com/talkmod/talkmod/tui/roomlist"
)

// The floor and the call on the room list (tui/floor): P chooses who may
// speak, E ends the call for everyone, d writes the attendance list. The
// floor reads, asks (its dialogs open through dialog.OpenMsg) and sends;
// the root keeps the room's pending change and outcome, as for its own.

// opFloor is a floor change on a room (P or E) on its way.
const opFloor bulk.Op = 101

// floorSel is e as the floor sees it (e nil: none selected): its ID and
// its own account's floor, where every request about it goes.
func (m Model) floorSel(e *roomlist.Entry) floor.Sel {
	s := floor.Sel{Blocked: m.actionBlocked(e)}
	if e != nil {
		s.ID, s.Room, s.Name = e.ID, e.Room, e.Name
		s.Backend = floor.Of(m.accts.At(e).Backend)
	}
	return s
}

// floorMsg gives the floor its messages and its dialogs' answers, and
// records what it answers about a room; ok is false for a message not
// the floor's.
func (m Model) floorMsg(msg tea.Msg) (Model, tea.Cmd, bool) {
	find := func(id string) (floor.Sel, bool) {
		e := m.table.Find(id)
		return m.floorSel(e), e != nil
	}
	selected := ""
	if e := m.table.Selected(); e != nil && m.dialog == nil && m.onScreen() == nil && !m.help.Show {
		selected = e.ID
	}
	a, ok := m.floor.Update(m.c, find, selected, msg)
	if !ok {
		return m, nil, false
	}
	cmds := []tea.Cmd{a.Cmd}
	if a.ClearNote {
		m.flash.clear()
	}
	if a.Sent != "" {
		m.rooms.get(a.Sent).pending = opFloor
	}
	if tok := a.Done; tok != "" { // the room's ID
		s := m.rooms.get(tok)
		if a.Answered {
			s.pending = 0
		}
		o := &outcome{ok: a.Err == nil, op: opFloor, text: a.Text}
		acct := m.accts.Of(tok)
		switch o.kind = client.KindOf(a.Err); {
		case a.Err == nil:
			if a.Room.Token != "" {
				m = m.applyRoom(tok, a.Room)
			}
			if a.Reread {
				cmds = append(cmds, m.rooms.reread(m.c, acct.Backend, tok, rereadNoRoom))
			}
			if a.Answered {
				cmds = append(cmds, m.people.Reread(m.c, m.env(m.people), tok))
			}
		case o.kind == client.KindUnauthorized:
			acct.LoggedOut()
		case o.kind == client.KindNotFound:
			s.gone = true
			acct.Sync.NeedFull = true
		case o.kind == client.KindForbidden:
			// the role may have changed: read the room again
			cmds = append(cmds, m.rooms.reread(m.c, acct.Backend, tok, rereadForbidden))
		}
		m.rooms.get(tok).outcome = o
	}
	if a.Note.Text != "" {
		cmds = append(cmds, m.flash.set(m.c, a.Note.Text, a.Note.Level))
	}
	if m.quitting && m.pendingCount() == 0 {
		cmds = append(cmds, tea.Quit)
	}
	return m, tea.Batch(cmds...), true
}
