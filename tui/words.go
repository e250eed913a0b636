package tui

import (
	"time"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/words"
)

// The words for room states and confirmed changes live in tui/words; these
// are kept for the callers that still use the old names.

// SIPCell is the short SIP state for a table (words.SIPCell).
func SIPCell(r models.Room, _ models.Capabilities) string { return words.SIPCell(r) }

// LobbyOutcome words a confirmed lobby change (words.LobbyOutcomeWith).
func LobbyOutcome(r models.Room, requested models.LobbyState, clearTimer bool, until func(time.Time) string) string {
	return words.LobbyOutcomeWith(r, requested, clearTimer, until)
}

// SIPOutcome words a confirmed SIP change (words.SIPOutcome).
func SIPOutcome(r models.Room) string { return words.SIPOutcome(r) }
