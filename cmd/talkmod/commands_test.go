package main

import (
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/demo"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
	"github.com/talkmod/talkmod/models"
)

func TestRoomsTable(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	r := talkmod(t, "", "rooms")
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	for _, want := range []string{"NAME", "Webinar A", testenv.WebinarA, testenv.WebinarB, "Letters"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("rooms output lacks %q", want)
		}
	}
	for _, not := range []string{testenv.OneToOne, testenv.NotModTok, "\x1b", "\a"} {
		if strings.Contains(r.stdout, not) {
			t.Errorf("rooms output holds %q", not)
		}
	}
	if strings.Index(r.stdout, "Webinar A") > strings.Index(r.stdout, "Letters") {
		t.Error("rooms are not sorted by last activity")
	}

	r = talkmod(t, "", "rooms", "--all")
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	for _, want := range []string{testenv.OneToOne, testenv.NotModTok, "CAN'T CHANGE", "not a moderator"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("rooms --all output lacks %q", want)
		}
	}
}

func TestRoomsJSON(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	r := talkmod(t, "", "rooms", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	var rooms []models.Room
	if err := json.Unmarshal([]byte(r.stdout), &rooms); err != nil {
		t.Fatalf("rooms --json is not a JSON array of rooms: %v", err)
	}
	if len(rooms) != 3 || rooms[0].Token != testenv.WebinarA {
		t.Fatalf("rooms --json = %+v, want the 3 moderated rooms, %s first", rooms, testenv.WebinarA)
	}
	// The field names are the API's.
	var raw []map[string]any
	json.Unmarshal([]byte(r.stdout), &raw)
	for _, k := range []string{"token", "lobbyState", "lobbyTimer", "sipEnabled", "participantType", "hasCall"} {
		if _, ok := raw[0][k]; !ok {
			t.Errorf("room JSON lacks %q", k)
		}
	}
}

func TestRoomDetailAndLink(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	if r := talkmod(t, "", "sip", testenv.WebinarA, "on"); r.code != 0 {
		t.Fatalf("sip on: exit %d", r.code)
	}
	for _, arg := range []string{testenv.WebinarA, s.URL + "/call/" + testenv.WebinarA, s.URL + "/index.php/call/" + testenv.WebinarA + "/", s.URL + "/call/" + testenv.WebinarA + "#message_12"} {
		r := talkmod(t, "", "room", arg)
		if r.code != 0 {
			t.Fatalf("room %s: exit %d", arg, r.code)
		}
		for _, want := range []string{"Webinar A", "The first webinar", "on with PIN", "Dial-in card", "Meeting ID: " + testenv.WebinarA} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("room %s lacks %q", arg, want)
			}
		}
	}
	r := talkmod(t, "", "room", testenv.WebinarA, "--json")
	var room models.Room
	if err := json.Unmarshal([]byte(r.stdout), &room); err != nil || room.Token != testenv.WebinarA || room.SIPEnabled != models.SIPEnabled {
		t.Fatalf("room --json = %q (%v)", r.stdout, err)
	}
}

