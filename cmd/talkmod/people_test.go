package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/models"
)

// peopleServer: webinar A (public, alice owns it) with the lobby on, bob
// waiting, carol let in and in the call, dave offline, guests: "Webinar
// Guest", one without a name, one hostile, and two called "Sam"/"sam".
type peopleWorld struct {
	s                         *talktest.Server
	bob, carol, dave          int64
	guest, noName, evil, sam1 int64
}

func newPeopleServer(t *testing.T) peopleWorld {
	t.Helper()
	s := newServer(t)
	w := peopleWorld{s: s}
	s.AddUser("carol", "carol-app-password-1")
	s.AddUser("dave", "dave-app-password-1")
	s.SetDisplayName("carol", "Carol Diaz")
	for _, u := range []string{"bob", "carol", "dave"} {
		s.SetParticipant(webinarA, u, models.ParticipantUser)
	}
	s.UpdateRoom(webinarA, func(r *talktest.Room) { r.LobbyState = models.LobbyModeratorsOnly })
	var err error
	if w.bob, err = s.JoinRoom(webinarA, "bob"); err != nil {
		t.Fatal(err)
	}
	w.carol, _ = s.JoinRoom(webinarA, "carol")
	_ = s.SetPermissions(webinarA, w.carol, 254)
	if err := s.JoinCall(webinarA, w.carol, models.InCallAudio); err != nil {
		t.Fatal(err)
	}
	w.dave = s.AttendeeID(webinarA, "dave")
	w.guest, _ = s.GuestJoin(webinarA, "Webinar Guest")
	w.noName, _ = s.GuestJoin(webinarA, "")
	w.evil, _ = s.GuestJoin(webinarA, "\x1b]0;pwned\a\x1b[2JEvil")
	w.sam1, _ = s.GuestJoin(webinarA, "Sam")
	_, _ = s.GuestJoin(webinarA, "sam")
	s.ResetRequests()
	return w
}

func person(t *testing.T, s *talktest.Server, id int64) models.Participant {
	t.Helper()
	for _, p := range s.Participants(webinarA) {
		if p.AttendeeID == id {
			return p
		}
	}
	t.Fatalf("attendee %d not listed", id)
	return models.Participant{}
}

func changes(s *talktest.Server) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method != http.MethodGet {
			n++
		}
	}
	return n
}

func TestPeopleTableAndJSON(t *testing.T) {
	isolate(t)
	w := newPeopleServer(t)
	useEnv(t, w.s)
	r := talkmod(t, "", "people", webinarA)
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	for _, want := range []string{"NAME", "KIND", "STATE", "SINCE", "bob", "waiting in the lobby", "Carol Diaz", "in the call (audio)",
		"Guest", "^[]0;pwned^G^[[2JEvil", "not connected", "owner", "6 waiting · 1 in call · 9 people"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("people output lacks %q", want)
		}
	}
	if strings.ContainsAny(r.stdout, "\x1b\a") {
		t.Error("a terminal escape reached the output")
	}
	// Waiting people come first.
	if strings.Index(r.stdout, "bob") > strings.Index(r.stdout, "Carol Diaz") {
		t.Error("waiting people are not listed first")
	}

	r = talkmod(t, "", "people", webinarA, "--waiting", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("--json: %v", err)
	}
	if len(got) != 6 {
		t.Fatalf("--waiting --json: %d people, want 6", len(got))
	}
	// As the server sent them: the API's fields, nothing added.
	for _, p := range got {
		for _, k := range []string{"attendeeId", "actorType", "actorId", "displayName", "participantType", "permissions", "inCall", "sessionIds", "lastPing"} {
			if _, ok := p[k]; !ok {
				t.Errorf("participant JSON lacks %q: %v", k, p)
			}
		}
		for _, k := range []string{"state", "name", "kind", "Raw"} {
			if _, ok := p[k]; ok {
				t.Errorf("participant JSON has an invented field %q", k)
			}
		}
	}
	if changes(w.s) != 0 {
		t.Error("people sent a change")
	}
}

