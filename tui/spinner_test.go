package tui

import (
	"strings"
	"testing"
)

// spinFramesSeen are the frames a person sees turn, in order (bubbles'
// MiniDot), written out so that a change of the spinner shows here.
var spinFramesSeen = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// One spinner: a pending room and a person on their way turn the same
// frames, one a tick, and start again after the last.
func TestOneSpinnerForRowsAndPeople(t *testing.T) {
	hs := openPeopleHarness(t, 120, 40)
	hs.admitHeld(21) // the answer is held: Jordan Smith stays on their way
	h := newDemo(t, 120, 40)
	h.selectRoom("913572")
	if msgs := h.send(keyMsg("l")); len(msgs) != 1 { // the answer is held: the room stays pending
		t.Fatalf("l sent %d requests", len(msgs))
	}
	for i := 0; i <= len(spinFramesSeen); i++ {
		want := spinFramesSeen[i%len(spinFramesSeen)]
		mustContain(t, hs.view(), want+" letting in…")
		var row string
		for _, l := range strings.Split(h.view(), "\n") {
			if strings.Contains(l, "Board meeting") && row == "" {
				row = l // the row (the detail below names the room too)
			}
		}
		if !strings.HasPrefix(row, ">"+want+"Board meeting") {
			t.Fatalf("tick %d: the room's row is %q, want the frame %q", i, row, want)
		}
		hs.send(spinMsg{})
		h.send(spinMsg{})
	}
}
