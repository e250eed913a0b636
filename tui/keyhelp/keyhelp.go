// Package keyhelp is the help of the console's keys: the ? screen, which
// scrolls when it is longer than the terminal, and the key bar at the
// bottom, which gives way on a narrow terminal. What the keys are and
// why some do nothing here is the root's (it knows the screen).
package keyhelp

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/words"
)

// Screen is the ? screen: shown, and its first line on screen.
type Screen struct {
	Show   bool
	Offset int
}

// bodyHeight is the height the help has (header, status and key line
// take the rest).
func bodyHeight(c common.Common) int { return max(c.Height-3, 1) }

// MaxOffset is how far text scrolls (0: it fits).
func (s *Screen) MaxOffset(c common.Common, text string) int {
	return max(strings.Count(text, "\n")+1-bodyHeight(c), 0)
}

// Scroll scrolls text on ↑/↓/pgup/pgdn/space when it is longer than the
// screen; false: the key is not a scroll key here.
func (s *Screen) Scroll(c common.Common, text string, msg tea.KeyMsg) bool {
	most := s.MaxOffset(c, text)
	if most == 0 || !key.Matches(msg, c.Keys.HelpScroll) {
		return false
	}
	page := max(bodyHeight(c)-1, 1)
	switch msg.String() {
	case "up", "k":
		s.Offset--
	case "down", "j":
		s.Offset++
	case "pgup":
		s.Offset -= page
	default:
		s.Offset += page
	}
	s.Offset = min(max(s.Offset, 0), most)
	return true
}

// Page is the part of text on screen, its last line saying what is
// below when it does not fit.
func (s *Screen) Page(c common.Common, text string, height int) []string {
	lines := strings.Split(text, "\n")
	if len(lines) <= height {
		return lines
	}
	off := min(s.Offset, len(lines)-height)
	page := append([]string(nil), lines[off:off+height]...)
	if below := len(lines) - off - height; below > 0 {
		page[height-1] = c.Styles.Dim.Render(common.Fit("↓ "+words.Count(below, "more line", "more lines")+" (↓/pgdn scrolls)", c.Width))
	}
	return page
}

// Width is the width of h.ShortHelpView(bs) without a limit, counted
// rather than rendered (it runs on every View).
func Width(h help.Model, bs []key.Binding) int {
	w, n := 0, 0
	for _, b := range bs {
		if !b.Enabled() {
			continue
		}
		hp := b.Help()
		w += common.Width(hp.Key) + 1 + common.Width(hp.Desc)
		n++
	}
	if n > 1 {
		w += (n - 1) * common.Width(h.ShortSeparator)
	}
	return w
}

// Fit removes the bindings of drop, in that order, until the short help
// of bs fits in width; when it still does not, the keys take their
// short words (k.Short).
func Fit(h help.Model, k *common.KeyMap, bs []key.Binding, width int, drop ...key.Binding) []key.Binding {
	for _, d := range drop {
		if Width(h, bs) <= width {
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
	if Width(h, bs) > width {
		out := make([]key.Binding, len(bs))
		for i, b := range bs {
			out[i] = b
			if sb, ok := k.Short[b.Help().Key]; ok && b.Enabled() {
				out[i] = sb
			}
		}
		bs = out
	}
	return bs
}
