package roster

import (
	"errors"
	"strings"
	"testing"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/models"
)

var (
	alice = models.Participant{AttendeeID: 1, ActorType: models.ActorUsers, ActorID: "alice", DisplayName: "Alice Admin", ParticipantType: models.ParticipantOwner}
	bob   = models.Participant{AttendeeID: 21, ActorType: models.ActorUsers, ActorID: "bob", DisplayName: "Bob"}
	sam1  = models.Participant{AttendeeID: 30, ActorType: models.ActorGuests, ActorID: "g1", DisplayName: "Sam"}
	sam2  = models.Participant{AttendeeID: 31, ActorType: models.ActorGuests, ActorID: "g2", DisplayName: "sam"}
)

func isUsage(err error) bool {
	var ue *cmdutil.UsageError
	return errors.As(err, &ue)
}

// Resolve finds one person by attendee id (21 or #21), user id or display
// name; nobody or several is a usage error naming the candidates.
func TestResolve(t *testing.T) {
	people := []models.Participant{alice, bob, sam1, sam2}
	room := models.Room{Token: "abcd"}
	for who, want := range map[string]int64{"21": 21, "#21": 21, "bob": 21, "BOB": 21, " Alice Admin ": 1, "alice": 1} {
		p, err := Resolve(who, people, room)
		if err != nil || p.AttendeeID != want {
			t.Errorf("Resolve(%q) = #%d, %v; want #%d", who, p.AttendeeID, err, want)
		}
	}
	for who, says := range map[string]string{
		"Sam":   "names 2 people",
		"#99":   "nobody has attendee id #99",
		"carol": "nobody called",
	} {
		_, err := Resolve(who, people, room)
		if err == nil || !isUsage(err) || !strings.Contains(err.Error(), says) || !strings.Contains(err.Error(), "candidates:") {
			t.Errorf("Resolve(%q): %v; want a usage error saying %q with the candidates", who, err, says)
		}
	}
}

// Filter keeps what keep says yes to, and is an empty list (JSON []), not
// nil, when nothing is kept.
func TestFilter(t *testing.T) {
	people := []models.Participant{alice, bob}
	got := Filter(people, func(p models.Participant) bool { return p.ActorID == "bob" })
	if len(got) != 1 || got[0].AttendeeID != 21 {
		t.Errorf("Filter kept %v", got)
	}
	if none := Filter(people, func(models.Participant) bool { return false }); none == nil || len(none) != 0 {
		t.Errorf("Filter of nothing = %#v, want an empty non-nil list", none)
	}
}
