package tui

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/words"
)

// Bulk changes (issue 10): marks, one dialog and one confirmation for all
// marked rooms, then one request per room with at most bulkLimit in
// flight, each row showing its own spinner and outcome.
//
// The limit is kept by the model itself: a bulk run sends bulkLimit
// requests (each an ordinary send, answered by an actionMsg) and sends the
// next one as each answer arrives, so the rule holds whatever order tea
// runs the commands in. The stop rule is client.Batch's: a 429 or a 401
// (client.StopsBatch) sends nothing more, and the rooms not sent get a
// *client.NotSentError. Nothing is retried.

// bulkLimit is the number of requests of a bulk change in flight at most
// (the commands' limit too).
const bulkLimit = client.DefaultBatchLimit

// markGlyph is the mark in a marked room's row.
const markGlyph = "●"

// modalBulkLobby is l with marks: lobby on or off for all marked rooms.
const modalBulkLobby modalKind = 100

type bulkKeyMap struct {
	Mark, MarkAll, Unmark key.Binding
}

// bulkKeys are the keys of marks; l, t, s and u act on the marked rooms.
var bulkKeys = bulkKeyMap{
	Mark:    key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "mark/unmark")),
	MarkAll: key.NewBinding(key.WithKeys("*"), key.WithHelp("*", "mark all shown")),
	Unmark:  key.NewBinding(key.WithKeys("U"), key.WithHelp("U/esc", "clear marks")),
}

// bulkState is the console's bulk bookkeeping besides the marks (which
// are per room, in roomState).
type bulkState struct {
	// run is the bulk change on its way (nil: none).
	run *bulkRun
	// choosing: the open picker or SIP chooser is for the marked rooms.
	choosing bool
	// lobbyCursor is the choice of the l dialog (0 on, 1 off).
	lobbyCursor int
	// undo are the rooms the last bulk change changed (u restores them
	// as a batch); cleared by any single change made after it.
	undo []string
	// undoWhat words that change ("lobby on").
	undoWhat string
	// nMarked counts the marked rooms (kept by setMark, clearMarks and
	// recountMarks, so that a key press does not count 10,000 rooms).
	nMarked int
	// summaryFlash is the id of the flash holding the last summary (a
	// note about marks is added to it rather than replacing it).
	summaryFlash int
}

// bulkRun is a bulk change being sent.
type bulkRun struct {
	what     string
	undo     bool
	queue    []actionReq
	inflight map[string]bool
	total    int
	changed  []string
	fails    map[string]int
	order    []string // fail words in the order first seen
	notSent  int
	skipped  int
	stop     error
}

// bulkSkip is a marked room the change is not sent to, with why.
type bulkSkip struct{ token, name, why string }

// bulkPlan is what a bulk change will send: the payload of its one
// confirmation (a pointer: payloads are compared).
type bulkPlan struct {
	title   string
	what    string // "lobby on, opens 10:00 CET"
	items   []actionReq
	names   []string // of items, in order
	hidden  int      // items hidden by the filter
	skipped []bulkSkip
	calls   []string // rooms whose running call loses its non-moderators
	drops   []string // rooms whose future timer is dropped: "Name (10:00 CET)"
	undo    bool
}

// bulkTarget is what the dialog chose.
type bulkTarget struct {
	op       opKind
	lobby    models.LobbyState
	timer    *time.Time
	clear    bool // the picker's x
	sip      models.SIPState
	sipLabel string
}

// markCount is the number of marked rooms.
func (m Model) markCount() int { return m.bulk.nMarked }

// recountMarks counts the marks again (after a list change).
func (m *Model) recountMarks() {
	n := 0
	for _, s := range m.rooms {
		if s.marked {
			n++
		}
	}
	m.bulk.nMarked = n
}

