package tui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/tui/sanitize"
)

func itoa(i int) string { return strconv.Itoa(i) }

// sanitizeLine passes untrusted text through the one sanitizer.
func sanitizeLine(s string) string { return sanitize.Line(s) }

// sanitizeInput shows what the user typed, made safe the same way (a paste
// can hold anything).
func sanitizeInput(s string) string { return sanitize.Line(s) }

// headerView: server, user, display zone, when the list was refreshed.
func (m Model) headerView(now time.Time) string {
	st := m.c.Styles
	w := m.c.Width
	who := sanitize.Line(m.user)
	if m.server != "" {
		who += " @ " + sanitize.Line(m.server)
	}
	left := st.Header.Render("talkmod") + st.HeaderDim.Render(" · ") + who
	var refreshed string
	switch {
	case m.listInflight && !m.loaded:
		refreshed = "loading…"
	case m.listErr != nil:
		refreshed = "refresh failed"
		if !m.lastRefresh.IsZero() {
			refreshed = "list of " + m.lastRefresh.In(m.c.Loc()).Format("15:04:05") + " ✗"
		}
	case m.lastRefresh.IsZero():
		refreshed = "not refreshed"
	default:
		refreshed = "refreshed " + m.lastRefresh.In(m.c.Loc()).Format("15:04:05")
	}
	if m.listInflight && m.loaded {
		refreshed += " ↻"
	}
	zone := m.c.ZoneLabel()
	if w < 110 {
		zone = m.c.ZoneShort()
	}
	right := st.Zone.Render(zone) + st.HeaderDim.Render(" · "+refreshed)
	space := w - ansi.StringWidth(left) - ansi.StringWidth(right)
	if space < 1 {
		// keep the zone and the refresh time; cut the account
		avail := w - ansi.StringWidth(right) - 1
		if avail < 10 {
			return ansi.Truncate(right, w, "…")
		}
		left = ansi.Truncate(left, avail, "…")
		space = w - ansi.StringWidth(left) - ansi.StringWidth(right)
	}
	return left + strings.Repeat(" ", max(space, 1)) + right
}
