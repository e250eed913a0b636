package roomlist

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/talkmod/talkmod/models"
)

func rooms(n int, r *rand.Rand) []models.Room {
	names := []string{"Webinar", "Town hall", "Board", "Élan", "Zoë", "review", "Team"}
	out := make([]models.Room, n)
	for i := range out {
		out[i] = models.Room{Token: strconv.Itoa(100000 + r.IntN(900000)), Type: models.ConversationGroup,
			DisplayName:     names[r.IntN(len(names))] + " " + strconv.Itoa(r.IntN(1000)),
			ParticipantType: models.ParticipantOwner, LastActivity: int64(r.IntN(1000))}
		if r.IntN(5) == 0 {
			out[i].ParticipantType = models.ParticipantUser // greyed: listed with all rooms only
		}
	}
	return out
}

// Whatever the order of filter keys, backspaces, all-rooms, orders and
// list changes, the visible rows are exactly the rows of All that match,
// in list order, and a selected room that is still visible stays
// selected.
func TestVisibleIsWhatMatches(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var tb Table
	tb.SetHeight(10)
	tb.SetAll(rooms(300, r))
	filter := ""
	for step := 0; step < 3000; step++ {
		before := tb.Selected()
		moved := false
		switch k := r.IntN(10); {
		case k < 4:
			filter += string("aeiorw 1.2"[r.IntN(10)])
			tb.SetFilter(filter)
		case k < 6 && filter != "":
			filter = filter[:len(filter)-1]
			tb.SetFilter(filter)
		case k == 6:
			tb.SetShowAll(!tb.ShowAll)
		case k == 7:
			tb.Resort(SortMode(r.IntN(int(SortModes))))
		case k == 8:
			tb.Merge(rooms(3, r), nil)
		default:
			tb.Move(r.IntN(7) - 3)
			moved = true
		}
		var want []*Entry
		for _, e := range tb.All {
			if tb.Matches(e) {
				want = append(want, e)
			}
		}
		if len(want) != len(tb.Visible) {
			t.Fatalf("step %d (filter %q): %d visible, %d match", step, filter, len(tb.Visible), len(want))
		}
		for i := range want {
			if want[i] != tb.Visible[i] {
				t.Fatalf("step %d (filter %q): row %d is %q, want %q", step, filter, i, tb.Visible[i].Name, want[i].Name)
			}
		}
		if s := tb.Selected(); !moved && before != nil && s != nil && s.Room.Token != before.Room.Token && tb.Find(before.Room.Token) != nil {
			for _, e := range tb.Visible {
				if e.Room.Token == before.Room.Token && !tb.None {
					t.Fatalf("step %d: the selection moved from %q to %q though it is still visible", step, before.Name, s.Name)
				}
			}
		}
	}
}
