package tui

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// The people view (p on a room): who waits in the lobby, who is in the
// call, who is let in, the moderators, who is not connected; a lets the
// selected person in, h sends them back to the lobby, x removes them
// (y-only confirm), A lets in everyone waiting now. The list is re-read
// every PeopleInterval while the view is open and at once after each
// action; answers older than the newest are dropped.

// PeopleInterval is how often the people view re-reads the participants.
const PeopleInterval = 5 * time.Second

// peopleKeyMap holds the people view's own keys.
type peopleKeyMap struct {
	Open, Close, Up, Down, Top, Bottom, PageUp, PageDown key.Binding
	Admit, Hold, Remove, AdmitAll, Reread, Yes           key.Binding
}

var peopleKeys = peopleKeyMap{
	Open:     key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "people")),
	Close:    key.NewBinding(key.WithKeys("esc", "p"), key.WithHelp("esc", "back")),
	Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
	Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
	Top:      key.NewBinding(key.WithKeys("g", "home")),
	Bottom:   key.NewBinding(key.WithKeys("G", "end")),
	PageUp:   key.NewBinding(key.WithKeys("pgup")),
	PageDown: key.NewBinding(key.WithKeys("pgdown")),
	Admit:    key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "let in")),
	Hold:     key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "back to lobby")),
	Remove:   key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "remove")),
	AdmitAll: key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "let in all waiting")),
	Reread:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-read")),
	Yes:      key.NewBinding(key.WithKeys("y")),
}

// personAct is what an action on a person does.
type personAct int

const (
	actAdmit personAct = iota + 1
	actHold
	actRemove
)

func (a personAct) pendingWord() string {
	switch a {
	case actAdmit:
		return "letting in…"
	case actHold:
		return "sending back…"
	}
	return "removing…"
}

func (a personAct) failWord() string {
	switch a {
	case actAdmit:
		return "not let in: "
	case actHold:
		return "not sent back: "
	}
	return "not removed: "
}

// peopleReadMsg is the answer of Participants.
type peopleReadMsg struct {
	token  string
	seq    int
	people []models.Participant
	err    error
}

// peopleTickMsg is the 5 s re-read timer; gen drops replaced timers.
type peopleTickMsg struct{ gen int }

// peopleActMsg is the answer of an action on a person.
type peopleActMsg struct {
	token  string
	act    personAct
	before models.Participant
	err    error
}

// personOutcome is the last answer to an action on a person.
type personOutcome struct {
	ok   bool
	text string
}

// peopleCount is what the last read of a room counted, and when.
type peopleCount struct {
	waiting, inCall, total int
	at                     time.Time
}

// peopleState is the people view and the counts it leaves behind.
type peopleState struct {
	open    bool
	token   string
	people  []models.Participant // the last read applied, in view order
	loaded  bool
	readErr error
	readAt  time.Time
	reqSeq  int
	gotSeq  int
	gen     int
	paused  time.Time // a 429: no reads until then
	stopped string    // why polling stopped ("" while it runs)
	// halted: an answer that re-reading would only repeat (401, 403,
	// 404, 412) stopped the 5 s re-reads; r reads again, and a good
	// answer starts them again
	halted   bool
	sel      int64 // the selected attendee id (never a row)
	selName  string
	selIdx   int   // where the selected person was (for one who left)
	confirm  int64 // the attendee a removal waits a y for (0: none)
	outcomes map[int64]personOutcome
	pending  map[int64]personAct
	names    map[int64]string // names of people acted on, kept when they leave
	// counts by room token, from the last read (for the list and detail)
	counts map[string]peopleCount
}

// peopleBackend is the part of Backend the people view uses.
type peopleBackend interface {
	Participants(ctx context.Context, token string) ([]models.Participant, error)
	SetAttendeePermissions(ctx context.Context, token string, attendeeID int64, method client.PermissionMethod, permissions int) (models.Participant, error)
	RemoveAttendee(ctx context.Context, token string, attendeeID int64) error
}

var _ peopleBackend = (Backend)(nil)

// peopleRoom is the room of the open view, from the room list.
func (m Model) peopleRoom() (models.Room, bool) {
	if e := m.table.find(m.people.token); e != nil {
		return e.room, true
	}
	return models.Room{Token: m.people.token}, false
}

