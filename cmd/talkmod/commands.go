package main

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui"
	"github.com/talkmod/talkmod/tui/sanitize"
)

var (
	tokenRE    = regexp.MustCompile(`^[a-z0-9]{4,30}$`)
	callPathRE = regexp.MustCompile(`/call/([a-z0-9]{4,30})$`)
)

// parseToken accepts a conversation token or link:
// https://host/call/TOKEN, https://host/index.php/call/TOKEN (also under a
// sub-path, with a trailing slash, a query or a #fragment). It returns the
// token and the link's host ("" for a bare token).
func parseToken(s string) (token, host string, err error) {
	s = strings.TrimSpace(s)
	if tokenRE.MatchString(s) {
		return s, "", nil
	}
	if strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") {
		u, perr := url.Parse(s)
		if perr == nil && u.Host != "" {
			p := strings.TrimRight(u.Path, "/")
			if m := callPathRE.FindStringSubmatch(p); m != nil {
				return m[1], u.Host, nil
			}
		}
		return "", "", usageErrorf("%q is not a conversation link (expected https://HOST/call/TOKEN)", s)
	}
	return "", "", usageErrorf("%q is not a conversation token (4 to 30 lowercase letters and digits) or link (https://HOST/call/TOKEN)", s)
}

// tokenArg parses a TOKEN_OR_LINK argument and warns when a link points to
// another server than the account's.
func (a *app) tokenArg(arg string, s *session) (string, error) {
	token, host, err := parseToken(arg)
	if err != nil {
		return "", err
	}
	if host != "" && s != nil {
		if u, err := url.Parse(s.server); err == nil && !strings.EqualFold(u.Host, host) {
			fmt.Fprintf(a.stderr, "talkmod: warning: the link is on %s, but the account is on %s\n", clean(host), clean(u.Host))
		}
	}
	return token, nil
}

// roomJSONHelp documents the --json room object.
const roomJSONHelp = `With --json the room object (for rooms: a JSON array of them) is printed as the
server returned it, with the API's field names: id, token, type (2 group, 3 public), name, displayName,
description, participantType (1 owner, 2 moderator), permissions, lobbyState
(0 off, 1 on), lobbyTimer (unix seconds, 0 none), sipEnabled (0 off, 1 on with
PIN, 2 on without PIN), canEnableSIP, attendeePin, hasCall, callFlag,
callStartTime, readOnly, lastActivity, isFavorite, objectType, objectId,
breakoutRoomMode, remoteServer. Errors are also printed on stdout as
{"error": {"status": 403, "reason": "config", "kind": "forbidden", "exitCode": 4, "message": "..."}}.`

func (a *app) roomsCmd() *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "rooms",
		Short: "List the webinars you moderate",
		Long: `List the group and public conversations where you are owner or moderator,
with lobby, lobby timer (in the display zone), SIP dial-in and call. With --all,
every conversation, and why its lobby (or else its SIP dial-in) can't be
changed.

` + roomJSONHelp + `

` + exitCodesHelp,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			c, s, err := a.newClient()
			if err != nil {
				return err
			}
			list, err := c.ListRooms(ctx, client.ListOptions{KeepRaw: a.jsonOut, Lean: a.jsonOut})
			if err != nil {
				return err
			}
			rooms := list.Rooms
			if !all {
				rooms = filterRooms(rooms, models.Room.IsWebinarCandidate)
			}
			sort.SliceStable(rooms, func(i, j int) bool { return rooms[i].LastActivity > rooms[j].LastActivity })
			if a.jsonOut {
				if rooms == nil {
					rooms = []models.Room{}
				}
				return writeJSON(a.stdout, rooms)
			}
			var caps models.Capabilities
			if all || len(rooms) > 0 {
				// SIP words need the capabilities; without them the room's own
				// canEnableSIP decides.
				if cp, err := c.Capabilities(ctx); err == nil {
					caps = cp
				} else if k := client.KindOf(err); k == client.KindUnauthorized {
					return err
				}
			}
			a.printRooms(rooms, caps, s.zone, all)
			return nil
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "list every conversation, and why the others can't be changed")
	a.jsonFlag(cmd)
	return cmd
}