// marked returns the marked rooms in list order.
func (m Model) marked() []*entry {
	if m.markCount() == 0 {
		return nil
	}
	var out []*entry
	for _, e := range m.table.all {
		if s := m.rooms[e.room.Token]; s != nil && s.marked {
			out = append(out, e)
		}
	}
	return out
}

// markedNames is the marks before an update that may change the list
// (nil for other messages): token → name.
func (m Model) markedNames(msg tea.Msg) map[string]string {
	if m.bulk.nMarked == 0 || !isListChange(msg) {
		return nil
	}
	var out map[string]string
	for tok, s := range m.rooms {
		if s.marked {
			if out == nil {
				out = map[string]string{}
			}
			out[tok] = s.markName
		}
	}
	return out
}

// syncMarks drops the marks of rooms that left the list (or that the user
// can no longer change) and says so by name; before is markedNames.
func (m *Model) syncMarks(before map[string]string) {
	if len(before) == 0 {
		return
	}
	defer m.recountMarks()
	present := make(map[string]*entry, len(m.table.all))
	for _, e := range m.table.all {
		present[e.room.Token] = e
	}
	var lost []string
	for tok, name := range before {
		s := m.rooms[tok]
		if s != nil && !s.marked {
			continue // unmarked on purpose (or changed)
		}
		e := present[tok]
		drop := s == nil || e == nil || e.greyed
		if drop {
			if s != nil {
				s.marked = false
			}
			lost = append(lost, name)
		}
	}
	if len(lost) == 0 {
		return
	}
	sort.Strings(lost)
	what := itoa(len(lost)) + " marked rooms left your list and are no longer marked: "
	if len(lost) == 1 {
		what = "a marked room left your list and is no longer marked: "
	}
	text := what + strings.Join(lost, ", ")
	if m.bulk.summaryFlash != 0 && m.flash.id == m.bulk.summaryFlash && m.flash.text != "" {
		// the summary of a bulk change stays on screen
		text = m.flash.text + " · " + text
		m.setFlashSticky(text, levelWarn)
		m.bulk.summaryFlash = m.flashID
		return
	}
	m.setFlashSticky(text, levelWarn)
}

func (m *Model) setMark(e *entry, on bool) {
	if !on {
		if s := m.rooms[e.room.Token]; s != nil && s.marked {
			s.marked = false
			m.bulk.nMarked--
		}
		return
	}
	s := m.rs(e.room.Token)
	if !s.marked {
		m.bulk.nMarked++
	}
	s.marked = true
	s.markName = e.name
}

func (m *Model) clearMarks() int {
	n := 0
	for _, s := range m.rooms {
		if s.marked {
			s.marked = false
			n++
		}
	}
	m.bulk.nMarked = 0
	return n
}

// marksHeader is "7 marked · " for the header ("" without marks).
func (m Model) marksHeader() string {
	if n := m.markCount(); n > 0 {
		return itoa(n) + " marked · "
	}
	return ""
}

