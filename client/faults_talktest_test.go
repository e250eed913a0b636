package client

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/models"
)

// faultServer is a talktest server with rooms, alice a moderator, and
// every API request answered with fault f.
func faultServer(t *testing.T, f talktest.Fault) (*talktest.Server, *Client, []string) {
	t.Helper()
	srv := talktest.New(talktest.WithFaults(talktest.Faults{Seed: 3, Rate: 1, Kinds: []talktest.Fault{f},
		Drip: 5 * time.Millisecond}))
	t.Cleanup(srv.Close)
	srv.AddUser("alice", "alice-app-password")
	srv.SetSIPConfig(true)
	var tokens []string
	for i := range 5 {
		tokens = append(tokens, srv.AddRoom(talktest.Room{Name: "Room " + string(rune('A'+i)),
			Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner}}))
	}
	c, err := New(Config{BaseURL: srv.URL, User: "alice", AppPassword: "alice-app-password", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c.http.SetRetryWaitTime(time.Millisecond).SetRetryMaxWaitTime(5 * time.Millisecond)
	return srv, c, tokens
}

// TestEveryFaultIsOneClearError: each fault of talktest.WithFaults reaches
// the client as the error a moderator can act on (or, for the faults
// that change the server, as the server's own answer), never a panic and
// never a part of the list.
func TestEveryFaultIsOneClearError(t *testing.T) {
	cases := []struct {
		fault talktest.Fault
		kind  Kind
		words string
	}{
		{talktest.FaultResetBeforeHeaders, KindNetwork, "reset"},
		{talktest.FaultResetMidBody, KindNetwork, "reset"},
		{talktest.FaultTruncatedJSON, KindBadResponse, "truncated"},
		{talktest.FaultProxy502, KindUnavailable, "502"},
		{talktest.FaultProxy504, KindUnavailable, "504"},
		{talktest.FaultMaintenance, KindUnavailable, "maintenance"},
		{talktest.Fault429, KindThrottled, "429"},
		{talktest.Fault429RetryAfter, KindThrottled, "429"},
		{talktest.FaultSlowDrip, KindNetwork, "timeout"},
		{talktest.FaultHugeBody, KindBadResponse, "larger than"},
		{talktest.FaultWrongTypes, KindBadResponse, "wrong type"},
	}
	for _, c := range cases {
		t.Run(string(c.fault), func(t *testing.T) {
			t.Parallel()
			srv, cl, _ := faultServer(t, c.fault)
			list, err := cl.ListRooms(context.Background(), ListOptions{})
			if err == nil || list != nil {
				t.Fatalf("list: %v, %v", list, err)
			}
			msg := err.Error() + " | " + Message(err)
			if KindOf(err) != c.kind || !strings.Contains(msg, c.words) {
				t.Errorf("got kind %v %q; want kind %v with %q", KindOf(err), msg, c.kind, c.words)
			}
			if len(srv.FaultLog()) == 0 || srv.FaultLog()[0].Fault != c.fault {
				t.Errorf("fault log: %+v", srv.FaultLog())
			}
			if c.fault == talktest.Fault429RetryAfter {
				var ae *APIError
				if !errors.As(err, &ae) || ae.RetryAfter <= 0 {
					t.Errorf("Retry-After not read: %#v", err)
				}
			}
		})
	}
}

// TestVanishAndEvilRename: a room deleted just before an action is a
// 404; a room renamed to escape sequences keeps its raw name in the
// model (the console sanitizes it) and its old name inside.
func TestVanishAndEvilRename(t *testing.T) {
	srv, cl, tokens := faultServer(t, talktest.FaultVanish)
	_, err := cl.SetLobby(context.Background(), tokens[2], models.LobbyModeratorsOnly, nil)
	if KindOf(err) != KindNotFound {
		t.Errorf("vanished room: %v (kind %v)", err, KindOf(err))
	}
	if _, ok := srv.Room(tokens[2]); ok {
		t.Error("the room is still there")
	}

	srv, cl, _ = faultServer(t, talktest.FaultEvilRename)
	list, err := cl.ListRooms(context.Background(), ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	evil := 0
	for _, r := range list.Rooms {
		if strings.HasPrefix(r.DisplayName, talktest.EvilPrefix) && strings.Contains(r.DisplayName, "Room ") {
			evil++
		}
	}
	if evil != 1 || len(srv.FaultLog()) != 1 {
		t.Errorf("%d evil names after one list; log %+v", evil, srv.FaultLog())
	}
}

// TestFaultsAreReproducible: the same seed and requests give the same
// faults; latency and jitter delay the answers.
func TestFaultsAreReproducible(t *testing.T) {
	run := func(seed uint64) []talktest.FaultEvent {
		srv := talktest.New(talktest.WithFaults(talktest.Faults{Seed: seed, Rate: 0.5,
			Kinds:   []talktest.Fault{talktest.FaultProxy502, talktest.Fault429, talktest.FaultTruncatedJSON},
			Latency: 5 * time.Millisecond, Jitter: 5 * time.Millisecond}))
		defer srv.Close()
		srv.AddUser("alice", "alice-app-password")
		c, _ := New(Config{BaseURL: srv.URL, User: "alice", AppPassword: "alice-app-password", Timeout: 2 * time.Second})
		c.http.SetRetryCount(0)
		start := time.Now()
		for range 30 {
			_, _ = c.ListRooms(context.Background(), ListOptions{})
		}
		if d := time.Since(start); d < 30*time.Millisecond {
			t.Errorf("30 requests with 0-10 ms latency took %v", d)
		}
		return srv.FaultLog()
	}
	a, b, other := run(11), run(11), run(12)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("runs differ: %d vs %d faults", len(a), len(b))
	}
	for i := range a {
		if a[i].N != b[i].N || a[i].Fault != b[i].Fault {
			t.Fatalf("fault %d: %+v vs %+v", i, a[i], b[i])
		}
	}
	same := len(a) == len(other)
	for i := 0; same && i < len(a); i++ {
		same = a[i].N == other[i].N && a[i].Fault == other[i].Fault
	}
	if same {
		t.Error("another seed gave the same faults")
	}
	bursts := 0
	for i := 1; i < len(a); i++ {
		if a[i].Fault == talktest.Fault429 && a[i-1].Fault == talktest.Fault429 && a[i].N == a[i-1].N+1 {
			bursts++
		}
	}
	if bursts == 0 {
		t.Errorf("no 429 burst in %+v", a)
	}
}

func TestParseFaults(t *testing.T) {
	f, err := talktest.ParseFaults("seed=7, rate=0.3,latency=50ms,jitter=20ms,kinds=reset+502+429-retry-after,drip=10ms,dripmax=40")
	if err != nil || f.Seed != 7 || f.Rate != 0.3 || f.Latency != 50*time.Millisecond || f.Jitter != 20*time.Millisecond ||
		len(f.Kinds) != 3 || f.Kinds[2] != talktest.Fault429RetryAfter || f.Drip != 10*time.Millisecond || f.DripMax != 40 {
		t.Errorf("parsed %+v, %v", f, err)
	}
	for _, bad := range []string{"rate=2", "kinds=nosuch", "seed", "color=red", "latency=soon"} {
		if _, err := talktest.ParseFaults(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if f, err := talktest.ParseFaults(""); f != nil || err != nil {
		t.Errorf("empty spec: %v %v", f, err)
	}
}
