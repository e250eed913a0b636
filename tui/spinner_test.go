package tui

import (
	"testing"

	"github.com/talkmod/talkmod/tui/common"
)

// One spinner: a pending room and a person on their way turn the same
// frame, and a tick turns both.
func TestOneSpinnerForRowsAndPeople(t *testing.T) {
	hs := openPeopleHarness(t, 120, 40)
	hs.selectPerson(21)
	hs.m.people.pending[21] = actAdmit
	for i := 0; i < 2; i++ {
		want := common.SpinFrame(hs.m.spinFrame) + " letting in…"
		mustContain(t, hs.view(), want)
		if got := hs.m.rowCtx(testNow).Spin; got != common.SpinFrame(hs.m.spinFrame) {
			t.Fatalf("rows turn %q, people %q", got, want)
		}
		hs.m, _ = hs.m.update(spinMsg{})
	}
	if common.SpinFrame(0) == common.SpinFrame(1) {
		t.Fatal("the spinner does not turn")
	}
}
