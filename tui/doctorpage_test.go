package tui

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
)

// waitingGuest is a guest held by the lobby (a session, no bit 8).
func waitingGuest(id int64, name string) models.Participant {
	return models.Participant{AttendeeID: id, ActorType: "guests", ActorID: "g" + strconv.FormatInt(id, 10), DisplayName: name,
		ParticipantType: models.ParticipantGuest, SessionIDs: []string{"s" + strconv.FormatInt(id, 10)}}
}

func TestDoctorPageOneRequestAndFindings(t *testing.T) {
	be := &fakeBackend{rooms: demoRooms(), caps: fullCaps(), hash: "h1"}
	// the town hall: call running; the lobby goes on with two people waiting
	be.rooms[1].LobbyState = models.LobbyModeratorsOnly
	be.setPeople("748392", []models.Participant{waitingGuest(7, "Jordan"), waitingGuest(8, "Priya")})
	h := newHarness(t, be, 100, 30)
	h.selectRoom("748392")
	before := len(be.Calls())
	h.press("D")
	calls := be.Calls()[before:]
	if len(calls) != 1 || calls[0] != "people 748392" {
		t.Fatalf("D sends one request, the people: %v", calls)
	}
	v := h.view()
	mustContain(t, v, "Doctor · Town hall")
	mustContain(t, v, "a call is running while 2 people wait in the lobby")
	mustContain(t, v, "do: let them in (talkmod admit 748392 --all-waiting)")
	mustContain(t, v, "warning")
	mustContain(t, v, "room token")
	mustContain(t, v, "any other key closes")
	// r reads the people again (one request); any other key closes, and does nothing else
	h.press("r")
	if n := countCalls(be, "people 748392"); n != 2 {
		t.Errorf("r: %d people reads, want 2", n)
	}
	h.press("l")
	if h.m.onScreen() != nil || h.m.dialog != nil || countCalls(be, "lobby") != 0 {
		t.Errorf("l closes the page and sends nothing: page %v dialog %v calls %v", h.m.onScreen(), h.m.dialog, be.Calls())
	}
	if strings.Contains(h.view(), "Doctor ·") {
		t.Error("the page is still on screen")
	}
}

func TestDoctorPageUsesThePeopleViewsRead(t *testing.T) {
	be := &fakeBackend{rooms: demoRooms(), caps: fullCaps(), hash: "h1"}
	be.setPeople("162534", []models.Participant{waitingGuest(7, "Jordan")})
	h := newHarness(t, be, 100, 30)
	h.selectRoom("162534")
	h.press("p") // the people view reads them
	h.press("esc")
	reads := countCalls(be, "people")
	h.press("D")
	if n := countCalls(be, "people"); n != reads {
		t.Errorf("D after the people view: %d more reads, want none", n-reads)
	}
	mustContain(t, h.view(), "1 person wait")
}

func TestDoctorPageStaleTimerAndSIP(t *testing.T) {
	be := withDialIn(&fakeBackend{rooms: demoRooms(), caps: fullCaps(), hash: "h1"}, "")
	// the all-hands lobby timer has passed since the list was read
	h := newDialInHarness(t, be, 100, 30)
	h.clock.Add(30 * time.Minute)
	h.selectRoom("162534")
	h.press("D")
	v := h.view()
	mustContain(t, v, "has passed, but the list still shows the lobby on")
	mustContain(t, v, "the server lifts it the next time anyone reads the room")
	h.press("esc")
	// the town hall has SIP on; the server's dial-in text is empty
	h.selectRoom("748392")
	h.settle(nil)
	h.press("D")
	v = h.view()
	mustContain(t, v, "problem")
	mustContain(t, v, "the server has no dial-in text")
	mustContain(t, v, "sip dial-in")
}

func TestDoctorPageLettersTokenAndNoRequestForOneToOne(t *testing.T) {
	be := &fakeBackend{rooms: demoRooms(), caps: fullCaps(), hash: "h1"}
	h := newHarness(t, be, 100, 30)
	h.press("a") // all rooms
	h.selectRoom("abcd2xyz")
	h.press("D")
	mustContain(t, h.view(), "has letters")
	h.press("esc")
	h.selectRoom("bob1")
	before := len(be.Calls())
	h.press("D")
	if calls := be.Calls()[before:]; len(calls) != 0 {
		t.Errorf("a one-to-one room: no request, got %v", calls)
	}
	mustContain(t, h.view(), "has no lobby and no phone dial-in")
}

func TestDoctorPagePeopleError(t *testing.T) {
	be := &fakeBackend{rooms: demoRooms(), caps: fullCaps(), hash: "h1"}
	be.pp().readFn = func(token string, n int) ([]models.Participant, error) {
		return nil, &client.APIError{HTTPStatus: 403, Op: "participants"}
	}
	h := newHarness(t, be, 100, 30)
	h.selectRoom("162534")
	h.press("D")
	mustContain(t, h.view(), "the people could not be read")
	// the help names D
	h.press("esc", "?")
	mustContain(t, h.view(), "D doctor")
}
