package tui

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
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
	// key is the name's sort key; parent the token of the conversation
	// a breakout room belongs to.
	key    string
	parent string
}

func newEntry(r models.Room) *entry {
	e := &entry{room: r, name: sanitize.Line(r.Label())}
	e.key = foldName(r.Label())
	if r.IsBreakoutRoom() {
		e.parent = r.ObjectID
	}
	e.search = strings.ToLower(r.Label() + "\x00" + r.Name + "\x00" + r.Token)
	e.typ = words.TypeShort(r.Type)
	if !r.IsWebinarCandidate() {
		e.greyed = true
		e.why = greyReason(r)
	}
	return e
}

// greyReason says why a room is not one the console manages (the words
// of talkmod rooms --all).
func greyReason(r models.Room) string { return words.CantChange(r, models.Capabilities{}) }

// lobbyCell is the lobby column (words.LobbyCell): "off", "on",
// "on · opens in 24m".
func lobbyCell(r models.Room, now time.Time) string { return words.LobbyCell(r, now) }

// roomsTable is the list of rooms with its own cursor and offset. It keeps
// every room in the chosen order (breakout rooms right under their
// parent) and the visible (filtered) subset; only the rows on screen are
// rendered. The selection is a room (sel, a token), never a row number:
// refreshes, re-sorts and filters keep it; when the room leaves, nothing
// is selected (none) until the user moves.
type roomsTable struct {
	all     []*entry
	visible []*entry
	cursor  int
	offset  int
	height  int
	showAll bool
	filter  string // lower-case
	sortBy  sortMode

	sel string // the selected room's token
	// none: the selected room left the list; nothing is selected and
	// lost names it until the user moves (lostAt is where it was).
	none   bool
	lost   string
	lostAt int
}

// lostRoom is the selected room that left the list with a refresh.
type lostRoom struct {
	token, name string
	// why says why it left, as far as the list tells.
	why string
}

func lessBy(by sortMode, a, b *entry) bool {
	switch by {
	case sortByLobby:
		ta, oka := opensAt(a)
		tb, okb := opensAt(b)
		if oka != okb {
			return oka
		}
		if oka && ta != tb {
			return ta < tb
		}
	case sortByActivity:
		if a.room.LastActivity != b.room.LastActivity {
			return a.room.LastActivity > b.room.LastActivity
		}
	}
	if a.key != b.key {
		return a.key < b.key
	}
	return a.room.Token < b.room.Token
}

// opensAt is when the room's lobby opens by itself, if it does.
func opensAt(e *entry) (int64, bool) {
	r := e.room
	if r.LobbyState == models.LobbyModeratorsOnly && r.LobbyTimer > 0 {
		return r.LobbyTimer, true
	}
	return 0, false
}

// sortEntries orders es by the mode, each breakout room right under its
// parent (breakout rooms of one parent by name).
func sortEntries(es []*entry, by sortMode) {
	present := make(map[string]bool, len(es))
	hasChild := false
	for _, e := range es {
		present[e.room.Token] = true
		if e.parent != "" {
			hasChild = true
		}
	}
	if !hasChild {
		sort.Slice(es, func(i, j int) bool { return lessBy(by, es[i], es[j]) })
		return
	}
	top := make([]*entry, 0, len(es))
	kids := map[string][]*entry{}
	for _, e := range es {
		if e.parent != "" && e.parent != e.room.Token && present[e.parent] {
			kids[e.parent] = append(kids[e.parent], e)
			continue
		}
		top = append(top, e)
	}
	sort.Slice(top, func(i, j int) bool { return lessBy(by, top[i], top[j]) })
	out := es[:0]
	for _, e := range top {
		out = append(out, e)
		if ks := kids[e.room.Token]; len(ks) > 0 {
			sort.Slice(ks, func(i, j int) bool { return lessBy(sortByName, ks[i], ks[j]) })
			out = append(out, ks...)
		}
	}
}

