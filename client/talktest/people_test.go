package talktest

import (
	"encoding/json"
	"errors"
	"net/http/cookiejar"
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
	a := c.do("PUT", v4+"/room/"+tok+"/attendees/permissions", url.Values{"attendeeId": {strconv.FormatInt(alice, 10)}, "method": {"add"}, "permissions": {"8"}})
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
	a = c.do("PUT", v4+"/room/"+tok+"/attendees/permissions", url.Values{"attendeeId": {strconv.FormatInt(alice, 10)}, "method": {"remove"}, "permissions": {"8"}})
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
	if a := c.do("DELETE", v4+"/room/"+tok+"/attendees?attendeeId="+strconv.FormatInt(alice, 10), nil); a.status != 200 || a.data() != "null" {
		t.Fatalf("remove: %d %s", a.status, a.body)
	}
	if a := c.do("DELETE", v4+"/room/"+tok+"/attendees?attendeeId="+strconv.FormatInt(alice, 10), nil); a.status != 404 || !strings.Contains(a.data(), "participant") {
		t.Fatalf("remove again: %d %s", a.status, a.body)
	}
	s.SetParticipant(tok, "alice", models.ParticipantUser)
	if id := s.AttendeeID(tok, "alice"); id == alice || id == 0 {
		t.Errorf("re-added alice kept id %d", id)
	}
}

// roomSession is the sessionId of a room answer ("0" = no Talk session).
func roomSession(t *testing.T, a answer) string {
	t.Helper()
	var r struct {
		SessionID string `json:"sessionId"`
	}
	if err := json.Unmarshal(a.env.OCS.Data, &r); err != nil || r.SessionID == "" {
		t.Fatalf("no sessionId in %s", a.body)
	}
	return r.SessionID
}

// TestLoginPasswordCookiePitfall: with the login password and a cookie
// jar, the 2nd request of the jar logs its cookie session out and ends the
// Talk session joinRoom started in it; two requests before joinRoom, or an
// app password, keep it [real P03-P06, P74-P81].
func TestLoginPasswordCookiePitfall(t *testing.T) {
	s := New()
	defer s.Close()
	s.SetLoginPassword("alice", "alice-login")
	app := s.AddAppPassword("alice")
	if app == "" || s.AppPasswordValid("alice", "alice-login") {
		t.Fatalf("the login password is not an app password (app %q)", app)
	}
	s.AddUser("admin", "pw")
	tok := s.AddRoom(Room{Participants: map[string]models.ParticipantType{"admin": models.ParticipantOwner, "alice": models.ParticipantUser}})
	room, active, call := v4+"/room/"+tok, v4+"/room/"+tok+"/participants/active", v4+"/call/"+tok
	sessions := func() int {
		p, _ := findPerson(s.Participants(tok), "alice")
		return len(p.SessionIDs)
	}
	browser := func(pw string) *caller {
		c := newCaller(t, s, "alice", pw)
		j, _ := cookiejar.New(nil)
		c.hc.Jar = j
		return c
	}
	loggedOut := func(a answer) bool {
		n := 0
		for _, c := range a.header.Values("Set-Cookie") {
			if strings.Contains(c, "=deleted;") && strings.Contains(c, "Max-Age=0") {
				n++
			}
		}
		return n == 6
	}

	// login password: joinRoom as the jar's 1st request, then any request
	c := browser("alice-login")
	if a := c.do("POST", active, nil); a.status != 200 || loggedOut(a) || sessions() != 1 {
		t.Fatalf("joinRoom: %d, %d sessions, logged out %v", a.status, sessions(), loggedOut(a))
	}
	a := c.do("GET", room, nil)
	if a.status != 200 || !loggedOut(a) || roomSession(t, a) != "0" {
		t.Fatalf("2nd request: %d, logged out %v: %s", a.status, loggedOut(a), a.body)
	}
	if n := sessions(); n != 0 {
		t.Fatalf("after the logout alice has %d sessions, want 0 (sessionIds [])", n)
	}
	if p, _ := findPerson(s.Participants(tok), "alice"); p.LastPing != 0 {
		t.Errorf("lastPing %d after the logout, want 0", p.LastPing)
	}
	if a := c.do("POST", call, nil); a.status != 404 || a.data() != "null" {
		t.Errorf("joinCall after the logout: %d %s, want 404 null", a.status, a.body)
	}

	// login password: two requests before joinRoom keep the session
	c = browser("alice-login")
	for i, want := range []bool{false, true} {
		if a := c.do("GET", room, nil); a.status != 200 || loggedOut(a) != want {
			t.Fatalf("warm-up %d: %d, logged out %v", i+1, a.status, loggedOut(a))
		}
	}
	if a := c.do("POST", active, nil); a.status != 200 || loggedOut(a) {
		t.Fatalf("joinRoom after the warm-up: %d, logged out %v", a.status, loggedOut(a))
	}
	if a := c.do("GET", room, nil); a.status != 200 || loggedOut(a) || roomSession(t, a) == "0" || sessions() != 1 {
		t.Fatalf("after the warm-up: %d, %d sessions, %s", a.status, sessions(), a.body)
	}

	// app password: the 2nd request keeps the session
	c = browser(app)
	if a := c.do("POST", active, nil); a.status != 200 || sessions() != 2 {
		t.Fatalf("joinRoom with the app password: %d, %d sessions", a.status, sessions())
	}
	if a := c.do("GET", room, nil); a.status != 200 || loggedOut(a) || roomSession(t, a) == "0" || sessions() != 2 {
		t.Fatalf("2nd request with the app password: %d, %d sessions, logged out %v", a.status, sessions(), loggedOut(a))
	}
	if a := c.do("POST", call, nil); a.status != 200 {
		t.Errorf("joinCall with the app password: %d %s", a.status, a.body)
	}

	// without a jar the login password just works; a wrong one does not
	if a := newCaller(t, s, "alice", "alice-login").do("GET", room, nil); a.status != 200 || loggedOut(a) {
		t.Errorf("login password without a jar: %d", a.status)
	}
	if a := newCaller(t, s, "alice", "alice-logi").do("GET", room, nil); a.status != 401 {
		t.Errorf("wrong password: %d", a.status)
	}
}

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
