package tui

import (
	"testing"
)

// One spinner: a pending room and a person on their way turn the same
// frame, and a tick turns both.
func TestOneSpinnerForRowsAndPeople(t *testing.T) {
	hs := openPeopleHarness(t, 120, 40)
	hs.selectPerson(21)
	hs.m.people.pending[21] = actAdmit
	for i := 0; i < 2; i++ {
		want := spinFrame(hs.m.spinFrame) + " letting in…"
		mustContain(t, hs.view(), want)
		if got := hs.m.rowCtx(testNow).spin; got != spinFrame(hs.m.spinFrame) {
			t.Fatalf("rows turn %q, people %q", got, want)
		}
		hs.m, _ = hs.m.update(spinMsg{})
	}
	if spinFrame(0) == spinFrame(1) {
		t.Fatal("the spinner does not turn")
	}
}
