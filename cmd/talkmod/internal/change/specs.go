package change

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/words"
)

// LobbyOptions are what talkmod lobby asks for.
type LobbyOptions struct {
	State models.LobbyState
	// Word is the state as typed ("on", "off").
	Word string
	// Timers is the timer to set, per account's client (none: keep a
	// future timer the room has, on "on").
	Timers  map[*client.Client]*time.Time
	NoTimer bool
	// Yes confirms turning the lobby on in a room with a running call.
	Yes bool
	Now func() time.Time
}

// Lobby switches the lobby, with its timer.
func Lobby(o LobbyOptions) Spec {
	state := o.State
	until := func(p *Plan) func(time.Time) string {
		return func(t time.Time) string {
			now := o.Now()
			return words.Clock(t, now, p.Zone) + ", " + words.Relative(now, t)
		}
	}
	return Spec{
		ReadSingle: true,
		Check: func(p *Plan, _ models.Capabilities, several bool) {
			r := p.Room
			why := words.LobbyUnavailableReason(r)
			if why != "" {
				if several {
					p.Err = exit.Skipped(why)
					return
				}
				p.Note = why
			}
			now := o.Now()
			future, hasFuture := r.LobbyTimerTime()
			hasFuture = hasFuture && future.After(now) && r.LobbyState == models.LobbyModeratorsOnly
			if state == models.LobbyNone || o.NoTimer {
				if hasFuture {
					p.Dropped = &future
				}
			} else if tm := o.Timers[p.Client]; tm != nil {
				p.Timer = tm
			} else if hasFuture {
				// The server clears the timer on any lobby change
				// without one: keep the room's future timer.
				p.Timer = &future
			}
			if state == models.LobbyModeratorsOnly && why == "" && r.HasCall && r.LobbyState != models.LobbyModeratorsOnly && !o.Yes {
				p.Err = &exit.RefusedError{Kind: "confirmation needed",
					Msg: "a call is running: turning the lobby on removes its non-moderators from the call; nothing was sent (add --yes to do it)"}
			}
		},
		Send: func(ctx context.Context, p *Plan) (models.Room, error) {
			return p.Client.SetLobby(ctx, p.Token, state, p.Timer)
		},
		Request: func(p *Plan) (string, url.Values) {
			form := url.Values{"state": {strconv.Itoa(int(state))}}
			if p.Timer != nil {
				form.Set("timer", strconv.FormatInt(p.Timer.Unix(), 10))
			}
			return "/webinar/lobby", form
		},
		Words: func(p *Plan) string {
			s := "lobby " + strings.ToLower(o.Word)
			if p.Timer != nil {
				s += ", opens " + until(p)(*p.Timer)
			} else if state == models.LobbyModeratorsOnly {
				s += " (no timer)"
			}
			if p.Dropped != nil {
				s += ", dropping the timer set for " + until(p)(*p.Dropped)
			}
			if p.Read && p.Room.HasCall && state == models.LobbyModeratorsOnly && p.Room.LobbyState != models.LobbyModeratorsOnly {
				s += "; a call is running: its non-moderators will be removed"
			}
			return s
		},
		Outcome: func(p *Plan, r models.Room) string {
			return words.LobbyOutcomeWith(r, state, o.NoTimer, until(p))
		},
	}
}

// SIP switches the SIP dial-in.
func SIP(state models.SIPState) Spec {
	return Spec{
		NeedCaps: true,
		Check: func(p *Plan, caps models.Capabilities, several bool) {
			if !p.Read {
				return
			}
			if why := words.SIPUnavailableReason(p.Room, caps); why != "" {
				if several {
					p.Err = exit.Skipped(why)
					return
				}
				p.Note = why
			}
		},
		Send: func(ctx context.Context, p *Plan) (models.Room, error) {
			return p.Client.SetSIP(ctx, p.Token, state)
		},
		Request: func(p *Plan) (string, url.Values) {
			return "/webinar/sip", url.Values{"state": {strconv.Itoa(int(state))}}
		},
		Words: func(p *Plan) string { return "SIP dial-in " + words.SIP(state) },
		Outcome: func(p *Plan, r models.Room) string {
			return words.SIPOutcome(r)
		},
	}
}
