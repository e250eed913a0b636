package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/dialog"
)

func TestPickerSetsTimer(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("913572")
	h.press("t")
	if modal(h.m) != modalPicker {
		t.Fatal("no picker")
	}
	v := h.view()
	mustContain(t, v, "Lobby timer · Board meeting")
	mustContain(t, v, "Europe/Berlin (CET, UTC+01:00) · 15:00 UTC · in 25m")
	h.press("+", "enter")
	if modal(h.m) != modalNone {
		t.Fatal("picker still open after a valid enter")
	}
	if got := h.be.Calls(); got[len(got)-1] != "lobby 913572 on 15:15" {
		t.Fatalf("sent %v", got)
	}
	o := h.outcome("913572")
	if o.text != "lobby on until 16:15 CET, in 40m" {
		t.Fatalf("outcome %q", o.text)
	}
	mustContain(t, h.view(), "on · opens in 40m")
}

func TestPickerStartsAtRoomTimer(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("162534")
	h.press("t")
	if got := h.m.dialog.(dialog.Picker).DT.Value().UTC(); !got.Equal(testNow.Add(25 * time.Minute)) {
		t.Fatalf("picker at %v", got)
	}
}

func TestPickerPastRefusedInlineBeforeSending(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("913572")
	h.press("t", "-", "-", "-", "enter") // 16:00 - 45m = 15:15 CET, in the past
	if modal(h.m) != modalPicker {
		t.Fatal("picker closed on a past time")
	}
	if n := countCalls(h.be, "lobby"); n != 0 {
		t.Fatal("a past time was sent")
	}
	v := h.view()
	mustContain(t, v, "14:15 UTC")
	mustContain(t, v, "past")
	// the typed value is kept; fixing it sends
	h.press("n", "enter")
	if n := countCalls(h.be, "lobby 913572 on 15:00"); n != 1 {
		t.Fatalf("calls %v", h.be.Calls())
	}
}

func TestPickerTooFarRefused(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("913572")
	h.press("t", "left", "left", "left", "2", "0", "2", "8", "enter")
	if modal(h.m) != modalPicker || countCalls(h.be, "lobby") != 0 {
		t.Fatalf("a time two years ahead was sent: %v", h.be.Calls())
	}
	mustContain(t, h.view(), "year")
}

func TestPickerClearKeepsLobbyOn(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("162534")
	h.press("t", "x")
	if modal(h.m) != modalConfirm || countCalls(h.be, "lobby") != 0 {
		t.Fatal("x sent before saying what it does")
	}
	mustContain(t, h.view(), "Drop the timer set for 16:00 CET and keep the lobby on?")
	h.press("y")
	if got := h.be.Calls(); got[len(got)-1] != "lobby 162534 on nil" {
		t.Fatalf("sent %v", got)
	}
	if got := h.row("162534"); got.LobbyState != models.LobbyModeratorsOnly || got.LobbyTimer != 0 {
		t.Fatalf("row %+v", got)
	}
	mustContain(t, h.outcome("162534").text, "timer removed")
}

func TestPickerCancelSendsNothing(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("162534")
	h.press("t", "+", "esc")
	if modal(h.m) != modalNone || countCalls(h.be, "lobby") != 0 {
		t.Fatal("esc sent something")
	}
}

func TestPickerZoneKey(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("913572")
	h.press("t", "z")
	mustContain(t, h.view(), "UTC · in 25m")
	h.press("z")
	mustContain(t, h.view(), "America/New_York (EST, UTC-05:00)")
}

// The picker's keys are said once (in its box, not again on the bottom
// line); x no timer, enter and esc stay at every width, and quit too.
func TestPickerHintsOnce(t *testing.T) {
	for _, w := range []int{60, 76, 80, 120} {
		h := newDemo(t, w, 24)
		h.selectRoom("913572")
		h.press("t")
		v := h.view()
		for _, hint := range []string{"x no timer", "esc cancel", "enter set"} {
			if n := strings.Count(v, hint); n != 1 {
				t.Errorf("%d: %q shown %d times:\n%s", w, hint, n, v)
			}
		}
		lines := strings.Split(v, "\n")
		mustContain(t, lines[len(lines)-1], "ctrl+c quit")
	}
}
