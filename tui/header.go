package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// headerView: server, user, display zone, when the list was refreshed.
func (m Model) headerView(now time.Time) string {
	st := m.c.Styles
	w := m.c.Width
	user := sanitize.Line(m.user)
	server := sanitize.Line(m.server)
	s := m.accts[0].Sync
	order := m.table.SortBy.Short()
	if m.accts.Multi() {
		s = m.accts.Summary()
		user, server = m.accts.HeaderWords(), ""
		order = "by server, then " + strings.TrimPrefix(order, "by ")
	}
	var refreshed string
	switch {
	case s.ListInflight && !s.Loaded:
		refreshed = "loading…"
	case s.ListErr != nil:
		refreshed = "refresh failed"
		if !s.LastRefresh.IsZero() {
			refreshed = "list of " + s.LastRefresh.In(m.c.Loc()).Format("15:04:05") + " ✗"
		}
	case s.LastRefresh.IsZero():
		refreshed = "not refreshed"
	default:
		refreshed = "refreshed " + s.LastRefresh.In(m.c.Loc()).Format("15:04:05")
	}
	if s.ListInflight && s.Loaded {
		refreshed += " ↻"
	}
	zone := m.c.ZoneLabel()
	if w < 110 {
		zone = m.c.ZoneShort()
	}
	marks := m.bulk.marks.Header()
	right := st.HeaderDim.Render(marks+order+" · ") + st.Zone.Render(zone) + st.HeaderDim.Render(" · "+refreshed)
	// on a narrow terminal the server keeps its place (up to 30 cells of
	// it): the order and the word "refreshed" give way first
	userW := common.Width(user)
	if need := userW + 3 + min(common.Width(server), 30); server != "" && w-common.Width(right)-1 < need {
		right = st.HeaderDim.Render(marks) + st.Zone.Render(zone) + st.HeaderDim.Render(" · "+refreshed)
		if w-common.Width(right)-1 < need {
			right = st.HeaderDim.Render(marks) + st.Zone.Render(zone) + st.HeaderDim.Render(" · "+strings.TrimPrefix(refreshed, "refreshed "))
		}
	}
	// what gives way on a narrow terminal, in order: the "talkmod · "
	// brand, the end of the server URL, the server, the end of the user
	// name; the zone and the refresh time stay
	avail := w - common.Width(right) - 1
	brand := st.Header.Render("talkmod") + st.HeaderDim.Render(" · ")
	brandW := common.Width("talkmod · ")
	var left string
	switch {
	case server == "" && brandW+userW <= avail:
		left = brand + user
	case server != "" && brandW+userW+3+common.Width(server) <= avail:
		left = brand + user + " @ " + server
	case server != "" && userW+3+common.Width(server) <= avail:
		left = user + " @ " + server
	case server != "" && brandW+userW+3+12 <= avail:
		left = brand + user + " @ " + ansi.Truncate(server, avail-brandW-userW-3, "…")
	case server != "" && userW+3+12 <= avail:
		left = user + " @ " + ansi.Truncate(server, avail-userW-3, "…")
	case avail >= 6:
		left = ansi.Truncate(user, avail, "…")
	default:
		return ansi.Truncate(right, w, "…")
	}
	space := w - common.Width(left) - common.Width(right)
	return left + strings.Repeat(" ", max(space, 1)) + right
}
