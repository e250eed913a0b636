package tui

import (
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/bulk"
)

// rereadMsg is the answer of the GET of one room: at a lobby timer's
// expiry, after a PUT answer without the room, after a 403.
type rereadMsg struct {
	token string // the room's identity (its token with one account)
	// ver is the room's version when the re-read was sent (drops
	// re-reads that an action overtook).
	ver int
	// why says what asked for it (the words of the outcome).
	why  rereadWhy
	room models.Room
	err  error
}

type rereadWhy int

const (
	rereadExpiry    rereadWhy = iota // the lobby timer passed
	rereadNoRoom                     // a 200 without the room
	rereadForbidden                  // a 403: the role may have changed
)

// actionMsg is the answer of a PUT.
type actionMsg struct {
	token string // the room's identity (its token with one account)
	op    bulk.Op
	// asked is what was sent, for the words of a success.
	asked actionReq
	// before is the room as it was when the request left (for undo).
	before models.Room
	room   models.Room
	err    error
}

// actionReq is a change to send to a room (kept while a question is
// open).
type actionReq struct {
	token string // the room's identity (its token with one account)
	bulk.Change
}

// countdownMsg is the 1 s tick that runs while a countdown is on screen.
type countdownMsg struct{}

// spinMsg advances the spinner of pending rows.
type spinMsg struct{}

// flashExpiredMsg clears an info message of the status bar.
type flashExpiredMsg struct{ id int }
