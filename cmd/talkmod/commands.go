package main

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/change"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/output"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/roomview"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/timeparse"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// roomJSONHelp documents the --json room object.
const roomJSONHelp = `With --json the room object (for rooms: a JSON array of them) is printed as the
server returned it, with the API's field names: id, token, type (2 group, 3 public), name, displayName,
description, participantType (1 owner, 2 moderator), permissions, lobbyState
(0 off, 1 on), lobbyTimer (unix seconds, 0 none), sipEnabled (0 off, 1 on with
PIN, 2 on without PIN), canEnableSIP, attendeePin, hasCall, callFlag,
callStartTime, readOnly, lastActivity, isFavorite, objectType, objectId,
breakoutRoomMode, remoteServer. Errors are also printed on stdout as
{"error": {"status": 403, "reason": "config", "kind": "forbidden", "exitCode": 4, "message": "..."}}.`

// roomsOptions are the flags of talkmod rooms.
type roomsOptions struct {
	// All lists every conversation, with why it can't be changed.
	All bool
	// AllAccounts lists the rooms of every stored account
	// (rooms_accounts.go).
	AllAccounts bool
}

func (a *app) roomsCmd() *cobra.Command {
	opts := &roomsOptions{}
	cmd := &cobra.Command{
		Use:   "rooms",
		Short: "List the webinars you moderate",
		Long: `List the group and public conversations where you are owner or moderator,
with lobby, lobby timer (in the display zone), SIP dial-in and call. With --all,
every conversation, and why its lobby (or else its SIP dial-in) can't be
changed.

` + roomsAllAccountsHelp + `

` + roomJSONHelp + `

` + exit.CodesHelp,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.AllAccounts {
				return a.runRoomsAllAccounts(cmd.Context(), opts)
			}
			return a.runRooms(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.All, "all", false, "list every conversation, and why the others can't be changed")
	cmd.Flags().BoolVar(&opts.AllAccounts, "all-accounts", false, "list the rooms of every stored account, each with its server")
	a.jsonFlag(cmd)
	return cmd
}

// runRooms lists the rooms.
func (a *app) runRooms(ctx context.Context, opts *roomsOptions) error {
	c, s, err := a.newClient()
	if err != nil {
		return err
	}
	lo := client.ListOptions{KeepRaw: a.jsonOut, Lean: a.jsonOut}
	if !opts.All {
		lo.Keep = models.Room.IsWebinarCandidate
	}
	list, err := c.ListRooms(ctx, lo)
	if err != nil {
		return err
	}
	rooms := list.Rooms
	roomview.NewestFirst(rooms)
	if a.jsonOut {
		if rooms == nil {
			rooms = []models.Room{}
		}
		return output.JSON(a.stdout, rooms)
	}
	var caps models.Capabilities
	if opts.All || len(rooms) > 0 {
		// SIP words need the capabilities; without them the room's own
		// canEnableSIP decides.
		if cp, err := c.Capabilities(ctx); err == nil {
			caps = cp
		} else if k := client.KindOf(err); k == client.KindUnauthorized {
			return err
		}
	}
	roomview.Rooms(a.stdout, rooms, caps, a.now(), s.zone, opts.All)
	return nil
}

func (a *app) jsonFlag(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&a.jsonOut, "json", false, "print JSON (the room object(s) as the server returned them; errors as {\"error\":{...}})")
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return cmdutil.UsageErrorf("%s takes no arguments, got %q", cmd.CommandPath(), strings.Join(args, " "))
	}
	return nil
}

// roomOptions are the argument of talkmod room.
type roomOptions struct {
	// Room is the TOKEN_OR_LINK.
	Room string
}

func (a *app) roomCmd() *cobra.Command {
	opts := &roomOptions{}
	cmd := &cobra.Command{
		Use:   "room TOKEN_OR_LINK",
		Short: "Show one conversation, with its dial-in card",
		Long: `Show one conversation: lobby and timer (in the display zone, in UTC, and
relative), SIP dial-in with the dial-in card (the numbers to call, meeting
ID, your PIN), call, and
why a setting can't be changed. TOKEN_OR_LINK is a token or a conversation
link (https://HOST/call/TOKEN, also under /index.php/).

` + roomJSONHelp + `

` + exit.CodesHelp,
		Args: exactArgs(1, "a conversation token or link"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Room = args[0]
			return a.runRoom(cmd.Context(), opts)
		},
		ValidArgsFunction: a.completeTokens(),
	}
	a.jsonFlag(cmd)
	return cmd
}

// runRoom shows one room with its dial-in card.
func (a *app) runRoom(ctx context.Context, opts *roomOptions) error {
	c, s, token, err := a.oneRoom(opts.Room)
	if err != nil {
		return err
	}
	r, err := c.GetRoom(ctx, token)
	if err != nil {
		return err
	}
	if a.jsonOut {
		return output.JSON(a.stdout, r)
	}
	caps, err := c.Capabilities(ctx)
	if err != nil && client.KindOf(err) == client.KindUnauthorized {
		return err
	}
	var card roomview.DialIn
	if r.SIPEnabled != models.SIPDisabled {
		// the numbers are the admin's server-wide text; a failure
		// only shows in the card
		card.Text, card.Err = c.DialInInfo(ctx, token)
	}
	roomview.Room(a.stdout, r, caps, s.server, a.now(), s.zone, card)
	return nil
}

