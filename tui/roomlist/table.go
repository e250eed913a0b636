// Package roomlist is the console's room list: the rooms with their
// display strings computed once per list change (Entry), the chosen order
// with breakout rooms under their parent, the filter line, and a selection
// that is a room (a token), never a row number: refreshes, orders and
// filters keep it, and a selected room that leaves the list leaves nothing
// selected until the user moves. Only the rows on screen are rendered.
package roomlist

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// Entry is one room with the display strings computed once per change of
// the room (not per key press).
type Entry struct {
	Room   models.Room
	Name   string // sanitized label
	Search string // lower-case name and token, for the filter
	Typ    string
	// Greyed rooms are listed only with "all rooms": the user cannot
	// change them; Why says why.
	Greyed bool
	Why    string
	// Key is the name's sort key; Parent the token of the conversation
	// a breakout room belongs to.
	Key    string
	Parent string
	// ID is the room's identity in the list (IDOf): its token, or, in
	// a list of several accounts, its account and token. Selection,
	// marks and every per-room state are by ID. Acct is the index of
	// its account (0 with one), Server the account's label for the
	// SERVER column ("" with one account).
	ID     string
	Acct   int
	Server string
}

// IDOf is the identity of the room token of account (account "": the
// token itself, as with one account).
func IDOf(account, token string) string {
	if account == "" {
		return token
	}
	return account + "\x00" + token
}

// TokenOf is the token of a room identity.
func TokenOf(id string) string {
	if i := strings.LastIndexByte(id, 0); i >= 0 {
		return id[i+1:]
	}
	return id
}

// AccountOf is the account of a room identity ("" with one account).
func AccountOf(id string) string {
	if i := strings.LastIndexByte(id, 0); i >= 0 {
		return id[:i]
	}
	return ""
}

// Account is where rooms come from in a list of several accounts: its
// index in the list's order, its name (for IDOf) and label (SERVER).
type Account struct {
	Index       int
	Name, Label string
}

// NewAccountEntry is NewEntry for a room of account a.
func NewAccountEntry(r models.Room, a Account) *Entry {
	e := NewEntry(r)
	if a.Name == "" {
		return e
	}
	e.ID, e.Acct, e.Server = IDOf(a.Name, r.Token), a.Index, sanitize.Line(a.Label)
	if e.Parent != "" {
		e.Parent = IDOf(a.Name, e.Parent)
	}
	e.Search = strings.ToLower(a.Label) + "\x00" + e.Search
	return e
}

// NewEntry computes the display strings of r.
func NewEntry(r models.Room) *Entry {
	e := &Entry{Room: r, Name: sanitize.Line(r.Label()), ID: r.Token}
	e.Key = FoldName(r.Label())
	if r.IsBreakoutRoom() {
		e.Parent = r.ObjectID
	}
	e.Search = strings.ToLower(r.Label() + "\x00" + r.Name + "\x00" + r.Token)
	e.Typ = words.TypeShort(r.Type)
	if !r.IsWebinarCandidate() {
		e.Greyed = true
		e.Why = words.CantChange(r, models.Capabilities{})
	}
	return e
}

// Table is the list of rooms with its own cursor and offset. It keeps
// every room in the chosen order (breakout rooms right under their
// parent) and the visible (filtered) subset; only the rows on screen are
// rendered. The selection is a room (sel, a token), never a row number:
// refreshes, re-sorts and filters keep it; when the room leaves, nothing
// is selected (none) until the user moves.
type Table struct {
	All     []*Entry
	Visible []*Entry
	Cursor  int
	Offset  int
	Height  int
	ShowAll bool
	Filter  string // lower-case
	SortBy  SortMode

	Sel string // the selected room's identity (its token with one account)
	// None: the selected room left the list; nothing is selected and
	// Lost names it until the user moves (LostAt is where it was).
	None   bool
	Lost   string
	LostAt int

	// keys are the search texts of All in one block, in list order, and
	// grey which rooms of All are greyed (index, once per list change):
	// a typed filter key reads them in order, without visiting the
	// entries. vidx are the rows of All that Visible holds (nil: all).
	keys []string
	grey []bool
	vidx []int32
	// servers counts the accounts of All (index), serverW is the
	// longest SERVER label
	servers, serverW int
}

