package main

import (
	"crypto/tls"
	"encoding/json"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
	"github.com/talkmod/talkmod/models"
)

type doctorJSONOut struct {
	Account  string `json:"account"`
	Server   string `json:"server"`
	Token    string `json:"token"`
	ExitCode int    `json:"exitCode"`
	Checks   []struct {
		Name    string         `json:"name"`
		Status  string         `json:"status"`
		Message string         `json:"message"`
		Action  string         `json:"action"`
		Details map[string]any `json:"details"`
	} `json:"checks"`
}

// doctorJSON runs talkmod doctor --json and decodes its report.
func doctorJSON(t *testing.T, args ...string) (doctorJSONOut, result) {
	t.Helper()
	r := talkmod(t, "", append([]string{"doctor", "--json"}, args...)...)
	var out doctorJSONOut
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("doctor --json printed no report: %v\n%s", err, r.stdout)
	}
	if out.ExitCode != r.code {
		t.Errorf("exitCode %d in the JSON, process exit %d", out.ExitCode, r.code)
	}
	return out, r
}

// check finds a check by name; it fails the test when it is missing or
// its status or words differ.
func (d doctorJSONOut) check(t *testing.T, name, status string, says ...string) map[string]any {
	t.Helper()
	for _, c := range d.Checks {
		if c.Name != name {
			continue
		}
		if c.Status != status {
			t.Errorf("check %q: %s, want %s (%s)", name, c.Status, status, c.Message)
		}
		for _, s := range says {
			if !strings.Contains(c.Message+" | "+c.Action, s) {
				t.Errorf("check %q: %q does not say %q", name, c.Message+" | "+c.Action, s)
			}
		}
		return c.Details
	}
	t.Errorf("no check %q among %d", name, len(d.Checks))
	return nil
}

func (d doctorJSONOut) has(name string) bool {
	for _, c := range d.Checks {
		if c.Name == name {
			return true
		}
	}
	return false
}

func TestDoctorAllWell(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	s.SetDisplayName("alice", "Alice Example")
	useEnv(t, s)
	d, r := doctorJSON(t)
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	if d.Server != s.URL || !strings.HasPrefix(d.Account, "alice@127.0.0.1:") || d.Token != "" {
		t.Errorf("account %q server %q token %q", d.Account, d.Server, d.Token)
	}
	d.check(t, "server", "ok", "Nextcloud 31.0.6 answers")
	d.check(t, "connection", "ok", "this machine")
	d.check(t, "login", "ok", "Alice Example (alice)")
	d.check(t, "talk", "ok", "Talk 21.0.0-beta.2")
	for _, c := range []string{"webinary-lobby", "sip-support", "sip-support-nopin", "conversation-permissions"} {
		d.check(t, "capability "+c, "ok")
	}
	if det := d.check(t, "clock", "ok", "agree"); det["skewSeconds"] != 0.0 {
		t.Errorf("skewSeconds %v", det["skewSeconds"])
	}
	d.check(t, "sip dial-in", "ok", "configured")
	d.check(t, "sip groups", "ok")
	d.check(t, "brute-force throttling", "ok", "not throttled")
	if d.has("certificate") || d.has("room") {
		t.Error("no certificate over http, no room without one")
	}
	// the text form says the same, one check a line
	r = talkmod(t, "", "doctor")
	if r.code != 0 || !strings.Contains(r.stdout, "ok       clock") || !strings.Contains(r.stdout, "0 problems, 0 warnings, 12 checks ok") {
		t.Errorf("text: %d\n%s", r.code, r.stdout)
	}
}

func TestDoctorServerCannotBeReached(t *testing.T) {
	testenv.Isolate(t)
	t.Setenv("TALKMOD_SERVER", testenv.DeadURL(t))
	t.Setenv("TALKMOD_USER", "alice")
	t.Setenv("TALKMOD_APP_PASSWORD", testenv.AlicePW)
	d, r := doctorJSON(t)
	if r.code != exit.Unavailable {
		t.Fatalf("exit %d, want 9", r.code)
	}
	d.check(t, "server", "problem", "does not answer", "check the address")
	if d.has("login") {
		t.Error("no login check without a server")
	}
	if !strings.Contains(r.stderr, "the server cannot be reached") {
		t.Errorf("stderr: %s", r.stderr)
	}
}