func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return cmdutil.UsageErrorf("%s needs %s (usage: %s)", cmd.CommandPath(), what, cmd.UseLine())
		}
		return nil
	}
}

// bulkHelp documents several rooms, --yes, --dry-run and --json for lobby
// and sip.
const bulkHelp = `Several rooms: give several TOKEN_OR_LINKs before the state word, or "-" to
read them from stdin, one a line (blank lines and # comments are ignored):
  talkmod rooms --json | jq -r '.[].token' | talkmod lobby - on --at 10:00
Everything is checked before anything is sent: a bad token or link refuses the
whole command (exit 2). The rooms are read first (one room list); rooms that
cannot take the change (not a moderator, a breakout room's lobby, a token with
letters or no SIP rights for SIP dial-in) are skipped, with the reason. Then
one request per room, at most 4 at a time; a 429 or 401 answer stops the rest,
reported as "not sent" (nothing is retried). One line per room on stdout:
the room, the result (changed, skipped, refused, failed, not sent) and the
reason; a summary on stderr. With --json and several rooms (or "-"): an array
of {"token","name","ok","room"} or {"token","name","ok":false,"error":{...}}.
With one room the output is as it always was: one line, or the bare room
object (errors: the error object).

A link whose host is not the account's goes to the one stored account for that
host; with none or several (or an account chosen with --account/--server),
the command is refused (exit 2) and nothing is sent.

--dry-run prints what would be sent to each room (the request), sends nothing.`

// lobbyOptions are the arguments and flags of talkmod lobby.
type lobbyOptions struct {
	// Rooms are the TOKEN_OR_LINKs (or "-").
	Rooms []string
	// Word is the state as typed ("on", "off"), State what it means.
	Word  string
	State models.LobbyState
	// At and In set the timer; NoTimer removes it (one of them at most).
	At, In  string
	NoTimer bool
	Change  change.Options
}

func (a *app) lobbyCmd() *cobra.Command {
	opts := &lobbyOptions{}
	cmd := &cobra.Command{
		Use:   "lobby TOKEN_OR_LINK... on|off [--at TIME | --in DURATION | --no-timer] [--yes] [--dry-run]",
		Short: "Switch the lobby of one or several conversations, with or without a timer",
		Long: `Switch the lobby on or off, and set its timer in the same request.

"on" keeps a future timer the room already has, unless --at or --in sets a new
one or --no-timer removes it. "off" removes the timer too, and says on stderr
which timer was dropped.

Turning the lobby on in a room with a running call removes its non-moderators
from the call: talkmod refuses such a room (exit 2, nothing sent to it) unless
--yes is given.

TIME is RFC 3339 (2026-03-29T10:00:00+02:00), "YYYY-MM-DD HH:MM" or "HH:MM"
(the next such time), in the display zone: --tz, else TZ, else the account's
zone, else the local zone. DURATION is minutes, hours and days: 45m, 1h30m, 2d, 1d12h
(a day is 24h). A time in the
past or more than a year ahead is refused before anything is sent (exit 2).

` + bulkHelp + `

` + roomJSONHelp + `

` + exit.CodesHelp,
		Example: `  talkmod lobby 123456789 on --in 30m
  talkmod lobby https://cloud.example.com/call/123456789 on --at "2026-12-01 15:00" --tz Europe/Berlin
  talkmod lobby 123456789 off
  talkmod lobby 123456789 234567891 on --yes
  talkmod rooms --json | jq -r '.[].token' | talkmod lobby - on --at 10:00 --dry-run`,
		Args: minArgs(2, "conversation tokens or links (or - for stdin) and on or off"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Word, opts.Rooms = args[len(args)-1], args[:len(args)-1]
			switch strings.ToLower(opts.Word) {
			case "on":
				opts.State = models.LobbyModeratorsOnly
			case "off":
				opts.State = models.LobbyNone
			default:
				return cmdutil.UsageErrorf("lobby state %q: use on or off, as the last argument", opts.Word)
			}
			// --at, --in and --no-timer exclude each other (MarkFlagsMutuallyExclusive)
			if opts.State == models.LobbyNone && (opts.At != "" || opts.In != "" || opts.NoTimer) {
				return cmdutil.UsageErrorf("--at, --in and --no-timer go with \"on\" (\"off\" removes the timer)")
			}
			return a.runLobby(cmd.Context(), opts)
		},
		ValidArgsFunction: a.completeTokens("on", "off"),
	}
	cmd.Flags().StringVar(&opts.At, "at", "", "open the lobby at TIME (RFC 3339, \"YYYY-MM-DD HH:MM\" or \"HH:MM\")")
	cmd.Flags().StringVar(&opts.In, "in", "", "open the lobby after DURATION (45m, 1h30m, 2d, 1d12h)")
	cmd.Flags().BoolVar(&opts.NoTimer, "no-timer", false, "remove the lobby timer (the lobby stays on until switched off)")
	cmd.MarkFlagsMutuallyExclusive("at", "in", "no-timer")
	yesFlag(cmd, &opts.Change.Yes)
	dryRunFlag(cmd, &opts.Change.DryRun)
	a.jsonFlag(cmd)
	return cmd
}

