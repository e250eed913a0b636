package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/change"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
	"github.com/talkmod/talkmod/models"
)

const throttledXML = `<?xml version="1.0"?>
<ocs><meta><status>failure</status><statuscode>429</statuscode><message>Reached maximum delay</message></meta><data/></ocs>`

// storeAccount stores an account as talkmod login would (file backend).
func storeAccount(t *testing.T, server, login, pw string, makeDefault bool) string {
	t.Helper()
	st, err := account.Open(getenv)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := st.Load()
	if err != nil {
		t.Fatal(err)
	}
	name := account.Name(server, login)
	where, err := st.SetPassword(name, pw)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Put(account.Account{Name: name, Server: server, LoginName: login, UserID: login, Secret: where, AddedAt: time.Now()}, makeDefault)
	if err := st.Save(cfg); err != nil {
		t.Fatal(err)
	}
	return name
}

// puts lists the webinar PUTs the server received, as "token kind".
func puts(s *talktest.Server) []string {
	var out []string
	for _, r := range s.Requests() {
		if r.Method == http.MethodPut {
			i := strings.Index(r.Path, "/room/")
			out = append(out, strings.TrimPrefix(r.Path[i:], "/room/"))
		}
	}
	return out
}

func lobbyOf(t *testing.T, s *talktest.Server, token string) talktest.Room {
	t.Helper()
	r, ok := s.Room(token)
	if !ok {
		t.Fatalf("no room %s", token)
	}
	return r
}

// A link on another server than the account's goes to the one stored
// account for that server; with none or two, nothing is sent anywhere.
func TestLinkOnAnotherHost(t *testing.T) {
	testenv.Isolate(t)
	home, other := testenv.NewServer(t), testenv.NewServer(t)
	storeAccount(t, home.URL, "alice", testenv.AlicePW, true)
	link := other.URL + "/call/" + testenv.WebinarA

	// none stored for the link's host
	r := talkmod(t, "", "lobby", link, "on", "--no-timer")
	if r.code != 2 || !strings.Contains(r.stderr, "no account for") || !strings.Contains(r.stderr, "nothing was sent") {
		t.Errorf("no account for the host: exit %d, stderr %q", r.code, r.stderr)
	}
	if p := append(puts(home), puts(other)...); len(p) != 0 {
		t.Errorf("no account for the host, yet sent %v", p)
	}

	// exactly one: used
	storeAccount(t, other.URL, "alice", testenv.AlicePW, false)
	r = talkmod(t, "", "lobby", link, "on", "--no-timer")
	if r.code != 0 || lobbyOf(t, other, testenv.WebinarA).LobbyState != models.LobbyModeratorsOnly {
		t.Fatalf("one account for the host: exit %d, room on the link's server %+v", r.code, lobbyOf(t, other, testenv.WebinarA))
	}
	if p := puts(home); len(p) != 0 || lobbyOf(t, home, testenv.WebinarA).LobbyState != models.LobbyNone {
		t.Errorf("the account's own server was changed: %v", p)
	}
	// a token and a link together: each to its own server
	r = talkmod(t, "", "lobby", testenv.WebinarA, link, "off")
	if r.code != 0 || lobbyOf(t, other, testenv.WebinarA).LobbyState != models.LobbyNone || len(puts(home)) != 1 {
		t.Errorf("token and link: exit %d, home PUTs %v", r.code, puts(home))
	}

	// --account chose an account on another host: refused
	home.ResetRequests()
	other.ResetRequests()
	r = talkmod(t, "", "lobby", link, "on", "--account", account.Name(home.URL, "alice"))
	if r.code != 2 || len(puts(home))+len(puts(other)) != 0 {
		t.Errorf("--account elsewhere: exit %d, PUTs %v %v", r.code, puts(home), puts(other))
	}

	// two stored for the host: refused, naming them
	storeAccount(t, other.URL, "bob", testenv.BobPW, false)
	r = talkmod(t, "", "lobby", link, "on", "--json")
	if r.code != 2 || !strings.Contains(r.stderr, "2 accounts are stored") || !strings.Contains(r.stdout, `"exitCode": 2`) {
		t.Errorf("two accounts for the host: exit %d, stderr %q", r.code, r.stderr)
	}
	// the room command follows the same rule
	if r := talkmod(t, "", "room", link); r.code != 2 {
		t.Errorf("room with the link: exit %d", r.code)
	}
	if p := append(puts(home), puts(other)...); len(p) != 0 {
		t.Errorf("two accounts for the host, yet sent %v", p)
	}
}