func TestAdmitHoldRemoveByWho(t *testing.T) {
	isolate(t)
	w := newPeopleServer(t)
	useEnv(t, w.s)
	// By user id, by "#id", by bare id, by name in another case.
	for _, who := range []string{"bob", "#" + strconv.FormatInt(w.guest, 10), strconv.FormatInt(w.noName, 10), "WEBINAR guest"} {
		r := talkmod(t, "", "admit", webinarA, who)
		if r.code != 0 || !strings.Contains(r.stdout, "let in") {
			t.Fatalf("admit %s: exit %d %q", who, r.code, r.stdout)
		}
	}
	if !person(t, w.s, w.bob).LetIn() || !person(t, w.s, w.guest).LetIn() || !person(t, w.s, w.noName).LetIn() {
		t.Fatal("admit did not let them in")
	}
	r := talkmod(t, "", "hold", webinarA, "bob", "Carol Diaz")
	if r.code != 0 || person(t, w.s, w.bob).LetIn() || person(t, w.s, w.carol).LetIn() {
		t.Fatalf("hold: exit %d", r.code)
	}
	if !strings.Contains(r.stdout, "still in the call") {
		t.Errorf("hold of someone in the call does not say they stay in it: %q", r.stdout)
	}
	if st := person(t, w.s, w.carol).State(models.Room{LobbyState: models.LobbyModeratorsOnly}); st != models.StateInCallNotLetIn {
		t.Errorf("carol after hold: %v", st)
	}

	// remove without --yes: exit 2, nothing sent.
	w.s.ResetRequests()
	r = talkmod(t, "", "remove", webinarA, "bob")
	if r.code != exit.Usage || changes(w.s) != 0 || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("remove without --yes: exit %d, %d changes, %q", r.code, changes(w.s), r.stderr)
	}
	r = talkmod(t, "", "remove", webinarA, "alice", "bob", "--yes")
	if r.code != exit.Usage || changes(w.s) != 0 || !strings.Contains(r.stderr, "is you") {
		t.Fatalf("remove yourself: exit %d, %d changes, %q", r.code, changes(w.s), r.stderr)
	}
	r = talkmod(t, "", "remove", webinarA, "bob", "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "removed from the conversation") {
		t.Fatalf("remove: exit %d %q", r.code, r.stdout)
	}
	if w.s.AttendeeID(webinarA, "bob") != 0 {
		t.Error("bob is still in the conversation")
	}
}

func TestWhoAmbiguousOrUnknownSendsNothing(t *testing.T) {
	isolate(t)
	w := newPeopleServer(t)
	useEnv(t, w.s)
	r := talkmod(t, "", "admit", webinarA, "bob", "SAM")
	if r.code != exit.Usage || changes(w.s) != 0 {
		t.Fatalf("ambiguous: exit %d, %d changes", r.code, changes(w.s))
	}
	if !strings.Contains(r.stderr, "names 2 people") || !strings.Contains(r.stderr, "#"+strconv.FormatInt(w.sam1, 10)+" Sam") {
		t.Errorf("ambiguous WHO does not list the candidates: %q", r.stderr)
	}
	r = talkmod(t, "", "admit", webinarA, "nobody-here")
	if r.code != exit.Usage || changes(w.s) != 0 || !strings.Contains(r.stderr, "candidates") {
		t.Fatalf("unknown: exit %d %q", r.code, r.stderr)
	}
	r = talkmod(t, "", "hold", webinarA, "#99999")
	if r.code != exit.Usage || changes(w.s) != 0 {
		t.Fatalf("unknown id: exit %d", r.code)
	}
	if person(t, w.s, w.bob).LetIn() {
		t.Error("bob was let in although the command was refused")
	}
}