// bulkKey handles the keys of marks and, with marks, l, t, s (and u
// after a bulk change). ok is false for keys it leaves to the list.
func (m Model) bulkKey(msg tea.KeyMsg) (Model, tea.Cmd, bool) {
	k := m.c.Keys
	switch {
	case key.Matches(msg, bulkKeys.Mark):
		e := m.table.selected()
		if e == nil {
			return m, m.setFlash(m.actionBlocked(nil), levelWarn), true
		}
		if e.greyed {
			return m, m.setFlash("cannot mark "+e.name+": "+e.why, levelWarn), true
		}
		s := m.rooms[e.room.Token]
		on := s == nil || !s.marked
		m.setMark(e, on)
		verb := "marked "
		if !on {
			verb = "unmarked "
		}
		return m, m.setFlash(verb+e.name+" · "+m.marksWord(), levelInfo), true
	case key.Matches(msg, bulkKeys.MarkAll):
		added, left := 0, 0
		for _, e := range m.table.visible {
			if e.greyed {
				left++
				continue
			}
			if s := m.rooms[e.room.Token]; s == nil || !s.marked {
				added++
			}
			m.setMark(e, true)
		}
		text := "marked every room shown (" + itoa(added) + " more) · " + m.marksWord()
		if left > 0 {
			text += " · " + itoa(left) + " that cannot be changed here left out"
		}
		return m, m.setFlash(text, levelInfo), true
	case key.Matches(msg, bulkKeys.Unmark),
		// esc with nothing else to close (the list's ClearFilter and Back
		// bindings are disabled then)
		msg.Type == tea.KeyEsc && !m.detailFull && m.filterIn == "" && m.markCount() > 0:
		n := m.clearMarks()
		if n == 0 {
			return m, m.setFlash("no room is marked (space marks the selected room, * every room shown)", levelInfo), true
		}
		return m, m.setFlash("cleared "+itoa(n)+" marks", levelInfo), true
	case key.Matches(msg, k.Undo) && len(m.bulk.undo) > 0:
		return m.bulkUndo()
	}
	if m.markCount() == 0 {
		return m, nil, false
	}
	switch {
	case key.Matches(msg, k.Lobby), key.Matches(msg, k.Timer), key.Matches(msg, k.SIP):
		if reason := m.bulkBlocked(); reason != "" {
			return m, m.setFlash(reason, levelWarn), true
		}
	}
	n := m.markCount()
	switch {
	case key.Matches(msg, k.Lobby):
		m.modal = modalBulkLobby
		m.bulk.lobbyCursor = 0
		return m, nil, true
	case key.Matches(msg, k.Timer):
		m.modal = modalPicker
		m.picker = newPicker(m.c, &entry{name: itoa(n) + " marked rooms"})
		m.bulk.choosing = true
		return m, nil, true
	case key.Matches(msg, k.SIP):
		if reason := m.sipBlocked(models.Room{}); reason != "" {
			return m, m.setFlash("cannot switch SIP dial-in: "+reason, levelWarn), true
		}
		d := newSIPDialog(&entry{name: itoa(n) + " marked rooms"}, m.caps, nil)
		d.current, d.warn, d.cursor = -1, "", 0
		m.modal = modalSIP
		m.sip = d
		m.bulk.choosing = true
		return m, nil, true
	}
	return m, nil, false
}

func (m Model) marksWord() string {
	n := m.markCount()
	if n == 0 {
		return "no room marked"
	}
	return itoa(n) + " marked (l, t, s act on them; U clears)"
}

// bulkBlocked says why no bulk change can start now, or "".
func (m Model) bulkBlocked() string {
	switch {
	case m.backend == nil:
		return "no server to send to"
	case m.unauthorized:
		return "the server refused the login (401): run talkmod login, then start talkmod again"
	case m.bulk.run != nil:
		return "a change to several rooms is still being sent: wait for its summary"
	}
	return ""
}

// bulkLobbyKey is a key in the l dialog of the marked rooms.
func (m Model) bulkLobbyKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.c.Keys
	switch {
	case msg.Type == tea.KeyCtrlC:
		return m.quit(msg)
	case key.Matches(msg, k.Cancel):
		m.modal = modalNone
		return m, m.setFlash("lobby unchanged: nothing was sent", levelInfo)
	case key.Matches(msg, k.DialogUp):
		m.bulk.lobbyCursor = 0
	case key.Matches(msg, k.DialogDown):
		m.bulk.lobbyCursor = 1
	case msg.String() == "1":
		m.bulk.lobbyCursor = 0
	case msg.String() == "2":
		m.bulk.lobbyCursor = 1
	case key.Matches(msg, k.Apply):
		m.modal = modalNone
		t := bulkTarget{op: opLobby, lobby: models.LobbyModeratorsOnly}
		if m.bulk.lobbyCursor == 1 {
			t.lobby = models.LobbyNone
		}
		return m.bulkAsk(m.planFor(t))
	}
	return m, nil
}