// LostRoom is the selected room that left the list with a refresh.
type LostRoom struct {
	Token, Name string
	// Why says why it left, as far as the list tells.
	Why string
}

func lessBy(by SortMode, a, b *Entry) bool {
	if a.Acct != b.Acct {
		// a server's rooms stay together, in the accounts' order
		return a.Acct < b.Acct
	}
	switch by {
	case SortByLobby:
		ta, oka := opensAt(a)
		tb, okb := opensAt(b)
		if oka != okb {
			return oka
		}
		if oka && ta != tb {
			return ta < tb
		}
	case SortByActivity:
		if a.Room.LastActivity != b.Room.LastActivity {
			return a.Room.LastActivity > b.Room.LastActivity
		}
	}
	if a.Key != b.Key {
		return a.Key < b.Key
	}
	return a.ID < b.ID
}

// opensAt is when the room's lobby opens by itself, if it does.
func opensAt(e *Entry) (int64, bool) {
	r := e.Room
	if r.LobbyState == models.LobbyModeratorsOnly && r.LobbyTimer > 0 {
		return r.LobbyTimer, true
	}
	return 0, false
}

// sortEntries orders es by the mode, each breakout room right under its
// parent (breakout rooms of one parent by name).
func sortEntries(es []*Entry, by SortMode) {
	present := make(map[string]bool, len(es))
	hasChild := false
	for _, e := range es {
		present[e.ID] = true
		if e.Parent != "" {
			hasChild = true
		}
	}
	if !hasChild {
		sort.Slice(es, func(i, j int) bool { return lessBy(by, es[i], es[j]) })
		return
	}
	top := make([]*Entry, 0, len(es))
	kids := map[string][]*Entry{}
	for _, e := range es {
		if e.Parent != "" && e.Parent != e.ID && present[e.Parent] {
			kids[e.Parent] = append(kids[e.Parent], e)
			continue
		}
		top = append(top, e)
	}
	sort.Slice(top, func(i, j int) bool { return lessBy(by, top[i], top[j]) })
	out := es[:0]
	for _, e := range top {
		out = append(out, e)
		if ks := kids[e.ID]; len(ks) > 0 {
			sort.Slice(ks, func(i, j int) bool { return lessBy(SortByName, ks[i], ks[j]) })
			out = append(out, ks...)
		}
	}
}

func (t *Table) Selected() *Entry {
	if t.None || t.Cursor < 0 || t.Cursor >= len(t.Visible) {
		return nil
	}
	return t.Visible[t.Cursor]
}

// Find is the room whose identity is id (its token with one account).
func (t *Table) Find(id string) *Entry {
	for _, e := range t.All {
		if e.ID == id {
			return e
		}
	}
	return nil
}

// SetAll replaces every room (a full list). It returns the selected room
// if it left the list.
func (t *Table) SetAll(rooms []models.Room) *LostRoom {
	return t.SetAccount(Account{}, rooms)
}

// SetAccount replaces every room of account a (a full list of it); the
// other accounts' rooms stay as they are.
func (t *Table) SetAccount(a Account, rooms []models.Room) *LostRoom {
	es := make([]*Entry, 0, len(rooms)+len(t.All))
	if a.Name != "" {
		for _, e := range t.All {
			if e.Acct != a.Index {
				es = append(es, e)
			}
		}
	}
	for _, r := range rooms {
		es = append(es, NewAccountEntry(r, a))
	}
	sortEntries(es, t.SortBy)
	return t.replace(es)
}

// Servers is the number of accounts whose rooms the list holds (0 or 1:
// one account, no SERVER column).
func (t *Table) Servers() int {
	if len(t.keys) != len(t.All) {
		t.index()
	}
	return t.servers
}

