package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
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
	s := testenv.NewServer(t)
	w := peopleWorld{s: s}
	s.AddUser("carol", "carol-app-password-1")
	s.AddUser("dave", "dave-app-password-1")
	s.SetDisplayName("carol", "Carol Diaz")
	for _, u := range []string{"bob", "carol", "dave"} {
		s.SetParticipant(testenv.WebinarA, u, models.ParticipantUser)
	}
	s.UpdateRoom(testenv.WebinarA, func(r *talktest.Room) { r.LobbyState = models.LobbyModeratorsOnly })
	var err error
	if w.bob, err = s.JoinRoom(testenv.WebinarA, "bob"); err != nil {
		t.Fatal(err)
	}
	w.carol, _ = s.JoinRoom(testenv.WebinarA, "carol")
	_ = s.SetPermissions(testenv.WebinarA, w.carol, 254)
	if err := s.JoinCall(testenv.WebinarA, w.carol, models.InCallAudio); err != nil {
		t.Fatal(err)
	}
	w.dave = s.AttendeeID(testenv.WebinarA, "dave")
	w.guest, _ = s.GuestJoin(testenv.WebinarA, "Webinar Guest")
	w.noName, _ = s.GuestJoin(testenv.WebinarA, "")
	w.evil, _ = s.GuestJoin(testenv.WebinarA, "\x1b]0;pwned\a\x1b[2JEvil")
	w.sam1, _ = s.GuestJoin(testenv.WebinarA, "Sam")
	_, _ = s.GuestJoin(testenv.WebinarA, "sam")
	s.ResetRequests()
	return w
}

func person(t *testing.T, s *talktest.Server, id int64) models.Participant {
	t.Helper()
	for _, p := range s.Participants(testenv.WebinarA) {
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
	testenv.Isolate(t)
	w := newPeopleServer(t)
	useEnv(t, w.s)
	r := talkmod(t, "", "people", testenv.WebinarA)
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

	r = talkmod(t, "", "people", testenv.WebinarA, "--waiting", "--json")
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
	testenv.Isolate(t)
	w := newPeopleServer(t)
	useEnv(t, w.s)
	// By user id, by "#id", by bare id, by name in another case.
	for _, who := range []string{"bob", "#" + strconv.FormatInt(w.guest, 10), strconv.FormatInt(w.noName, 10), "WEBINAR guest"} {
		r := talkmod(t, "", "admit", testenv.WebinarA, who)
		if r.code != 0 || !strings.Contains(r.stdout, "let in") {
			t.Fatalf("admit %s: exit %d %q", who, r.code, r.stdout)
		}
	}
	if !person(t, w.s, w.bob).LetIn() || !person(t, w.s, w.guest).LetIn() || !person(t, w.s, w.noName).LetIn() {
		t.Fatal("admit did not let them in")
	}
	r := talkmod(t, "", "hold", testenv.WebinarA, "bob", "Carol Diaz")
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
	r = talkmod(t, "", "remove", testenv.WebinarA, "bob")
	if r.code != exit.Usage || changes(w.s) != 0 || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("remove without --yes: exit %d, %d changes, %q", r.code, changes(w.s), r.stderr)
	}
	r = talkmod(t, "", "remove", testenv.WebinarA, "alice", "bob", "--yes")
	if r.code != exit.Usage || changes(w.s) != 0 || !strings.Contains(r.stderr, "is you") {
		t.Fatalf("remove yourself: exit %d, %d changes, %q", r.code, changes(w.s), r.stderr)
	}
	r = talkmod(t, "", "remove", testenv.WebinarA, "bob", "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "removed from the conversation") {
		t.Fatalf("remove: exit %d %q", r.code, r.stdout)
	}
	if w.s.AttendeeID(testenv.WebinarA, "bob") != 0 {
		t.Error("bob is still in the conversation")
	}
}