// bulkLobbyView is the l dialog of the marked rooms (without the box).
func (m Model) bulkLobbyView() string {
	st := m.c.Styles
	w := m.c.Width - 4
	var b strings.Builder
	b.WriteString(st.Title.Render(fit("Lobby · "+itoa(m.markCount())+" marked rooms", w)))
	b.WriteString("\n")
	choices := []string{
		"1 on · only moderators join; a room's own future timer is kept",
		"2 off · everyone can join; a timer is dropped",
	}
	for i, c := range choices {
		cur, style := "  ", st.Option
		if i == m.bulk.lobbyCursor {
			cur, style = "> ", st.OptionSel
		}
		b.WriteString(style.Render(fit(cur+c, w)))
		b.WriteString("\n")
	}
	b.WriteString(st.Dim.Render(fit("nothing is sent before one confirmation that lists every room", w)))
	b.WriteString("\n")
	k := m.c.Keys
	b.WriteString(m.help.ShortHelpView([]key.Binding{k.DialogUp, k.Apply, k.Cancel}))
	return b.String()
}

// bulkDialogResult takes the answers that concern bulk changes: the
// picker and SIP chooser opened for the marked rooms, and the one
// confirmation. ok is false for the others (m may still have changed).
func (m Model) bulkDialogResult(msg tea.Msg) (Model, tea.Cmd, bool) {
	switch msg := msg.(type) {
	case confirmedMsg:
		if p, ok := msg.Payload.(*bulkPlan); ok {
			m.modal = modalNone
			return m.bulkStart(p)
		}
		return m, nil, false
	}
	if !m.bulk.choosing {
		return m, nil, false
	}
	switch msg := msg.(type) {
	case pickerCancelledMsg, sipCancelledMsg:
		m.bulk.choosing = false
		return m, nil, false
	case pickedMsg:
		m.bulk.choosing = false
		m.modal = modalNone
		return m.bulkAskCmd(bulkTarget{op: opLobby, lobby: models.LobbyModeratorsOnly, timer: msg.timer, clear: msg.clear})
	case sipChosenMsg:
		m.bulk.choosing = false
		m.modal = modalNone
		return m.bulkAskCmd(bulkTarget{op: opSIP, sip: msg.state, sipLabel: msg.label})
	}
	return m, nil, false
}

func (m Model) bulkAskCmd(t bulkTarget) (Model, tea.Cmd, bool) {
	m, cmd := m.bulkAsk(m.planFor(t))
	return m, cmd, true
}

