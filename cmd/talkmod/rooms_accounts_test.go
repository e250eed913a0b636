package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
	"github.com/talkmod/talkmod/models"
)

// deskServer starts a talktest server where alice owns one webinar named
// after the server.
func deskServer(t *testing.T, name, token string) *talktest.Server {
	t.Helper()
	s := talktest.New()
	t.Cleanup(s.Close)
	s.AddUser("alice", testenv.AlicePW)
	s.AddUser("bob", testenv.BobPW)
	s.AddRoom(talktest.Room{Token: token, Type: models.ConversationPublic, Name: name,
		Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner, "bob": models.ParticipantModerator}})
	return s
}

func hostOf(t *testing.T, s *talktest.Server) string {
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

type accountJSON struct {
	Account string            `json:"account"`
	Server  string            `json:"server"`
	Rooms   []json.RawMessage `json:"rooms"`
	Error   *struct {
		Status   int    `json:"status"`
		Kind     string `json:"kind"`
		ExitCode int    `json:"exitCode"`
		Message  string `json:"message"`
	} `json:"error"`
}

func allAccountsJSONOf(t *testing.T, r result) []accountJSON {
	t.Helper()
	var out []accountJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("not one JSON array: %v\n%s", err, r.stdout)
	}
	return out
}

func TestRoomsAllAccountsTwoServers(t *testing.T) {
	testenv.Isolate(t)
	s1 := deskServer(t, "Berlin town hall", "1234567890")
	s2 := deskServer(t, "Paris launch", "2345678901")
	storeAccount(t, s1.URL, "alice", testenv.AlicePW, true)
	storeAccount(t, s2.URL, "alice", testenv.AlicePW, false)

	r := talkmod(t, "", "rooms", "--all-accounts")
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "SERVER") {
		t.Fatalf("want a header and two rooms:\n%s", r.stdout)
	}
	if !strings.HasPrefix(lines[1], hostOf(t, s1)) || !strings.Contains(lines[1], "Berlin town hall") ||
		!strings.HasPrefix(lines[2], hostOf(t, s2)) || !strings.Contains(lines[2], "Paris launch") {
		t.Errorf("each room with its server, a server's rooms together in the accounts' order:\n%s", r.stdout)
	}

	r = talkmod(t, "", "rooms", "--all-accounts", "--json")
	out := allAccountsJSONOf(t, r)
	if r.code != 0 || len(out) != 2 {
		t.Fatalf("exit %d, %d accounts", r.code, len(out))
	}
	for i, want := range []struct{ srv, name string }{{s1.URL, "Berlin town hall"}, {s2.URL, "Paris launch"}} {
		a := out[i]
		if a.Server != want.srv || a.Account != "alice@"+strings.TrimPrefix(want.srv, "http://") || a.Error != nil || len(a.Rooms) != 1 {
			t.Errorf("account %d: %+v", i, a)
			continue
		}
		var room map[string]any
		json.Unmarshal(a.Rooms[0], &room)
		// as the server sent it: every field, those talkmod does not know too
		if room["name"] != want.name || room["lastMessage"] == nil || room["actorType"] != "users" {
			t.Errorf("account %d: the room is not as the server sent it: %v", i, room)
		}
	}
	// each server was asked once, for its own account
	for _, s := range []*talktest.Server{s1, s2} {
		n := 0
		for _, req := range s.Requests() {
			if strings.HasSuffix(req.Path, "/api/v4/room") {
				n++
				if req.User != "alice" {
					t.Errorf("room list as %q", req.User)
				}
			}
		}
		if n != 2 { // the table run and the --json run
			t.Errorf("%s got %d room list requests, want 2", s.URL, n)
		}
	}
}

