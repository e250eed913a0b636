package tui

import (
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// entry is one room with the display strings computed once per change of
// the room (not per key press).
type entry struct {
	room   models.Room
	name   string // sanitized label
	search string // lower-case name and token, for the filter
	typ    string
	// greyed rooms are listed only with "all rooms": the user cannot
	// change them; why says why.
	greyed bool
	why    string
}

func newEntry(r models.Room) *entry {
	e := &entry{room: r, name: sanitize.Line(r.Label())}
	e.search = strings.ToLower(r.Label() + "\x00" + r.Name + "\x00" + r.Token)
	e.typ = words.TypeShort(r.Type)
	if !r.IsWebinarCandidate() {
		e.greyed = true
		e.why = greyReason(r)
	}
	return e
}

// greyReason says why a room is not one the console manages.
func greyReason(r models.Room) string {
	if r.Type != models.ConversationGroup && r.Type != models.ConversationPublic {
		return "a " + words.Type(r.Type) + " conversation has no lobby or phone dial-in"
	}
	if !r.IsModerator() {
		return "you are not a moderator of this conversation (" + words.YouAre(r) + ")"
	}
	if reason := r.LobbyUnavailableReason(); reason != "" {
		return reason
	}
	return "talkmod manages group and public conversations you own or moderate (" + words.YouAre(r) + ")"
}

// lobbyCell is the lobby column (words.LobbyCell): "off", "on",
// "on · opens in 24m".
func lobbyCell(r models.Room, now time.Time) string { return words.LobbyCell(r, now) }

// roomsTable is the list of rooms with its own cursor and offset. It keeps
// every room sorted by last activity and the visible (filtered) subset;
// only the rows on screen are rendered.
type roomsTable struct {
	all     []*entry
	visible []*entry
	cursor  int
	offset  int
	height  int
	showAll bool
	filter  string // lower-case
}

func sortEntries(es []*entry) {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i].room, es[j].room
		if a.LastActivity != b.LastActivity {
			return a.LastActivity > b.LastActivity
		}
		if es[i].name != es[j].name {
			return es[i].name < es[j].name
		}
		return a.Token < b.Token
	})
}

func (t *roomsTable) selected() *entry {
	if t.cursor < 0 || t.cursor >= len(t.visible) {
		return nil
	}
	return t.visible[t.cursor]
}

func (t *roomsTable) find(token string) *entry {
	for _, e := range t.all {
		if e.room.Token == token {
			return e
		}
	}
	return nil
}

// setAll replaces every room (a full list).
func (t *roomsTable) setAll(rooms []models.Room) {
	es := make([]*entry, 0, len(rooms))
	for _, r := range rooms {
		es = append(es, newEntry(r))
	}
	sortEntries(es)
	t.all = es
	t.refilter(false)
}

// merge puts changed rooms in place (a modifiedSince list or one room).
// skip tells which tokens to leave alone.
func (t *roomsTable) merge(rooms []models.Room, skip func(token string) bool) int {
	if len(rooms) == 0 {
		return 0
	}
	pos := make(map[string]int, len(t.all))
	for i, e := range t.all {
		pos[e.room.Token] = i
	}
	all := make([]*entry, len(t.all))
	copy(all, t.all)
	n := 0
	for _, r := range rooms {
		if skip != nil && skip(r.Token) {
			continue
		}
		n++
		if i, ok := pos[r.Token]; ok {
			all[i] = newEntry(r)
			continue
		}
		pos[r.Token] = len(all)
		all = append(all, newEntry(r))
	}
	if n == 0 {
		return 0
	}
	sortEntries(all)
	t.all = all
	t.refilter(false)
	return n
}

func (t *roomsTable) matches(e *entry) bool {
	if e.greyed && !t.showAll {
		return false
	}
	return t.filter == "" || strings.Contains(e.search, t.filter)
}

// refilter recomputes the visible rows, keeping the cursor on the same
// room when it stays visible. narrower says the new filter only removes
// rows (a typed character), so only the visible rows need a look.
func (t *roomsTable) refilter(narrower bool) (stayed bool) {
	var keep string
	if e := t.selected(); e != nil {
		keep = e.room.Token
	}
	src := t.all
	if narrower {
		src = t.visible
	}
	vis := make([]*entry, 0, len(src))
	for _, e := range src {
		if t.matches(e) {
			vis = append(vis, e)
		}
	}
	// the cursor stays on its room; if that room left (filtered out, or
	// no longer one the user moderates), on the row that took its place
	// rather than jumping to the top
	old := t.cursor
	t.visible = vis
	t.cursor = 0
	if keep != "" {
		t.cursor = min(old, len(vis)-1)
		for i, e := range vis {
			if e.room.Token == keep {
				t.cursor = i
				stayed = true
				break
			}
		}
	}
	t.clamp()
	return stayed
}

