package roomview

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/talkmod/talkmod/models"
)

// roomsAt are n rooms with lastActivity from at(i), each named by its
// place in the list.
func roomsAt(n int, at func(i int) int64) []models.Room {
	rooms := make([]models.Room, n)
	for i := range rooms {
		rooms[i] = models.Room{Token: fmt.Sprintf("t%05d", i), LastActivity: at(i)}
	}
	return rooms
}

// TestNewestFirst: the newest first, equals in the server's order, as a
// stable sort of the rooms gives, whatever the order they came in.
func TestNewestFirst(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	orders := map[string]func(i int) int64{
		"random, with ties": func(int) int64 { return rnd.Int64N(50) },
		"newest first":      func(i int) int64 { return int64(1000 - i) },
		"oldest first":      func(i int) int64 { return int64(i) },
		"all equal":         func(int) int64 { return 7 },
	}
	for name, at := range orders {
		for _, n := range []int{0, 1, 2, 3, 10, 1000} {
			rooms := roomsAt(n, at)
			want := slices.Clone(rooms)
			sort.SliceStable(want, func(i, j int) bool { return want[i].LastActivity > want[j].LastActivity })
			NewestFirst(rooms)
			if !reflect.DeepEqual(rooms, want) {
				t.Fatalf("%s, %d rooms: got %v, want %v", name, n, tokens(rooms), tokens(want))
			}
		}
	}
}

func tokens(rooms []models.Room) []string {
	var out []string
	for _, r := range rooms {
		out = append(out, fmt.Sprintf("%s@%d", r.Token, r.LastActivity))
	}
	return out
}

// BenchmarkNewestFirst sorts 10,000 rooms in random order and nearly
// sorted (as the demo server sends them), with sort.SliceStable of the
// rooms for comparison.
func BenchmarkNewestFirst(b *testing.B) {
	rnd := rand.New(rand.NewPCG(3, 4))
	orders := map[string][]models.Room{
		"random": roomsAt(10_000, func(int) int64 { return rnd.Int64N(1_000_000) }),
		"nearly": roomsAt(10_000, func(i int) int64 { return int64(1_000_000 - i + rnd.IntN(3)) }),
	}
	for name, in := range orders {
		rooms := make([]models.Room, len(in))
		b.Run(name+"/NewestFirst", func(b *testing.B) {
			for b.Loop() {
				copy(rooms, in)
				NewestFirst(rooms)
			}
		})
		b.Run(name+"/SliceStable", func(b *testing.B) {
			for b.Loop() {
				copy(rooms, in)
				sort.SliceStable(rooms, func(i, j int) bool { return rooms[i].LastActivity > rooms[j].LastActivity })
			}
		})
	}
}
