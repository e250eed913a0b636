package main

import (
	"strings"
	"testing"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
)

// Tests of the lobby timer on the command line: one request, the time
// named in a refusal, wall times on DST days.

// A timer refused before sending says which time it understood.
func TestLobbyRefusalNamesTheTime(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	r := talkmod(t, "", "lobby", testenv.WebinarA, "on", "--at", "2020-01-01 10:00", "--tz", "Europe/Berlin")
	if r.code != 2 || !strings.Contains(r.stderr, "2020-01-01 10:00 CET") || !strings.Contains(r.stderr, "in the past") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// lobby on --in sets state and timer in one request, and nothing else is
// asked of the server.
func TestLobbyInOneRequest(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	s.ResetRequests()
	r := talkmod(t, "", "lobby", testenv.WebinarA, "on", "--in", "30m")
	if r.code != 0 || !strings.Contains(r.stdout, "lobby on until") {
		t.Fatalf("exit %d, %q", r.code, r.stdout)
	}
	reqs := s.Requests()
	// the only other request is the read of the room before it (is a call running?)
	if len(reqs) == 2 && reqs[0].Method == "GET" && strings.HasSuffix(reqs[0].Path, "/room/"+testenv.WebinarA) {
		reqs = reqs[1:]
	}
	if len(reqs) != 1 || reqs[0].Method != "PUT" || !strings.HasSuffix(reqs[0].Path, "/room/"+testenv.WebinarA+"/webinar/lobby") {
		for _, q := range reqs {
			t.Logf("%s %s", q.Method, q.Path)
		}
		t.Fatalf("%d requests, want one PUT …/webinar/lobby", len(reqs))
	}
	if !strings.Contains(reqs[0].Body, "timer") || !strings.Contains(reqs[0].Body, "state") {
		t.Errorf("the PUT lacks state or timer: %q", reqs[0].Body)
	}
}