func TestDoctorMaintenance(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	s.SetMaintenance(true)
	d, r := doctorJSON(t)
	if r.code != exit.Unavailable {
		t.Fatalf("exit %d, want 9", r.code)
	}
	d.check(t, "server", "problem", "maintenance mode", "maintenance:mode --off")
}

func TestDoctorLoginRevoked(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	s.RevokeAppPassword("alice", testenv.AlicePW)
	d, r := doctorJSON(t)
	if r.code != exit.Unauthorized {
		t.Fatalf("exit %d, want 3", r.code)
	}
	d.check(t, "server", "ok")
	d.check(t, "login", "problem", "no longer works (401)", "talkmod login "+s.URL)
	if d.has("talk") {
		t.Error("no checks after a failed login")
	}
}

func TestDoctorStoredAccountLoginRevoked(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	storeAccount(t, s.URL, "alice", testenv.AlicePW, true)
	s.RevokeAppPassword("alice", testenv.AlicePW)
	d, r := doctorJSON(t)
	if r.code != exit.Unauthorized {
		t.Fatalf("exit %d, want 3", r.code)
	}
	d.check(t, "login", "problem", d.Account, "talkmod login")
}

func TestDoctorClockSkew(t *testing.T) {
	for _, c := range []struct {
		skew time.Duration
		way  string
		secs float64
	}{{-2 * time.Minute, "2m ahead of the server's", -120}, {95 * time.Second, "1m 35s behind the server's", 95}} {
		testenv.Isolate(t)
		s := talktest.New(talktest.WithClockSkew(c.skew))
		t.Cleanup(s.Close)
		s.AddUser("alice", testenv.AlicePW)
		useEnv(t, s)
		d, r := doctorJSON(t)
		if r.code != exit.Failure {
			t.Fatalf("skew %v: exit %d, want 1", c.skew, r.code)
		}
		det := d.check(t, "clock", "problem", "this machine's clock is "+c.way, "lobby timers", "timedatectl")
		if got, _ := det["skewSeconds"].(float64); got < c.secs-1 || got > c.secs+1 {
			t.Errorf("skew %v: skewSeconds %v", c.skew, det["skewSeconds"])
		}
	}
	// 20 s is within the limit
	testenv.Isolate(t)
	s := talktest.New(talktest.WithClockSkew(20 * time.Second))
	t.Cleanup(s.Close)
	s.AddUser("alice", testenv.AlicePW)
	useEnv(t, s)
	d, r := doctorJSON(t)
	if r.code != 0 {
		t.Fatalf("20 s: exit %d", r.code)
	}
	d.check(t, "clock", "ok", "close enough")
}

func TestDoctorThrottled(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	s.SetThrottle(6400 * time.Millisecond)
	d, r := doctorJSON(t, testenv.WebinarA)
	if r.code != exit.Failure {
		t.Fatalf("exit %d, want 1", r.code)
	}
	if det := d.check(t, "brute-force throttling", "problem", "up to 6s", "bruteforce:reset"); det["delayMs"] != 6400.0 {
		t.Errorf("delayMs %v", det["delayMs"])
	}
	// failed logins from this address throttle it too (capabilities' bruteforce.delay)
	testenv.Isolate(t)
	s2 := testenv.NewServer(t)
	s2.SetBruteForceThreshold(0)
	useEnv(t, s2)
	t.Setenv("TALKMOD_APP_PASSWORD", "wrong-password-x")
	talkmod(t, "", "rooms")
	talkmod(t, "", "rooms")
	t.Setenv("TALKMOD_APP_PASSWORD", testenv.AlicePW)
	d, r = doctorJSON(t)
	if r.code != exit.Failure {
		t.Fatalf("after failed logins: exit %d", r.code)
	}
	d.check(t, "brute-force throttling", "problem")
}