// filterRooms keeps the rooms keep accepts, in place (a 10,000-room list
// is not copied).
func filterRooms(rooms []models.Room, keep func(models.Room) bool) []models.Room {
	out := rooms[:0]
	for _, r := range rooms {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

func (a *app) printRooms(rooms []models.Room, caps models.Capabilities, loc *time.Location, all bool) {
	if len(rooms) == 0 {
		if all {
			fmt.Fprintln(a.stdout, "No conversations.")
		} else {
			fmt.Fprintln(a.stdout, "No group or public conversations where you are owner or moderator (talkmod rooms --all lists every conversation).")
		}
		return
	}
	now := a.now()
	header := []string{"NAME", "TOKEN", "TYPE", "LOBBY", "TIMER", "SIP", "CALL"}
	if all {
		header = append(header, "CAN'T CHANGE")
	}
	var rows [][]string
	for _, r := range rooms {
		row := []string{r.Label(), r.Token, r.Type.String(), lobbyWords(r, now, loc), timerWords(r, now, loc), tui.SIPCell(r, caps), callWords(r)}
		if all {
			row = append(row, whyNot(r, caps))
		}
		rows = append(rows, row)
	}
	writeTable(a.stdout, header, rows)
}

// whyNot says why a room's lobby can't be changed, else why its SIP
// dial-in can't ("SIP: ..."), or "".
func whyNot(r models.Room, caps models.Capabilities) string {
	if !r.IsWebinarCandidate() && r.IsModerator() && r.ParticipantType == models.ParticipantGuestModerator {
		return "you are a guest moderator"
	}
	if why := r.LobbyUnavailableReason(); why != "" {
		return why
	}
	if !r.IsWebinarCandidate() {
		return "not a webinar you moderate"
	}
	if why := r.SIPUnavailableReason(caps); why != "" {
		return "SIP: " + why
	}
	return ""
}

func (a *app) jsonFlag(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&a.jsonOut, "json", false, "print JSON (the room object(s) as the server returned them; errors as {\"error\":{...}})")
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("%s takes no arguments, got %q", cmd.CommandPath(), strings.Join(args, " "))
	}
	return nil
}

func (a *app) roomCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "room TOKEN_OR_LINK",
		Short: "Show one conversation, with its dial-in card",
		Long: `Show one conversation: lobby and timer (in the display zone, in UTC, and
relative), SIP dial-in with the dial-in card (the numbers to call, meeting
ID, your PIN), call, and
why a setting can't be changed. TOKEN_OR_LINK is a token or a conversation
link (https://HOST/call/TOKEN, also under /index.php/).

` + roomJSONHelp + `

` + exitCodesHelp,
		Args: exactArgs(1, "a conversation token or link"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if _, _, err := parseToken(args[0]); err != nil {
				return err
			}
			c, s, err := a.newClient()
			if err != nil {
				return err
			}
			token, err := a.tokenArg(args[0], s)
			if err != nil {
				return err
			}
			r, err := c.GetRoom(ctx, token)
			if err != nil {
				return err
			}
			if a.jsonOut {
				return writeJSON(a.stdout, r)
			}
			caps, err := c.Capabilities(ctx)
			if err != nil && client.KindOf(err) == client.KindUnauthorized {
				return err
			}
			var card dialIn
			if r.SIPEnabled != models.SIPDisabled {
				// the numbers are the admin's server-wide text; a failure
				// only shows in the card
				card.text, card.err = c.DialInInfo(ctx, token)
			}
			a.printRoom(r, caps, s, card)
			return nil
		},
		ValidArgsFunction: a.completeTokens(0),
	}
	a.jsonFlag(cmd)
	return cmd
}

// dialIn is the answer of DialInInfo for the dial-in card.
type dialIn struct {
	text string
	err  error
}

// lines are the numbers, one a line, sanitized; or why there are none.
func (d dialIn) lines() (lines []string, why string) {
	if d.err != nil {
		return nil, client.Message(d.err)
	}
	for _, l := range strings.Split(sanitize.Block(d.text), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return nil, "the server has no dial-in text: SIP dial-in is not configured on it"
	}
	return lines, ""
}

