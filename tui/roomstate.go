package tui

import (
	"time"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/bulk"
)

// roomState is everything the console keeps about one room besides the
// room itself: the request on its way, the last answer, the versions that
// order answers against list refreshes, and the undo of the last change
// made in this console. Rooms with no state have no entry; a room's entry
// goes when the room leaves the list (prune, the one place).
type roomState struct {
	// pending is the action on its way (0: none).
	pending bulk.Op
	// outcome is the last answer to an action (nil: none yet).
	outcome *outcome
	// confirmedSeq is the list request sequence at the last answer that
	// carried the room: list answers asked before it are older.
	confirmedSeq int
	// ver counts the room's confirmed states (drops re-reads that an
	// action overtook).
	ver int
	// reread is the lobby timer a re-read was sent for at expiry.
	reread int64
	// gone: the server answered 404 for this room.
	gone bool
	// undo is the request that restores the state before the last
	// change made in this console (nil: nothing to undo).
	undo *actionReq
	// sipForced is the SIP value an administrator forced, from the last
	// SIP refusal (400 forced) in this console: the SIP dialog warns
	// before the next try (nil: none).
	sipForced *int
	// undoAt is when that change was confirmed (the status line offers
	// "u undo" for a while after it).
	undoAt time.Time
}

// roomStates are the states of the rooms that have one.
type roomStates map[string]*roomState

// get returns the state of a room, creating it.
func (rs roomStates) get(token string) *roomState {
	s := rs[token]
	if s == nil {
		s = &roomState{}
		rs[token] = s
	}
	return s
}

// state returns the state of a room, or a zero state (not stored).
func (rs roomStates) state(token string) roomState {
	if s := rs[token]; s != nil {
		return *s
	}
	return roomState{}
}

// isPending says whether a request about the room is on its way.
func (rs roomStates) isPending(token string) bool {
	s := rs[token]
	return s != nil && s.pending != 0
}

// pendingCount is the number of requests on their way.
func (m Model) pendingCount() int {
	n := 0
	for _, s := range m.rooms {
		if s.pending != 0 {
			n++
		}
	}
	// a person let in, sent back or removed is a change too
	for _, p := range m.pages {
		n += p.Pending()
	}
	return n
}

// prune drops the state of rooms no longer in the list; a room with
// a request on its way keeps it until the answer.
func (rs roomStates) prune(present map[string]bool) {
	for tok, s := range rs {
		if !present[tok] && s.pending == 0 {
			delete(rs, tok)
		}
	}
}

// undoFor builds the request that restores r (the state before a change)
// for the op of that change.
func undoFor(op bulk.Op, r models.Room, now time.Time) *actionReq {
	req := &actionReq{token: r.Token, Change: bulk.Change{Op: op, Undo: true}}
	switch op {
	case bulk.OpLobby:
		req.Lobby = r.LobbyState
		if t, ok := r.LobbyTimerTime(); ok && r.LobbyState == models.LobbyModeratorsOnly {
			req.Timer = &t
		}
		if r.LobbyState == models.LobbyModeratorsOnly && r.LobbyTimer <= 0 {
			req.ClearTimer = true
		}
	case bulk.OpSIP:
		req.SIP = r.SIPEnabled
	default:
		return nil
	}
	return req
}