// runLobby switches the lobby of the rooms.
func (a *app) runLobby(ctx context.Context, opts *lobbyOptions) error {
	state, at, in := opts.State, opts.At, opts.In
	targets, several, err := a.roomTargets(opts.Rooms)
	if err != nil {
		return err
	}
	// The timer, in each account's display zone, checked before
	// anything is sent.
	now := a.now()
	timers := map[*client.Client]*time.Time{}
	for _, t := range targets {
		if _, ok := timers[t.ac.c]; ok || (at == "" && in == "") {
			continue
		}
		var tm time.Time
		if at != "" {
			tm, err = timeparse.ParseTime(at, now, t.ac.ra.zone)
		} else {
			tm, err = timeparse.ParseIn(in, now)
		}
		if err != nil {
			return err
		}
		if err := client.ValidateLobbyTimer(now, tm); err != nil {
			// Refused before sending (exit 2), saying which time was meant.
			return cmdutil.UsageErrorf("%s: %s", words.At(tm, now, t.ac.ra.zone), client.Message(err))
		}
		timers[t.ac.c] = &tm
	}
	spec := change.Lobby(change.LobbyOptions{State: state, Word: opts.Word, Timers: timers,
		NoTimer: opts.NoTimer, Yes: opts.Change.Yes, Now: a.now})
	return a.runChange(ctx, targets, several, opts.Change, spec)
}

// sipOptions are the arguments and flags of talkmod sip.
type sipOptions struct {
	// Rooms are the TOKEN_OR_LINKs (or "-").
	Rooms  []string
	State  models.SIPState
	Change change.Options
}

func (a *app) sipCmd() *cobra.Command {
	opts := &sipOptions{}
	cmd := &cobra.Command{
		Use:   "sip TOKEN_OR_LINK... off|on|nopin [--dry-run]",
		Short: "Switch the SIP dial-in of one or several conversations",
		Long: `Switch SIP dial-in: off, on (participants dial in with their PIN) or nopin
(anyone with the meeting ID dials in; needs a server with sip-support-nopin).
The server answers 412 (exit 6) when SIP dial-in is not configured, and 403
(exit 4) when you are not in the groups allowed to enable it.

` + bulkHelp + `

` + roomJSONHelp + `

` + exit.CodesHelp,
		Example: `  talkmod sip 123456789 on
  talkmod sip 123456789 234567891 off
  talkmod rooms --json | jq -r '.[] | select(.sipEnabled > 0) | .token' | talkmod sip - off`,
		Args: minArgs(2, "conversation tokens or links (or - for stdin) and off, on or nopin"),
		RunE: func(cmd *cobra.Command, args []string) error {
			word := args[len(args)-1]
			switch strings.ToLower(word) {
			case "off":
				opts.State = models.SIPDisabled
			case "on", "pin":
				opts.State = models.SIPEnabled
			case "nopin", "no-pin":
				opts.State = models.SIPEnabledNoPIN
			default:
				return cmdutil.UsageErrorf("SIP state %q: use off, on or nopin, as the last argument", word)
			}
			opts.Rooms = args[:len(args)-1]
			return a.runSIP(cmd.Context(), opts)
		},
		ValidArgsFunction: a.completeTokens("off", "on", "nopin"),
	}
	dryRunFlag(cmd, &opts.Change.DryRun)
	a.jsonFlag(cmd)
	return cmd
}

// runSIP switches the SIP dial-in of the rooms.
func (a *app) runSIP(ctx context.Context, opts *sipOptions) error {
	targets, several, err := a.roomTargets(opts.Rooms)
	if err != nil {
		return err
	}
	return a.runChange(ctx, targets, several, opts.Change, change.SIP(opts.State))
}

func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return cmdutil.UsageErrorf("%s needs %s (usage: %s)", cmd.CommandPath(), what, cmd.UseLine())
		}
		return nil
	}
}

// completeTokens completes the first argument with the tokens of the rooms
// you moderate (asking the server, briefly), and later ones with the state
// words and more tokens (lobby and sip take several rooms).
func (a *app) completeTokens(words ...string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) >= 1 && len(words) == 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		if len(args) >= 1 {
			// another room, or the state word (the last argument)
			out = append(out, words...)
		}
		c, _, err := a.newClient()
		if err != nil {
			return out, cobra.ShellCompDirectiveNoFileComp
		}
		ctx, cancel := context.WithTimeout(cmd.Context(), 5*time.Second)
		defer cancel()
		list, err := c.ListRooms(ctx, client.ListOptions{})
		if err != nil {
			return out, cobra.ShellCompDirectiveNoFileComp
		}
		for _, r := range list.Rooms {
			if r.IsWebinarCandidate() && strings.HasPrefix(r.Token, toComplete) {
				out = append(out, cobra.CompletionWithDesc(r.Token, sanitize.Line(r.Label())))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