// openPeople opens the people view of the selected room.
func (m Model) openPeople() (Model, tea.Cmd) {
	e := m.table.selected()
	if e == nil {
		return m, m.setFlash(m.noRoomReason(), levelWarn)
	}
	r := e.room
	switch {
	case r.Type != models.ConversationGroup && r.Type != models.ConversationPublic:
		return m, m.setFlash("a "+r.Type.String()+" conversation has no lobby: the people view is for group and public conversations", levelWarn)
	case !r.IsModerator():
		return m, m.setFlash("you are not a moderator of this conversation: only moderators see who waits in the lobby", levelWarn)
	}
	counts := m.people.counts
	if counts == nil {
		counts = map[string]peopleCount{}
	}
	m.people = peopleState{
		open: true, token: r.Token, counts: counts, gen: m.people.gen + 1, reqSeq: m.people.reqSeq,
		outcomes: map[int64]personOutcome{}, pending: map[int64]personAct{}, names: map[int64]string{},
	}
	m.people.gotSeq = m.people.reqSeq
	m.floor.people.Reset()
	// the commands change m: made before m is returned
	cmd := tea.Batch(m.peopleRead(), m.after(PeopleInterval, peopleTickMsg{gen: m.people.gen}))
	return m, cmd
}

// closePeople closes the view; its timer is dropped by its generation.
func (m *Model) closePeople() {
	m.people.open = false
	m.people.confirm = 0
	m.people.gen++
}

// peopleRead asks for the participants (seq numbers drop stale answers).
func (m *Model) peopleRead() tea.Cmd {
	be, ok := m.backend.(peopleBackend)
	if !ok || be == nil {
		return nil
	}
	m.people.reqSeq++
	seq, token := m.people.reqSeq, m.people.token
	return m.request(func(ctx context.Context) tea.Msg {
		ps, err := be.Participants(ctx, token)
		return peopleReadMsg{token: token, seq: seq, people: ps, err: err}
	})
}

// updatePeople handles the people view's messages.
func (m Model) updatePeople(msg tea.Msg) (Model, tea.Cmd) {
	p := &m.people
	now := m.c.Now()
	switch msg := msg.(type) {
	case peopleTickMsg:
		if !p.open || msg.gen != p.gen {
			return m, nil // closed, or replaced
		}
		if _, ok := m.peopleRoom(); !ok {
			p.stopped = "the conversation left the list: not re-reading"
			return m, nil
		}
		if p.halted {
			return m, nil
		}
		if now.Before(p.paused) {
			return m, m.after(p.paused.Sub(now), peopleTickMsg{gen: p.gen})
		}
		cmd := tea.Batch(m.peopleRead(), m.after(PeopleInterval, peopleTickMsg{gen: p.gen}))
		return m, cmd
	case peopleReadMsg:
		if !p.open || msg.token != p.token || msg.seq <= p.gotSeq {
			return m, nil // closed, another room, or older than the newest
		}
		p.gotSeq = msg.seq
		if msg.err != nil {
			p.readErr = msg.err
			switch client.KindOf(msg.err) {
			case client.KindThrottled:
				p.pause(msg.err, now)
			case client.KindUnauthorized, client.KindForbidden, client.KindNotFound, client.KindPrecondition:
				// asking again every 5 s would only repeat it (and 401s
				// and 404s count toward the server's lock-out)
				p.halted = true
			}
			return m, nil
		}
		var resume tea.Cmd
		if p.halted {
			p.halted = false
			resume = m.after(PeopleInterval, peopleTickMsg{gen: p.gen})
		}
		room, _ := m.peopleRoom()
		p.readErr = nil
		p.loaded = true
		p.readAt = now
		p.people = sortPeople(msg.people, room)
		p.counts[p.token] = countPeople(room, p.people, now)
		if p.sel == 0 && len(p.people) > 0 {
			p.sel = p.people[0].AttendeeID
		}
		if i := p.index(p.sel); i >= 0 {
			p.selIdx = i
			p.selName = PersonName(p.people[i])
		}
		return m, resume
	case peopleActMsg:
		delete(p.pending, msg.before.AttendeeID)
		if msg.token != p.token {
			return m, nil
		}
		if msg.err != nil {
			p.outcomes[msg.before.AttendeeID] = personOutcome{text: msg.act.failWord() + client.Message(msg.err)}
			if client.KindOf(msg.err) == client.KindThrottled {
				p.pause(msg.err, now)
				return m, nil // no re-read into the throttle
			}
		} else {
			var text string
			switch msg.act {
			case actAdmit:
				text = AdmitOutcome(msg.before)
			case actHold:
				text = HoldOutcome(msg.before)
			default:
				text = RemoveOutcome(msg.before)
			}
			p.outcomes[msg.before.AttendeeID] = personOutcome{ok: true, text: text}
		}
		var flashCmd tea.Cmd
		if msg.act == actRemove && msg.err == nil {
			// the row goes with the person: say it below too
			flashCmd = m.setFlash(PersonName(msg.before)+": "+p.outcomes[msg.before.AttendeeID].text, levelOK)
		}
		if !p.open {
			return m, flashCmd
		}
		read := m.peopleRead() // the answer never says where the person is
		return m, tea.Batch(flashCmd, read)
	}
	return m, nil
}