// planFor builds what a change sends to the marked rooms, and which it
// skips with why.
func (m Model) planFor(t bulkTarget) *bulkPlan {
	now := m.c.Now()
	p := &bulkPlan{}
	switch {
	case t.op == opSIP:
		p.what = "SIP dial-in " + t.sipLabel
		p.title = "SIP dial-in " + t.sipLabel
	case t.clear:
		p.what = "lobby timer removed (each lobby stays as it is)"
		p.title = "Remove the lobby timer"
	case t.lobby == models.LobbyNone:
		p.what = "lobby off"
		p.title = "Lift the lobby"
	case t.timer != nil:
		p.what = "lobby on, opens " + m.c.clock(*t.timer)
		p.title = "Turn the lobby on"
	default:
		p.what = "lobby on (a room's own future timer is kept)"
		p.title = "Turn the lobby on"
	}
	for _, e := range m.marked() {
		r := e.room
		skip := func(why string) { p.skipped = append(p.skipped, bulkSkip{r.Token, e.name, why}) }
		if m.isPending(r.Token) {
			skip("still waiting for the server's answer to the last change")
			continue
		}
		req := actionReq{token: r.Token, op: t.op}
		timer, hasTimer := r.LobbyTimerTime()
		future := hasTimer && r.LobbyState == models.LobbyModeratorsOnly && timer.After(now)
		if t.op == opSIP {
			if why := words.SIPUnavailableReason(r, m.caps); why != "" {
				skip(why)
				continue
			}
			if r.SIPEnabled == t.sip {
				skip("SIP dial-in is already " + t.sipLabel)
				continue
			}
			req.sip = t.sip
		} else {
			if why := words.LobbyUnavailableReason(r); why != "" {
				skip(why)
				continue
			}
			switch {
			case t.clear:
				if r.LobbyTimer <= 0 {
					skip("it has no lobby timer")
					continue
				}
				req.lobby, req.clearTimer = r.LobbyState, true
			case t.lobby == models.LobbyNone:
				if r.LobbyState == models.LobbyNone {
					skip("the lobby is already off")
					continue
				}
				req.lobby = models.LobbyNone
			case t.timer != nil:
				if r.LobbyState == models.LobbyModeratorsOnly && hasTimer && timer.Equal(*t.timer) {
					skip("the lobby is already on until " + m.c.clock(timer))
					continue
				}
				req.lobby, req.timer = models.LobbyModeratorsOnly, t.timer
			default:
				if r.LobbyState == models.LobbyModeratorsOnly {
					skip("the lobby is already on")
					continue
				}
				req.lobby = models.LobbyModeratorsOnly
				if hasTimer && timer.After(now) {
					tt := timer
					req.timer = &tt
				}
			}
			if req.lobby == models.LobbyModeratorsOnly && r.LobbyState != models.LobbyModeratorsOnly && r.HasCall {
				p.calls = append(p.calls, e.name)
			}
			if future && req.timer == nil {
				p.drops = append(p.drops, e.name+" ("+m.c.clock(timer)+")")
			}
		}
		p.items = append(p.items, req)
		p.names = append(p.names, e.name)
		if !m.table.matches(e) {
			p.hidden++
		}
	}
	return p
}

// undoPlan is u after a bulk change: each changed room's previous state.
func (m Model) undoPlan() *bulkPlan {
	now := m.c.Now()
	p := &bulkPlan{undo: true, title: "Undo the last change to several rooms", what: "undo " + m.bulk.undoWhat}
	for _, tok := range m.bulk.undo {
		e := m.table.find(tok)
		s := m.rooms[tok]
		switch {
		case e == nil:
			continue // left the list (said when it left)
		case s == nil || s.undo == nil:
			p.skipped = append(p.skipped, bulkSkip{tok, e.name, "nothing to undo"})
			continue
		case m.isPending(tok):
			p.skipped = append(p.skipped, bulkSkip{tok, e.name, "still waiting for the server's answer to the last change"})
			continue
		}
		req := *s.undo
		r := e.room
		if req.op == opLobby {
			if req.lobby == models.LobbyModeratorsOnly && r.LobbyState != models.LobbyModeratorsOnly && r.HasCall {
				p.calls = append(p.calls, e.name)
			}
			if t, ok := r.LobbyTimerTime(); ok && r.LobbyState == models.LobbyModeratorsOnly && t.After(now) && req.timer == nil {
				p.drops = append(p.drops, e.name+" ("+m.c.clock(t)+")")
			}
		}
		p.items = append(p.items, req)
		p.names = append(p.names, e.name)
		if !m.table.matches(e) {
			p.hidden++
		}
	}
	return p
}

// bulkUndo is u after a bulk change: a batch under the same rules; it
// asks first (y only) when a restored state removes people from a call
// or drops a timer.
func (m Model) bulkUndo() (Model, tea.Cmd, bool) {
	if reason := m.bulkBlocked(); reason != "" {
		return m, m.setFlash(reason, levelWarn), true
	}
	p := m.undoPlan()
	if len(p.items) == 0 {
		m.bulk.undo = nil
		return m, m.setFlash("nothing to undo: "+skipWords(p.skipped), levelWarn), true
	}
	if len(p.calls) > 0 || len(p.drops) > 0 {
		m, cmd := m.openConfirm(m.bulkConfirm(p))
		return m, cmd, true
	}
	return m.bulkStart(p)
}

