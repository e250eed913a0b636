package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
)

func TestStatusCountSingularAndLoading(t *testing.T) {
	one := demoRooms()[:1]
	if !one[0].IsWebinarCandidate() {
		t.Fatal("the first demo room is no webinar")
	}
	rooms := append([]models.Room{one[0]}, models.Room{Token: "bob1", Name: "bob", Type: models.ConversationOneToOne, ParticipantType: models.ParticipantOwner})
	be := &fakeBackend{rooms: rooms, caps: fullCaps()}
	h := newHarness(t, be, 80, 24)
	status := h.m.statusView(testNow)
	mustContain(t, status, "1 webinar you moderate (a: all 2)")
	if strings.Contains(status, "webinars") {
		t.Fatalf("plural for one: %q", status)
	}
	h.press("a")
	h.m.flash = flash{}
	mustContain(t, h.m.statusView(testNow), "2 of 2 conversations")

	// before the first list answer: no count at all
	m := newModel(context.Background(), testOptions(t, be, &fakeClock{t: testNow}))
	status = m.statusView(testNow)
	if strings.Contains(status, "0 webinars") || strings.Contains(status, "all 0") {
		t.Fatalf("a count while loading: %q", status)
	}
	mustContain(t, status, "loading the conversations")
}

// Each flash level has its sign, and only info and OK clear themselves.
func TestFlashLevels(t *testing.T) {
	for level, want := range map[common.Level]struct {
		sign  string
		clear bool
	}{
		common.LevelInfo: {"note", true},
		common.LevelOK:   {"✓ note", true},
		common.LevelWarn: {"! note", false},
		common.LevelErr:  {"✗ note", false},
	} {
		h := newDemo(t, 80, 24)
		cmd := h.m.flash.set(h.m.c, "note", level)
		if !strings.HasPrefix(h.m.statusView(testNow), want.sign) {
			t.Errorf("level %d: %q", level, h.m.statusView(testNow))
		}
		if (cmd != nil) != want.clear {
			t.Errorf("level %d: clears itself %v", level, cmd != nil)
		}
	}
}