// lobby on in a room with a running call needs --yes.
func TestLobbyRunningCallNeedsYes(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	for _, extra := range [][]string{nil, {"--json"}, {"--in", "1h"}} {
		s.ResetRequests()
		r := talkmod(t, "", append([]string{"lobby", testenv.WebinarB, "on"}, extra...)...)
		if r.code != 2 || !strings.Contains(r.stderr, "Webinar ^[]0;pwned^G B ("+testenv.WebinarB+"): a call is running: turning the lobby on removes its non-moderators") ||
			!strings.Contains(r.stderr, "--yes") {
			t.Errorf("%v: exit %d, stderr %q", extra, r.code, r.stderr)
		}
		if p := puts(s); len(p) != 0 || lobbyOf(t, s, testenv.WebinarB).LobbyState != models.LobbyNone {
			t.Errorf("%v: sent %v without --yes", extra, p)
		}
	}
	r := talkmod(t, "", "lobby", testenv.WebinarB, "on", "--json")
	var e exit.JSONError
	if json.Unmarshal([]byte(r.stdout), &e) != nil || e.Error.Kind != "confirmation needed" || e.Error.ExitCode != 2 {
		t.Errorf("--json: %q", r.stdout)
	}
	r = talkmod(t, "", "lobby", testenv.WebinarB, "on", "--yes")
	if r.code != 0 || lobbyOf(t, s, testenv.WebinarB).LobbyState != models.LobbyModeratorsOnly {
		t.Fatalf("--yes: exit %d", r.code)
	}
	// already on: turning it on again removes nobody, so no question
	if r := talkmod(t, "", "lobby", testenv.WebinarB, "on", "--in", "2h"); r.code != 0 {
		t.Errorf("lobby already on: exit %d", r.code)
	}
}