func TestRoomsAllAccountsOneStoppedOne401(t *testing.T) {
	testenv.Isolate(t)
	s1 := deskServer(t, "Berlin town hall", "1234567890")
	s2 := deskServer(t, "Paris launch", "2345678901")
	s3 := deskServer(t, "Vienna briefing", "3456789012")
	storeAccount(t, s1.URL, "alice", testenv.AlicePW, true)
	storeAccount(t, s2.URL, "alice", testenv.AlicePW, false)
	storeAccount(t, s3.URL, "alice", testenv.AlicePW, false)
	s2.Close()
	s3.RevokeAppPassword("alice", testenv.AlicePW)

	r := talkmod(t, "", "rooms", "--all-accounts")
	if r.code != exit.Unavailable {
		t.Errorf("a stopped server and a 401: exit %d, want 9 (the most severe)", r.code)
	}
	if !strings.Contains(r.stdout, "Berlin town hall") || strings.Contains(r.stdout, "Paris") || strings.Contains(r.stdout, "Vienna") {
		t.Errorf("the answering server's rooms only:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "alice@"+hostOf(t, s2)+": ") || !strings.Contains(r.stderr, "alice@"+hostOf(t, s3)+": ") ||
		!strings.Contains(r.stderr, "1 of 3 accounts answered") {
		t.Errorf("stderr names the accounts that failed:\n%s", r.stderr)
	}

	r = talkmod(t, "", "rooms", "--all-accounts", "--json")
	out := allAccountsJSONOf(t, r)
	if r.code != exit.Unavailable || len(out) != 3 {
		t.Fatalf("exit %d, %d accounts", r.code, len(out))
	}
	if out[0].Error != nil || len(out[0].Rooms) != 1 {
		t.Errorf("berlin: %+v", out[0])
	}
	if e := out[1].Error; e == nil || e.Kind != "network" || e.ExitCode != exit.Unavailable || out[1].Rooms != nil {
		t.Errorf("stopped server: %+v", out[1])
	}
	if e := out[2].Error; e == nil || e.Status != 401 || e.ExitCode != exit.Unauthorized {
		t.Errorf("401: %+v", out[2])
	}

	// without the stopped one, the 401 decides
	s3b := deskServer(t, "Rome", "4567890123")
	testenv.Isolate(t)
	storeAccount(t, s1.URL, "alice", testenv.AlicePW, true)
	storeAccount(t, s3.URL, "alice", testenv.AlicePW, false)
	storeAccount(t, s3b.URL, "alice", testenv.AlicePW, false)
	if r = talkmod(t, "", "rooms", "--all-accounts", "--json"); r.code != exit.Unauthorized {
		t.Errorf("one 401: exit %d, want 3", r.code)
	}
}

func TestRoomsAllAccountsTwoUsersOneServer(t *testing.T) {
	testenv.Isolate(t)
	s := deskServer(t, "Shared webinar", "1234567890")
	alice := storeAccount(t, s.URL, "alice", testenv.AlicePW, true)
	bob := storeAccount(t, s.URL, "bob", testenv.BobPW, false)
	r := talkmod(t, "", "rooms", "--all-accounts", "--all")
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	if !strings.Contains(r.stdout, alice) || !strings.Contains(r.stdout, bob) || strings.Count(r.stdout, "Shared webinar") != 2 {
		t.Errorf("two accounts on one server are two accounts, each named:\n%s", r.stdout)
	}
	out := allAccountsJSONOf(t, talkmod(t, "", "rooms", "--all-accounts", "--json"))
	roles := map[string]float64{}
	for _, a := range out {
		if len(a.Rooms) != 1 {
			t.Fatalf("%s: %d rooms", a.Account, len(a.Rooms))
		}
		var room map[string]any
		json.Unmarshal(a.Rooms[0], &room)
		roles[a.Account], _ = room["participantType"].(float64)
	}
	if roles[alice] != 1 || roles[bob] != 2 {
		t.Errorf("each with its own role: %v", roles)
	}
}

func TestRoomsAllAccountsOneAccountIsRooms(t *testing.T) {
	testenv.Isolate(t)
	s := deskServer(t, "Berlin town hall", "1234567890")
	storeAccount(t, s.URL, "alice", testenv.AlicePW, true)
	want := talkmod(t, "", "rooms")
	got := talkmod(t, "", "rooms", "--all-accounts")
	if got.code != 0 || got.stdout != want.stdout {
		t.Errorf("one stored account: --all-accounts must print what rooms prints\n%s\nvs\n%s", got.stdout, want.stdout)
	}
	want = talkmod(t, "", "rooms", "--json")
	got = talkmod(t, "", "rooms", "--all-accounts", "--json")
	if got.stdout != want.stdout {
		t.Errorf("one stored account, --json differs")
	}
	if r := talkmod(t, "", "rooms", "--all-accounts", "--account", "x"); r.code != exit.Usage {
		t.Errorf("--account with --all-accounts: exit %d", r.code)
	}
}

// TestRoomsAllAccountsConcurrent: the second account is asked while the
// first one's server still holds its answer (one account at a time would
// never ask it), and closing the slow server ends only its own line.
func TestRoomsAllAccountsConcurrent(t *testing.T) {
	testenv.Isolate(t)
	slow := deskServer(t, "Slow", "1234567890")
	fast := deskServer(t, "Fast", "2345678901")
	storeAccount(t, slow.URL, "alice", testenv.AlicePW, true)
	storeAccount(t, fast.URL, "alice", testenv.AlicePW, false)
	slow.SetDelay(time.Hour)
	done := make(chan result, 1)
	go func() {
		var out, errb testenv.SyncBuffer
		code := run([]string{"rooms", "--all-accounts", "--json"}, strings.NewReader(""), &out, &errb)
		done <- result{code: code, stdout: out.String(), stderr: errb.String()}
	}()
	asked := func(s *talktest.Server) bool {
		for _, req := range s.Requests() {
			if strings.HasSuffix(req.Path, "/api/v4/room") {
				return true
			}
		}
		return false
	}
	deadline := time.Now().Add(20 * time.Second)
	for !(asked(slow) && asked(fast)) {
		if time.Now().After(deadline) {
			t.Fatal("the second account was not asked while the first server held its answer")
		}
		time.Sleep(10 * time.Millisecond)
	}
	slow.Close()
	r := <-done
	logResult(t, "talkmod rooms --all-accounts --json", r)
	out := allAccountsJSONOf(t, r)
	// (a closed talktest ends a held answer without a body: a bad answer)
	if len(out) != 2 || out[0].Error == nil || r.code != out[0].Error.ExitCode || r.code == 0 || out[1].Error != nil || len(out[1].Rooms) != 1 {
		t.Errorf("exit %d: %+v", r.code, out)
	}
}

// talkmod --all-accounts: the console gets one account per stored
// account, each with its own client on its own server and its SERVER
// label; with one stored account it is the console as always.
func TestConsoleAllAccountsOptions(t *testing.T) {
	testenv.Isolate(t)
	s1 := deskServer(t, "Berlin town hall", "1234567890")
	s2 := deskServer(t, "Paris launch", "2345678901")
	storeAccount(t, s1.URL, "alice", testenv.AlicePW, true)
	a := &app{now: time.Now, logger: slog.New(slog.DiscardHandler)}
	if opts, _, err := a.consoleAccounts(); err != nil || opts != nil {
		t.Fatalf("one stored account: %v, %v (want the usual console)", opts, err)
	}
	storeAccount(t, s2.URL, "alice", testenv.AlicePW, false)
	opts, done, err := a.consoleAccounts()
	if err != nil || opts == nil {
		t.Fatalf("two stored accounts: %v", err)
	}
	defer done()
	if len(opts.Accounts) != 2 {
		t.Fatalf("%d accounts", len(opts.Accounts))
	}
	for i, want := range []struct {
		srv  *talktest.Server
		name string
	}{{s1, "Berlin town hall"}, {s2, "Paris launch"}} {
		acct := opts.Accounts[i]
		if acct.Label != hostOf(t, want.srv) || acct.Server != want.srv.URL || acct.Name != "alice@"+hostOf(t, want.srv) {
			t.Errorf("account %d: %+v", i, acct)
		}
		list, err := acct.Backend.ListRooms(context.Background(), client.ListOptions{})
		if err != nil || len(list.Rooms) != 1 || list.Rooms[0].Name != want.name {
			t.Errorf("account %d reads its own server: %v %+v", i, err, list)
		}
	}
	for _, args := range [][]string{
		{"--all-accounts", "--account", "x"},
		{"--demo-servers", "3", "--demo"},
		{"--demo-servers", "2"},
		{"--demo", "--all-accounts"},
	} {
		if r := talkmod(t, "", args...); r.code != 2 {
			t.Errorf("talkmod %v: exit %d, want 2 (usage)", args, r.code)
		}
	}
}