func TestWhoAmbiguousOrUnknownSendsNothing(t *testing.T) {
	testenv.Isolate(t)
	w := newPeopleServer(t)
	useEnv(t, w.s)
	r := talkmod(t, "", "admit", testenv.WebinarA, "bob", "SAM")
	if r.code != exit.Usage || changes(w.s) != 0 {
		t.Fatalf("ambiguous: exit %d, %d changes", r.code, changes(w.s))
	}
	if !strings.Contains(r.stderr, "names 2 people") || !strings.Contains(r.stderr, "#"+strconv.FormatInt(w.sam1, 10)+" Sam") {
		t.Errorf("ambiguous WHO does not list the candidates: %q", r.stderr)
	}
	r = talkmod(t, "", "admit", testenv.WebinarA, "nobody-here")
	if r.code != exit.Usage || changes(w.s) != 0 || !strings.Contains(r.stderr, "candidates") {
		t.Fatalf("unknown: exit %d %q", r.code, r.stderr)
	}
	r = talkmod(t, "", "hold", testenv.WebinarA, "#99999")
	if r.code != exit.Usage || changes(w.s) != 0 {
		t.Fatalf("unknown id: exit %d", r.code)
	}
	if person(t, w.s, w.bob).LetIn() {
		t.Error("bob was let in although the command was refused")
	}
}

func TestAdmitAllWaiting(t *testing.T) {
	testenv.Isolate(t)
	w := newPeopleServer(t)
	useEnv(t, w.s)
	r := talkmod(t, "", "admit", testenv.WebinarA, "--all-waiting", "--json")
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
	room, _ := w.s.Room(testenv.WebinarA)
	for _, p := range w.s.Participants(testenv.WebinarA) {
		if p.IsWaiting(models.Room{LobbyState: room.LobbyState}) {
			t.Errorf("%s still waiting", p.DisplayName)
		}
	}
	if room.LobbyState != models.LobbyModeratorsOnly {
		t.Error("the lobby was lifted")
	}
}

func TestSeveralWhoMostSevereExitCode(t *testing.T) {
	testenv.Isolate(t)
	w := newPeopleServer(t)
	useEnv(t, w.s)
	// alice is the owner: 403 moderator (exit 4); bob works.
	r := talkmod(t, "", "admit", testenv.WebinarA, "alice", "bob", "--json")
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
	r = talkmod(t, "", "hold", testenv.WebinarA, "Webinar Guest", "alice")
	if r.code != exit.Throttled {
		t.Fatalf("exit %d, want 8", r.code)
	}
	// 404 participant (someone removed meanwhile) and 400: 5 beats 7.
	w.s.FailNext("/attendees", 1, 404, `{"ocs":{"meta":{"status":"failure","statuscode":404,"message":""},"data":{"error":"participant"}}}`)
	w.s.FailNext("/attendees", 1, 400, `{"ocs":{"meta":{"status":"failure","statuscode":400,"message":""},"data":{"error":"room-type"}}}`)
	r = talkmod(t, "", "remove", testenv.WebinarA, "Webinar Guest", "dave", "--yes")
	if r.code != exit.NotFound || !strings.Contains(r.stdout, "no longer in the conversation") {
		t.Fatalf("exit %d %q, want 5", r.code, r.stdout)
	}
}

func TestPeopleNobodyWaitingAndUsage(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	r := talkmod(t, "", "people", testenv.WebinarA, "--waiting")
	if r.code != 0 || !strings.Contains(r.stdout, "nobody is waiting in the lobby") {
		t.Fatalf("exit %d %q", r.code, r.stdout)
	}
	r = talkmod(t, "", "admit", testenv.WebinarA, "--all-waiting")
	if r.code != 0 || !strings.Contains(r.stdout, "nobody is waiting") || changes(s) != 0 {
		t.Fatalf("admit --all-waiting with nobody waiting: exit %d %q", r.code, r.stdout)
	}
	for _, args := range [][]string{{"admit", testenv.WebinarA}, {"hold", testenv.WebinarA}, {"remove", testenv.WebinarA, "--yes"}, {"people"}, {"people", "not a token"}} {
		if r := talkmod(t, "", args...); r.code != exit.Usage {
			t.Errorf("%v: exit %d, want 2", args, r.code)
		}
	}
	// not a member: 404, exit 5
	if r := talkmod(t, "", "people", "5555555555"); r.code != exit.NotFound {
		t.Errorf("unknown room: exit %d, want 5", r.code)
	}
}