// serverWidth is the SERVER column's width (0: no column).
func (t *Table) serverWidth(width int) int {
	if t.Servers() < 2 && t.serverW == 0 {
		return 0
	}
	return min(max(t.serverW, len("SERVER")), 20, max(width/6, 8))
}

// replace puts a new list in place and reports the selected room if it
// is no longer visible.
func (t *Table) replace(es []*Entry) *LostRoom {
	var before *Entry
	if !t.None {
		before = t.Selected()
	}
	t.All = es
	t.index()
	if t.refilter(false) || before == nil {
		return nil
	}
	// the selected room left: nothing is selected, and the user is told
	lr := &LostRoom{Token: before.ID, Name: before.Name}
	now := t.Find(before.ID)
	switch {
	case now == nil:
		lr.Why = "the server no longer lists it for you (you left it, were removed, or it was deleted)"
	case now.Greyed:
		lr.Why = now.Why
		if !now.Room.IsModerator() {
			lr.Why = "you are no longer a moderator (" + words.YouAre(now.Room) + ")"
		}
	default:
		lr.Why = "it no longer matches the filter " + QuoteFilter(t.Filter)
	}
	t.None = true
	t.Lost = lr.Name
	t.LostAt = t.Cursor
	t.Cursor = -1
	return lr
}

// Merge puts changed rooms in place (a modifiedSince list or one room).
// skip tells which tokens to leave alone. It returns the selected room if
// it left the list.
func (t *Table) Merge(rooms []models.Room, skip func(token string) bool) *LostRoom {
	return t.MergeAccount(Account{}, rooms, skip)
}

// MergeAccount is Merge for rooms of account a; skip is given their
// identities (IDOf).
func (t *Table) MergeAccount(a Account, rooms []models.Room, skip func(id string) bool) *LostRoom {
	if len(rooms) == 0 {
		return nil
	}
	pos := make(map[string]int, len(t.All))
	for i, e := range t.All {
		pos[e.ID] = i
	}
	all := make([]*Entry, len(t.All))
	copy(all, t.All)
	n := 0
	for _, r := range rooms {
		id := IDOf(a.Name, r.Token)
		if skip != nil && skip(id) {
			continue
		}
		n++
		if i, ok := pos[id]; ok {
			all[i] = NewAccountEntry(r, a)
			continue
		}
		pos[id] = len(all)
		all = append(all, NewAccountEntry(r, a))
	}
	if n == 0 {
		return nil
	}
	sortEntries(all, t.SortBy)
	return t.replace(all)
}

// Resort applies a new order (o), keeping the selection.
func (t *Table) Resort(by SortMode) {
	t.SortBy = by
	all := append([]*Entry(nil), t.All...)
	sortEntries(all, by)
	t.All = all
	t.index()
	t.refilter(false)
	if !t.None {
		// the selected row is shown (it may be far from where it was)
		t.Clamp()
	}
}

func (t *Table) Matches(e *Entry) bool {
	if e.Greyed && !t.ShowAll {
		return false
	}
	return t.Filter == "" || strings.Contains(e.Search, t.Filter)
}