func TestAdmitAllWaiting(t *testing.T) {
	isolate(t)
	w := newPeopleServer(t)
	useEnv(t, w.s)
	r := talkmod(t, "", "admit", webinarA, "--all-waiting", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	n := 0
	for dec.More() {
		var res personResult
		if err := dec.Decode(&res); err != nil {
			t.Fatal(err)
		}
		if !res.OK || res.Action != "admit" || res.AttendeeID == 0 {
			t.Errorf("result %+v", res)
		}
		n++
	}
	if n != 6 {
		t.Errorf("%d results, want one per waiting person (6)", n)
	}
	room, _ := w.s.Room(webinarA)
	for _, p := range w.s.Participants(webinarA) {
		if p.IsWaiting(models.Room{LobbyState: room.LobbyState}) {
			t.Errorf("%s still waiting", p.DisplayName)
		}
	}
	if room.LobbyState != models.LobbyModeratorsOnly {
		t.Error("the lobby was lifted")
	}
}

func TestSeveralWhoMostSevereExitCode(t *testing.T) {
	isolate(t)
	w := newPeopleServer(t)
	useEnv(t, w.s)
	// alice is the owner: 403 moderator (exit 4); bob works.
	r := talkmod(t, "", "admit", webinarA, "alice", "bob", "--json")
	if r.code != exit.Forbidden {
		t.Fatalf("exit %d, want 4", r.code)
	}
	if !person(t, w.s, w.bob).LetIn() {
		t.Error("bob was not tried after alice failed")
	}
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	var results []personResult
	for dec.More() {
		var res personResult
		if err := dec.Decode(&res); err != nil {
			t.Fatal(err)
		}
		results = append(results, res)
	}
	if len(results) < 2 || results[0].OK || results[0].Error == nil || results[0].Error.Reason != "moderator" || !results[1].OK {
		t.Fatalf("results %+v", results)
	}
	// A 429 on one and a 403 on the other: 8 wins.
	w.s.FailNext("/attendees/permissions", 1, 429, `{"ocs":{"meta":{"status":"failure","statuscode":429,"message":"Reached maximum delay"},"data":[]}}`)
	r = talkmod(t, "", "hold", webinarA, "Webinar Guest", "alice")
	if r.code != exit.Throttled {
		t.Fatalf("exit %d, want 8", r.code)
	}
	// 404 participant (someone removed meanwhile) and 400: 5 beats 7.
	w.s.FailNext("/attendees", 1, 404, `{"ocs":{"meta":{"status":"failure","statuscode":404,"message":""},"data":{"error":"participant"}}}`)
	w.s.FailNext("/attendees", 1, 400, `{"ocs":{"meta":{"status":"failure","statuscode":400,"message":""},"data":{"error":"room-type"}}}`)
	r = talkmod(t, "", "remove", webinarA, "Webinar Guest", "dave", "--yes")
	if r.code != exit.NotFound || !strings.Contains(r.stdout, "no longer in the conversation") {
		t.Fatalf("exit %d %q, want 5", r.code, r.stdout)
	}
}

func TestPeopleNobodyWaitingAndUsage(t *testing.T) {
	isolate(t)
	s := newServer(t)
	useEnv(t, s)
	r := talkmod(t, "", "people", webinarA, "--waiting")
	if r.code != 0 || !strings.Contains(r.stdout, "nobody is waiting in the lobby") {
		t.Fatalf("exit %d %q", r.code, r.stdout)
	}
	r = talkmod(t, "", "admit", webinarA, "--all-waiting")
	if r.code != 0 || !strings.Contains(r.stdout, "nobody is waiting") || changes(s) != 0 {
		t.Fatalf("admit --all-waiting with nobody waiting: exit %d %q", r.code, r.stdout)
	}
	for _, args := range [][]string{{"admit", webinarA}, {"hold", webinarA}, {"remove", webinarA, "--yes"}, {"people"}, {"people", "not a token"}} {
		if r := talkmod(t, "", args...); r.code != exit.Usage {
			t.Errorf("%v: exit %d, want 2", args, r.code)
		}
	}
	// not a member: 404, exit 5
	if r := talkmod(t, "", "people", "5555555555"); r.code != exit.NotFound {
		t.Errorf("unknown room: exit %d, want 5", r.code)
	}
}
