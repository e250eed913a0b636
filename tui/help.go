package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/tui/datetime"
)

// unavailable is a key that cannot be used here, with why.
type unavailable struct {
	b   key.Binding
	why string
}

// keysNow returns the keys that work right now and those that don't (with
// why), for the list screen.
func (m Model) keysNow() (nav, act, other []key.Binding, off []unavailable) {
	k := m.c.Keys
	nav = []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Filter}
	if m.filterIn != "" || m.detailFull {
		nav = append(nav, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", m.escHelp())))
	}
	e := m.table.selected()
	if e != nil {
		nav = append(nav, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", m.enterHelp())))
	}
	if reason := m.actionBlocked(e); reason != "" {
		off = append(off, unavailable{k.Lobby, reason}, unavailable{k.Timer, reason}, unavailable{k.SIP, reason})
	} else {
		act = append(act, k.Lobby, k.Timer)
		if reason := m.sipBlocked(e.room); reason != "" {
			off = append(off, unavailable{k.SIP, reason})
		} else {
			act = append(act, k.SIP)
		}
		if s := m.rooms[e.room.Token]; s != nil && s.undo != nil {
			act = append(act, k.Undo)
		} else {
			off = append(off, unavailable{k.Undo, "no change was made to " + e.name + " in this console yet"})
		}
	}
	if reason := m.refreshBlocked(); reason != "" {
		off = append(off, unavailable{k.Refresh, reason})
	} else {
		other = append(other, k.Refresh)
	}
	if reason := m.c.zoneBlocked(); reason != "" {
		off = append(off, unavailable{k.Zone, reason})
	} else {
		other = append(other, k.Zone)
	}
	other = append(other, k.Sort, k.All, k.Help, k.Quit)
	nav, act, off = m.bulkKeysNow(nav, act, off)
	return nav, act, other, off
}

func (m Model) escHelp() string {
	if m.detailFull {
		return "back to the list"
	}
	return "clear filter"
}

func (m Model) enterHelp() string {
	if m.detailFull {
		return "back to the list"
	}
	return "detail"
}

// shortHelpView is the bottom line: the keys that work right now.
func (m Model) shortHelpView() string {
	k := m.c.Keys
	var bs []key.Binding
	switch {
	case m.modal == modalPicker:
		noTimer := key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "no timer"))
		bs = []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "set the timer, lobby on")),
			noTimer, k.Cancel,
		}
		if m.c.zoneBlocked() == "" {
			bs = append(bs, k.Zone)
		}
		bs = append(bs, key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")))
		bs = dropUntilFits(m.help, bs, m.c.Width, noTimer, k.Zone)
	case m.modal == modalSIP:
		bs = []key.Binding{k.DialogUp, k.Apply, k.Cancel}
	case m.modal == modalConfirm:
		bs = confirmKeys(m.c)
	case m.modal == modalBulkLobby:
		bs = bulkLobbyKeys(m.c)
	case m.filtering:
		bs = []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
			key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓", "move")),
		}
	case m.showHelp:
		bs = []key.Binding{key.NewBinding(key.WithKeys("?"), key.WithHelp("any key", "closes the help")), k.Quit}
	default:
		_, act, other, _ := m.keysNow()
		bs = append(bs, act...)
		if m.detailFull {
			bs = append(bs, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "back")))
		} else {
			bs = append(bs, k.Filter)
			if m.filterIn != "" {
				bs = append(bs, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")))
			}
		}
		bs = append(bs, other...)
		// on a narrow terminal the least used keys give way, so that
		// "? help" and "q quit" stay on screen (? lists them all)
		bs = dropUntilFits(m.help, bs, m.c.Width, k.Sort, k.All, k.Zone, k.Refresh, k.Filter)
	}
	return m.help.ShortHelpView(bs)
}

// shortHelpWidth is the width of h.ShortHelpView(bs) without a limit,
// counted rather than rendered (it runs on every View).
func shortHelpWidth(h help.Model, bs []key.Binding) int {
	w, n := 0, 0
	for _, b := range bs {
		if !b.Enabled() {
			continue
		}
		hp := b.Help()
		w += ansi.StringWidth(hp.Key) + 1 + ansi.StringWidth(hp.Desc)
		n++
	}
	if n > 1 {
		w += (n - 1) * ansi.StringWidth(h.ShortSeparator)
	}
	return w
}

// dropUntilFits removes the bindings of drop, in that order, until the
// short help of bs fits in width.
func dropUntilFits(h help.Model, bs []key.Binding, width int, drop ...key.Binding) []key.Binding {
	for _, d := range drop {
		if shortHelpWidth(h, bs) <= width {
			break
		}
		dk := d.Help().Key
		kept := bs[:0:0]
		for _, b := range bs {
			if b.Help().Key != dk {
				kept = append(kept, b)
			}
		}
		bs = kept
	}
	if shortHelpWidth(h, bs) > width {
		// still too wide: the short words
		short := map[string]string{"l": "lobby", "t": "timer", "s": "SIP", "enter": "detail"}
		out := make([]key.Binding, len(bs))
		for i, b := range bs {
			out[i] = b
			if d, ok := short[b.Help().Key]; ok {
				out[i] = key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, d))
			}
		}
		bs = out
	}
	return bs
}

// fullHelpView is the ? screen: every key that works here, and the ones
// that don't, with why.
func (m Model) fullHelpView() string {
	st := m.c.Styles
	nav, act, other, off := m.keysNow()
	act = m.peopleHelpKeys(act, &off)
	var b strings.Builder
	b.WriteString(st.Title.Render("Keys"))
	b.WriteString("\n\n")
	b.WriteString(m.help.FullHelpView([][]key.Binding{nav, append(act, other...)}))
	if len(off) > 0 {
		b.WriteString("\n\n")
		b.WriteString(st.Label.Render("Not available here:"))
		for _, u := range off {
			b.WriteString("\n")
			line := u.b.Help().Key + "  " + sanitizeLine(u.why)
			for i, l := range wrap(line, m.c.Width, "   ") {
				if i > 0 {
					b.WriteString("\n")
				}
				b.WriteString(st.Dim.Render(l))
			}
		}
	}
	b.WriteString("\n\n")
	for i, l := range wrap(peopleHelpText+" "+bulkHelp+" "+datetime.HelpText+" "+
		"Questions take y only: enter, esc, n and any other key send nothing. "+
		"u undoes your last change on the room; o orders by "+sortByName.String()+", "+sortByLobby.String()+" or "+sortByActivity.String()+".", m.c.Width, "") {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(st.Dim.Render(l))
	}
	return b.String()
}

// modalView renders the open dialog in a box.
func (m Model) modalView() string {
	var content string
	switch m.modal {
	case modalPicker:
		content = m.picker.View(m.c)
	case modalSIP:
		content = m.sip.View(m.c, m.help)
	case modalConfirm:
		content = m.confirm.View(m.c, m.help)
	case modalBulkLobby:
		content = m.bulkLobbyView()
	default:
		return ""
	}
	return m.c.Styles.Modal.Width(m.c.Width - 2).Render(content)
}