// refilter recomputes the visible rows. The selected room keeps its row
// on screen (the offset follows it) unless it left; then stayed is false
// and the cursor is unchanged (the caller decides). narrower says the
// new filter only removes rows (a typed character), so only the visible
// rows need a look.
func (t *Table) refilter(narrower bool) (stayed bool) {
	if len(t.keys) != len(t.All) {
		t.index()
	}
	sel := t.selEntry()
	src := t.vidx
	n := len(t.All)
	if narrower && src != nil {
		n = len(src)
	} else {
		src = nil // every row of All
	}
	// vis and vidx are the source rows themselves while every row
	// matches (a broad key allocates nothing); made at the first row
	// that does not
	var vis []*Entry
	var vidx []int32
	at, kept := -1, 0
	f, all := t.Filter, t.ShowAll
	for j := 0; j < n; j++ {
		i := j
		if src != nil {
			i = int(src[j])
		}
		if (!t.grey[i] || all) && (f == "" || strings.Contains(t.keys[i], f)) {
			e := t.All[i]
			if e == sel {
				at = kept
			}
			if vis != nil {
				vis = append(vis, e)
				vidx = append(vidx, int32(i))
			}
			kept++
			continue
		}
		if vis == nil {
			vis = make([]*Entry, 0, n)
			vidx = make([]int32, 0, n)
			for k := 0; k < j; k++ {
				r := k
				if src != nil {
					r = int(src[k])
				}
				vis = append(vis, t.All[r])
				vidx = append(vidx, int32(r))
			}
		}
	}
	if vis == nil {
		// every source row: the slices are never written in place
		if src == nil {
			vis, vidx = t.All[:n:n], nil
		} else {
			vis, vidx = t.Visible[:n:n], src[:n:n]
		}
	}
	t.vidx = vidx
	t.Visible = vis
	if t.None {
		return true // nothing selected: nothing to keep
	}
	if t.Sel == "" {
		t.Cursor, t.Offset = 0, 0
		t.Clamp()
		return true
	}
	if at < 0 {
		return false
	}
	row := t.Cursor - t.Offset
	t.Cursor = at
	t.Offset = at - row
	t.Clamp()
	return true
}

// index puts the search texts of All in one block, in list order.
func (t *Table) index() {
	size := 0
	for _, e := range t.All {
		size += len(e.Search)
	}
	var b strings.Builder
	b.Grow(size)
	for _, e := range t.All {
		b.WriteString(e.Search)
	}
	block := b.String()
	t.keys = make([]string, len(t.All))
	t.grey = make([]bool, len(t.All))
	off := 0
	for i, e := range t.All {
		t.keys[i] = block[off : off+len(e.Search)]
		off += len(e.Search)
		t.grey[i] = e.Greyed
	}
	t.vidx = []int32{} // Visible is not yet of this list
	seen := map[int]bool{}
	t.serverW = 0
	for _, e := range t.All {
		if e.Server != "" {
			seen[e.Acct] = true
			t.serverW = max(t.serverW, common.Width(e.Server))
		}
	}
	t.servers = len(seen)
}

// selEntry is the selected room's entry in All (nil: none selected).
func (t *Table) selEntry() *Entry {
	if t.None || t.Sel == "" {
		return nil
	}
	if c := t.Cursor; c >= 0 && c < len(t.Visible) && t.Visible[c].ID == t.Sel {
		if e := t.Visible[c]; t.vidx == nil || len(t.vidx) == len(t.Visible) && t.All[t.vidx[c]] == e {
			return e
		}
	}
	return t.Find(t.Sel)
}

// SetFilter filters the list by f (lower-cased); a filter that only adds
// to the last one looks at the visible rows only.
func (t *Table) SetFilter(f string) {
	f = strings.ToLower(f)
	narrower := t.Filter != "" && strings.Contains(f, t.Filter) || t.Filter == "" && f != ""
	if f == t.Filter {
		return
	}
	t.Filter = f
	if t.None {
		// typing a filter is moving: its first match is selected
		t.None, t.Lost, t.Sel = false, "", ""
		narrower = false
	}
	if !t.refilter(narrower) {
		t.Top() // a new filter starts at its first match
	}
}

// SetShowAll switches between the rooms the user moderates and all; a
// selected room that is hidden gives way to the first row.
func (t *Table) SetShowAll(all bool) {
	t.ShowAll = all
	if !t.refilter(false) {
		t.Top()
	}
}

func (t *Table) SetHeight(h int) {
	if h < 1 {
		h = 1
	}
	t.Height = h
	t.Clamp()
}

