// Package people is the people view, a page of the console (p on a
// room): who waits in the lobby, who is in the call, who is let in, the
// moderators, who is not connected; a lets the selected person in, h
// sends them back to the lobby, x removes them (y-only confirm), A lets
// in everyone waiting now. The list is re-read every Interval while the
// view is open and at once after each action; answers older than the
// newest are dropped. The words for people, shared with the commands,
// are here too (words.go).
//
// The page owns its state, keys, Update and View; the root gives it an
// Env (its room as the list has it, the backend, the user) with each
// call and shows the Note it returns on the status line.
package people

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/floor"
	"github.com/talkmod/talkmod/tui/words"
)

// Interval is how often the people view re-reads the participants.
const Interval = 5 * time.Second

// Act is what an action on a person does.
type Act int

// The actions on a person.
const (
	ActAdmit Act = iota + 1
	ActHold
	ActRemove
)

func (a Act) pendingWord() string {
	switch a {
	case ActAdmit:
		return "letting in…"
	case ActHold:
		return "sending back…"
	}
	return "removing…"
}

func (a Act) failWord() string {
	switch a {
	case ActAdmit:
		return "not let in: "
	case ActHold:
		return "not sent back: "
	}
	return "not removed: "
}

// ReadMsg is the answer of Participants.
type ReadMsg struct {
	Token  string
	Seq    int
	People []models.Participant
	Err    error
}

// TickMsg is the 5 s re-read timer; Gen drops replaced timers.
type TickMsg struct{ Gen int }

// ActMsg is the answer of an action on a person.
type ActMsg struct {
	// ID is the room's identity in the list (common.Env.ID), Token its
	// token.
	ID     string
	Token  string
	Act    Act
	Before models.Participant
	Err    error
}

// personOutcome is the last answer to an action on a person.
type personOutcome struct {
	ok   bool
	text string
}

// count is what the last read of a room counted, and when.
type count struct {
	waiting, inCall, total int
	at                     time.Time
}

// Page is the people view and the counts it leaves behind; *Page is a
// tui.Page.
type Page struct {
	open  bool
	token string
	// id is the room's identity in the list (common.Env.ID; its token
	// with one account): the floor's answers and the counts are by it
	id      string
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
	pending  map[int64]Act
	names    map[int64]string // names of people acted on, kept when they leave
	// counts by room ID (common.Env.ID: the token with one account), from
	// the last read (for the list and detail)
	counts map[string]count

	// Floor is the console's floor (tui/floor: its backend, where d
	// writes, the last list written); nil or without a backend: no
	// floor keys, no rights column.
	Floor *floor.List
	// floor is the view's floor: f/F/m on their way, the promotion
	// question (their outcomes are in outcomes)
	floor floor.People
	// hasCall: the room had a call at the last View (the key line
	// offers d then)
	hasCall bool
	// attend is the attendance section (attend.go): the list d read,
	// in place of the people while shown
	attend attendView
}

// Open opens the view of env.Room (the root checked that it has one).
func (p *Page) Open(c common.Common, env common.Env) tea.Cmd {
	counts := p.counts
	if counts == nil {
		counts = map[string]count{}
	}
	id := env.ID
	if id == "" {
		id = env.Room.Token
	}
	*p = Page{
		open: true, token: env.Room.Token, id: id, counts: counts, gen: p.gen + 1, reqSeq: p.reqSeq, Floor: p.Floor,
		outcomes: map[int64]personOutcome{}, pending: map[int64]Act{}, names: map[int64]string{},
	}
	p.gotSeq = p.reqSeq
	return tea.Batch(p.read(c, env), c.After(Interval, TickMsg{Gen: p.gen}))
}

// Close closes the view; its timer is dropped by its generation.
func (p *Page) Close() {
	p.open = false
	p.confirm = 0
	p.gen++
}

// read asks for the participants (seq numbers drop stale answers).
func (p *Page) read(c common.Common, env common.Env) tea.Cmd {
	be := env.Backend
	if be == nil {
		return nil
	}
	p.reqSeq++
	seq, token := p.reqSeq, p.token
	return c.Request(func(ctx context.Context) tea.Msg {
		ps, err := be.Participants(ctx, token)
		return ReadMsg{Token: token, Seq: seq, People: ps, Err: err}
	})
}

