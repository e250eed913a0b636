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
	if !h.m.help.show {
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