func (t *roomsTable) selected() *entry {
	if t.none || t.cursor < 0 || t.cursor >= len(t.visible) {
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

// setAll replaces every room (a full list). It returns the selected room
// if it left the list.
func (t *roomsTable) setAll(rooms []models.Room) *lostRoom {
	es := make([]*entry, 0, len(rooms))
	for _, r := range rooms {
		es = append(es, newEntry(r))
	}
	sortEntries(es, t.sortBy)
	return t.replace(es)
}

// replace puts a new list in place and reports the selected room if it
// is no longer visible.
func (t *roomsTable) replace(es []*entry) *lostRoom {
	var before *entry
	if !t.none {
		before = t.selected()
	}
	t.all = es
	if t.refilter(false) || before == nil {
		return nil
	}
	// the selected room left: nothing is selected, and the user is told
	lr := &lostRoom{token: before.room.Token, name: before.name}
	now := t.find(before.room.Token)
	switch {
	case now == nil:
		lr.why = "the server no longer lists it for you (you left it, were removed, or it was deleted)"
	case now.greyed:
		lr.why = now.why
		if !now.room.IsModerator() {
			lr.why = "you are no longer a moderator (" + words.YouAre(now.room) + ")"
		}
	default:
		lr.why = "it no longer matches the filter " + quoteFilter(t.filter)
	}
	t.none = true
	t.lost = lr.name
	t.lostAt = t.cursor
	t.cursor = -1
	return lr
}

// merge puts changed rooms in place (a modifiedSince list or one room).
// skip tells which tokens to leave alone. It returns the selected room if
// it left the list.
func (t *roomsTable) merge(rooms []models.Room, skip func(token string) bool) *lostRoom {
	if len(rooms) == 0 {
		return nil
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
		return nil
	}
	sortEntries(all, t.sortBy)
	return t.replace(all)
}

// resort applies a new order (o), keeping the selection.
func (t *roomsTable) resort(by sortMode) {
	t.sortBy = by
	all := append([]*entry(nil), t.all...)
	sortEntries(all, by)
	t.all = all
	t.refilter(false)
	if !t.none {
		// the selected row is shown (it may be far from where it was)
		t.clamp()
	}
}

func (t *roomsTable) matches(e *entry) bool {
	if e.greyed && !t.showAll {
		return false
	}
	return t.filter == "" || strings.Contains(e.search, t.filter)
}

// refilter recomputes the visible rows. The selected room keeps its row
// on screen (the offset follows it) unless it left; then stayed is false
// and the cursor is unchanged (the caller decides). narrower says the
// new filter only removes rows (a typed character), so only the visible
// rows need a look.
func (t *roomsTable) refilter(narrower bool) (stayed bool) {
	src := t.all
	if narrower {
		src = t.visible
	}
	vis := make([]*entry, 0, len(src))
	at := -1
	for _, e := range src {
		if t.matches(e) {
			if !t.none && t.sel != "" && e.room.Token == t.sel {
				at = len(vis)
			}
			vis = append(vis, e)
		}
	}
	t.visible = vis
	if t.none {
		return true // nothing selected: nothing to keep
	}
	if t.sel == "" {
		t.cursor, t.offset = 0, 0
		t.clamp()
		return true
	}
	if at < 0 {
		return false
	}
	row := t.cursor - t.offset
	t.cursor = at
	t.offset = at - row
	t.clamp()
	return true
}

func (t *roomsTable) setFilter(f string) {
	f = strings.ToLower(f)
	narrower := t.filter != "" && strings.Contains(f, t.filter) || t.filter == "" && f != ""
	if f == t.filter {
		return
	}
	t.filter = f
	if t.none {
		// typing a filter is moving: its first match is selected
		t.none, t.lost, t.sel = false, "", ""
		narrower = false
	}
	if !t.refilter(narrower) {
		t.top() // a new filter starts at its first match
	}
}

// setShowAll switches between the rooms the user moderates and all; a
// selected room that is hidden gives way to the first row.
func (t *roomsTable) setShowAll(all bool) {
	t.showAll = all
	if !t.refilter(false) {
		t.top()
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
	if t.none {
		if max := len(t.visible) - t.height; t.offset > max {
			t.offset = max
		}
		if t.offset < 0 {
			t.offset = 0
		}
		return
	}
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
	t.sel = ""
	if t.cursor >= 0 && t.cursor < len(t.visible) {
		t.sel = t.visible[t.cursor].room.Token
	}
}

// wake ends "nothing selected": the user moved.
func (t *roomsTable) wake() bool {
	if !t.none {
		return false
	}
	t.none, t.lost = false, ""
	t.cursor = t.lostAt
	return true
}

func (t *roomsTable) move(d int) {
	if t.wake() {
		// from where the room was: down selects the row that took its
		// place, up the one above
		if d > 0 {
			d--
		}
	}
	t.cursor += d
	t.clamp()
}

func (t *roomsTable) top()    { t.wake(); t.cursor = 0; t.clamp() }
func (t *roomsTable) bottom() { t.wake(); t.cursor = len(t.visible) - 1; t.clamp() }

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
	switch {
	case width >= 110:
		return 26
	case width >= 72:
		return 21
	}
	// a narrow terminal: the name keeps priority; the lobby cell gives
	// way word by word (lobbyFit)
	return 13
}

// colOpens is the OPENS column (the absolute time a lobby opens, as
// talkmod rooms has TIMER): "2026-01-02 15:04:05 +0530" fits whole.
const colOpens = 25

// opensWidth is the OPENS column's width: 0 (none) unless the width
// allows it beside a name of reasonable width.
func opensWidth(width int) int {
	if width >= 100 {
		return colOpens
	}
	return 0
}

// lobbyFit fits a lobby cell to w cells without cutting a word: the
// words give way in order ("opens", the waiting count, the timer) down
// to the state itself.
func lobbyFit(cell, wait string, w int) string {
	if s := cell + wait; ansi.StringWidth(s) <= w {
		return s
	}
	short := strings.Replace(cell, " · opens in ", " · in ", 1)
	for _, s := range []string{short + wait, cell, short} {
		if ansi.StringWidth(s) <= w {
			return s
		}
	}
	state, _, _ := strings.Cut(cell, " · ")
	return state
}

// rowCtx is what rendering a row needs besides the room.
type rowCtx struct {
	c     common.Common
	caps  models.Capabilities
	now   time.Time
	rooms map[string]*roomState
	spin  string
	width int
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
	if ow := opensWidth(width); ow > 0 {
		w -= ow + 1
	}
	if w < 8 {
		w = 8
	}
	return w
}

func (t *roomsTable) headerLine(rc rowCtx) string {
	nw := nameWidth(rc.width)
	line := strings.Repeat(" ", colMarker) + common.Fit("NAME", nw) + " " + common.Fit("TYPE", colType) + " " +
		common.Fit("LOBBY", lobbyWidth(rc.width)) + " "
	if ow := opensWidth(rc.width); ow > 0 {
		line += common.Fit("OPENS", ow) + " "
	}
	line += common.Fit("SIP", colSIP) + " " + common.Fit("CALL", colCall)
	return rc.c.Styles.ColHeader.Render(common.Fit(line, rc.width))
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
		// the all-rooms view greys what talkmod rooms --all lists
		// under CAN'T CHANGE (breakout rooms, tokens with letters…)
		greyed := e.greyed || t.showAll && words.CantChange(r, rc.caps) != ""
		if greyed {
			// visible without colour too (NO_COLOR, TERM=dumb)
			mark, markStyle = "·", st.RowGreyed
		}
		if rs := rc.rooms[r.Token]; rs != nil && rs.pending != 0 {
			mark, markStyle = rc.spin, st.Pending
		} else if rs != nil && rs.outcome != nil {
			if rs.outcome.ok {
				mark, markStyle = "✓", st.OK
			} else {
				mark, markStyle = "✗", st.Err
			}
		}
		name := e.name
		if rs := rc.rooms[r.Token]; rs != nil && rs.marked {
			name = markGlyph + " " + name
		}
		call := words.CallCell(r.HasCall)
		wait := ""
		if n, ok := rc.waitingOf(r.Token); ok && r.LobbyState == models.LobbyModeratorsOnly {
			wait = " · " + strconv.Itoa(n) + " wait"
		}
		lc := lobbyFit(lobbyCell(r, rc.now), wait, lw)
		text := common.Fit(name, nw) + " " + common.Fit(e.typ, colType) + " " + common.Fit(lc, lw) + " "
		if ow := opensWidth(rc.width); ow > 0 {
			opens := ""
			if t, ok := r.LobbyTimerTime(); ok && r.LobbyState == models.LobbyModeratorsOnly {
				opens = rc.c.Clock(t)
			}
			text += common.Fit(opens, ow) + " "
		}
		text += common.Fit(SIPCell(r, rc.caps), colSIP) + " " + common.Fit(call, colCall)
		text = common.Fit(text, rc.width-colMarker)
		style := st.Row
		switch {
		case sel:
			style = st.RowSelected
		case greyed:
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
