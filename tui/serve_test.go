package tui

import (
	"strings"
	"testing"
)

// A read-only console (talkmod serve --readonly-keys): every action key
// says so, opens no dialog, and sends nothing.
func TestReadOnlyActionKeys(t *testing.T) {
	be := &fakeBackend{rooms: demoRooms(), caps: fullCaps()}
	h := newHarness(t, be, 120, 30)
	h.m.c.ReadOnly = true
	before := len(be.Calls())
	for _, k := range []string{"l", "t", "s"} {
		h.press(k)
		if modal(h.m) != modalNone {
			t.Errorf("%s opened a dialog in a read-only session", k)
		}
		if !strings.Contains(h.view(), "read-only session") {
			t.Errorf("%s did not say read-only session:\n%s", k, h.view())
		}
		h.press("j") // any other key clears the warning
	}
	for _, c := range be.Calls()[before:] {
		if strings.Contains(c, "lobby") || strings.Contains(c, "sip") {
			t.Errorf("a read-only session sent %s", c)
		}
	}
	// the keys that only look still work
	h.press("?")
	if !h.m.help.Show {
		t.Error("? does not open the help in a read-only session")
	}
}

func TestReadOnlyOptionIsHonoured(t *testing.T) {
	be := &fakeBackend{rooms: demoRooms(), caps: fullCaps()}
	opts := testOptions(t, be, &fakeClock{t: testNow})
	opts.ReadOnly = true
	if m := NewWithContext(t.Context(), opts).(Model); !m.c.ReadOnly {
		t.Error("Options.ReadOnly is not passed on")
	}
}

// A read-only console offers no change key: the key bar of the list has
// none of l, t, s (the full help lists them as not available, saying
// why), and every key it refuses is told to Options.ReadOnlyRefused
// (talkmod serve audits them); the keys that only look are not.
func TestReadOnlyKeyBarAndRefusedKeys(t *testing.T) {
	be := &fakeBackend{rooms: demoRooms(), caps: fullCaps()}
	h := newHarness(t, be, 200, 30)
	changeKeys := []string{"lobby on/off", "lobby timer", "SIP dial-in"}
	bar := h.m.shortHelpView()
	for _, w := range changeKeys {
		mustContain(t, bar, w) // read-write: offered
	}
	var refused []string
	h.m.c.ReadOnly = true
	h.m.c.ReadOnlyRefused = func(key string) { refused = append(refused, key) }
	bar = h.m.shortHelpView()
	for _, w := range changeKeys {
		if strings.Contains(bar, w) {
			t.Errorf("a read-only key bar offers %q:\n%s", w, bar)
		}
	}
	mustContain(t, bar, "help")
	h.press("?")
	full := h.view()
	mustContain(t, full, "Not available here:")
	mustContain(t, full, "read-only session")
	h.press("esc")
	h.press("l", "j", "t", "j", "s", "j", "u", "j", " ", "j")
	if want := []string{"l", "t", "s", "u", " "}; strings.Join(refused, ",") != strings.Join(want, ",") {
		t.Errorf("refused keys told: %q, want %q", refused, want)
	}
}
