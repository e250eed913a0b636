package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"github.com/talkmod/talkmod/tui/bulk"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/datetime"
	"github.com/talkmod/talkmod/tui/dialog"
	"github.com/talkmod/talkmod/tui/keyhelp"
	"github.com/talkmod/talkmod/tui/roomlist"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// keysNow returns the keys that work right now and those that don't (with
// why), for the list screen.
func (m Model) keysNow() (nav, act, other []key.Binding, off []common.Unavailable) {
	k := m.c.Keys
	// the keys that are off here do not show (syncKeys)
	nav = []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Filter, k.ClearFilter, k.Back}
	e := m.table.Selected()
	if e != nil && !m.detailFull {
		nav = append(nav, k.Detail)
	}
	reason := m.actionBlocked(e)
	if reason == "" && m.c.ReadOnly {
		reason = common.ReadOnlyNote
	}
	if reason != "" {
		off = append(off, common.Unavailable{B: k.Lobby, Why: reason}, common.Unavailable{B: k.Timer, Why: reason}, common.Unavailable{B: k.SIP, Why: reason})
	} else {
		act = append(act, k.Lobby, k.Timer)
		if reason := sipBlocked(m.accts.At(e).Caps); reason != "" {
			off = append(off, common.Unavailable{B: k.SIP, Why: reason})
		} else {
			act = append(act, k.SIP)
		}
		if s := m.rooms[e.ID]; s != nil && s.undo != nil {
			act = append(act, k.Undo)
		} else {
			off = append(off, common.Unavailable{B: k.Undo, Why: "no change was made to " + e.Name + " in this console yet"})
		}
	}
	if reason := m.accts.RefreshBlocked(m.c); reason != "" {
		off = append(off, common.Unavailable{B: k.Refresh, Why: reason})
	} else {
		other = append(other, k.Refresh)
	}
	if reason := m.c.ZoneBlocked(); reason != "" {
		off = append(off, common.Unavailable{B: k.Zone, Why: reason})
	} else {
		other = append(other, k.Zone)
	}
	other = append(other, k.Sort, k.All, k.Help, k.Quit)
	fa, foff := m.floor.Keys(k, m.floorSel(e))
	act = append(act, fa...)
	off = append(off, foff...)
	nav, act, off = m.bulk.marks.Keys(m.c.Keys, len(m.bulk.undo), e != nil, nav, act, off)
	if m.c.ReadOnly {
		// a read-only session offers no change key: each is "not
		// available here", with why (the floor's P, E and d, marking)
		for _, b := range act {
			off = append(off, common.Unavailable{B: b, Why: common.ReadOnlyNote})
		}
		act = nil
		kept := nav[:0:0]
		for _, b := range nav {
			if b.Help().Key == k.Mark.Help().Key || b.Help().Key == k.MarkAll.Help().Key {
				off = append(off, common.Unavailable{B: b, Why: common.ReadOnlyNote})
			} else {
				kept = append(kept, b)
			}
		}
		nav = kept
	}
	return nav, act, other, off
}

// shortHelpView is the bottom line: the keys that work right now.
func (m Model) shortHelpView() string {
	k := m.c.Keys
	var bs []key.Binding
	switch {
	case isPicker(m.dialog):
		// the picker's keys (enter, x, esc, the fields) are in its box:
		// this line has only what the box does not say
		if m.c.ZoneBlocked() == "" {
			bs = append(bs, k.Zone)
		}
		bs = append(bs, k.CtrlCQuit)
	case m.dialog != nil:
		// the dialog's keys are in its box: said once
		bs = []key.Binding{k.CtrlCQuit}
	case m.filter.Typing:
		bs = []key.Binding{k.KeepFilter, k.ClearFilter, k.FilterMove}
	case m.help.Show:
		bs = []key.Binding{k.HelpScroll, k.CloseHelp, k.Quit}
	default:
		_, act, other, _ := m.keysNow()
		bs = append(bs, act...)
		if !m.detailFull {
			bs = append(bs, k.Filter)
		}
		bs = append(bs, k.Back, k.ClearFilter)
		bs = append(bs, other...)
		// on a narrow terminal the least used keys give way, so that
		// "? help" and "q quit" stay on screen (? lists them all)
		bs = keyhelp.Fit(m.c.Help, k, bs, m.c.Width, k.Sort, k.All, k.Zone, k.Attendance, k.EndCall, k.Permissions, k.Refresh, k.Filter)
	}
	return m.c.Help.ShortHelpView(bs)
}

// fullHelpView is the ? screen: every key that works here, and the ones
// that don't, with why.
func (m Model) fullHelpView() string {
	st := m.c.Styles
	nav, act, other, off := m.keysNow()
	act, off = m.pageHelpKeys(act, off)
	var b strings.Builder
	b.WriteString(st.Title.Render("Keys"))
	b.WriteString("\n\n")
	b.WriteString(m.c.Help.FullHelpView([][]key.Binding{nav, append(act, other...)}))
	if len(off) > 0 {
		b.WriteString("\n\n")
		b.WriteString(st.Label.Render("Not available here:"))
		for _, u := range off {
			b.WriteString("\n")
			line := u.B.Help().Key + "  " + sanitize.Line(u.Why)
			for i, l := range common.Wrap(line, m.c.Width, "   ") {
				if i > 0 {
					b.WriteString("\n")
				}
				b.WriteString(st.Dim.Render(l))
			}
		}
	}
	b.WriteString("\n\n")
	var pages string
	if m.accts.Multi() {
		pages = "Several accounts: SERVER says whose each room is, / matches it too, r refreshes every account, and each change goes to the room's own server (at most 4 at a time per server). "
	}
	for _, p := range m.pages {
		pages += p.HelpText() + " "
	}
	if t := m.floor.HelpText(); t != "" {
		pages += t + " "
	}
	for i, l := range common.Wrap(pages+bulk.Help+" "+datetime.HelpText+" "+
		"Questions take y only: enter, esc, n and any other key send nothing. "+
		"u undoes your last change on the room; o orders by "+roomlist.SortByName.String()+", "+roomlist.SortByLobby.String()+" or "+roomlist.SortByActivity.String()+".", m.c.Width, "") {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(st.Dim.Render(l))
	}
	return b.String()
}

func isPicker(d dialog.Dialog) bool {
	_, ok := d.(dialog.Picker)
	return ok
}

// pageHelpKeys adds the keys of the pages to the full help's, or says
// why they do nothing on the selected room.
func (m Model) pageHelpKeys(act []key.Binding, off []common.Unavailable) ([]key.Binding, []common.Unavailable) {
	e := m.table.Selected()
	for _, p := range m.pages {
		b := p.Key(m.c.Keys)
		switch {
		case e == nil:
			off = append(off, common.Unavailable{B: b, Why: m.noRoomReason()})
		default:
			if short, _ := p.Refuse(e.Room); short != "" {
				off = append(off, common.Unavailable{B: b, Why: short})
			} else {
				act = append(act, b)
			}
		}
	}
	return act, off
}