// peopleKey handles a key while the people view is open.
func (m Model) peopleKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	p := &m.people
	k := peopleKeys
	if p.confirm != 0 {
		// y removes; every other key is no
		id := p.confirm
		p.confirm = 0
		if key.Matches(msg, k.Yes) {
			if who, ok := p.find(id); ok {
				cmd := m.personAction(actRemove, who)
				return m, cmd
			}
			return m, m.setFlash(p.nameOf(id)+" is no longer in the conversation: nothing removed", levelWarn)
		}
		return m, m.setFlash("kept "+p.nameOf(id)+": nothing removed", levelInfo)
	}
	if m.flash.level == levelWarn || m.flash.level == levelErr {
		m.flash = flash{}
	}
	if m2, cmd, ok := m.floorPeopleKey(msg); ok {
		return m2, cmd
	}
	// (the too-small screen is handled by the root's handleKey first)
	switch {
	case key.Matches(msg, k.Close):
		m.closePeople()
		return m, nil
	case key.Matches(msg, m.c.Keys.Quit):
		return m.quit(msg)
	case key.Matches(msg, m.c.Keys.Help):
		m.showHelp, m.helpOffset = true, 0 // any key closes it, back to this view
		return m, nil
	case key.Matches(msg, k.Up):
		p.move(-1)
	case key.Matches(msg, k.Down):
		p.move(1)
	case key.Matches(msg, k.PageUp):
		p.move(-10)
	case key.Matches(msg, k.PageDown):
		p.move(10)
	case key.Matches(msg, k.Top):
		p.move(-len(p.people) - 1)
	case key.Matches(msg, k.Bottom):
		p.move(len(p.people) + 1)
	case key.Matches(msg, k.Reread):
		if p.stopped != "" {
			return m, m.setFlash(p.stopped, levelWarn)
		}
		cmd := m.peopleRead()
		return m, cmd
	case key.Matches(msg, k.Admit), key.Matches(msg, k.Hold), key.Matches(msg, k.Remove):
		who, ok := p.find(p.sel)
		switch {
		case p.sel == 0:
			return m, m.setFlash("nobody is selected", levelWarn)
		case !ok:
			return m, m.setFlash(p.nameOf(p.sel)+" is no longer in the conversation (left or removed): nothing sent", levelWarn)
		case p.pending[p.sel] != 0:
			return m, m.setFlash("waiting for the server's answer about "+PersonName(who), levelWarn)
		}
		switch {
		case key.Matches(msg, k.Admit):
			cmd := m.personAction(actAdmit, who)
			return m, cmd
		case key.Matches(msg, k.Hold):
			cmd := m.personAction(actHold, who)
			return m, cmd
		case isSelf(who, m.user):
			// removing yourself means leaving; the last user's leaving
			// deletes the conversation
			return m, m.setFlash("that is you: to leave the conversation, use Talk itself (nothing sent)", levelWarn)
		}
		p.confirm = who.AttendeeID
		p.names[who.AttendeeID] = PersonName(who)
		return m, nil
	case key.Matches(msg, k.AdmitAll):
		room, _ := m.peopleRoom()
		var cmds []tea.Cmd
		for _, who := range p.people {
			if SectionOf(who, room) == SectionWaiting && p.pending[who.AttendeeID] == 0 {
				cmds = append(cmds, m.personAction(actAdmit, who))
			}
		}
		if len(cmds) == 0 {
			return m, m.setFlash("nobody is waiting in the lobby", levelInfo)
		}
		return m, tea.Batch(cmds...)
	}
	return m, nil
}