func TestRoomDialInNumbers(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	s.SetSIPDialInInfo("+49 30 1234567 (Germany)\r\n\x1b[2J+1 555 0100 (USA)\u202e\n\n")
	if r := talkmod(t, "", "sip", testenv.WebinarA, "on"); r.code != 0 {
		t.Fatalf("sip on: exit %d", r.code)
	}
	r := talkmod(t, "", "room", testenv.WebinarA)
	if r.code != 0 {
		t.Fatalf("room: exit %d", r.code)
	}
	want := "Dial-in card:\n  Numbers:    +49 30 1234567 (Germany)\n              ^[[2J+1 555 0100 (USA)\\u202e\n  Meeting ID: " + testenv.WebinarA + "\n  Your PIN:   "
	if !strings.Contains(r.stdout, want) {
		t.Errorf("room output lacks\n%s\ngot:\n%s", want, r.stdout)
	}
	if strings.ContainsAny(r.stdout, "\x1b\r\u202e") {
		t.Errorf("a control character reached the terminal: %q", r.stdout)
	}

	// --json is the room object as the server returned it: no numbers
	r = talkmod(t, "", "room", testenv.WebinarA, "--json")
	var room map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &room); err != nil || room["token"] != testenv.WebinarA {
		t.Fatalf("room --json = %q (%v)", r.stdout, err)
	}
	if strings.Contains(r.stdout, "555") {
		t.Errorf("room --json holds the numbers: %s", r.stdout)
	}

	// SIP off: no card, and nothing asked of the signaling settings
	if r := talkmod(t, "", "sip", testenv.WebinarA, "off"); r.code != 0 {
		t.Fatalf("sip off: exit %d", r.code)
	}
	s.ResetRequests()
	r = talkmod(t, "", "room", testenv.WebinarA)
	if r.code != 0 || strings.Contains(r.stdout, "Dial-in card") || strings.Contains(r.stdout, "Numbers") {
		t.Errorf("SIP off: exit %d\n%s", r.code, r.stdout)
	}
	for _, req := range s.Requests() {
		if strings.Contains(req.Path, "signaling") {
			t.Errorf("SIP off, yet %s was asked", req.Path)
		}
	}

	// the bridge switched off by the admin between the two reads: the
	// server has no text (a failure is shown in the card, not as an error)
	if r := talkmod(t, "", "sip", testenv.WebinarA, "nopin"); r.code != 0 {
		t.Fatalf("sip nopin: exit %d", r.code)
	}
	s.FailNext("/signaling/settings", 1, 200, `{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":{"signalingMode":"internal","sipDialinInfo":""}}}`)
	r = talkmod(t, "", "room", testenv.WebinarA)
	if r.code != 0 || !strings.Contains(r.stdout, "  Numbers:    not available (the server has no dial-in text: SIP dial-in is not configured on it)") {
		t.Errorf("not configured: exit %d\n%s", r.code, r.stdout)
	}
	s.FailNext("/signaling/settings", 3, 503, "<html><body>Service Unavailable</body></html>")
	r = talkmod(t, "", "room", testenv.WebinarA)
	if r.code != 0 || !strings.Contains(r.stdout, "  Numbers:    not available (") || !strings.Contains(r.stdout, "Meeting ID: "+testenv.WebinarA) {
		t.Errorf("503: exit %d\n%s", r.code, r.stdout)
	}
}

func TestLobbyCommands(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)

	before := time.Now()
	r := talkmod(t, "", "lobby", testenv.WebinarA, "on", "--in", "30m", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	var room models.Room
	if err := json.Unmarshal([]byte(r.stdout), &room); err != nil {
		t.Fatal(err)
	}
	want := before.Add(30 * time.Minute).Unix()
	if room.LobbyState != models.LobbyModeratorsOnly || room.LobbyTimer < want-1 || room.LobbyTimer > want+5 {
		t.Fatalf("lobby on --in 30m: state %d timer %d, want 1 and ≈%d", room.LobbyState, room.LobbyTimer, want)
	}
	timer := room.LobbyTimer

	// "on" again keeps the future timer.
	r = talkmod(t, "", "lobby", testenv.WebinarA, "on")
	if r.code != 0 || !strings.Contains(r.stdout, "lobby on until") {
		t.Fatalf("lobby on: exit %d, %q", r.code, r.stdout)
	}
	if got, _ := s.Room(testenv.WebinarA); got.LobbyTimer != timer {
		t.Fatalf("lobby on dropped the timer: %d, want %d", got.LobbyTimer, timer)
	}
	// --no-timer removes it.
	r = talkmod(t, "", "lobby", testenv.WebinarA, "on", "--no-timer")
	if got, _ := s.Room(testenv.WebinarA); r.code != 0 || got.LobbyTimer != 0 || got.LobbyState != models.LobbyModeratorsOnly {
		t.Fatalf("lobby on --no-timer: exit %d, room %+v", r.code, got)
	}
	if !strings.Contains(r.stdout, "timer removed; the lobby stays on") {
		t.Errorf("output %q", r.stdout)
	}
	// --at in a zone.
	at := time.Now().Add(48*time.Hour).In(time.UTC).Format("2006-01-02") + " 10:00"
	r = talkmod(t, "", "lobby", testenv.WebinarA, "on", "--at", at, "--tz", "America/New_York")
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	ny, _ := time.LoadLocation("America/New_York")
	wantAt, _ := time.ParseInLocation("2006-01-02 15:04", at, ny)
	if got, _ := s.Room(testenv.WebinarA); got.LobbyTimer != wantAt.Unix() {
		t.Fatalf("--at %q: timer %d, want %d", at, got.LobbyTimer, wantAt.Unix())
	}
	// off.
	r = talkmod(t, "", "lobby", s.URL+"/call/"+testenv.WebinarA, "off")
	if got, _ := s.Room(testenv.WebinarA); r.code != 0 || got.LobbyState != models.LobbyNone || got.LobbyTimer != 0 {
		t.Fatalf("lobby off: exit %d, room %+v", r.code, got)
	}
	if !strings.Contains(r.stdout, "lobby off: everyone can join") {
		t.Errorf("output %q", r.stdout)
	}
}

