package tui

import (
	"time"

	"github.com/talkmod/talkmod/models"
)

// The words for room states and confirmed changes, shared by the console
// and the talkmod commands so that both say the same thing.

// SIPCell is the short SIP state for a table: off / PIN / no PIN / n.a.
func SIPCell(r models.Room, caps models.Capabilities) string {
	switch r.SIPEnabled {
	case models.SIPEnabled:
		return "PIN"
	case models.SIPEnabledNoPIN:
		return "no PIN"
	case models.SIPDisabled:
		if r.SIPUnavailableReason(caps) != "" {
			return "n.a."
		}
		return "off"
	}
	return "?"
}

// LobbyOutcome words a confirmed lobby change: "lobby on until 15:00 CET,
// in 25m". requested is the state asked for, clearTimer says the timer was
// removed on purpose, and until formats a timer ("15:00 CET, in 25m").
func LobbyOutcome(r models.Room, requested models.LobbyState, clearTimer bool, until func(time.Time) string) string {
	if r.LobbyState != models.LobbyModeratorsOnly {
		if requested == models.LobbyModeratorsOnly {
			return "the server lifted the lobby at once (the timer had passed): everyone can join"
		}
		return "lobby off: everyone can join"
	}
	if t, ok := r.LobbyTimerTime(); ok {
		return "lobby on until " + until(t)
	}
	if clearTimer {
		return "timer removed; the lobby stays on until you turn it off"
	}
	return "lobby on (no timer): only moderators can join"
}

// SIPOutcome words a confirmed SIP change: "SIP dial-in on without PIN".
func SIPOutcome(r models.Room) string { return "SIP dial-in " + r.SIPEnabled.String() }