// personAction sends one action on one person.
func (m *Model) personAction(act personAct, who models.Participant) tea.Cmd {
	be, ok := m.backend.(peopleBackend)
	if !ok || be == nil {
		return nil
	}
	p := &m.people
	p.pending[who.AttendeeID] = act
	p.names[who.AttendeeID] = PersonName(who)
	delete(p.outcomes, who.AttendeeID)
	token, ctx, timeout := p.token, m.ctx, m.timeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		var err error
		switch act {
		case actAdmit:
			_, err = be.SetAttendeePermissions(ctx, token, who.AttendeeID, client.PermissionAdd, models.PermissionIgnoreLobby)
		case actHold:
			_, err = be.SetAttendeePermissions(ctx, token, who.AttendeeID, client.PermissionRemove, models.PermissionIgnoreLobby)
		default:
			err = be.RemoveAttendee(ctx, token, who.AttendeeID)
		}
		return peopleActMsg{token: token, act: act, before: who, err: err}
	}
}

// isSelf reports the logged-in user's own entry.
func isSelf(p models.Participant, user string) bool {
	return user != "" && p.ActorType == models.ActorUsers && strings.EqualFold(p.ActorID, user)
}

func sortPeople(ps []models.Participant, room models.Room) []models.Participant {
	secs := make([]Section, len(ps))
	names := make([]string, len(ps))
	idx := make([]int, len(ps))
	for i := range ps {
		secs[i], names[i], idx[i] = SectionOf(ps[i], room), strings.ToLower(PersonName(ps[i])), i
	}
	sort.Slice(idx, func(a, b int) bool {
		i, j := idx[a], idx[b]
		if secs[i] != secs[j] {
			return secs[i] < secs[j]
		}
		if names[i] != names[j] {
			return names[i] < names[j]
		}
		return ps[i].AttendeeID < ps[j].AttendeeID
	})
	out := make([]models.Participant, len(ps))
	for k, i := range idx {
		out[k] = ps[i]
	}
	return out
}

func countPeople(room models.Room, ps []models.Participant, at time.Time) peopleCount {
	c := peopleCount{total: len(ps), at: at}
	for _, p := range ps {
		switch SectionOf(p, room) {
		case SectionWaiting:
			c.waiting++
		case SectionInCall:
			c.inCall++
		}
	}
	return c
}

// pause stops the re-reads after a 429, for the server's Retry-After or
// the console's throttle pause.
func (p *peopleState) pause(err error, now time.Time) { p.paused = throttledUntil(err, now) }

func (p *peopleState) index(id int64) int {
	for i, q := range p.people {
		if q.AttendeeID == id {
			return i
		}
	}
	return -1
}

func (p *peopleState) find(id int64) (models.Participant, bool) {
	if i := p.index(id); i >= 0 {
		return p.people[i], true
	}
	return models.Participant{}, false
}

func (p *peopleState) nameOf(id int64) string {
	if n, ok := p.names[id]; ok {
		return n
	}
	if who, ok := p.find(id); ok {
		return PersonName(who)
	}
	if id == p.sel && p.selName != "" {
		return p.selName
	}
	return "#" + strconv.FormatInt(id, 10)
}

// move moves the selection by d people; from someone who left it starts
// where they were.
func (p *peopleState) move(d int) {
	if len(p.people) == 0 {
		return
	}
	i := p.index(p.sel)
	if i < 0 {
		i = p.selIdx
		if d > 0 {
			d-- // the person below took the place of the one who left
		}
	}
	i += d
	if i < 0 {
		i = 0
	}
	if i >= len(p.people) {
		i = len(p.people) - 1
	}
	p.sel = p.people[i].AttendeeID
	p.selIdx = i
	p.selName = PersonName(p.people[i])
}

// peopleWaiting is the waiting count of a room, once read (the list
// shows it while the room's lobby is on).
func (m Model) peopleWaiting(token string) (int, bool) {
	c, ok := m.people.counts[token]
	return c.waiting, ok
}

// peopleDetailText is the detail pane's line of counts, once read:
// "3 waiting · 41 in call · 60 people, read 15:35 CET (p: who)".
func (m Model) peopleDetailText(r models.Room) (string, bool) {
	c, ok := m.people.counts[r.Token]
	if !ok {
		return "", false
	}
	return CountsText(r.LobbyState == models.LobbyModeratorsOnly, c.waiting, c.inCall, c.total) +
		", read " + m.c.clock(c.at) + " (p: who)", true
}