func (a *app) printRoom(r models.Room, caps models.Capabilities, s *session, card dialIn) {
	now := a.now()
	loc := s.zone
	var rows [][]string
	add := func(k, v string) { rows = append(rows, []string{k, v}) }
	add("Name:", r.Label())
	add("Token:", r.Token)
	add("Link:", strings.TrimRight(s.server, "/")+"/call/"+r.Token)
	add("Type:", r.Type.String())
	add("You are:", r.ParticipantType.String())
	if r.Description != "" {
		add("Description:", r.Description)
	}
	lobby := r.LobbyState.String()
	if t, ok := r.LobbyTimerTime(); ok && r.LobbyState == models.LobbyModeratorsOnly {
		lobby = "on until " + fullTime(t, now, loc)
	} else if r.LobbyState == models.LobbyModeratorsOnly {
		lobby = "on, no timer"
	}
	add("Lobby:", lobby)
	if why := r.LobbyUnavailableReason(); why != "" {
		add("", "can't change the lobby: "+why)
	}
	add("SIP dial-in:", r.SIPEnabled.String())
	if why := r.SIPUnavailableReason(caps); why != "" {
		add("", "can't change SIP: "+why)
	}
	call := "no call"
	if r.HasCall {
		call = "call running"
		if r.CallStartTime > 0 {
			st := time.Unix(r.CallStartTime, 0)
			call += " since " + formatTime(st, now, loc) + " (" + relative(st.Sub(now)) + ")"
		}
	}
	add("Call:", call)
	add("Zone:", zoneLabel(loc, now))
	for _, row := range rows {
		row[0] = fmt.Sprintf("%-13s", row[0])
		fmt.Fprintln(a.stdout, strings.TrimRight(row[0]+clean(row[1]), " "))
	}
	if r.SIPEnabled != models.SIPDisabled {
		fmt.Fprintln(a.stdout)
		fmt.Fprintln(a.stdout, "Dial-in card:")
		if lines, why := card.lines(); why != "" {
			fmt.Fprintf(a.stdout, "  Numbers:    not available (%s)\n", clean(why))
		} else {
			for i, l := range lines {
				label := "              "
				if i == 0 {
					label = "  Numbers:    "
				}
				fmt.Fprintln(a.stdout, label+clean(l))
			}
		}
		fmt.Fprintf(a.stdout, "  Meeting ID: %s\n", clean(r.Token))
		switch {
		case r.SIPEnabled == models.SIPEnabledNoPIN:
			fmt.Fprintln(a.stdout, "  PIN:        none needed (dial-in without PIN)")
		case r.AttendeePin != "":
			fmt.Fprintf(a.stdout, "  Your PIN:   %s\n", clean(r.AttendeePin))
		}
	}
}

func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErrorf("%s needs %s (usage: %s)", cmd.CommandPath(), what, cmd.UseLine())
		}
		return nil
	}
}

func (a *app) lobbyCmd() *cobra.Command {
	var at, in string
	var noTimer bool
	cmd := &cobra.Command{
		Use:   "lobby TOKEN_OR_LINK on|off [--at TIME | --in DURATION | --no-timer]",
		Short: "Switch a conversation's lobby, with or without a timer",
		Long: `Switch the lobby on or off, and set its timer in the same request.

"on" keeps a future timer the room already has, unless --at or --in sets a new
one or --no-timer removes it. "off" removes the timer too.

TIME is RFC 3339 (2026-03-29T10:00:00+02:00), "YYYY-MM-DD HH:MM" or "HH:MM"
(the next such time), in the display zone: --tz, else TZ, else the account's
zone, else the local zone. DURATION is a Go duration: 45m, 1h30m. A time in the
past or more than a year ahead is refused before anything is sent (exit 2).

` + roomJSONHelp + `

` + exitCodesHelp,
		Example: `  talkmod lobby 123456789 on --in 30m
  talkmod lobby https://cloud.example.com/call/123456789 on --at "2026-12-01 15:00" --tz Europe/Berlin
  talkmod lobby 123456789 off`,
		Args: exactArgs(2, "a conversation token or link and on or off"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if _, _, err := parseToken(args[0]); err != nil {
				return err
			}
			var state models.LobbyState
			switch strings.ToLower(args[1]) {
			case "on":
				state = models.LobbyModeratorsOnly
			case "off":
				state = models.LobbyNone
			default:
				return usageErrorf("lobby state %q: use on or off", args[1])
			}
			n := 0
			for _, set := range []bool{at != "", in != "", noTimer} {
				if set {
					n++
				}
			}
			if n > 1 {
				return usageErrorf("use only one of --at, --in and --no-timer")
			}
			if state == models.LobbyNone && n > 0 {
				return usageErrorf("--at, --in and --no-timer go with \"on\" (\"off\" removes the timer)")
			}
			c, s, err := a.newClient()
			if err != nil {
				return err
			}
			token, err := a.tokenArg(args[0], s)
			if err != nil {
				return err
			}
			now := a.now()
			var timer *time.Time
			switch {
			case at != "":
				t, err := parseTime(at, now, s.zone)
				if err != nil {
					return err
				}
				timer = &t
			case in != "":
				t, err := parseIn(in, now)
				if err != nil {
					return err
				}
				timer = &t
			}
			if timer != nil {
				if err := client.ValidateLobbyTimer(now, *timer); err != nil {
					// Refused before sending (exit 2), saying which time was meant.
					return usageErrorf("%s (%s): %s", timer.In(s.zone).Format("2006-01-02 15:04 MST"), relative(timer.Sub(now)), client.Message(err))
				}
			}
			if state == models.LobbyModeratorsOnly && timer == nil && !noTimer {
				// The server clears the timer on any lobby change without
				// one: keep a future timer the room already has.
				cur, err := c.GetRoom(ctx, token)
				if err != nil {
					return err
				}
				if t, ok := cur.LobbyTimerTime(); ok && t.After(now) && cur.LobbyState == models.LobbyModeratorsOnly {
					timer = &t
				}
			}
			r, err := c.SetLobby(ctx, token, state, timer)
			if err != nil {
				return err
			}
			if a.jsonOut {
				return writeJSON(a.stdout, r)
			}
			fmt.Fprintf(a.stdout, "%s: %s\n", clean(r.Label()), tui.LobbyOutcome(r, state, noTimer, func(t time.Time) string {
				now := a.now()
				return formatTime(t, now, s.zone) + ", " + relative(t.Sub(now))
			}))
			return nil
		},
		ValidArgsFunction: a.completeTokens(0, "on", "off"),
	}
	cmd.Flags().StringVar(&at, "at", "", "open the lobby at TIME (RFC 3339, \"YYYY-MM-DD HH:MM\" or \"HH:MM\")")
	cmd.Flags().StringVar(&in, "in", "", "open the lobby after DURATION (45m, 1h30m)")
	cmd.Flags().BoolVar(&noTimer, "no-timer", false, "remove the lobby timer (the lobby stays on until switched off)")
	a.jsonFlag(cmd)
	return cmd
}

