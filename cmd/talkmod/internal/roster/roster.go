// Package roster reads and prints a room's people for talkmod's people and
// floor commands, and finds the one person a WHO argument names.
package roster

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/output"
	"github.com/talkmod/talkmod/models"
	peopleview "github.com/talkmod/talkmod/tui/people"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// Read reads the room (for its lobby) and its participants, sorted
// by state then name.
func Read(ctx context.Context, c *client.Client, token string) (models.Room, []models.Participant, error) {
	room, err := c.GetRoom(ctx, token)
	if err != nil {
		return room, nil, err
	}
	people, err := c.Participants(ctx, token)
	if err != nil {
		return room, nil, err
	}
	sort.SliceStable(people, func(i, j int) bool {
		ri, rj := stateRank(people[i], room), stateRank(people[j], room)
		if ri != rj {
			return ri < rj
		}
		return strings.ToLower(people[i].Name()) < strings.ToLower(people[j].Name())
	})
	return room, people, nil
}

// stateRank orders the table as the console's sections: waiting, in the
// call, let in, moderators, others, not connected.
func stateRank(p models.Participant, room models.Room) int {
	return int(peopleview.SectionOf(p, room))
}

// Filter keeps the people keep says yes to (an empty list, not nil, when
// none).
func Filter(ps []models.Participant, keep func(models.Participant) bool) []models.Participant {
	out := []models.Participant{}
	for _, p := range ps {
		if keep(p) {
			out = append(out, p)
		}
	}
	return out
}

// Resolve finds the one person WHO names: an attendee id (21 or #21),
// a user id, or a display name (exact, case-insensitive). Nobody or more
// than one: a usage error listing the candidates.
func Resolve(who string, people []models.Participant, room models.Room) (models.Participant, error) {
	w := strings.TrimSpace(who)
	if id, err := strconv.ParseInt(strings.TrimPrefix(w, "#"), 10, 64); err == nil {
		for _, p := range people {
			if p.AttendeeID == id {
				return p, nil
			}
		}
		if strings.HasPrefix(w, "#") {
			return models.Participant{}, cmdutil.UsageErrorf("nobody has attendee id #%d in this conversation (ids change when someone is removed and re-added)%s", id, candidates(people, room, ""))
		}
	}
	var byID, byName []models.Participant
	for _, p := range people {
		if p.ActorType == models.ActorUsers && strings.EqualFold(p.ActorID, w) {
			byID = append(byID, p)
		}
		if strings.EqualFold(strings.TrimSpace(p.DisplayName), w) || (p.DisplayName == "" && strings.EqualFold(words.PersonName(p), w)) {
			byName = append(byName, p)
		}
	}
	switch {
	case len(byID) == 1:
		return byID[0], nil
	case len(byName) == 1:
		return byName[0], nil
	case len(byName) > 1:
		return models.Participant{}, cmdutil.UsageErrorf("%q names %d people: use the attendee id%s", sanitize.Line(who), len(byName), listPeople(byName, room))
	}
	return models.Participant{}, cmdutil.UsageErrorf("nobody called %q in this conversation%s", sanitize.Line(who), candidates(people, room, w))
}

// candidates lists the people whose name or id contains part (everyone
// when none does, at most 20).
func candidates(people []models.Participant, room models.Room, part string) string {
	var near []models.Participant
	lp := strings.ToLower(part)
	if lp != "" {
		for _, p := range people {
			if strings.Contains(strings.ToLower(p.Name()), lp) || strings.Contains(strings.ToLower(p.ActorID), lp) {
				near = append(near, p)
			}
		}
	}
	if len(near) == 0 {
		near = people
	}
	return listPeople(near, room)
}

func listPeople(ps []models.Participant, room models.Room) string {
	if len(ps) == 0 {
		return " (the conversation has nobody else)"
	}
	var b strings.Builder
	b.WriteString("; candidates:")
	for i, p := range ps {
		if i > 0 {
			b.WriteString(";")
		}
		if i == 20 {
			fmt.Fprintf(&b, " … and %d more (talkmod people lists everyone)", len(ps)-20)
			break
		}
		id := ""
		if p.ActorType == models.ActorUsers {
			id = ", user " + sanitize.Line(p.ActorID)
		}
		fmt.Fprintf(&b, " #%d %s (%s%s, %s)", p.AttendeeID, words.PersonName(p), words.Kind(p), id, peopleview.PersonState(p, room))
	}
	return b.String()
}

// Raw are the participant objects as the server sent them (for --json).
func Raw(people []models.Participant) []json.RawMessage {
	raws := make([]json.RawMessage, 0, len(people))
	for _, p := range people {
		raw := p.Raw
		if raw == nil {
			raw, _ = json.Marshal(p)
		}
		raws = append(raws, raw)
	}
	return raws
}

// Print prints talkmod people: a table of the people (waiting: only those
// waiting in the lobby), their states as the console says them, times in
// loc as seen at now, then the counts.
func Print(w io.Writer, room models.Room, people []models.Participant, now time.Time, loc *time.Location, waiting bool) {
	if len(people) == 0 {
		if waiting {
			fmt.Fprintf(w, "%s: nobody is waiting in the lobby.\n", sanitize.Line(room.Label()))
		} else {
			fmt.Fprintf(w, "%s: nobody.\n", sanitize.Line(room.Label()))
		}
		return
	}
	rows := make([][]string, 0, len(people))
	for _, p := range people {
		since := ""
		if t := p.LastSeen(); !t.IsZero() && p.Connected() {
			since = words.Clock(t, now, loc)
		}
		rows = append(rows, []string{"#" + strconv.FormatInt(p.AttendeeID, 10), words.PersonName(p), words.Kind(p), peopleview.PersonState(p, room), since})
	}
	output.Table(w, []string{"ID", "NAME", "KIND", "STATE", "SINCE"}, rows)
	fmt.Fprintf(w, "\n%s\n", peopleview.PeopleCounts(room, people))
}

// PrintPermissions prints talkmod permissions without a preset: the room's
// default and each person's rights, where they come from, and their state.
func PrintPermissions(w io.Writer, room models.Room, people []models.Participant) {
	fmt.Fprintf(w, "%s: default permissions %s\n", sanitize.Line(room.Label()), words.DefaultPermissions(room.DefaultPermissions))
	if p, ok := models.PresetOf(room.DefaultPermissions); ok {
		fmt.Fprintf(w, "  %s\n", words.PresetMeaning(p))
	}
	if len(people) == 0 {
		return
	}
	fmt.Fprintln(w)
	rows := make([][]string, 0, len(people))
	for _, p := range people {
		note := ""
		if p.NotEnforcedYet() {
			note = words.NotYetApplied
		}
		rows = append(rows, []string{"#" + strconv.FormatInt(p.AttendeeID, 10), words.PersonName(p), words.Kind(p),
			words.RightsWords(p.Permissions), words.OwnRights(p), peopleview.PersonState(p, room), note})
	}
	output.Table(w, []string{"ID", "NAME", "KIND", "RIGHTS", "FROM", "STATE", "NOTE"}, rows)
}

// LobbyNote warns that people let in wait again while the lobby is on.
func LobbyNote(room models.Room, losers []models.Participant) string {
	if room.LobbyState != models.LobbyModeratorsOnly {
		return ""
	}
	for _, p := range losers {
		if p.LetIn() {
			return "; " + words.LetInLost
		}
	}
	return ""
}

// InCall counts the people in the call.
func InCall(people []models.Participant) int {
	n := 0
	for _, p := range people {
		if p.InCallNow() {
			n++
		}
	}
	return n
}
