package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// At 60x16 the help does not fit: it scrolls, says what is below, and
// every line of it can be reached; other keys still only close it.
func TestHelpScrollsOnASmallTerminal(t *testing.T) {
	h := newDemo(t, 60, 16)
	h.press("?")
	all := strings.Split(h.m.fullHelpView(), "\n")
	if len(all) <= 13 {
		t.Fatalf("the help fits 60x16 (%d lines): nothing to test", len(all))
	}
	v := h.view()
	mustContain(t, v, "more lines (↓/pgdn scrolls)")
	last := all[len(all)-1]
	if strings.Contains(v, last) {
		t.Fatal("the end of the help is on the first page")
	}
	seen := v
	for i := 0; i < len(all); i++ {
		h.press("down")
		if !h.m.showHelp {
			t.Fatal("down closed the help")
		}
		seen += h.view()
	}
	mustContain(t, h.view(), last)
	for _, l := range all {
		if !strings.Contains(seen, l) {
			t.Errorf("never shown: %q", l)
		}
	}
	h.press("pgup", "pgup", "pgup")
	if h.m.helpOffset != 0 {
		t.Fatalf("pgup: offset %d", h.m.helpOffset)
	}
	h.press("l")
	if h.m.showHelp || countCalls(h.be, "lobby") != 0 {
		t.Fatal("l on the help did more than close it")
	}
	// on a large screen the scroll keys close it as before
	h = newDemo(t, 120, 40)
	h.press("?", "down")
	if h.m.showHelp {
		t.Fatal("down kept a help that fits open")
	}
}

// On a wide terminal a dialog's box stops at maxDialogWidth; on a narrow
// one it takes the width.
func TestDialogsKeepAReadableWidth(t *testing.T) {
	for _, w := range []int{80, 120, 200} {
		for _, keys := range [][]string{{"s"}, {"t"}, {"l"}} {
			h := newDemo(t, w, 40)
			h.selectRoom("913572")
			if keys[0] == "l" {
				h.selectRoom("748392") // a call is running: the question
			}
			h.press(keys...)
			if h.m.modal == modalNone {
				t.Fatalf("%d %v: no dialog", w, keys)
			}
			box := strings.Split(h.m.modalView(), "\n")
			got := ansi.StringWidth(box[0])
			want := min(w, maxDialogWidth)
			if got != want {
				t.Errorf("%d %v: box %d wide, want %d", w, keys, got, want)
			}
		}
	}
}
