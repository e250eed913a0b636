package tui

import (
	"time"

	"github.com/talkmod/talkmod/models"
)

// roomState is everything the console keeps about one room besides the
// room itself: the request on its way, the last answer, the versions that
// order answers against list refreshes, and the undo of the last change
// made in this console. Rooms with no state have no entry; a room's entry
// goes when the room leaves the list (pruneRooms, the one place).
type roomState struct {
	// pending is the action on its way (0: none).
	pending opKind
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
	// marked: the room is marked for a bulk change (bulk.go); markName
	// names it if it leaves the list.
	marked   bool
	markName string
}

// rs returns the state of a room, creating it.
func (m *Model) rs(token string) *roomState {
	s := m.rooms[token]
	if s == nil {
		s = &roomState{}
		m.rooms[token] = s
	}
	return s
}

// state returns the state of a room, or a zero state (not stored).
func (m Model) state(token string) roomState {
	if s := m.rooms[token]; s != nil {
		return *s
	}
	return roomState{}
}

// isPending says whether a request about the room is on its way.
func (m Model) isPending(token string) bool {
	s := m.rooms[token]
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
	return n + len(m.people.pending) + m.floor.people.Pending()
}

// pruneRooms drops the state of rooms no longer in the list; a room with
// a request on its way keeps it until the answer.
func (m *Model) pruneRooms(present map[string]bool) {
	for tok, s := range m.rooms {
		if !present[tok] && s.pending == 0 {
			delete(m.rooms, tok)
		}
	}
}

// undoFor builds the request that restores r (the state before a change)
// for the op of that change.
func undoFor(op opKind, r models.Room, now time.Time) *actionReq {
	req := &actionReq{token: r.Token, op: op, undo: true}
	switch op {
	case opLobby:
		req.lobby = r.LobbyState
		if t, ok := r.LobbyTimerTime(); ok && r.LobbyState == models.LobbyModeratorsOnly {
			req.timer = &t
		}
		if r.LobbyState == models.LobbyModeratorsOnly && r.LobbyTimer <= 0 {
			req.clearTimer = true
		}
	case opSIP:
		req.sip = r.SIPEnabled
	default:
		return nil
	}
	return req
}