// Update handles the view's messages and, while it is open and no help
// covers it, its keys. The Note is for the status line (zero: none); ok
// is false for a message that is not the view's.
func (p *Page) Update(c common.Common, env common.Env, msg tea.Msg) (cmd tea.Cmd, note common.Note, ok bool) {
	switch fm := msg.(type) {
	case tea.KeyMsg, TickMsg, ReadMsg, ActMsg:
		cmd, note = p.update(c, env, msg)
		return cmd, note, true
	case floor.ActMsg:
		msg := fm
		cmd, note = p.floorAnswered(c, env, msg)
		return cmd, note, true
	}
	return nil, common.Note{}, false
}

func (p *Page) update(c common.Common, env common.Env, msg tea.Msg) (tea.Cmd, common.Note) {
	now := c.Now()
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return p.key(c, env, msg)
	case TickMsg:
		if !p.open || msg.Gen != p.gen {
			return nil, common.Note{} // closed, or replaced
		}
		if !env.InList {
			p.stopped = "the conversation left the list: not re-reading"
			return nil, common.Note{}
		}
		if p.halted {
			return nil, common.Note{}
		}
		if now.Before(p.paused) {
			return c.After(p.paused.Sub(now), TickMsg{Gen: p.gen}), common.Note{}
		}
		return tea.Batch(p.read(c, env), c.After(Interval, TickMsg{Gen: p.gen})), common.Note{}
	case ReadMsg:
		if !p.open || msg.Token != p.token || msg.Seq <= p.gotSeq {
			return nil, common.Note{} // closed, another room, or older than the newest
		}
		p.gotSeq = msg.Seq
		if msg.Err != nil {
			p.readErr = msg.Err
			switch client.KindOf(msg.Err) {
			case client.KindThrottled:
				p.paused = common.ThrottledUntil(msg.Err, now)
			case client.KindUnauthorized, client.KindForbidden, client.KindNotFound, client.KindPrecondition:
				// asking again every 5 s would only repeat it (and 401s
				// and 404s count toward the server's lock-out)
				p.halted = true
			}
			return nil, common.Note{}
		}
		var resume tea.Cmd
		if p.halted {
			p.halted = false
			resume = c.After(Interval, TickMsg{Gen: p.gen})
		}
		p.readErr = nil
		p.loaded = true
		p.readAt = now
		p.people = sortPeople(msg.People, env.Room)
		p.counts[p.id] = countOf(env.Room, p.people, now)
		if p.sel == 0 && len(p.people) > 0 {
			p.sel = p.people[0].AttendeeID
		}
		if i := p.index(p.sel); i >= 0 {
			p.selIdx = i
			p.selName = words.PersonName(p.people[i])
		}
		return resume, common.Note{}
	case ActMsg:
		id := msg.Before.AttendeeID
		delete(p.pending, id)
		if msg.ID != p.id {
			return nil, common.Note{}
		}
		if msg.Err != nil {
			p.outcomes[id] = personOutcome{text: msg.Act.failWord() + client.Message(msg.Err)}
			if client.KindOf(msg.Err) == client.KindThrottled {
				p.paused = common.ThrottledUntil(msg.Err, now)
				return nil, common.Note{} // no re-read into the throttle
			}
		} else {
			var text string
			switch msg.Act {
			case ActAdmit:
				text = AdmitOutcome(msg.Before)
			case ActHold:
				text = HoldOutcome(msg.Before)
			default:
				text = RemoveOutcome(msg.Before)
			}
			p.outcomes[id] = personOutcome{ok: true, text: text}
		}
		var note common.Note
		if msg.Act == ActRemove && msg.Err == nil {
			// the row goes with the person: say it below too
			note = common.Note{Text: words.PersonName(msg.Before) + ": " + p.outcomes[id].text, Level: common.LevelOK}
		}
		if !p.open {
			return nil, note
		}
		return p.read(c, env), note // the answer never says where the person is
	}
	return nil, common.Note{}
}

