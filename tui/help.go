package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/tui/datetime"
	"github.com/talkmod/talkmod/tui/words"
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
	// the keys that are off here do not show (syncKeys)
	nav = []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Filter, k.ClearFilter, k.Back}
	e := m.table.selected()
	if e != nil && !m.detailFull {
		nav = append(nav, k.Detail)
	}
	reason := m.actionBlocked(e)
	if reason == "" && m.c.ReadOnly {
		reason = ReadOnlyNote
	}
	if reason != "" {
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

// shortHelpView is the bottom line: the keys that work right now.
func (m Model) shortHelpView() string {
	k := m.c.Keys
	var bs []key.Binding
	switch {
	case m.modal == modalPicker:
		// the picker's keys (enter, x, esc, the fields) are in its box:
		// this line has only what the box does not say
		if m.c.zoneBlocked() == "" {
			bs = append(bs, k.Zone)
		}
		bs = append(bs, k.CtrlCQuit)
	case m.modal == modalSIP, m.modal == modalConfirm, m.modal == modalBulkLobby:
		// the dialog's keys are in its box: said once
		bs = []key.Binding{k.CtrlCQuit}
	case m.filtering:
		bs = []key.Binding{k.KeepFilter, k.ClearFilter, k.FilterMove}
	case m.showHelp:
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
		bs = dropUntilFits(m.help, k, bs, m.c.Width, k.Sort, k.All, k.Zone, k.Refresh, k.Filter)
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
func dropUntilFits(h help.Model, k *KeyMap, bs []key.Binding, width int, drop ...key.Binding) []key.Binding {
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
		out := make([]key.Binding, len(bs))
		for i, b := range bs {
			out[i] = b
			if sb, ok := k.short[b.Help().Key]; ok && b.Enabled() {
				out[i] = sb
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

// helpBodyHeight is the height the help has (header, status and key
// line take the rest).
func (m Model) helpBodyHeight() int { return max(m.c.Height-3, 1) }

// helpMaxOffset is how far the help scrolls (0: it fits).
func (m Model) helpMaxOffset() int {
	return max(strings.Count(m.fullHelpView(), "\n")+1-m.helpBodyHeight(), 0)
}

// scrollHelp scrolls the help on ↑/↓/pgup/pgdn/space when it is longer
// than the screen; false: the key is not a scroll key here.
func (m *Model) scrollHelp(msg tea.KeyMsg) bool {
	most := m.helpMaxOffset()
	if most == 0 || !key.Matches(msg, m.c.Keys.HelpScroll) {
		return false
	}
	page := max(m.helpBodyHeight()-1, 1)
	switch msg.String() {
	case "up", "k":
		m.helpOffset--
	case "down", "j":
		m.helpOffset++
	case "pgup":
		m.helpOffset -= page
	default:
		m.helpOffset += page
	}
	m.helpOffset = min(max(m.helpOffset, 0), most)
	return true
}

// helpPage is the part of the help on screen, its last line saying
// what is below when it does not fit.
func (m Model) helpPage(height int) []string {
	lines := strings.Split(m.fullHelpView(), "\n")
	if len(lines) <= height {
		return lines
	}
	off := min(m.helpOffset, len(lines)-height)
	page := append([]string(nil), lines[off:off+height]...)
	if below := len(lines) - off - height; below > 0 {
		page[height-1] = m.c.Styles.Dim.Render(fit("↓ "+words.Count(below, "more line", "more lines")+" (↓/pgdn scrolls)", m.c.Width))
	}
	return page
}

// maxDialogWidth is the widest a dialog's box gets: on a wide terminal
// its lines stay readable at a glance.
const maxDialogWidth = 96

// modalView renders the open dialog in a box.
func (m Model) modalView() string {
	// the dialog lays itself out in its box's width
	c := m.c
	c.Width = min(c.Width, maxDialogWidth)
	var content string
	switch m.modal {
	case modalPicker:
		content = m.picker.View(c)
	case modalSIP:
		content = m.sip.View(c, m.help)
	case modalConfirm:
		content = m.confirm.View(c, m.help)
	case modalBulkLobby:
		content = m.bulkLobbyView()
	default:
		return ""
	}
	return c.Styles.Modal.Width(c.Width - 2).Render(content)
}