func TestDoctorSIPServer(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	s.SetSIPConfig(true, "sip-users") // alice is in no SIP group
	d, r := doctorJSON(t)
	if r.code != 0 {
		t.Fatalf("warnings do not fail: exit %d", r.code)
	}
	d.check(t, "sip dial-in", "ok")
	d.check(t, "sip groups", "warning", "not in the groups", "SIP group")
	s.SetSIPConfig(false)
	d, r = doctorJSON(t)
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	d.check(t, "sip dial-in", "warning", "not configured")
	// with a room, the dial-in text itself is read
	s.SetSIPConfig(true)
	s.SetSIPDialInInfo("")
	d, _ = doctorJSON(t, testenv.WebinarA)
	d.check(t, "sip dial-in", "warning", "no dial-in text")
	s.SetSIPDialInInfo("+49 30 1234567\x1b[2J")
	d, _ = doctorJSON(t, testenv.WebinarA)
	d.check(t, "sip dial-in", "ok", "+49 30 1234567")
}

func TestDoctorConnectionPlainHTTPElsewhere(t *testing.T) {
	testenv.Isolate(t)
	t.Setenv("TALKMOD_SERVER", "http://cloud.example.com")
	t.Setenv("TALKMOD_USER", "alice")
	t.Setenv("TALKMOD_APP_PASSWORD", testenv.AlicePW)
	d, r := doctorJSON(t)
	if r.code != exit.Failure {
		t.Fatalf("exit %d", r.code)
	}
	d.check(t, "connection", "problem", "unencrypted", "https://")
	if len(d.Checks) != 1 {
		t.Errorf("nothing is sent to a plain http server elsewhere: %d checks", len(d.Checks))
	}
}

func TestDoctorRoomWell(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	d, r := doctorJSON(t, s.URL+"/call/"+testenv.WebinarA)
	if r.code != 0 || d.Token != testenv.WebinarA {
		t.Fatalf("exit %d token %q", r.code, d.Token)
	}
	d.check(t, "room", "ok", `"Webinar A" found; you are the owner`)
	d.check(t, "room type", "ok", "public")
	d.check(t, "room lobby", "ok", "off")
	d.check(t, "room sip", "ok", "off")
	d.check(t, "room token", "ok", "digits only")
	d.check(t, "room people", "ok", "nobody waits")
}

func TestDoctorRoomProblems(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)

	d, r := doctorJSON(t, "5555555555")
	if r.code != exit.Failure {
		t.Errorf("unknown room: exit %d", r.code)
	}
	d.check(t, "room", "problem", "not found")

	d, _ = doctorJSON(t, testenv.NotModTok)
	d.check(t, "room", "problem", "you are a participant", "promote")

	d, _ = doctorJSON(t, testenv.OneToOne)
	d.check(t, "room type", "problem", "one-to-one")

	// SIP on, but the server has no dial-in text
	s.UpdateRoom(testenv.WebinarA, func(r *talktest.Room) { r.SIPEnabled = models.SIPEnabled })
	s.SetSIPDialInInfo("")
	d, r = doctorJSON(t, testenv.WebinarA)
	if r.code != exit.Failure {
		t.Errorf("sip without text: exit %d", r.code)
	}
	d.check(t, "room sip", "problem", "no dial-in text", "talkmod sip "+testenv.WebinarA+" off")

	// a token with letters while SIP is on
	s.UpdateRoom(testenv.LettersTok, func(r *talktest.Room) { r.SIPEnabled = models.SIPEnabled })
	s.SetSIPDialInInfo("+1 555 0100")
	d, _ = doctorJSON(t, testenv.LettersTok)
	d.check(t, "room token", "problem", "letters", "although dial-in is on")
	d, _ = doctorJSON(t, testenv.WebinarB)
	d.check(t, "room token", "ok")
}