// key handles a key while the view is open. The root handles q and ?
// first, unless a removal waits for its y.
func (p *Page) key(c common.Common, env common.Env, msg tea.KeyMsg) (tea.Cmd, common.Note) {
	k := c.Keys
	warn := func(text string) (tea.Cmd, common.Note) {
		return nil, common.Note{Text: text, Level: common.LevelWarn}
	}
	if p.confirm != 0 {
		// y removes; every other key is no
		id := p.confirm
		p.confirm = 0
		if key.Matches(msg, k.Yes) {
			if who, ok := p.find(id); ok {
				return p.act(c, env, ActRemove, who), common.Note{}
			}
			return warn(p.nameOf(id) + " is no longer in the conversation: nothing removed")
		}
		return nil, common.Note{Text: "kept " + p.nameOf(id) + ": nothing removed", Level: common.LevelInfo}
	}
	if cmd, note, ok := p.attendKey(c, msg); ok {
		return cmd, note
	}
	if cmd, note, ok := p.floorKey(c, env, msg); ok {
		return cmd, note
	}
	switch {
	case key.Matches(msg, k.PeopleBack):
		p.Close()
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
			return warn(p.stopped)
		}
		return p.read(c, env), common.Note{}
	case key.Matches(msg, k.Admit, k.Hold, k.Remove):
		who, ok := p.find(p.sel)
		switch {
		case p.sel == 0:
			return warn("nobody is selected")
		case !ok:
			return warn(p.nameOf(p.sel) + " is no longer in the conversation (left or removed): nothing sent")
		case p.pending[p.sel] != 0:
			return warn("waiting for the server's answer about " + words.PersonName(who))
		}
		switch {
		case key.Matches(msg, k.Admit):
			return p.act(c, env, ActAdmit, who), common.Note{}
		case key.Matches(msg, k.Hold):
			return p.act(c, env, ActHold, who), common.Note{}
		case isSelf(who, env.User):
			// removing yourself means leaving; the last user's leaving
			// deletes the conversation
			return warn("that is you: to leave the conversation, use Talk itself (nothing sent)")
		}
		p.confirm = who.AttendeeID
		p.names[who.AttendeeID] = words.PersonName(who)
	case key.Matches(msg, k.AdmitAll):
		var cmds []tea.Cmd
		for _, who := range p.people {
			if SectionOf(who, env.Room) == SectionWaiting && p.pending[who.AttendeeID] == 0 {
				cmds = append(cmds, p.act(c, env, ActAdmit, who))
			}
		}
		if len(cmds) == 0 {
			return nil, common.Note{Text: "nobody is waiting in the lobby", Level: common.LevelInfo}
		}
		return tea.Batch(cmds...), common.Note{}
	}
	return nil, common.Note{}
}

// act sends one action on one person.
func (p *Page) act(c common.Common, env common.Env, act Act, who models.Participant) tea.Cmd {
	be := env.Backend
	if be == nil {
		return nil
	}
	p.pending[who.AttendeeID] = act
	p.names[who.AttendeeID] = words.PersonName(who)
	delete(p.outcomes, who.AttendeeID)
	id, token := p.id, p.token
	return c.Request(func(ctx context.Context) tea.Msg {
		var err error
		switch act {
		case ActAdmit:
			_, err = be.SetAttendeePermissions(ctx, token, who.AttendeeID, client.PermissionAdd, models.PermissionIgnoreLobby)
		case ActHold:
			_, err = be.SetAttendeePermissions(ctx, token, who.AttendeeID, client.PermissionRemove, models.PermissionIgnoreLobby)
		default:
			err = be.RemoveAttendee(ctx, token, who.AttendeeID)
		}
		return ActMsg{ID: id, Token: token, Act: act, Before: who, Err: err}
	})
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
		secs[i], names[i], idx[i] = SectionOf(ps[i], room), strings.ToLower(words.PersonName(ps[i])), i
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

func countOf(room models.Room, ps []models.Participant, at time.Time) count {
	c := count{total: len(ps), at: at}
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

func (p *Page) index(id int64) int {
	for i, q := range p.people {
		if q.AttendeeID == id {
			return i
		}
	}
	return -1
}

func (p *Page) find(id int64) (models.Participant, bool) {
	if i := p.index(id); i >= 0 {
		return p.people[i], true
	}
	return models.Participant{}, false
}

func (p *Page) nameOf(id int64) string {
	if n, ok := p.names[id]; ok {
		return n
	}
	if who, ok := p.find(id); ok {
		return words.PersonName(who)
	}
	if id == p.sel && p.selName != "" {
		return p.selName
	}
	return "#" + strconv.FormatInt(id, 10)
}

// move moves the selection by d people; from someone who left it starts
// where they were.
func (p *Page) move(d int) {
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
	p.selName = words.PersonName(p.people[i])
}
