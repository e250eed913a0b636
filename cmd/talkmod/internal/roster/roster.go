// Package roster reads a room's people for talkmod's people commands and
// finds the one person a WHO argument names.
package roster

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui"
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
	return int(tui.SectionOf(p, room))
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
		if strings.EqualFold(strings.TrimSpace(p.DisplayName), w) || (p.DisplayName == "" && strings.EqualFold(tui.PersonName(p), w)) {
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
		fmt.Fprintf(&b, " #%d %s (%s%s, %s)", p.AttendeeID, tui.PersonName(p), words.Kind(p), id, tui.PersonState(p, room))
	}
	return b.String()
}
