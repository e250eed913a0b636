package tui

import (
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// statusView is the status bar: the last message, else the state of the
// refresh (failed, throttled, logged out), else a count.
func (m Model) statusView(now time.Time) string {
	st := m.c.Styles
	w := m.c.Width
	if m.flash.text != "" {
		text := sanitize.Line(m.flash.text)
		switch m.flash.level {
		case levelErr:
			return st.Err.Render(fit("✗ "+text, w))
		case levelWarn:
			return st.Warn.Render(fit("! "+text, w))
		case levelOK:
			return st.OK.Render(fit("✓ "+text, w))
		}
		return st.OK.Render(fit(text, w))
	}
	if m.listErr != nil {
		text := "refresh failed: "
		if m.listErrNote != "" {
			text = "refresh failed (" + m.listErrNote + "): "
		}
		text += sanitize.Line(client.Message(m.listErr))
		return st.Err.Render(fit("✗ "+text, w))
	}
	if now.Before(m.pausedUntil) {
		return st.Warn.Render(fit("! the server is throttling this address (429): polling paused until "+m.c.clock(m.pausedUntil), w))
	}
	n := len(m.pending)
	text := itoa(len(m.table.visible)) + " of " + itoa(len(m.table.all)) + " conversations"
	if !m.table.showAll {
		text = itoa(len(m.table.visible)) + " webinars you moderate (a: all " + itoa(len(m.table.all)) + ")"
	}
	if n > 0 {
		text += " · " + itoa(n) + " waiting for the server"
	}
	return st.Dim.Render(fit(text, w))
}
