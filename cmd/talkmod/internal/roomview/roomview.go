// Package roomview prints rooms for talkmod rooms and talkmod room, in the
// console's words.
package roomview

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/output"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// Rooms prints the room list of talkmod rooms: a table with the console's
// column words (all: every conversation, with why it can't be changed).
func Rooms(w io.Writer, rooms []models.Room, caps models.Capabilities, now time.Time, loc *time.Location, all bool) {
	if len(rooms) == 0 {
		if all {
			fmt.Fprintln(w, "No conversations.")
		} else {
			fmt.Fprintln(w, "No group or public conversations where you are owner or moderator (talkmod rooms --all lists every conversation).")
		}
		return
	}
	header := []string{"NAME", "TOKEN", "TYPE", "LOBBY", "TIMER", "SIP", "CALL"}
	if all {
		header = append(header, "CAN'T CHANGE")
	}
	var rows [][]string
	for _, r := range rooms {
		timer := ""
		if t, ok := r.LobbyTimerTime(); ok {
			timer = words.Clock(t, now, loc)
		}
		// the console's column words: TypeShort, LobbyCell, SIPCell, CallCell
		row := []string{r.Label(), r.Token, words.TypeShort(r.Type), words.LobbyCell(r, now), timer, words.SIPCell(r), words.CallCell(r.HasCall)}
		if all {
			row = append(row, words.CantChange(r, caps))
		}
		rows = append(rows, row)
	}
	output.Table(w, header, rows)
}

// Room prints talkmod room: the room's settings in the console's words,
// its link on server, and the dial-in card when SIP is on.
func Room(w io.Writer, r models.Room, caps models.Capabilities, server string, now time.Time, loc *time.Location, card DialIn) {
	var rows [][]string
	add := func(k, v string) { rows = append(rows, []string{k, v}) }
	add("Name:", r.Label())
	add("Token:", r.Token)
	add("Link:", strings.TrimRight(server, "/")+"/call/"+r.Token)
	add("Type:", words.Type(r.Type))
	if words.YouAre(r) != "" {
		// a one-to-one, changelog or note to self has no role to name
		add("You are:", words.Role(r.ParticipantType))
	}
	if r.Description != "" {
		add("Description:", r.Description)
	}
	add("Lobby:", lobbyDetail(r, now, loc))
	if why := words.LobbyUnavailableReason(r); why != "" {
		add("", "can't change the lobby: "+why)
	}
	add("SIP dial-in:", sipDetail(r))
	if why := words.SIPUnavailableReason(r, caps); why != "" {
		add("", "can't change SIP: "+why)
	}
	add("Call:", words.Call(r, now, loc))
	add("Zone:", words.ZoneLabel(loc, now))
	for _, row := range rows {
		row[0] = fmt.Sprintf("%-13s", row[0])
		fmt.Fprintln(w, strings.TrimRight(row[0]+sanitize.Line(row[1]), " "))
	}
	if r.SIPEnabled != models.SIPDisabled {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Dial-in card:")
		if lines, why := card.lines(); why != "" {
			fmt.Fprintf(w, "  Numbers:    not available (%s)\n", sanitize.Line(why))
		} else {
			for i, l := range lines {
				label := "              "
				if i == 0 {
					label = "  Numbers:    "
				}
				fmt.Fprintln(w, label+sanitize.Line(l))
			}
		}
		fmt.Fprintf(w, "  Meeting ID: %s\n", sanitize.Line(r.Token))
		switch {
		case r.SIPEnabled == models.SIPEnabledNoPIN:
			fmt.Fprintln(w, "  PIN:        none needed (dial-in without PIN)")
		case r.AttendeePin != "":
			fmt.Fprintf(w, "  Your PIN:   %s\n", sanitize.Line(r.AttendeePin))
		}
	}
}

// DialIn is the answer of DialInInfo for the dial-in card.
type DialIn struct {
	Text string
	Err  error
}

// lines are the numbers, one a line, sanitized; or why there are none.
func (d DialIn) lines() (lines []string, why string) {
	if d.Err != nil {
		return nil, client.Message(d.Err)
	}
	for _, l := range strings.Split(sanitize.Block(d.Text), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return nil, "the server has no dial-in text: SIP dial-in is not configured on it"
	}
	return lines, ""
}

// lobbyDetail is the Lobby: line of talkmod room: "on until 15:00 CET =
// 14:00 UTC, in 25m", "on, no timer", "off", or "n.a. (one-to-one
// conversation)" as the console's detail says it.
func lobbyDetail(r models.Room, now time.Time, loc *time.Location) string {
	if words.LobbyCell(r, now) == words.NotApplicable {
		return notApplicable(r)
	}
	if r.LobbyState != models.LobbyModeratorsOnly {
		return words.Lobby(r.LobbyState)
	}
	if t, ok := r.LobbyTimerTime(); ok {
		return "on until " + words.At(t, now, loc)
	}
	return "on, no timer"
}

// sipDetail is the SIP dial-in: line: "off", "on with PIN", "on without
// PIN", or "n.a. (one-to-one conversation)".
func sipDetail(r models.Room) string {
	if words.SIPCell(r) == words.NotApplicable {
		return notApplicable(r)
	}
	return words.SIP(r.SIPEnabled)
}

// notApplicable is the console's words for a setting the type cannot have.
func notApplicable(r models.Room) string {
	return words.NotApplicable + " (" + words.Type(r.Type) + " conversation)"
}

// NewestFirst sorts rooms by last activity, the newest first, keeping the
// server's order among equals. It sorts the rooms' keys and then moves
// each room once, not at every step of the sort (a room is large).
func NewestFirst(rooms []models.Room) {
	type key struct {
		at int64
		i  int
	}
	keys := make([]key, len(rooms))
	for i := range rooms {
		keys[i] = key{rooms[i].LastActivity, i}
	}
	slices.SortStableFunc(keys, func(a, b key) int { return cmp.Compare(b.at, a.at) })
	// the room at keys[j].i goes to place j: follow each cycle once
	for i := range keys {
		if keys[i].i == i {
			continue
		}
		first := rooms[i]
		j := i
		for {
			k := keys[j].i
			keys[j].i = j
			if k == i {
				rooms[j] = first
				break
			}
			rooms[j] = rooms[k]
			j = k
		}
	}
}
