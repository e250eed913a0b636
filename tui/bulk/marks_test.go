package bulk

import (
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"

	"github.com/talkmod/talkmod/tui/common"
)

func TestMarks(t *testing.T) {
	var ms Marks
	if ms.Count() != 0 || ms.Has("a") || ms.Names() != nil || ms.Header() != "" || ms.Words() != "no room marked" {
		t.Fatalf("zero marks: %d %q %q", ms.Count(), ms.Header(), ms.Words())
	}
	ms.Mark("a", "Town hall", true)
	ms.Mark("b", "Launch", true)
	ms.Mark("b", "", false)
	ms.Mark("c", "Board", true)
	if ms.Count() != 2 || !ms.Has("a") || ms.Has("b") || ms.Header() != "2 marked · " {
		t.Fatalf("marks: %d, header %q", ms.Count(), ms.Header())
	}
	if w := ms.Words(); w != "2 marked (l, t, s act on them; U clears)" {
		t.Errorf("words %q", w)
	}
	names := ms.Names()
	delete(names, "a")
	if !ms.Has("a") || ms.Names()["c"] != "Board" {
		t.Fatal("Names is not a copy")
	}
	if n := ms.Clear(); n != 2 || ms.Count() != 0 {
		t.Fatalf("Clear: %d, %d left", n, ms.Count())
	}
}

// With marks l, t and s say how many rooms they act on (the single-room
// keys and their reasons give way); u says how many rooms it restores.
func TestMarksKeys(t *testing.T) {
	k := common.DefaultKeyMap()
	view := func(bs []key.Binding) string {
		var out []string
		for _, b := range bs {
			out = append(out, b.Help().Key+" "+b.Help().Desc)
		}
		return strings.Join(out, " · ")
	}
	var ms Marks
	nav, act, off := ms.Keys(k, 0, true, nil, []key.Binding{k.Lobby, k.Timer}, []common.Unavailable{{B: k.SIP, Why: "no SIP"}})
	if view(nav) != "space mark/unmark · * mark all shown" || view(act) != "l lobby on/off · t lobby timer" || len(off) != 1 {
		t.Fatalf("no marks: nav %q, act %q, %d off", view(nav), view(act), len(off))
	}
	if nav, _, _ := ms.Keys(k, 0, false, nil, nil, nil); len(nav) != 0 {
		t.Fatalf("no room selected: nav %q", view(nav))
	}
	ms.Mark("a", "A", true)
	ms.Mark("b", "B", true)
	nav, act, off = ms.Keys(k, 3, false, nil, []key.Binding{k.Lobby, k.Timer, k.Undo, k.Refresh}, []common.Unavailable{{B: k.SIP, Why: "no SIP"}})
	if want := "l lobby ×2 · t timer ×2 · s SIP ×2 · U/esc clear marks · u undo ×3 · r refresh"; view(act) != want {
		t.Errorf("act %q, want %q", view(act), want)
	}
	if len(off) != 0 || len(nav) != 2 {
		t.Errorf("off %v, nav %q", off, view(nav))
	}
}