func TestDoctorRoomLobbyTimerAndClock(t *testing.T) {
	testenv.Isolate(t)
	// the server's clock is 5 minutes behind: a timer 2 minutes ago here
	// has not passed there, so the server still holds the lobby
	s := talktest.New(talktest.WithClockSkew(-5 * time.Minute))
	t.Cleanup(s.Close)
	s.AddUser("alice", testenv.AlicePW)
	s.SetSIPConfig(true)
	tok := s.AddRoom(talktest.Room{Token: testenv.WebinarA, Type: models.ConversationGroup, Name: "Launch",
		LobbyState: models.LobbyModeratorsOnly, LobbyTimer: time.Now().Add(-2 * time.Minute).Unix(),
		Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner}})
	useEnv(t, s)
	d, r := doctorJSON(t, tok)
	if r.code != exit.Failure {
		t.Fatalf("exit %d", r.code)
	}
	d.check(t, "clock", "problem", "5m ahead of the server's")
	d.check(t, "room lobby", "warning", "has passed by this machine's clock", "server still holds the lobby", "5m behind")
}

func TestDoctorRoomPeopleWaitingDuringCall(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	s.AddUser("carol", "carol-app-password")
	s.UpdateRoom(testenv.WebinarB, func(r *talktest.Room) {
		r.LobbyState = models.LobbyModeratorsOnly
		r.Participants["carol"] = models.ParticipantUser
	})
	if _, err := s.JoinRoom(testenv.WebinarB, "carol"); err != nil {
		t.Fatal(err)
	}
	d, r := doctorJSON(t, testenv.WebinarB)
	if r.code != 0 {
		t.Fatalf("a warning does not fail: exit %d", r.code)
	}
	if det := d.check(t, "room people", "warning", "a call is running while 1 person wait", "talkmod admit "+testenv.WebinarB+" --all-waiting"); det["waiting"] != 1.0 {
		t.Errorf("waiting %v", det["waiting"])
	}
	// with the lobby off nobody can wait: carol shows as come straight in
	s.UpdateRoom(testenv.WebinarB, func(r *talktest.Room) { r.LobbyState = models.LobbyNone })
	d, _ = doctorJSON(t, testenv.WebinarB)
	d.check(t, "room people", "ok", "nobody waits", "came straight in")
}

func TestDoctorUsage(t *testing.T) {
	testenv.Isolate(t)
	if r := talkmod(t, "", "doctor", "a", "b"); r.code != exit.Usage {
		t.Errorf("two rooms: exit %d", r.code)
	}
	if r := talkmod(t, "", "doctor"); r.code != exit.Unauthorized || !strings.Contains(r.stderr, "not logged in") {
		t.Errorf("no account: exit %d %s", r.code, r.stderr)
	}
}

func TestDoctorCertificateNotTrusted(t *testing.T) {
	testenv.Isolate(t)
	// talktest behind TLS with httptest's self-signed certificate, which
	// this machine does not trust
	hs := httptest.NewUnstartedServer(nil)
	hs.StartTLS()
	cfg := hs.TLS.Clone()
	hs.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := talktest.New(talktest.WithListener(tls.NewListener(l, cfg)))
	t.Cleanup(s.Close)
	s.AddUser("alice", testenv.AlicePW)
	t.Setenv("TALKMOD_SERVER", "https://"+l.Addr().String())
	t.Setenv("TALKMOD_USER", "alice")
	t.Setenv("TALKMOD_APP_PASSWORD", testenv.AlicePW)
	d, r := doctorJSON(t)
	if r.code != exit.Unavailable {
		t.Fatalf("exit %d, want 9", r.code)
	}
	d.check(t, "server", "problem", "cannot be reached securely", "authority this machine does not trust")
	d.check(t, "connection", "ok", "https")
	d.check(t, "certificate", "problem", "does not trust", "valid certificate")
	for _, req := range s.Requests() {
		if req.HasAuth {
			t.Errorf("a login was sent over an untrusted connection: %s", req.Path)
		}
	}
}