func (t *roomsTable) setFilter(f string) {
	f = strings.ToLower(f)
	narrower := t.filter != "" && strings.Contains(f, t.filter) || t.filter == "" && f != ""
	if f == t.filter {
		return
	}
	t.filter = f
	if !t.refilter(narrower) {
		t.top() // a new filter starts at its first match
	}
}

func (t *roomsTable) setHeight(h int) {
	if h < 1 {
		h = 1
	}
	t.height = h
	t.clamp()
}

func (t *roomsTable) clamp() {
	if t.cursor >= len(t.visible) {
		t.cursor = len(t.visible) - 1
	}
	if t.cursor < 0 {
		t.cursor = 0
	}
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.height > 0 && t.cursor >= t.offset+t.height {
		t.offset = t.cursor - t.height + 1
	}
	if max := len(t.visible) - t.height; t.offset > max {
		t.offset = max
	}
	if t.offset < 0 {
		t.offset = 0
	}
}

func (t *roomsTable) move(d int) {
	t.cursor += d
	t.clamp()
}

func (t *roomsTable) top()    { t.cursor = 0; t.clamp() }
func (t *roomsTable) bottom() { t.cursor = len(t.visible) - 1; t.clamp() }

// onScreen returns the rows on screen.
func (t *roomsTable) onScreen() []*entry {
	end := t.offset + t.height
	if end > len(t.visible) {
		end = len(t.visible)
	}
	if t.offset >= end {
		return nil
	}
	return t.visible[t.offset:end]
}

// column widths
const (
	colMarker = 2
	colType   = words.TypeWidth
	colSIP    = 6
	colCall   = 4
)

func lobbyWidth(width int) int {
	if width >= 110 {
		return 26
	}
	return 21
}

// fit cuts plain text to w cells and pads it to exactly w.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	if pad := w - ansi.StringWidth(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// rowCtx is what rendering a row needs besides the room.
type rowCtx struct {
	c        Common
	caps     models.Capabilities
	now      time.Time
	pending  map[string]opKind
	outcomes map[string]outcome
	spin     string
	width    int
	// waiting is a room's waiting count once the people view read it.
	waiting func(token string) (int, bool)
}

func (rc rowCtx) waitingOf(token string) (int, bool) {
	if rc.waiting == nil {
		return 0, false
	}
	return rc.waiting(token)
}

func nameWidth(width int) int {
	w := width - colMarker - 1 - colType - 1 - lobbyWidth(width) - 1 - colSIP - 1 - colCall
	if w < 8 {
		w = 8
	}
	return w
}

func (t *roomsTable) headerLine(rc rowCtx) string {
	nw := nameWidth(rc.width)
	line := strings.Repeat(" ", colMarker) + fit("NAME", nw) + " " + fit("TYPE", colType) + " " +
		fit("LOBBY", lobbyWidth(rc.width)) + " " + fit("SIP", colSIP) + " " + fit("CALL", colCall)
	return rc.c.Styles.ColHeader.Render(fit(line, rc.width))
}

// view renders the rows on screen (height lines at most).
func (t *roomsTable) view(rc rowCtx) []string {
	st := rc.c.Styles
	nw := nameWidth(rc.width)
	lw := lobbyWidth(rc.width)
	rows := t.onScreen()
	lines := make([]string, 0, len(rows))
	for i, e := range rows {
		r := e.room
		sel := t.offset+i == t.cursor
		cur := " "
		if sel {
			cur = ">"
		}
		mark, markStyle := " ", st.Plain
		if e.greyed {
			// visible without colour too (NO_COLOR, TERM=dumb)
			mark, markStyle = "·", st.RowGreyed
		}
		if _, ok := rc.pending[r.Token]; ok {
			mark, markStyle = rc.spin, st.Pending
		} else if o, ok := rc.outcomes[r.Token]; ok {
			if o.ok {
				mark, markStyle = "✓", st.OK
			} else {
				mark, markStyle = "✗", st.Err
			}
		}
		call := words.CallCell(r.HasCall)
		lc := lobbyCell(r, rc.now)
		if n, ok := rc.waitingOf(r.Token); ok && r.LobbyState == models.LobbyModeratorsOnly {
			lc += " · " + itoa(n) + " wait"
		}
		text := fit(e.name, nw) + " " + fit(e.typ, colType) + " " + fit(lc, lw) + " " +
			fit(SIPCell(r, rc.caps), colSIP) + " " + fit(call, colCall)
		text = fit(text, rc.width-colMarker)
		style := st.Row
		switch {
		case sel:
			style = st.RowSelected
		case e.greyed:
			style = st.RowGreyed
		}
		if mark == " " {
			// one render per row when there is no marker to colour
			lines = append(lines, style.Render(cur+mark+text))
			continue
		}
		lines = append(lines, style.Render(cur)+markStyle.Render(mark)+style.Render(text))
	}
	return lines
}