func (t *Table) Clamp() {
	if t.None {
		if max := len(t.Visible) - t.Height; t.Offset > max {
			t.Offset = max
		}
		if t.Offset < 0 {
			t.Offset = 0
		}
		return
	}
	if t.Cursor >= len(t.Visible) {
		t.Cursor = len(t.Visible) - 1
	}
	if t.Cursor < 0 {
		t.Cursor = 0
	}
	if t.Cursor < t.Offset {
		t.Offset = t.Cursor
	}
	if t.Height > 0 && t.Cursor >= t.Offset+t.Height {
		t.Offset = t.Cursor - t.Height + 1
	}
	if max := len(t.Visible) - t.Height; t.Offset > max {
		t.Offset = max
	}
	if t.Offset < 0 {
		t.Offset = 0
	}
	t.Sel = ""
	if t.Cursor >= 0 && t.Cursor < len(t.Visible) {
		t.Sel = t.Visible[t.Cursor].ID
	}
}

// wake ends "nothing selected": the user moved.
func (t *Table) wake() bool {
	if !t.None {
		return false
	}
	t.None, t.Lost = false, ""
	t.Cursor = t.LostAt
	return true
}

func (t *Table) Move(d int) {
	if t.wake() {
		// from where the room was: down selects the row that took its
		// place, up the one above
		if d > 0 {
			d--
		}
	}
	t.Cursor += d
	t.Clamp()
}

// Update moves the selection on ↑/↓, pgup/pgdn, g/G; false: msg is not
// a key of the list.
func (t *Table) Update(k *common.KeyMap, msg tea.KeyMsg) bool {
	switch {
	case key.Matches(msg, k.Up):
		t.Move(-1)
	case key.Matches(msg, k.Down):
		t.Move(1)
	case key.Matches(msg, k.PageUp):
		t.Move(-t.Height)
	case key.Matches(msg, k.PageDown):
		t.Move(t.Height)
	case key.Matches(msg, k.Top):
		t.Top()
	case key.Matches(msg, k.Bottom):
		t.Bottom()
	default:
		return false
	}
	return true
}

// Top selects the first row; Bottom the last.
func (t *Table) Top()    { t.wake(); t.Cursor = 0; t.Clamp() }
func (t *Table) Bottom() { t.wake(); t.Cursor = len(t.Visible) - 1; t.Clamp() }

// OnScreen returns the rows on screen.
func (t *Table) OnScreen() []*Entry {
	end := t.Offset + t.Height
	if end > len(t.Visible) {
		end = len(t.Visible)
	}
	if t.Offset >= end {
		return nil
	}
	return t.Visible[t.Offset:end]
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
	if s := cell + wait; common.Width(s) <= w {
		return s
	}
	short := strings.Replace(cell, " · opens in ", " · in ", 1)
	for _, s := range []string{short + wait, cell, short} {
		if common.Width(s) <= w {
			return s
		}
	}
	state, _, _ := strings.Cut(cell, " · ")
	return state
}

// RowState is what the console keeps about a room that its row shows.
type RowState struct {
	Pending bool // a change is on its way (the spinner)
	Done    bool // the last change has an answer
	OK      bool // and it was a success
	Marked  bool // marked for a bulk change
}

// RowCtx is what rendering a row needs besides the room.
type RowCtx struct {
	C    common.Common
	Caps models.Capabilities
	Now  time.Time
	Spin string
	// State is a room's row state (nil: none).
	State func(token string) RowState
	// Waiting is a room's waiting count once the people view read it,
	// by the room's ID (IDOf).
	Waiting func(id string) (int, bool)
	// Stale says an account's rooms are not current (its server does
	// not answer): they are greyed (nil: all current).
	Stale func(acct int) bool
	// CapsOf is an account's capabilities (nil: Caps for all).
	CapsOf func(acct int) models.Capabilities
}

// fitLeft fits s in w cells, cut from the left ("…example.com": the end
// of a host name tells servers apart).
func fitLeft(s string, w int) string {
	if common.Width(s) <= w {
		return common.Fit(s, w)
	}
	r := []rune(s)
	for len(r) > 0 && common.Width(string(r))+1 > w {
		r = r[1:]
	}
	return common.Fit("…"+string(r), w)
}

// MarkGlyph is the mark in a marked room's row.
const MarkGlyph = "●"

