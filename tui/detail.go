package tui

import "github.com/talkmod/talkmod/tui/detail"

// detailPane gathers the detail pane of the selected room.
func (m Model) detailPane() detail.Pane {
	e := m.table.Selected()
	a := m.accts.At(e)
	d := detail.Pane{C: m.c, Entry: e, Caps: a.Caps, SIPBlocked: sipBlocked(a.Caps)}
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
	if m.accts.Multi() {
		d.Account = a.Name
		if a.Stale() {
			d.Stale = "not current: "
			switch {
			case a.Sync.Unauthorized:
				d.Stale += a.UnauthorizedWords()
			default:
				d.Stale += a.DownWords(m.c, 0)
			}
			if !a.Sync.LastRefresh.IsZero() {
				d.Stale += "; last read " + m.c.Clock(a.Sync.LastRefresh)
			}
		}
	}
	c := m.c
	d.Dial = func(full bool) []string { return a.DialInText(c, full) }
	d.Who, d.HasWho = m.people.DetailText(m.c, e.ID, r)
	return d
}
