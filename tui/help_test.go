package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/tui/dialog"
	"github.com/talkmod/talkmod/tui/keyhelp"
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
		if !h.m.help.Show {
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
	if h.m.help.Offset != 0 {
		t.Fatalf("pgup: offset %d", h.m.help.Offset)
	}
	h.press("l")
	if h.m.help.Show || countCalls(h.be, "lobby") != 0 {
		t.Fatal("l on the help did more than close it")
	}
	// on a large screen the scroll keys close it as before
	h = newDemo(t, 120, 40)
	h.press("?", "down")
	if h.m.help.Show {
		t.Fatal("down kept a help that fits open")
	}
}

// On a wide terminal a dialog's box stops at dialog.MaxWidth; on a narrow
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
			if modal(h.m) == modalNone {
				t.Fatalf("%d %v: no dialog", w, keys)
			}
			box := strings.Split(dialog.Box(h.m.c, h.m.dialog), "\n")
			got := ansi.StringWidth(box[0])
			want := min(w, dialog.MaxWidth)
			if got != want {
				t.Errorf("%d %v: box %d wide, want %d", w, keys, got, want)
			}
		}
	}
}

// At 80 columns the bottom line keeps "? help" and "q quit".
func TestShortHelpKeepsHelpAndQuit(t *testing.T) {
	for _, w := range []int{60, 80, 120} {
		h := newDemo(t, w, 24)
		lines := strings.Split(h.view(), "\n")
		last := lines[len(lines)-1]
		mustContain(t, last, "? help")
		mustContain(t, last, "q quit")
		_, act, other, _ := h.m.keysNow()
		bs := append(act, other...)
		hm := h.m.c.Help
		hm.Width = 0
		if got, want := keyhelp.Width(hm, bs), ansi.StringWidth(hm.ShortHelpView(bs)); got != want {
			t.Errorf("keyhelp.Width %d, rendered %d", got, want)
		}
		if w >= 120 {
			mustContain(t, last, "r refresh")
			mustContain(t, last, "z time zone")
		}
	}
}

func TestHelpSaysWhyKeysAreUnavailable(t *testing.T) {
	be := &fakeBackend{rooms: demoRooms(), caps: fullCaps()}
	be.caps.CanEnableSIP = boolp(false)
	h := newHarness(t, be, 120, 40)
	if strings.Contains(h.m.shortHelpView(), "SIP") {
		t.Error("short help offers s though SIP cannot be enabled")
	}
	h.press("?")
	mustContain(t, h.view(), "Not available here:")
	mustContain(t, h.view(), "s  you are not in the groups the administrator allowed")
	h.press("esc", "s")
	mustContain(t, h.m.flash.text, "cannot switch SIP dial-in: you are not in the groups")
}

// A key pressed on the help screen closes it and does nothing else: it
// must not change a room the user cannot see.
func TestKeyOnHelpOnlyClosesIt(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("913572")
	h.press("?", "l")
	if h.m.help.Show || countCalls(h.be, "lobby") != 0 || h.m.pendingCount() != 0 {
		t.Fatalf("help %v, calls %v", h.m.help.Show, h.be.Calls())
	}
	h.press("l")
	if countCalls(h.be, "lobby") != 1 {
		t.Fatalf("calls %v", h.be.Calls())
	}
}

func TestNoRoomKeysSayWhy(t *testing.T) {
	h := newHarness(t, &fakeBackend{caps: fullCaps()}, 80, 24)
	for _, k := range []string{"l", "t", "s", "enter"} {
		h.press(k)
		mustContain(t, h.m.flash.text, "no conversation")
	}
}

// The SIP dialog's and a question's keys are said once, in the box; the
// bottom line adds only ctrl+c.
func TestDialogHintsOnce(t *testing.T) {
	for _, c := range []struct {
		token string
		key   string
		hint  string
	}{{"913572", "s", "enter apply"}, {"748392", "l", "any other key no"}} {
		h := newDemo(t, 80, 24)
		h.selectRoom(c.token)
		h.press(c.key)
		v := h.view()
		if n := strings.Count(v, c.hint); n != 1 {
			t.Errorf("%s: %q shown %d times", c.key, c.hint, n)
		}
		lines := strings.Split(v, "\n")
		mustContain(t, lines[len(lines)-1], "ctrl+c quit")
	}
	// the l dialog of marked rooms too
	h := newDemo(t, 80, 24)
	h.selectRoom("913572")
	h.press(" ")
	h.press("l")
	v := h.view()
	if n := strings.Count(v, "enter apply"); n != 1 {
		t.Errorf("marked rooms' l: %q shown %d times:\n%s", "enter apply", n, v)
	}
}