func TestLobbyTimerRefusedBeforeSending(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	past := time.Now().Add(-2 * time.Hour).UTC().Format(time.RFC3339)
	far := time.Now().AddDate(1, 1, 0).UTC().Format(time.RFC3339)
	for _, args := range [][]string{
		{"lobby", testenv.WebinarA, "on", "--at", past},
		{"lobby", testenv.WebinarA, "on", "--at", far},
		{"lobby", testenv.WebinarA, "on", "--in", "9000h"},
	} {
		s.ResetRequests()
		r := talkmod(t, "", args...)
		if r.code != 2 {
			t.Errorf("%v: exit %d, want 2", args, r.code)
		}
		for _, req := range s.Requests() {
			if strings.Contains(req.Path, "/webinar/lobby") {
				t.Errorf("%v: a lobby request was sent", args)
			}
		}
	}
}

func TestSIPCommand(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	for _, c := range []struct {
		word string
		want models.SIPState
		text string
	}{{"on", models.SIPEnabled, "on with PIN"}, {"nopin", models.SIPEnabledNoPIN, "on without PIN"}, {"off", models.SIPDisabled, "SIP dial-in off"}} {
		r := talkmod(t, "", "sip", testenv.WebinarA, c.word)
		if r.code != 0 || !strings.Contains(r.stdout, c.text) {
			t.Fatalf("sip %s: exit %d, %q", c.word, r.code, r.stdout)
		}
		if got, _ := s.Room(testenv.WebinarA); got.SIPEnabled != c.want {
			t.Fatalf("sip %s: server has %d", c.word, got.SIPEnabled)
		}
	}
}

// TestExitCodes produces every exit code from a real talktest answer.
func TestExitCodes(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	const throttled = `<?xml version="1.0"?>
<ocs><meta><status>failure</status><statuscode>429</statuscode><message>Reached maximum delay</message></meta><data/></ocs>`
	cases := []struct {
		name   string
		setup  func()
		args   []string
		code   int
		status int
		reason string
	}{
		{"done", nil, []string{"lobby", testenv.WebinarA, "on"}, 0, 0, ""},
		{"bad answer", func() { s.FailNext("/room", 1, 200, "<html><body>portal login</body></html>") }, []string{"rooms"}, 1, 200, ""},
		{"usage: bad state", nil, []string{"lobby", testenv.WebinarA, "maybe"}, 2, 0, ""},
		{"usage: bad token", nil, []string{"room", "NOT_A_TOKEN!"}, 2, 0, ""},
		{"usage: unknown flag", nil, []string{"rooms", "--bogus"}, 2, 0, ""},
		{"usage: timer in the past", nil, []string{"lobby", testenv.WebinarA, "on", "--at", "2001-01-01 10:00"}, 2, 0, ""},
		{"401", func() { t.Setenv("TALKMOD_APP_PASSWORD", "wrong") }, []string{"rooms"}, 3, 401, ""},
		{"403", nil, []string{"lobby", testenv.NotModTok, "on"}, 4, 403, ""},
		{"403 config", func() { s.SetSIPConfig(true, "sip-users") }, []string{"sip", testenv.WebinarA, "on"}, 4, 403, "config"},
		{"404", nil, []string{"lobby", "5678901234", "on", "--no-timer"}, 5, 404, ""},
		{"412", func() { s.SetSIPConfig(false) }, []string{"sip", testenv.WebinarA, "on"}, 6, 412, "config"},
		{"400 type", nil, []string{"lobby", testenv.OneToOne, "off"}, 7, 400, "type"},
		{"400 token", nil, []string{"sip", testenv.LettersTok, "on"}, 7, 400, "token"},
		{"429", func() { s.FailNext("/webinar/lobby", 1, 429, throttled) }, []string{"lobby", testenv.WebinarA, "off"}, 8, 429, ""},
		{"500", func() {
			s.FailNext("/webinar/sip", 1, 500, `{"ocs":{"meta":{"status":"failure","statuscode":996,"message":""},"data":[]}}`)
		}, []string{"sip", testenv.WebinarA, "off"}, 9, 500, ""},
		{"503 maintenance", func() { s.SetMaintenance(true) }, []string{"rooms"}, 9, 503, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			useEnv(t, s)
			s.SetSIPConfig(true)
			s.SetMaintenance(false)
			t.Cleanup(func() { s.SetMaintenance(false) })
			if c.setup != nil {
				c.setup()
			}
			r := talkmod(t, "", append(c.args, "--json")...)
			if r.code != c.code {
				t.Fatalf("%v: exit %d, want %d", c.args, r.code, c.code)
			}
			if c.code == 0 {
				return
			}
			if r.stderr == "" {
				t.Error("no message on stderr")
			}
			var e exit.JSONError
			if err := json.Unmarshal([]byte(lastJSON(r.stdout)), &e); err != nil {
				t.Fatalf("--json error is not JSON: %v: %q", err, r.stdout)
			}
			if e.Error.Status != c.status || e.Error.Reason != c.reason || e.Error.Message == "" || e.Error.ExitCode != c.code {
				t.Errorf("--json error = %+v, want status %d reason %q", e.Error, c.status, c.reason)
			}
		})
	}
	t.Run("network down", func(t *testing.T) {
		useEnv(t, s)
		t.Setenv("TALKMOD_SERVER", testenv.DeadURL(t))
		if r := talkmod(t, "", "rooms"); r.code != 9 {
			t.Fatalf("exit %d, want 9", r.code)
		}
	})
	t.Run("not logged in", func(t *testing.T) {
		testenv.Isolate(t)
		r := talkmod(t, "", "rooms")
		if r.code != 3 || !strings.Contains(r.stderr, "run talkmod login") {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
	})
	t.Run("401 message", func(t *testing.T) {
		useEnv(t, s)
		t.Setenv("TALKMOD_APP_PASSWORD", "wrong")
		s.ResetRequests()
		r := talkmod(t, "", "rooms")
		if !strings.Contains(r.stderr, "the app password was revoked or is wrong: run talkmod login") {
			t.Errorf("stderr %q", r.stderr)
		}
		if n := len(s.Requests()); n != 1 {
			t.Errorf("a 401 was retried: %d requests", n)
		}
	})
}

