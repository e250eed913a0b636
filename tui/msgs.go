package tui

import (
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
)

// opKind is what an action on a room does.
type opKind int

const (
	opLobby opKind = iota + 1
	opSIP
	opReread // GET of one room (timer expiry, or a PUT answer without a room)
)

// listMsg is the answer of ListRooms; seq drops answers that are out of date.
type listMsg struct {
	seq  int
	full bool
	list *client.RoomList
	err  error
}

// capsMsg is the answer of Capabilities.
type capsMsg struct {
	seq  int
	caps models.Capabilities
	err  error
}

// actionMsg is the answer of a PUT (or of the GET of one room).
type actionMsg struct {
	token string
	op    opKind
	// asked is what was sent, for the words of a success.
	asked actionReq
	room  models.Room
	err   error
}

// actionReq is an action to send (kept while a confirm is open).
type actionReq struct {
	token string
	op    opKind
	lobby models.LobbyState
	timer *time.Time
	sip   models.SIPState
	// clearTimer marks "x" in the picker (for the words of the outcome).
	clearTimer bool
	// ver is the room's version when a re-read was sent (drops re-reads
	// that an action overtook).
	ver int
}

// pollMsg is the refresh timer; gen drops timers that were replaced.
type pollMsg struct{ gen int }

// countdownMsg is the 1 s tick that runs while a countdown is on screen.
type countdownMsg struct{}

// spinMsg advances the spinner of pending rows.
type spinMsg struct{}

// flashExpiredMsg clears an info message of the status bar.
type flashExpiredMsg struct{ id int }