func (a *app) sipCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sip TOKEN_OR_LINK off|on|nopin",
		Short: "Switch a conversation's SIP dial-in",
		Long: `Switch SIP dial-in: off, on (participants dial in with their PIN) or nopin
(anyone with the meeting ID dials in; needs a server with sip-support-nopin).
The server answers 412 (exit 6) when SIP dial-in is not configured, and 403
(exit 4) when you are not in the groups allowed to enable it.

` + roomJSONHelp + `

` + exitCodesHelp,
		Args: exactArgs(2, "a conversation token or link and off, on or nopin"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if _, _, err := parseToken(args[0]); err != nil {
				return err
			}
			var state models.SIPState
			switch strings.ToLower(args[1]) {
			case "off":
				state = models.SIPDisabled
			case "on", "pin":
				state = models.SIPEnabled
			case "nopin", "no-pin":
				state = models.SIPEnabledNoPIN
			default:
				return usageErrorf("SIP state %q: use off, on or nopin", args[1])
			}
			c, s, err := a.newClient()
			if err != nil {
				return err
			}
			token, err := a.tokenArg(args[0], s)
			if err != nil {
				return err
			}
			r, err := c.SetSIP(ctx, token, state)
			if err != nil {
				return err
			}
			if a.jsonOut {
				return writeJSON(a.stdout, r)
			}
			fmt.Fprintf(a.stdout, "%s: %s\n", clean(r.Label()), tui.SIPOutcome(r))
			return nil
		},
		ValidArgsFunction: a.completeTokens(0, "off", "on", "nopin"),
	}
	a.jsonFlag(cmd)
	return cmd
}

// completeTokens completes the first argument with the tokens of the rooms
// you moderate (asking the server, briefly), and the second with words.
func (a *app) completeTokens(_ int, words ...string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) == 1 && len(words) > 0 {
			return words, cobra.ShellCompDirectiveNoFileComp
		}
		if len(args) > 1 || (len(args) == 1 && len(words) == 0) {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		c, _, err := a.newClient()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		ctx, cancel := context.WithTimeout(cmd.Context(), 5*time.Second)
		defer cancel()
		list, err := c.ListRooms(ctx, client.ListOptions{})
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, r := range list.Rooms {
			if r.IsWebinarCandidate() && strings.HasPrefix(r.Token, toComplete) {
				out = append(out, cobra.CompletionWithDesc(r.Token, clean(r.Label())))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