// peopleHelpLine replaces the short help while the view is open.
func (m Model) peopleHelpLine() string {
	st := m.c.Styles
	text := "a let in · h back to lobby · x remove · A let in all waiting · esc back · q quit"
	if m.people.confirm != 0 {
		text = "y removes · any other key keeps them"
	} else {
		text = m.floorPeopleHelp(text)
	}
	return st.Dim.Render(fit(text, m.c.Width))
}

// column widths of the people view
func peopleCols(w int) (name, kind, state int) {
	if w >= 110 {
		return 30, 12, 22
	}
	return 21, 11, 18 // "participant" whole at 80 columns
}

// peopleView renders the view in height lines.
func (m Model) peopleView(now time.Time, height int) string {
	st := m.c.Styles
	p := m.people
	w := m.c.Width
	room, inList := m.peopleRoom()
	name := sanitize.Line(room.Label())
	var head []string
	title := st.Title.Render(ansi.Truncate("People · "+name, w*2/3, "…"))
	sum := "  lobby " + room.LobbyState.String()
	if p.loaded {
		sum += " · " + PeopleCounts(room, p.people)
	}
	head = append(head, title+st.Dim.Render(ansi.Truncate(sum, w-ansi.StringWidth(title), "…")))
	var status string
	stStyle := st.Dim
	again := "again in 5 s"
	if p.halted {
		again = "stopped; r tries again"
	}
	switch {
	case !inList || p.stopped != "":
		status, stStyle = "the conversation left the list: not re-reading", st.Warn
	case now.Before(p.paused):
		status, stStyle = "not re-reading: the server is throttling this address (429) until "+m.c.clock(p.paused), st.Warn
	case p.readErr != nil && p.loaded:
		status, stStyle = "✗ could not re-read ("+again+"): "+client.Message(p.readErr)+"; the list is of "+p.readAt.In(m.c.Loc()).Format("15:04:05"), st.Err
	case p.readErr != nil:
		status, stStyle = "✗ could not read the people ("+again+"): "+client.Message(p.readErr), st.Err
	case !p.loaded:
		status = "reading the people…"
	default:
		status = "read " + p.readAt.In(m.c.Loc()).Format("15:04:05") + ", again every 5 s"
	}
	for i, l := range wrap(sanitize.Line(status), w, "  ") {
		if i == 2 {
			break // two lines at most: the list matters more
		}
		head = append(head, stStyle.Render(fit(l, w)))
	}
	if p.confirm != 0 {
		q := "Remove " + p.nameOf(p.confirm) + " from " + name + "? They leave the conversation and its call. y removes · any other key keeps them"
		for _, l := range wrap(sanitize.Line(q), w, "  ") {
			head = append(head, st.Warn.Render(fit(l, w)))
		}
	}
	head = append(head, m.floorPeopleHead(name)...)
	if _, ok := p.find(p.sel); !ok && p.sel != 0 && p.loaded {
		head = append(head, st.Warn.Render(fit("> "+p.nameOf(p.sel)+" (#"+strconv.FormatInt(p.sel, 10)+") is no longer in the conversation (left or removed)", w)))
	}

	// the sections: first what each line is, then only the lines on
	// screen are rendered (a webinar can have thousands of people)
	nw, kw, sw, rw := m.floorCols(peopleCols(w))
	type item struct {
		header string
		q      *models.Participant
		sec    Section
	}
	var items []item
	selItem := -1
	if p.loaded {
		bySec := make([][]int, sectionCount)
		for i := range p.people {
			s := SectionOf(p.people[i], room)
			bySec[s] = append(bySec[s], i)
		}
		for s := Section(0); s < sectionCount; s++ {
			list := bySec[s]
			if s == SectionConnected && len(list) == 0 {
				continue
			}
			h := s.Title() + " (" + strconv.Itoa(len(list)) + ")"
			if s == SectionLetIn {
				h += " · skip the lobby"
			}
			items = append(items, item{header: h})
			for _, i := range list {
				if p.people[i].AttendeeID == p.sel {
					selItem = len(items)
				}
				items = append(items, item{q: &p.people[i], sec: s})
			}
		}
	}
	avail := height - len(head)
	if avail < 1 {
		avail = 1
	}
	var selRow string
	var selFull []string
	if selItem >= 0 {
		selRow, selFull = m.personRow(*items[selItem].q, room, items[selItem].sec, nw, kw, sw, rw, now)
	}
	// the window: from the top, or ending with the selected person and
	// the whole of their outcome
	off := 0
	if selItem >= 0 && selItem+len(selFull) >= avail {
		off = selItem + len(selFull) - avail + 1
	}
	lines := head
	for i := off; i < len(items) && len(lines) < height; i++ {
		it := items[i]
		switch {
		case it.q == nil:
			lines = append(lines, st.Label.Render(fit(it.header, w)))
		case i == selItem:
			// the whole outcome under the selected person when the row
			// had to cut it
			lines = append(lines, selRow)
			lines = append(lines, selFull...)
		default:
			row, _ := m.personRow(*it.q, room, it.sec, nw, kw, sw, rw, now)
			lines = append(lines, row)
		}
	}
	if len(lines) > height {
		lines = lines[:height]
	}
	return strings.Join(lines, "\n")
}

