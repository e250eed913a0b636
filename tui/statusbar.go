package tui

import (
	"strconv"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// statusView is the status bar: the last message, else the state of the
// refresh (failed, throttled, logged out), else a count.
func (m Model) statusView(now time.Time) string {
	st := m.c.Styles
	w := m.c.Width
	if m.flash.text != "" {
		text := sanitize.Line(m.flash.text)
		switch m.flash.level {
		case common.LevelErr:
			return st.Err.Render(cutStatus("✗ "+text, w))
		case common.LevelWarn:
			return st.Warn.Render(cutStatus("! "+text, w))
		case common.LevelOK:
			return st.OK.Render(cutStatus("✓ "+text, w))
		}
		return st.OK.Render(cutStatus(text, w))
	}
	if text := m.accts.Trouble(m.c, &m.table); text != "" {
		// several accounts: the one line about the servers that need
		// attention
		return st.Err.Render(cutStatus("✗ "+text, w))
	}
	if s := m.accts[0].Sync; !m.accts.Multi() && s.ListErr != nil {
		text := "refresh failed: "
		if s.ListErrNote != "" {
			text = "refresh failed (" + s.ListErrNote + "): "
		}
		text += sanitize.Line(client.Message(s.ListErr))
		return st.Err.Render(common.Fit("✗ "+text, w))
	}
	if s := m.accts[0].Sync; !m.accts.Multi() && now.Before(s.PausedUntil) {
		return st.Warn.Render(common.Fit("! the server is throttling this address (429): polling paused until "+m.c.Clock(s.PausedUntil), w))
	}
	n := m.pendingCount()
	var text string
	switch {
	case !m.accts.Loaded():
		// no count before the first list: "0 webinars" would be false
		text = "loading the conversations…"
	case m.table.ShowAll:
		text = strconv.Itoa(len(m.table.Visible)) + " of " + words.Count(len(m.table.All), "conversation", "conversations")
	default:
		text = words.Count(len(m.table.Visible), "webinar", "webinars") + " you moderate (a: all " + strconv.Itoa(len(m.table.All)) + ")"
	}
	if n > 0 {
		text += " · " + strconv.Itoa(n) + " waiting for the server"
	}
	return st.Dim.Render(common.Fit(text, w))
}

// statusHint says where the whole of a cut status line is.
const statusHint = "… (whole text: enter, detail)"

// cutStatus fits a status line to w; a line that is cut ends with "…" and
// says where to read it whole (the detail pane of the room).
func cutStatus(s string, w int) string {
	if common.Width(s) <= w {
		return common.Fit(s, w)
	}
	hw := common.Width(statusHint)
	if w < hw+10 {
		return common.Fit(s, w)
	}
	return common.Fit(ansi.Truncate(s, w-hw, "")+statusHint, w)
}
