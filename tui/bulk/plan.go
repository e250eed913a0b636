// Package bulk is the pure part of the console's changes to several rooms:
// what a change sends to the marked rooms and which it skips with why (a
// Plan, the payload of its one question), and the bookkeeping of sending
// it (a Run: at most Limit requests in flight, the stop rule, the
// summary). It sends nothing and knows no console: the root asks it what
// to send next and tells it each answer, so it is tested on its own.
//
// The stop rule is client.Batch's: a 429 or a 401 (client.StopsBatch)
// sends nothing more, and the rooms not sent get a *client.NotSentError.
// Nothing is retried.
package bulk

import (
	"strconv"
	"strings"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/dialog"
	"github.com/talkmod/talkmod/tui/words"
)

// Limit is the number of requests of a change to several rooms in flight
// at most (the commands' limit too).
const Limit = client.DefaultBatchLimit

// Op is what a change does to a room.
type Op int

// The changes a room can have.
const (
	OpLobby Op = iota + 1
	OpSIP
)

// Change is what is sent to one room (a single change is a bulk of one).
type Change struct {
	Op    Op
	Lobby models.LobbyState
	Timer *time.Time
	SIP   models.SIPState
	// ClearTimer marks "x" in the picker (for the words of the outcome).
	ClearTimer bool
	// Undo marks the request of u (no undo of an undo is offered).
	Undo bool
}

// Target is what the dialog chose for the marked rooms.
type Target struct {
	Op       Op
	Lobby    models.LobbyState
	Timer    *time.Time
	Clear    bool // the picker's x
	SIP      models.SIPState
	SIPLabel string
}

// Room is a marked room as the plan sees it.
type Room struct {
	Room models.Room
	Name string
	// Pending: a change to it is still on its way.
	Pending bool
	// Hidden: the filter hides it (the question says how many).
	Hidden bool
	// Undo restores its state before the last change (UndoPlan; nil:
	// nothing to undo).
	Undo *Change
}

// Item is one request of a plan.
type Item struct {
	Token, Name string
	Change      Change
}

// Skip is a marked room the change is not sent to, with why.
type Skip struct{ Token, Name, Why string }

// Plan is what a change to several rooms will send: the payload of its
// one question (a pointer: payloads are compared).
type Plan struct {
	Title   string
	What    string // "lobby on, opens 10:00 CET"
	Items   []Item
	Hidden  int // items hidden by the filter
	Skipped []Skip
	Calls   []string // rooms whose running call loses its non-moderators
	Drops   []string // rooms whose future timer is dropped: "Name (10:00 CET)"
	Undo    bool
}

// For builds what t sends to rooms (in list order), and which it skips
// with why. clock words a time in the display zone.
func For(t Target, rooms []Room, caps models.Capabilities, now time.Time, clock func(time.Time) string) *Plan {
	p := &Plan{}
	switch {
	case t.Op == OpSIP:
		p.What = "SIP dial-in " + t.SIPLabel
		p.Title = "SIP dial-in " + t.SIPLabel
	case t.Clear:
		p.What = "lobby timer removed (each lobby stays as it is)"
		p.Title = "Remove the lobby timer"
	case t.Lobby == models.LobbyNone:
		p.What = "lobby off"
		p.Title = "Lift the lobby"
	case t.Timer != nil:
		p.What = "lobby on, opens " + clock(*t.Timer)
		p.Title = "Turn the lobby on"
	default:
		p.What = "lobby on (a room's own future timer is kept)"
		p.Title = "Turn the lobby on"
	}
	for _, e := range rooms {
		r := e.Room
		skip := func(why string) { p.Skipped = append(p.Skipped, Skip{r.Token, e.Name, why}) }
		if e.Pending {
			skip("still waiting for the server's answer to the last change")
			continue
		}
		ch := Change{Op: t.Op}
		timer, hasTimer := r.LobbyTimerTime()
		future := hasTimer && r.LobbyState == models.LobbyModeratorsOnly && timer.After(now)
		if t.Op == OpSIP {
			if why := words.SIPUnavailableReason(r, caps); why != "" {
				skip(why)
				continue
			}
			if r.SIPEnabled == t.SIP {
				skip("SIP dial-in is already " + t.SIPLabel)
				continue
			}
			ch.SIP = t.SIP
		} else {
			if why := words.LobbyUnavailableReason(r); why != "" {
				skip(why)
				continue
			}
			switch {
			case t.Clear:
				if r.LobbyTimer <= 0 {
					skip("it has no lobby timer")
					continue
				}
				ch.Lobby, ch.ClearTimer = r.LobbyState, true
			case t.Lobby == models.LobbyNone:
				if r.LobbyState == models.LobbyNone {
					skip("the lobby is already off")
					continue
				}
				ch.Lobby = models.LobbyNone
			case t.Timer != nil:
				if r.LobbyState == models.LobbyModeratorsOnly && hasTimer && timer.Equal(*t.Timer) {
					skip("the lobby is already on until " + clock(timer))
					continue
				}
				ch.Lobby, ch.Timer = models.LobbyModeratorsOnly, t.Timer
			default:
				if r.LobbyState == models.LobbyModeratorsOnly {
					skip("the lobby is already on")
					continue
				}
				ch.Lobby = models.LobbyModeratorsOnly
				if hasTimer && timer.After(now) {
					tt := timer
					ch.Timer = &tt
				}
			}
			if ch.Lobby == models.LobbyModeratorsOnly && r.LobbyState != models.LobbyModeratorsOnly && r.HasCall {
				p.Calls = append(p.Calls, e.Name)
			}
			if future && ch.Timer == nil {
				p.Drops = append(p.Drops, e.Name+" ("+clock(timer)+")")
			}
		}
		p.add(e, ch)
	}
	return p
}

