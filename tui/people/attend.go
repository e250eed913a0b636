package people

import (
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/floor"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// The attendance section of the people view: the rows of the attendance
// list d last read for the room (name, email, type: server strings, each
// through the sanitizer), in place of the people while it is shown. d in
// the view shows it once the answer is in; v shows or hides it, esc (or
// p) hides it; ↑/↓, pgup/pgdn, g/G scroll it. It sends nothing: the rows
// are those of the answer d already read (floor.List.Attended).

// attendView is the section's state.
type attendView struct {
	shown bool
	// after is how many answers to d the room had when d was pressed
	// here: the section waits for a newer one (-1: it shows the last
	// list read)
	after int
	// off is the first row on screen; rows how many fit at the last View
	off, rows int
}

// attended is what d read of the view's room.
func (p *Page) attended() floor.Attended { return p.Floor.Attended(p.id) }

// attendKey handles the keys while the section is shown, and v; ok is
// false for a key that is not the section's.
func (p *Page) attendKey(c common.Common, msg tea.KeyMsg) (tea.Cmd, common.Note, bool) {
	k := c.Keys
	a := &p.attend
	if !a.shown {
		if !key.Matches(msg, k.AttendanceList) {
			return nil, common.Note{}, false
		}
		if p.attended().Last.Rows == nil {
			why := "no attendance list read here yet: d reads the running call's list (and writes it to a file)"
			if p.Floor.Dir() == "" {
				why = floor.NoDownloads
			}
			return nil, common.Note{Text: why, Level: common.LevelInfo}, true
		}
		*a = attendView{shown: true, after: -1}
		return nil, common.Note{}, true
	}
	n := len(p.attended().Last.Rows)
	page := a.rows
	if page < 1 {
		page = 1
	}
	switch {
	case key.Matches(msg, k.AttendanceList, k.PeopleBack):
		*a = attendView{}
	case key.Matches(msg, k.Up):
		a.off--
	case key.Matches(msg, k.Down):
		a.off++
	case key.Matches(msg, k.PageUp):
		a.off -= page
	case key.Matches(msg, k.PageDown):
		a.off += page
	case key.Matches(msg, k.Top):
		a.off = 0
	case key.Matches(msg, k.Bottom):
		a.off = n
	case key.Matches(msg, k.Admit, k.Hold, k.Remove, k.AdmitAll, k.GiveFloor, k.TakeFloor, k.Moderator):
		// nothing acts on a person the screen does not show
		return nil, common.Note{Text: "the attendance list is on screen, not the people: v or esc hides it (nothing sent)", Level: common.LevelWarn}, true
	default:
		return nil, common.Note{}, false
	}
	a.off = clampOff(a.off, n, page)
	return nil, common.Note{}, true
}

// clampOff keeps the first row of n on screen, page rows at a time.
func clampOff(off, n, page int) int {
	if off > n-page {
		off = n - page
	}
	if off < 0 {
		off = 0
	}
	return off
}

// attendShow is d pressed in the view: the section shows the answer.
func (p *Page) attendShow() {
	p.attend = attendView{shown: true, after: p.attended().Answers}
}

// attendCols are the widths of name, email and type.
func attendCols(w int) (nw, ew, tw int) {
	nw, ew = 28, 34
	if w >= 110 {
		nw, ew = 40, 50
	}
	return nw, ew, w - nw - ew - 2
}

// attendLines is the section in height lines (nil when it is hidden).
func (p *Page) attendLines(c common.Common, height int) []string {
	a := &p.attend
	if !a.shown {
		return nil
	}
	st := c.Styles
	w := c.Width
	at := p.attended()
	var out []string
	if a.after >= 0 && at.Answers <= a.after {
		return []string{st.Label.Render(common.Fit("Attendance", w)),
			st.Dim.Render(common.Fit("reading the attendance list of the running call…", w))}
	}
	if at.Err != nil {
		text := "✗ attendance list not read: " + client.Message(at.Err)
		switch {
		case at.Fresh:
			text = "✗ attendance list read but not written to a file: " + client.Message(at.Err)
		case client.IsNoCall(at.Err):
			text = "✗ attendance list not read: " + words.NoCall
		case at.Last.Rows != nil:
			text += " (below: the list read before)"
		}
		for i, l := range common.Wrap(sanitize.Line(text), w, "  ") {
			if i == 2 {
				break
			}
			out = append(out, st.Err.Render(common.Fit(l, w)))
		}
		if at.Last.Rows == nil {
			return append([]string{st.Label.Render(common.Fit("Attendance", w))}, out...)
		}
	}
	rows := at.Last.Rows
	nw, ew, tw := attendCols(w)
	avail := height - len(out) - 2
	if avail < 1 {
		avail = 1
	}
	a.rows = avail
	a.off = clampOff(a.off, len(rows), avail)
	end := a.off + avail
	if end > len(rows) {
		end = len(rows)
	}
	who := strconv.Itoa(len(rows)) + " people"
	if len(rows) == 1 {
		who = "1 person"
	}
	title := "Attendance · " + who + ", read " + c.Clock(at.Last.At)
	if len(rows) > avail {
		title += " · " + strconv.Itoa(a.off+1) + "–" + strconv.Itoa(end) + " of " + strconv.Itoa(len(rows))
	}
	title += " · v or esc hides it"
	head := []string{st.Label.Render(common.Fit(title, w)),
		st.Dim.Render(common.Fit(common.Fit("Name", nw)+" "+common.Fit("Email", ew)+" "+common.Fit("Type", tw), w))}
	out = append(head, out...)
	if len(rows) == 0 {
		return append(out, st.Dim.Render(common.Fit("nobody joined the call", w)))
	}
	for _, r := range rows[a.off:end] {
		line := common.Fit(sanitize.Line(r.Name), nw) + " " + common.Fit(sanitize.Line(r.Email), ew) + " " + common.Fit(sanitize.Line(r.Type), tw)
		out = append(out, st.Row.Render(common.Fit(line, w)))
	}
	return out
}

// attendHelpLine is the key line while the section is shown.
func attendHelpLine(c common.Common) string {
	for _, v := range []string{
		"↑/↓ pgup/pgdn g/G scroll · v or esc hides the attendance list · d reads and saves it anew · q quit",
		"↑/↓ scroll · v/esc hide the list · d read anew · q quit",
	} {
		if common.Width(v) <= c.Width {
			return v
		}
	}
	return "↑/↓ scroll · v/esc hide · q"
}