// lastJSON returns the last line-started JSON object of out.
func lastJSON(out string) string {
	i := strings.LastIndex(out, "\n{")
	if i < 0 {
		return out
	}
	return out[i+1:]
}

func TestUsageAndHelp(t *testing.T) {
	testenv.Isolate(t)
	r := talkmod(t, "", "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "talkmod ") {
		t.Fatalf("--version: %d %q", r.code, r.stdout)
	}
	for _, cmd := range []string{"", "rooms", "room", "lobby", "sip", "login", "logout", "accounts", "demo-server", "completion"} {
		args := strings.Fields(cmd + " --help")
		r := talkmod(t, "", args...)
		if r.code != 0 || !strings.Contains(r.stdout, "Usage:") {
			t.Errorf("%s --help: exit %d", cmd, r.code)
		}
	}
	r = talkmod(t, "", "lobby", "--help")
	if !strings.Contains(r.stdout, "Exit codes:") || !strings.Contains(r.stdout, "6  precondition failed") {
		t.Errorf("lobby --help lacks the exit codes")
	}
	if r := talkmod(t, "", "frobnicate"); r.code != 2 {
		t.Errorf("unknown command: exit %d, want 2", r.code)
	}
	if r := talkmod(t, "", "completion", "bash"); r.code != 0 || !strings.Contains(r.stdout, "talkmod") {
		t.Errorf("completion bash: exit %d", r.code)
	}
	for _, sh := range []string{"zsh", "fish", "powershell"} {
		if r := talkmod(t, "", "completion", sh); r.code != 0 {
			t.Errorf("completion %s: exit %d", sh, r.code)
		}
	}
}

func TestDemoServerListen(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:8080", "192.0.2.1:80", "nonsense"} {
		testenv.Isolate(t)
		if r := talkmod(t, "", "demo-server", "--listen", addr); r.code != 2 || !strings.Contains(r.stderr, "--listen") {
			t.Errorf("--listen %s: exit %d, stderr %q", addr, r.code, r.stderr)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	srv, acct, err := demo.Start(addr, talktest.DemoConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if acct.URL != "http://"+addr {
		t.Errorf("demo URL = %s, want http://%s", acct.URL, addr)
	}
}