// lobby off drops a future timer, and says which on stderr.
func TestLobbyOffNamesDroppedTimer(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	if r := talkmod(t, "", "lobby", testenv.WebinarA, "on", "--in", "2h"); r.code != 0 {
		t.Fatal("lobby on")
	}
	timer := time.Unix(lobbyOf(t, s, testenv.WebinarA).LobbyTimer, 0)
	r := talkmod(t, "", "lobby", testenv.WebinarA, "off", "--tz", "UTC")
	// the time in the display zone, with the date when not today (tui/words)
	want := "dropped the lobby timer that was set for "
	if r.code != 0 || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, timer.UTC().Format("15:04")) || !strings.Contains(r.stderr, "Webinar A") {
		t.Errorf("exit %d, stderr %q, want %q", r.code, r.stderr, want)
	}
	if got := lobbyOf(t, s, testenv.WebinarA); got.LobbyState != models.LobbyNone || got.LobbyTimer != 0 {
		t.Errorf("room %+v", got)
	}
	// no timer, nothing said
	if r := talkmod(t, "", "lobby", testenv.WebinarA, "off"); r.code != 0 || r.stderr != "" {
		t.Errorf("off without a timer: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestLobbySeveralRooms(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	r := talkmod(t, "", "lobby", testenv.WebinarA, s.URL+"/call/"+testenv.LettersTok, testenv.WebinarA, testenv.OneToOne, "on", "--in", "1h")
	if r.code != 2 {
		t.Errorf("exit %d, want 2 (a one-to-one skipped)", r.code)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "Webinar A ("+testenv.WebinarA+"): changed: lobby on until") ||
		!strings.HasPrefix(lines[1], "Letters ("+testenv.LettersTok+"): changed: lobby on until") ||
		lines[2] != "bob ("+testenv.OneToOne+"): skipped: a one-to-one conversation has no lobby" {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "3 rooms: 2 changed, 1 skipped") {
		t.Errorf("stderr %q", r.stderr)
	}
	if p := puts(s); len(p) != 2 {
		t.Errorf("PUTs %v, want one per changeable room", p)
	}
	for _, tok := range []string{testenv.WebinarA, testenv.LettersTok} {
		if lobbyOf(t, s, tok).LobbyState != models.LobbyModeratorsOnly || lobbyOf(t, s, tok).LobbyTimer == 0 {
			t.Errorf("%s: %+v", tok, lobbyOf(t, s, tok))
		}
	}
	// off: each dropped timer is named on stderr, and in the JSON
	timerA := lobbyOf(t, s, testenv.WebinarA).LobbyTimer
	r = talkmod(t, "", "lobby", testenv.WebinarA, testenv.LettersTok, "off", "--json")
	var res []change.RoomResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || r.code != 0 || len(res) != 2 || res[0].DroppedTimer != timerA {
		t.Fatalf("off: exit %d, %v, %s", r.code, err, r.stdout)
	}
	if strings.Count(r.stderr, "dropped the lobby timer that was set for") != 2 {
		t.Errorf("stderr %q", r.stderr)
	}
}

// "-" reads the rooms from stdin; --json gives an array, one object a room.
func TestLobbyStdinAndJSONArray(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	s.FailNext("/room/"+testenv.WebinarB, 1, 404, `{"ocs":{"meta":{"status":"failure","statuscode":404,"message":""},"data":[]}}`)
	stdin := "# this week's webinars\n\n" + testenv.WebinarA + "   # the first\n\t" + testenv.LettersTok + "\n# " + testenv.WebinarB + "\n5678901234\n"
	r := talkmod(t, stdin, "lobby", "-", "on", "--json")
	if r.code != 5 {
		t.Errorf("exit %d, want 5 (one room not found)", r.code)
	}
	var res []struct {
		Token string              `json:"token"`
		Name  string              `json:"name"`
		OK    bool                `json:"ok"`
		Room  *models.Room        `json:"room"`
		Error *exit.JSONErrorBody `json:"error"`
		Extra json.RawMessage     `json:"request"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, r.stdout)
	}
	if len(res) != 3 || res[0].Token != testenv.WebinarA || !res[0].OK || res[0].Room == nil || res[0].Room.LobbyState != models.LobbyModeratorsOnly ||
		res[1].Token != testenv.LettersTok || !res[1].OK || res[1].Name != "Letters" ||
		res[2].Token != "5678901234" || res[2].OK || res[2].Error == nil || res[2].Error.Status != 404 || res[2].Error.ExitCode != 5 {
		t.Errorf("results %s", r.stdout)
	}
	if lobbyOf(t, s, testenv.WebinarB).LobbyState != models.LobbyNone {
		t.Error("a commented-out room was changed")
	}
	// one room from stdin is still an array
	r = talkmod(t, testenv.WebinarA+"\n", "lobby", "-", "off", "--json")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "[") {
		t.Errorf("one room on stdin: exit %d, %q", r.code, r.stdout)
	}
	// a bad line refuses all, naming the line
	s.ResetRequests()
	r = talkmod(t, testenv.WebinarA+"\nNOT A TOKEN\n", "lobby", "-", "on")
	if r.code != 2 || !strings.Contains(r.stderr, "stdin line 2") || len(puts(s)) != 0 || len(s.Requests()) != 0 {
		t.Errorf("bad line: exit %d, stderr %q, %d requests", r.code, r.stderr, len(s.Requests()))
	}
}

func TestDryRunSendsNothing(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	s.ResetRequests()
	r := talkmod(t, "", "lobby", testenv.WebinarA, testenv.WebinarB, "on", "--in", "1h", "--dry-run")
	if r.code != 2 || len(puts(s)) != 0 {
		t.Errorf("exit %d (want 2: the call room needs --yes), PUTs %v", r.code, puts(s))
	}
	if !strings.Contains(r.stdout, "Webinar A ("+testenv.WebinarA+"): would send lobby on, opens") ||
		!strings.Contains(r.stdout, "(PUT /ocs/v2.php/apps/spreed/api/v4/room/"+testenv.WebinarA+"/webinar/lobby state=1&timer=") ||
		!strings.Contains(r.stdout, testenv.WebinarB+"): refused: ") {
		t.Errorf("stdout %q", r.stdout)
	}
	r = talkmod(t, "", "lobby", testenv.WebinarA, testenv.WebinarB, "on", "--in", "1h", "--dry-run", "--yes", "--json")
	var res []change.RoomResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || r.code != 0 || len(res) != 2 {
		t.Fatalf("exit %d, %v, %s", r.code, err, r.stdout)
	}
	for _, x := range res {
		if !x.OK || !x.DryRun || x.Request == nil || x.Request.Method != "PUT" || x.Request.Form["state"] != "1" || x.Request.Form["timer"] == "" {
			t.Errorf("dry run result %+v", x)
		}
	}
	// one room: one object; SIP too
	r = talkmod(t, "", "sip", testenv.WebinarA, "nopin", "--dry-run", "--json")
	var one change.RoomResult
	if err := json.Unmarshal([]byte(r.stdout), &one); err != nil || !one.DryRun || one.Request.Form["state"] != "2" {
		t.Errorf("sip --dry-run: %v %s", err, r.stdout)
	}
	if p := puts(s); len(p) != 0 {
		t.Errorf("--dry-run sent %v", p)
	}
	if lobbyOf(t, s, testenv.WebinarA).LobbyState != models.LobbyNone || lobbyOf(t, s, testenv.WebinarA).SIPEnabled != models.SIPDisabled {
		t.Error("--dry-run changed a room")
	}
}

// With several rooms, a running call refuses only that room.
func TestYesPerRoom(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	r := talkmod(t, "", "lobby", testenv.WebinarA, testenv.WebinarB, "on")
	if r.code != 2 || !strings.Contains(r.stdout, testenv.WebinarA+"): changed") || !strings.Contains(r.stdout, testenv.WebinarB+"): refused: ") ||
		!strings.Contains(r.stdout, testenv.WebinarB+"): refused: a call is running") {
		t.Errorf("exit %d, stdout %q", r.code, r.stdout)
	}
	if p := puts(s); len(p) != 1 || !strings.HasPrefix(p[0], testenv.WebinarA) {
		t.Errorf("PUTs %v, want only %s", p, testenv.WebinarA)
	}
	if lobbyOf(t, s, testenv.WebinarB).LobbyState != models.LobbyNone {
		t.Error("the call room was changed without --yes")
	}
	r = talkmod(t, "", "lobby", testenv.WebinarA, testenv.WebinarB, "on", "--yes")
	if r.code != 0 || lobbyOf(t, s, testenv.WebinarB).LobbyState != models.LobbyModeratorsOnly {
		t.Errorf("--yes: exit %d", r.code)
	}
}

func TestSIPSeveralRooms(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	r := talkmod(t, "", "sip", testenv.WebinarA, testenv.WebinarB, testenv.LettersTok, "on")
	if r.code != 2 || !strings.Contains(r.stdout, testenv.LettersTok+"): skipped: this conversation's ID has letters") {
		t.Errorf("exit %d, stdout %q", r.code, r.stdout)
	}
	if p := puts(s); len(p) != 2 {
		t.Errorf("PUTs %v", p)
	}
	for _, tok := range []string{testenv.WebinarA, testenv.WebinarB} {
		if lobbyOf(t, s, tok).SIPEnabled != models.SIPEnabled {
			t.Errorf("%s: SIP %d", tok, lobbyOf(t, s, tok).SIPEnabled)
		}
	}
}

// The exit code of several rooms is the most severe among them.
func TestSeveralRoomsExitPrecedence(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	// skipped (2), not found (5), forbidden by the server (4)
	s.OnAction(func(a talktest.Action) {
		if a.Token == testenv.LettersTok {
			s.Demote(testenv.LettersTok, "alice")
		}
	})
	r := talkmod(t, "", "lobby", testenv.OneToOne, "5678901234", testenv.LettersTok, testenv.WebinarA, "on", "--no-timer")
	if r.code != 4 {
		t.Errorf("exit %d, want 4 (403 before 404 before 2)", r.code)
	}
	if !strings.Contains(r.stdout, "Letters ("+testenv.LettersTok+"): failed (403): ") || !strings.Contains(r.stdout, "5678901234: failed (404): ") {
		t.Errorf("stdout %q", r.stdout)
	}
	s.OnAction(nil)
	s.FailNext("/webinar/lobby", 1, 500, `{"ocs":{"meta":{"status":"failure","statuscode":996,"message":""},"data":[]}}`)
	r = talkmod(t, "", "lobby", testenv.OneToOne, "5678901234", testenv.WebinarA, "off")
	if r.code != 9 {
		t.Errorf("exit %d, want 9 (500 before 404 before 2)", r.code)
	}
}

// addWebinars adds n group webinars alice owns and returns their tokens.
func addWebinars(s *talktest.Server, n int) []string {
	var toks []string
	for i := range n {
		tok := fmt.Sprintf("bulk%04d", i)
		s.AddRoom(talktest.Room{Token: tok, Type: models.ConversationGroup, Name: fmt.Sprintf("Session %d", i),
			Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner}, LastActivity: int64(100 + i)})
		toks = append(toks, tok)
	}
	return toks
}

// A 429 stops the rest: those are reported as not sent.
func TestSeveralRoomsStopAt429(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	toks := addWebinars(s, 12)
	// The changes that go through are slow, the 429 is quick: no request
	// ends before the 429, so at most the first 4 are sent.
	s.OnAction(func(talktest.Action) { time.Sleep(100 * time.Millisecond) })
	s.ResetRequests()
	s.FailNext("/webinar/lobby", 1, 429, throttledXML)
	r := talkmod(t, "", append(append([]string{"lobby"}, toks...), "on", "--tz", "UTC")...)
	if r.code != 8 {
		t.Errorf("exit %d, want 8", r.code)
	}
	sent := len(puts(s))
	notSent := strings.Count(r.stdout, ": not sent: the server is throttling; try again at ")
	if sent > 4 || sent+notSent != 12 || !strings.Contains(r.stdout, "failed (429)") {
		t.Errorf("%d sent, %d not sent; stdout:\n%s", sent, notSent, r.stdout)
	}
	changed := 0
	for _, tok := range toks {
		if lobbyOf(t, s, tok).LobbyState == models.LobbyModeratorsOnly {
			changed++
		}
	}
	if changed != sent-1 || !strings.Contains(r.stderr, fmt.Sprintf("%d not sent", notSent)) {
		t.Errorf("%d rooms changed, %d sent; stderr %q", changed, sent, r.stderr)
	}
	// a 401 stops it the same way
	s.ResetRequests()
	s.FailNext("/webinar/lobby", 1, 401, `{"ocs":{"meta":{"status":"failure","statuscode":997,"message":"Current user is not logged in"},"data":[]}}`)
	r = talkmod(t, "", append(append([]string{"lobby"}, toks...), "off")...)
	sent = len(puts(s))
	notSent = strings.Count(r.stdout, ": not sent: the server refused the app password (401)")
	if r.code != 3 || sent > 4 || sent+notSent != 12 {
		t.Errorf("401: exit %d, %d sent, %d not sent", r.code, sent, notSent)
	}
}

// countingProxy forwards to target and records the most requests in
// flight at once.
type countingProxy struct {
	cur, peak atomic.Int32
	srv       *httptest.Server
}

func newCountingProxy(t testing.TB, target string) *countingProxy {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	p := &countingProxy{}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := p.cur.Add(1)
		defer p.cur.Add(-1)
		for {
			old := p.peak.Load()
			if c <= old || p.peak.CompareAndSwap(old, c) {
				break
			}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// 100 rooms go out 4 at a time: never more in flight, and 4 are reached
// (none serialised). BenchmarkLobby100Rooms gives the time.
func TestSeveralRoomsAtMostFourInFlight(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	toks := addWebinars(s, 100)
	s.SetDelay(50 * time.Millisecond)
	p := newCountingProxy(t, s.URL)
	useEnv(t, s)
	t.Setenv("TALKMOD_SERVER", p.srv.URL)
	s.ResetRequests()
	r := talkmod(t, strings.Join(toks, "\n"), "lobby", "-", "on", "--json")
	if r.code != 0 || len(puts(s)) != 100 {
		t.Fatalf("exit %d, %d PUTs", r.code, len(puts(s)))
	}
	if got := p.peak.Load(); got != 4 {
		t.Errorf("at most %d requests in flight, want exactly 4", got)
	}
	if n := len(s.Requests()); n != 101 {
		t.Errorf("%d requests, want the room list and 100 PUTs", n)
	}
}

// BenchmarkLobby100Rooms: 100 rooms with 50 ms per request. The bound is
// ⌈100/4⌉ request times + 10% = 1375 ms for the PUTs; the room list read
// before them is one more request time (reported as request-times/op).
func BenchmarkLobby100Rooms(b *testing.B) {
	dir := b.TempDir()
	b.Setenv("HOME", dir)
	b.Setenv("XDG_CONFIG_HOME", dir)
	b.Setenv("TALKMOD_KEYRING", "off")
	s := talktest.New()
	defer s.Close()
	s.AddUser("alice", testenv.AlicePW)
	toks := addWebinars(s, 100)
	const delay = 50 * time.Millisecond
	s.SetDelay(delay)
	p := newCountingProxy(b, s.URL)
	b.Setenv("TALKMOD_SERVER", p.srv.URL)
	b.Setenv("TALKMOD_USER", "alice")
	b.Setenv("TALKMOD_APP_PASSWORD", testenv.AlicePW)
	stdin := strings.Join(toks, "\n")
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		word := "on"
		if i%2 == 1 {
			word = "off"
		}
		var out, errb testenv.SyncBuffer
		if code := run([]string{"lobby", "-", word, "--json"}, strings.NewReader(stdin), &out, &errb); code != 0 {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
	per := time.Since(start) / time.Duration(b.N)
	b.ReportMetric(float64(per)/float64(delay), "request-times/op")
	b.ReportMetric(float64(p.peak.Load()), "max-in-flight")
}

func TestBulkHelp(t *testing.T) {
	testenv.Isolate(t)
	for _, cmd := range []string{"lobby", "sip"} {
		r := talkmod(t, "", cmd, "--help")
		for _, want := range []string{"TOKEN_OR_LINK...", "9, 8, 3, 4, 5, 6, 7, 1, 2", "--dry-run", `"-" to`, "jq -r"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%s --help lacks %q", cmd, want)
			}
		}
	}
	if r := talkmod(t, "", "lobby", "--help"); !strings.Contains(r.stdout, "--yes") {
		t.Error("lobby --help lacks --yes")
	}
	for _, args := range [][]string{{"lobby", "on"}, {"lobby", testenv.WebinarA, "maybe"}, {"lobby", "-", "-", "on"}, {"sip", testenv.WebinarA}, {"lobby", "-", "on"}} {
		if r := talkmod(t, "", args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2", args, r.code)
		}
	}
}
