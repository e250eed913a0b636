package tui

import (
	"strings"
	"testing"

	"github.com/talkmod/talkmod/models"
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
	m := newModel(nil, testOptions(t, be, &fakeClock{t: testNow}))
	status = m.statusView(testNow)
	if strings.Contains(status, "0 webinars") || strings.Contains(status, "all 0") {
		t.Fatalf("a count while loading: %q", status)
	}
	mustContain(t, status, "loading the conversations")
}