// bulkAsk opens the one confirmation of a bulk change (nothing is sent
// before y), or says why there is nothing to send.
func (m Model) bulkAsk(p *bulkPlan) (Model, tea.Cmd) {
	if len(p.items) == 0 {
		return m, m.setFlash(p.what+": nothing to send: "+skipWords(p.skipped), levelWarn)
	}
	return m.openConfirm(m.bulkConfirm(p))
}

func skipWords(sk []bulkSkip) string {
	parts := make([]string, len(sk))
	for i, s := range sk {
		parts[i] = s.name + " (" + s.why + ")"
	}
	return strings.Join(parts, "; ")
}

// namesList lists names, the first few, then how many more.
func namesList(names []string, most int) string {
	if len(names) <= most {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:most], ", ") + " and " + itoa(len(names)-most) + " more"
}

func roomsWord(n int) string {
	if n == 1 {
		return "1 room"
	}
	return itoa(n) + " rooms"
}

// bulkSentence is the confirmation's summary: "lobby on, opens 10:00 CET,
// in 7 rooms; 2 have a running call (non-moderators will be removed); 1
// will be skipped: Breakout 1 (a breakout room's lobby follows its parent
// conversation)".
func (p *bulkPlan) sentence() string {
	s := p.what + ", in " + roomsWord(len(p.items))
	if n := len(p.calls); n > 0 {
		verb := " have"
		if n == 1 {
			verb = " has"
		}
		s += "; " + itoa(n) + verb + " a running call (non-moderators will be removed)"
	}
	if n := len(p.drops); n > 0 {
		s += "; " + itoa(n) + " lose" + map[bool]string{true: "s", false: ""}[n == 1] + " a future lobby timer"
	}
	if n := len(p.skipped); n > 0 {
		s += "; " + itoa(n) + " will be skipped: " + skipWords(p.skipped)
	}
	return s
}

// bulkConfirm is the one question of a bulk change (y only).
func (m Model) bulkConfirm(p *bulkPlan) confirmDialog {
	body := []string{p.sentence() + "."}
	rl := "Rooms: " + namesList(p.names, 12)
	if p.hidden > 0 {
		rl += " (" + itoa(p.hidden) + " hidden by the filter)"
	}
	body = append(body, rl+".")
	if len(p.calls) > 0 {
		body = append(body, "Running call: "+namesList(p.calls, 8)+".")
	}
	if len(p.drops) > 0 {
		body = append(body, "Timer dropped: "+namesList(p.drops, 8)+".")
	}
	q := "Send " + itoa(len(p.items)) + " changes (" + itoa(bulkLimit) + " at a time)? y/n"
	if len(p.items) == 1 {
		q = "Send this change? y/n"
	}
	no := p.what + ": nothing was sent; the marks stay"
	if p.undo {
		no = "undo: nothing was sent"
	}
	return newConfirm(p.title+" · "+roomsWord(len(p.items)), body, q, no, p)
}

// bulkStart sends a confirmed plan: bulkLimit requests now, the next as
// each answer arrives.
func (m Model) bulkStart(p *bulkPlan) (Model, tea.Cmd, bool) {
	if reason := m.bulkBlocked(); reason != "" {
		return m, m.setFlash(reason, levelWarn), true
	}
	run := &bulkRun{what: p.what, undo: p.undo, inflight: map[string]bool{}, total: len(p.items), fails: map[string]int{}}
	run.queue = append(run.queue, p.items...)
	run.skipped = len(p.skipped)
	m.bulk.run = run
	if p.undo {
		m.bulk.undo = nil
	}
	m, cmd := m.bulkDispatch()
	return m, cmd, true
}