// QuoteFilter shows a typed filter, made safe (a paste can hold anything).
func QuoteFilter(s string) string { return "\"" + sanitize.Line(s) + "\"" }

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

// HeaderLine is the line of column names.
func (t *Table) HeaderLine(rc RowCtx) string {
	nw := nameWidth(rc.C.Width)
	line := strings.Repeat(" ", colMarker)
	if sw := t.serverWidth(rc.C.Width); sw > 0 {
		nw = max(nw-sw-1, 8)
		line += common.Fit("SERVER", sw) + " "
	}
	line += common.Fit("NAME", nw) + " " + common.Fit("TYPE", colType) + " " +
		common.Fit("LOBBY", lobbyWidth(rc.C.Width)) + " "
	if ow := opensWidth(rc.C.Width); ow > 0 {
		line += common.Fit("OPENS", ow) + " "
	}
	line += common.Fit("SIP", colSIP) + " " + common.Fit("CALL", colCall)
	return rc.C.Styles.ColHeader.Render(common.Fit(line, rc.C.Width))
}

// View renders the rows on screen (height lines at most).
func (t *Table) View(rc RowCtx) []string {
	st := rc.C.Styles
	nw := nameWidth(rc.C.Width)
	lw := lobbyWidth(rc.C.Width)
	sw := t.serverWidth(rc.C.Width)
	if sw > 0 {
		nw = max(nw-sw-1, 8)
	}
	rows := t.OnScreen()
	lines := make([]string, 0, len(rows))
	for i, e := range rows {
		r := e.Room
		sel := t.Offset+i == t.Cursor
		cur := " "
		if sel {
			cur = ">"
		}
		mark, markStyle := " ", st.Plain
		// the all-rooms view greys what talkmod rooms --all lists
		// under CAN'T CHANGE (breakout rooms, tokens with letters…)
		caps := rc.Caps
		if rc.CapsOf != nil {
			caps = rc.CapsOf(e.Acct)
		}
		greyed := e.Greyed || t.ShowAll && words.CantChange(r, caps) != ""
		// a room of a server that does not answer shows its last state
		stale := rc.Stale != nil && rc.Stale(e.Acct)
		if greyed || stale {
			// visible without colour too (NO_COLOR, TERM=dumb)
			mark, markStyle = "·", st.RowGreyed
		}
		var rs RowState
		if rc.State != nil {
			rs = rc.State(e.ID)
		}
		if rs.Pending {
			mark, markStyle = rc.Spin, st.Pending
		} else if rs.Done {
			if rs.OK {
				mark, markStyle = "✓", st.OK
			} else {
				mark, markStyle = "✗", st.Err
			}
		}
		name := e.Name
		if rs.Marked {
			name = MarkGlyph + " " + name
		}
		call := words.CallCell(r.HasCall)
		wait := ""
		if n, ok := rc.waiting(e.ID); ok && r.LobbyState == models.LobbyModeratorsOnly {
			wait = " · " + strconv.Itoa(n) + " wait"
		}
		lc := lobbyFit(words.LobbyCell(r, rc.Now), wait, lw)
		text := ""
		if sw > 0 {
			text = fitLeft(e.Server, sw) + " "
		}
		text += common.Fit(name, nw) + " " + common.Fit(e.Typ, colType) + " " + common.Fit(lc, lw) + " "
		if ow := opensWidth(rc.C.Width); ow > 0 {
			opens := ""
			if t, ok := r.LobbyTimerTime(); ok && r.LobbyState == models.LobbyModeratorsOnly {
				opens = rc.C.Clock(t)
			}
			text += common.Fit(opens, ow) + " "
		}
		text += common.Fit(words.SIPCell(r), colSIP) + " " + common.Fit(call, colCall)
		text = common.Fit(text, rc.C.Width-colMarker)
		style := st.Row
		switch {
		case sel:
			style = st.RowSelected
		case greyed || stale:
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

func (rc RowCtx) waiting(id string) (int, bool) {
	if rc.Waiting == nil {
		return 0, false
	}
	return rc.Waiting(id)
}