// personRow renders one person, and the lines of the whole outcome when
// the row cuts it.
func (m Model) personRow(q models.Participant, room models.Room, s Section, nw, kw, sw, rw int, now time.Time) (string, []string) {
	st := m.c.Styles
	p := m.people
	sel := q.AttendeeID == p.sel
	cur := "  "
	if sel {
		cur = "> "
	}
	var marks string
	switch s {
	case SectionInCall:
		marks = CallMarks(q)
		if q.HeldInCall(room) {
			marks = "not let in · " + marks
		}
	case SectionWaiting:
		if t := q.LastSeen(); !t.IsZero() {
			marks = "seen " + m.c.clock(t)
		}
	case SectionLetIn, SectionModerator:
		if q.Connected() {
			marks = "connected"
		} else {
			marks = "not connected"
		}
	case SectionConnected:
		marks = "connected"
	}
	text := fit(PersonName(q), nw) + " " + fit(q.Kind(), kw) + " " + fit(marks, sw) + " " + m.floorRights(q, rw)
	rest := m.c.Width - 2 - ansi.StringWidth(text)
	var out string
	outStyle := st.Dim
	if act, busy := p.pending[q.AttendeeID]; busy {
		out, outStyle = spinFrame(m.spinFrame)+" "+act.pendingWord(), st.Pending
	} else if o, ok := p.outcomes[q.AttendeeID]; ok {
		if o.ok {
			out, outStyle = "✓ "+o.text, st.OK
		} else {
			out, outStyle = "✗ "+o.text, st.Err
		}
	} else if text, how, ok := m.floorRowStatus(q); ok {
		out, outStyle = text, map[string]lipgloss.Style{"pending": st.Pending, "ok": st.OK, "err": st.Err, "warn": st.Warn}[how]
	}
	style := st.Row
	if sel {
		style = st.RowSelected
	}
	out = sanitize.Line(out)
	var full []string
	if ansi.StringWidth(out) > rest {
		for _, l := range wrap(out, m.c.Width-4, "  ") {
			full = append(full, outStyle.Render(fit("    "+l, m.c.Width)))
		}
	}
	return style.Render(cur+text) + outStyle.Render(fit(out, rest)), full
}

// peopleHelpText explains the people view in the full help.
const peopleHelpText = "In the people view (p): a lets the selected person in, h sends them back to the lobby, x removes them (only y confirms), A lets in everyone waiting, r re-reads, esc goes back."

// peopleHelpKeys adds p to the full help's keys, or says why it does
// nothing on the selected room.
func (m Model) peopleHelpKeys(act []key.Binding, off *[]unavailable) []key.Binding {
	e := m.table.selected()
	switch {
	case e == nil:
		*off = append(*off, unavailable{peopleKeys.Open, m.noRoomReason()})
	case e.room.Type != models.ConversationGroup && e.room.Type != models.ConversationPublic:
		*off = append(*off, unavailable{peopleKeys.Open, "a " + e.room.Type.String() + " conversation has no lobby"})
	case !e.room.IsModerator():
		*off = append(*off, unavailable{peopleKeys.Open, "you are not a moderator of this conversation"})
	default:
		act = append(act, peopleKeys.Open)
	}
	return act
}

// callRemovals says, when the people view has read the room, how many
// people turning its lobby on would take out of the call (in the call,
// neither a moderator nor let in): "" when that is not known.
func (m Model) callRemovals(token string) string {
	p := m.people
	if p.token != token || !p.loaded {
		return ""
	}
	n := 0
	for _, q := range p.people {
		if q.InCallNow() && !q.IsModerator() && !q.LetIn() {
			n++
		}
	}
	who := itoa(n) + " people"
	if n == 1 {
		who = "1 person"
	}
	return who + ", as the people view read it at " + m.c.clock(p.readAt)
}