// bulkDispatch sends queued requests while fewer than bulkLimit are in
// flight; once nothing is in flight and nothing more will go, it ends
// the run with its summary.
func (m Model) bulkDispatch() (Model, tea.Cmd) {
	run := m.bulk.run
	if run == nil {
		return m, nil
	}
	var cmds []tea.Cmd
	for run.stop == nil && !m.quitting && len(run.inflight) < bulkLimit && len(run.queue) > 0 {
		req := run.queue[0]
		run.queue = run.queue[1:]
		e := m.table.find(req.token)
		if e == nil {
			run.notSent++
			continue
		}
		if reason := m.actionBlocked(e); reason != "" {
			run.fail("not sent")
			m.rs(req.token).outcome = &outcome{ok: false, op: req.op, text: "not sent: " + reason, kind: client.KindOther}
			continue
		}
		var cmd tea.Cmd
		m, cmd = m.send(req)
		if !m.isPending(req.token) {
			// refused before sending (a timer that passed meanwhile)
			run.fail("refused (not valid)")
			continue
		}
		run.inflight[req.token] = true
		cmds = append(cmds, cmd)
	}
	if len(run.inflight) > 0 {
		m.setFlashSticky(run.progress(), levelInfo)
		return m, tea.Batch(cmds...)
	}
	// the end: what was never sent says why
	if len(run.queue) > 0 {
		ns := &client.NotSentError{Cause: run.stop}
		if run.stop == nil && m.quitting {
			ns.Cause = errors.New("you quit")
		}
		if client.KindOf(run.stop) == client.KindThrottled {
			// when the console polls again; a part minute rounds up,
			// as the commands' batch does (the words show minutes)
			ns.RetryAt = m.pausedUntil
			if t := ns.RetryAt.Truncate(time.Minute); !t.Equal(ns.RetryAt) {
				ns.RetryAt = t.Add(time.Minute)
			}
		}
		text := ns.Words(m.c.Loc())
		if run.stop == nil && m.quitting {
			text = "not sent: you quit talkmod"
		}
		for _, req := range run.queue {
			m.rs(req.token).outcome = &outcome{ok: false, op: req.op, text: text, kind: client.KindOf(run.stop)}
			run.notSent++
		}
		run.queue = nil
	}
	m.bulk.run = nil
	if !run.undo && len(run.changed) > 0 {
		m.bulk.undo = run.changed
		m.bulk.undoWhat = run.what
	}
	level := levelOK
	if run.notSent > 0 || len(run.fails) > 0 {
		level = levelWarn
	}
	m.setFlashSticky(run.summary(m.markCount()), level)
	m.bulk.summaryFlash = m.flashID
	return m, tea.Batch(cmds...)
}

func (r *bulkRun) fail(word string) {
	if r.fails[word] == 0 {
		r.order = append(r.order, word)
	}
	r.fails[word]++
}

func (r *bulkRun) counts() string {
	parts := []string{itoa(len(r.changed)) + " changed"}
	for _, w := range r.order {
		parts = append(parts, itoa(r.fails[w])+" "+w)
	}
	if r.notSent > 0 {
		parts = append(parts, itoa(r.notSent)+" not sent")
	}
	if r.skipped > 0 {
		parts = append(parts, itoa(r.skipped)+" skipped")
	}
	return strings.Join(parts, ", ")
}

func (r *bulkRun) progress() string {
	what := r.what
	if r.undo {
		what = "undo"
	}
	done := len(r.changed) + r.notSent
	for _, n := range r.fails {
		done += n
	}
	return what + ": " + itoa(done) + " of " + itoa(r.total) + " answered (" + r.counts() + ") · " +
		itoa(len(r.inflight)) + " waiting for the server"
}

