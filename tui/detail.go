package tui

import "github.com/talkmod/talkmod/tui/detail"

// detailPane gathers the detail pane of the selected room.
func (m Model) detailPane() detail.Pane {
	e := m.table.Selected()
	a := m.accts.at(e)
	d := detail.Pane{C: m.c, Entry: e, Caps: a.caps, SIPBlocked: sipBlocked(a.caps)}
	if e == nil {
		d.Empty = m.emptyText()
		if m.table.None {
			d.Empty = "nothing selected: " + m.table.Lost + " left the list; ↑/↓ selects a room"
		}
		return d
	}
	r := e.Room
	st := m.rooms.state(e.ID)
	d.Pending, d.Gone = st.pending != 0, st.gone
	if o := st.outcome; o != nil {
		d.Last = &detail.Outcome{OK: o.ok, Text: o.text}
	}
	if st.undo != nil {
		d.Undo = &st.undo.Change
	}
	if e.Parent != "" {
		d.Parent = m.table.Find(e.Parent)
	}
	if m.accts.multi() {
		d.Account = a.Name
		if a.stale() {
			d.Stale = "not current: "
			switch {
			case a.sync.unauthorized:
				d.Stale += a.unauthorizedWords()
			default:
				d.Stale += a.downWords(m.c, 0)
			}
			if !a.sync.lastRefresh.IsZero() {
				d.Stale += "; last read " + m.c.Clock(a.sync.lastRefresh)
			}
		}
	}
	dial, c, be, sync := a.dialIn, m.c, a.backend, a.sync
	d.Dial = func(full bool) []string { return dial.text(c, be, sync, full) }
	d.Who, d.HasWho = m.people.DetailText(m.c, e.ID, r)
	return d
}
