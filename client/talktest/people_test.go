package talktest

import (
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/models"
)

func (a answer) people(t *testing.T) []models.Participant {
	t.Helper()
	var ps []models.Participant
	if err := json.Unmarshal(a.env.OCS.Data, &ps); err != nil {
		t.Fatalf("participants: %v in %s", err, a.body)
	}
	return ps
}

func findPerson(ps []models.Participant, name string) (models.Participant, bool) {
	for _, p := range ps {
		if p.DisplayName == name {
			return p, true
		}
	}
	return models.Participant{}, false
}

func TestPeopleHooks(t *testing.T) {
	s := New()
	defer s.Close()
	s.AddUser("admin", "pw")
	s.AddUser("alice", "pw2")
	tok := s.AddRoom(Room{Type: models.ConversationPublic, LobbyState: models.LobbyModeratorsOnly,
		Participants: map[string]models.ParticipantType{"admin": models.ParticipantOwner, "alice": models.ParticipantUser}})
	room, _ := s.Room(tok)
	r := models.Room{LobbyState: room.LobbyState}

	g, err := s.GuestJoin(tok, "\x1b[2JEvil")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.JoinCall(tok, g, models.InCallAudio); !errors.Is(err, ErrHeldByLobby) {
		t.Fatalf("a waiting guest joined the call: %v", err)
	}
	ps := s.Participants(tok)
	if p, ok := findPerson(ps, "\x1b[2JEvil"); !ok || !p.IsWaiting(r) || p.ActorType != models.ActorGuests {
		t.Fatalf("guest not waiting: %+v", ps)
	}
	// alice is invited but not connected: not waiting; joining makes her wait.
	alice := s.AttendeeID(tok, "alice")
	if p, _ := findPerson(s.Participants(tok), "alice"); p.IsWaiting(r) || p.Connected() {
		t.Fatalf("offline alice: %+v", p)
	}
	if _, err := s.JoinRoom(tok, "alice"); err != nil {
		t.Fatal(err)
	}
	if p, _ := findPerson(s.Participants(tok), "alice"); !p.IsWaiting(r) {
		t.Fatalf("alice not waiting: %+v", p)
	}
	// Let in over HTTP, join the call without video permission: video dropped.
	c := newCaller(t, s, "admin", "pw")
	a := c.do("PUT", v4+"/room/"+tok+"/attendees/permissions", url.Values{"attendeeId": {itoa(alice)}, "method": {"add"}, "permissions": {"8"}})
	if a.status != 200 || a.header.Get("X-Nextcloud-Has-User-Statuses") != "1" {
		t.Fatalf("admit: %d %s", a.status, a.body)
	}
	_ = s.SetPermissions(tok, alice, 254&^models.PermissionVideo)
	if err := s.JoinCall(tok, alice, models.InCallAudio|models.InCallVideo); err != nil {
		t.Fatal(err)
	}
	if p, _ := findPerson(s.Participants(tok), "alice"); p.InCall != models.InCallInCall|models.InCallAudio || p.State(r) != models.StateInCall {
		t.Fatalf("alice in call: %+v", p)
	}
	// Sent back during the call: still in it, not let in.
	a = c.do("PUT", v4+"/room/"+tok+"/attendees/permissions", url.Values{"attendeeId": {itoa(alice)}, "method": {"remove"}, "permissions": {"8"}})
	if p := a.people(t); a.status != 200 || len(p) != 1 || p[0].InCallNow() || p[0].Connected() {
		t.Fatalf("move back answer: %d %s", a.status, a.body)
	}
	if p, _ := findPerson(s.Participants(tok), "alice"); p.State(r) != models.StateInCallNotLetIn {
		t.Fatalf("alice after move back: %v %+v", p.State(r), p)
	}
	// A guest who leaves with default permissions drops out of the list.
	if err := s.Leave(tok, g); err != nil {
		t.Fatal(err)
	}
	if _, ok := findPerson(s.Participants(tok), "\x1b[2JEvil"); ok {
		t.Error("a guest who left is still listed")
	}
	// Removing alice over HTTP; re-adding gives a new attendee id.
	if a := c.do("DELETE", v4+"/room/"+tok+"/attendees?attendeeId="+itoa(alice), nil); a.status != 200 || a.data() != "null" {
		t.Fatalf("remove: %d %s", a.status, a.body)
	}
	if a := c.do("DELETE", v4+"/room/"+tok+"/attendees?attendeeId="+itoa(alice), nil); a.status != 404 || !strings.Contains(a.data(), "participant") {
		t.Fatalf("remove again: %d %s", a.status, a.body)
	}
	s.SetParticipant(tok, "alice", models.ParticipantUser)
	if id := s.AttendeeID(tok, "alice"); id == alice || id == 0 {
		t.Errorf("re-added alice kept id %d", id)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestDemoWaitingRoomFills(t *testing.T) {
	start := time.Unix(1800000000, 0)
	clock := newClock(start)
	s, acc, err := StartDemoWith(DemoConfig{Options: []Option{WithClock(clock.Now)}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := newCaller(t, s, acc.User, acc.AppPassword)
	var tok string
	var room models.Room
	for _, r := range c.do("GET", v4+"/room", nil).rooms(t) {
		if r.Label() == DemoWaitingRoom {
			tok, room = r.Token, r
		}
	}
	if tok == "" || room.LobbyState != models.LobbyModeratorsOnly || room.Type != models.ConversationPublic {
		t.Fatalf("waiting room: %+v", room)
	}
	count := func() (waiting, inCall, letIn int, names []string) {
		for _, p := range c.do("GET", v4+"/room/"+tok+"/participants", nil).people(t) {
			switch p.State(room) {
			case models.StateWaiting:
				waiting++
				names = append(names, p.DisplayName)
			case models.StateInCall:
				inCall++
			}
			if p.LetIn() && !p.IsModerator() {
				letIn++
			}
		}
		return
	}
	w, in, let, names := count()
	if w != 1 || names[0] != DemoLongName || in != 2 || let != 2 {
		t.Fatalf("at start: %d waiting %v, %d in call, %d let in", w, names, in, let)
	}
	clock.Set(start.Add(3 * time.Second))
	if w, _, _, names = count(); w != 2 || names[1] != "Jordan Smith" {
		t.Fatalf("after 3 s: %d waiting %q", w, names)
	}
	clock.Set(start.Add(43 * time.Second))
	if w, _, _, names = count(); w != 4 || !strings.Contains(names[3], "\x1b]0;") {
		t.Fatalf("after 43 s: %d waiting %q", w, names)
	}
	clock.Set(start.Add(time.Hour))
	if w, _, _, _ = count(); w != 1+len(DemoGuests) || len(DemoGuests) != 12 {
		t.Fatalf("after an hour: %d waiting", w)
	}
	// Audio marks: one in the call with audio, one without.
	var withAudio, without int
	for _, p := range s.Participants(tok) {
		if p.InCallNow() && p.WithAudio() {
			withAudio++
		} else if p.InCallNow() {
			without++
		}
	}
	if withAudio != 1 || without != 1 {
		t.Errorf("in call with audio %d, without %d", withAudio, without)
	}
}