// summary is the line at the end: "5 changed, 1 refused (403), 1 not sent".
func (r *bulkRun) summary(marked int) string {
	what := r.what
	if r.undo {
		what = "undone"
	}
	s := what + ": " + r.counts()
	if !r.undo && len(r.changed) > 0 {
		s += " · u undoes the " + itoa(len(r.changed))
	}
	if marked > 0 && len(r.changed) < r.total {
		s += " · " + itoa(marked) + " still marked: l, t or s again retries them"
	}
	return s
}

// failWord groups a failure for the summary: "refused (403)",
// "failed (503)", "failed (network)".
func failWord(err error) string {
	var ae *client.APIError
	if errors.As(err, &ae) && ae.HTTPStatus > 0 {
		if ae.HTTPStatus >= 500 {
			return "failed (" + strconv.Itoa(ae.HTTPStatus) + ")"
		}
		return "refused (" + strconv.Itoa(ae.HTTPStatus) + ")"
	}
	switch client.KindOf(err) {
	case client.KindNetwork:
		return "failed (network)"
	case client.KindInvalidInput:
		return "refused (not valid)"
	case client.KindBadResponse:
		return "failed (bad answer)"
	}
	return "failed"
}

// bulkAnswered follows the answer of a PUT (its outcome is already
// applied): the bulk run's bookkeeping and its next request.
func (m Model) bulkAnswered(msg actionMsg, cmd tea.Cmd) (Model, tea.Cmd) {
	run := m.bulk.run
	if run == nil || !run.inflight[msg.token] {
		if msg.err == nil && !msg.asked.undo {
			// a single change after a bulk one: u is about that change now
			m.bulk.undo = nil
		}
		return m, cmd
	}
	delete(run.inflight, msg.token)
	if msg.err == nil {
		run.changed = append(run.changed, msg.token)
		if s := m.rooms[msg.token]; s != nil && s.marked {
			s.marked = false
			m.bulk.nMarked--
		}
	} else {
		run.fail(failWord(msg.err))
		if client.StopsBatch(msg.err) && run.stop == nil {
			run.stop = msg.err
		}
	}
	m, next := m.bulkDispatch()
	return m, tea.Batch(cmd, next)
}

// bulkHelp is the line of the full help about marks.
const bulkHelp = "space marks a room (●), * every room shown, U clears; with marks, l, t and s change all marked rooms after one question (y only), u undoes them."

// bulkKeysNow adjusts the keys of the list screen to the marks.
func (m Model) bulkKeysNow(nav, act []key.Binding, off []unavailable) ([]key.Binding, []key.Binding, []unavailable) {
	n := m.markCount()
	if n == 0 && len(m.bulk.undo) == 0 {
		// in the full help only: the key bar stays as it was
		if m.table.selected() != nil {
			nav = append(nav, bulkKeys.Mark, bulkKeys.MarkAll)
		}
		return nav, act, off
	}
	drop := map[string]bool{}
	var add []key.Binding
	if n > 0 {
		ns := " ×" + itoa(n)
		drop["l"], drop["t"], drop["s"] = true, true, true
		add = append(add,
			key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "lobby"+ns)),
			key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "timer"+ns)),
			key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "SIP"+ns)),
			bulkKeys.Unmark)
	}
	if len(m.bulk.undo) > 0 {
		drop["u"] = true
		add = append(add, key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo ×"+itoa(len(m.bulk.undo)))))
	}
	kept := act[:0:0]
	for _, b := range act {
		if !drop[b.Help().Key] {
			kept = append(kept, b)
		}
	}
	keptOff := off[:0:0]
	for _, u := range off {
		if !drop[u.b.Help().Key] {
			keptOff = append(keptOff, u)
		}
	}

	act = append(add, kept...)
	nav = append(nav, bulkKeys.Mark, bulkKeys.MarkAll)
	return nav, act, keptOff
}

// isListChange says whether msg may change which rooms are in the list
// (then the marks are checked against it).
func isListChange(msg tea.Msg) bool {
	switch msg.(type) {
	case listMsg, actionMsg, rereadMsg:
		return true
	}
	return false
}