// UndoPlan is u after a change to several rooms: each changed room's
// previous state (rooms: those still in the list; what words the change).
func UndoPlan(what string, rooms []Room, now time.Time, clock func(time.Time) string) *Plan {
	p := &Plan{Undo: true, Title: "Undo the last change to several rooms", What: "undo " + what}
	for _, e := range rooms {
		tok := e.Room.Token
		switch {
		case e.Undo == nil:
			p.Skipped = append(p.Skipped, Skip{tok, e.Name, "nothing to undo"})
			continue
		case e.Pending:
			p.Skipped = append(p.Skipped, Skip{tok, e.Name, "still waiting for the server's answer to the last change"})
			continue
		}
		ch := *e.Undo
		r := e.Room
		if ch.Op == OpLobby {
			if ch.Lobby == models.LobbyModeratorsOnly && r.LobbyState != models.LobbyModeratorsOnly && r.HasCall {
				p.Calls = append(p.Calls, e.Name)
			}
			if t, ok := r.LobbyTimerTime(); ok && r.LobbyState == models.LobbyModeratorsOnly && t.After(now) && ch.Timer == nil {
				p.Drops = append(p.Drops, e.Name+" ("+clock(t)+")")
			}
		}
		p.add(e, ch)
	}
	return p
}

func (p *Plan) add(e Room, ch Change) {
	p.Items = append(p.Items, Item{Token: e.Room.Token, Name: e.Name, Change: ch})
	if e.Hidden {
		p.Hidden++
	}
}

// SkipWords lists skipped rooms with why: "Town hall (the lobby is
// already on); …".
func SkipWords(sk []Skip) string {
	parts := make([]string, len(sk))
	for i, s := range sk {
		parts[i] = s.Name + " (" + s.Why + ")"
	}
	return strings.Join(parts, "; ")
}

// namesList lists names, the first few, then how many more.
func namesList(names []string, most int) string {
	if len(names) <= most {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:most], ", ") + " and " + strconv.Itoa(len(names)-most) + " more"
}

func roomsWord(n int) string {
	if n == 1 {
		return "1 room"
	}
	return strconv.Itoa(n) + " rooms"
}

// Sentence is the question's summary: "lobby on, opens 10:00 CET, in 7
// rooms; 2 have a running call (non-moderators will be removed); 1 will
// be skipped: Breakout 1 (a breakout room's lobby follows its parent
// conversation)".
func (p *Plan) Sentence() string {
	s := p.What + ", in " + roomsWord(len(p.Items))
	if n := len(p.Calls); n > 0 {
		verb := " have"
		if n == 1 {
			verb = " has"
		}
		s += "; " + strconv.Itoa(n) + verb + " a running call (non-moderators will be removed)"
	}
	if n := len(p.Drops); n > 0 {
		verb := " lose"
		if n == 1 {
			verb = " loses"
		}
		s += "; " + strconv.Itoa(n) + verb + " a future lobby timer"
	}
	if n := len(p.Skipped); n > 0 {
		s += "; " + strconv.Itoa(n) + " will be skipped: " + SkipWords(p.Skipped)
	}
	return s
}

// Confirm is the one question of the plan (y only); its payload is p.
func (p *Plan) Confirm() dialog.Confirm {
	names := make([]string, len(p.Items))
	for i, it := range p.Items {
		names[i] = it.Name
	}
	body := []string{p.Sentence() + "."}
	rl := "Rooms: " + namesList(names, 12)
	if p.Hidden > 0 {
		rl += " (" + strconv.Itoa(p.Hidden) + " hidden by the filter)"
	}
	body = append(body, rl+".")
	if len(p.Calls) > 0 {
		body = append(body, "Running call: "+namesList(p.Calls, 8)+".")
	}
	if len(p.Drops) > 0 {
		body = append(body, "Timer dropped: "+namesList(p.Drops, 8)+".")
	}
	q := "Send " + strconv.Itoa(len(p.Items)) + " changes (" + strconv.Itoa(Limit) + " at a time)? y/n"
	if len(p.Items) == 1 {
		q = "Send this change? y/n"
	}
	no := p.What + ": nothing was sent; the marks stay"
	if p.Undo {
		no = "undo: nothing was sent"
	}
	return dialog.Confirm{Title: p.Title + " · " + roomsWord(len(p.Items)), Body: body, Question: q, No: no, Payload: p}
}
