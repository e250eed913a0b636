package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/models"
)

// TALKMOD_APP_PASSWORD belongs to TALKMOD_SERVER and TALKMOD_USER: a flag
// naming another server or user never sends it there.
func TestEnvPasswordStaysWithItsAccount(t *testing.T) {
	isolate(t)
	s := newServer(t)
	other := talktest.New()
	t.Cleanup(other.Close)
	other.AddUser("alice", "another-password-1")
	useEnv(t, s)

	r := talkmod(t, "", "rooms", "--server", other.URL)
	if r.code != 3 || !strings.Contains(r.stderr, "is not sent") {
		t.Errorf("--server OTHER with TALKMOD_APP_PASSWORD for another server: exit %d, want 3 with a reason", r.code)
	}
	if n := len(other.Requests()); n != 0 {
		t.Errorf("the other server got %d requests", n)
	}
	s.ResetRequests()
	if r := talkmod(t, "", "rooms", "--user", "bob"); r.code != 3 {
		t.Errorf("--user bob with alice's TALKMOD_APP_PASSWORD: exit %d, want 3", r.code)
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("alice's password was sent as bob: %d requests", n)
	}
	// The same server and user as the environment's: used.
	if r := talkmod(t, "", "rooms", "--server", s.URL+"/", "--user", "alice"); r.code != 0 {
		t.Errorf("flags naming the environment's account: exit %d", r.code)
	}
	// With no TALKMOD_SERVER, --server takes the environment's password
	// (the usual CI set-up).
	t.Setenv("TALKMOD_SERVER", "")
	if r := talkmod(t, "", "rooms", "--server", s.URL); r.code != 0 {
		t.Errorf("--server with TALKMOD_USER and TALKMOD_APP_PASSWORD: exit %d", r.code)
	}
}

// A conversation name with & < > comes out of --json as it is.
func TestJSONKeepsHTMLCharacters(t *testing.T) {
	isolate(t)
	s := newServer(t)
	s.RenameRoom(webinarA, "Q&A <live>")
	useEnv(t, s)
	r := talkmod(t, "", "room", webinarA, "--json")
	if r.code != 0 || !strings.Contains(r.stdout, `"Q&A <live>"`) {
		t.Errorf("room --json: exit %d, %q", r.code, r.stdout)
	}
	var room models.Room
	if err := json.Unmarshal([]byte(r.stdout), &room); err != nil || room.Name != "Q&A <live>" {
		t.Errorf("room --json parsed back: %v %q", err, room.Name)
	}
}

// rooms --all says why SIP can't be changed where the lobby can.
func TestRoomsAllSaysWhySIP(t *testing.T) {
	isolate(t)
	s := newServer(t)
	useEnv(t, s)
	r := talkmod(t, "", "rooms", "--all")
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.Contains(line, lettersTok) && !strings.Contains(line, "SIP: this conversation's ID has letters") {
			t.Errorf("the letters room does not say why SIP can't change: %q", line)
		}
	}
}

// The UTC copy of a time is shown only when the display zone is not UTC,
// whatever the zone is called.
func TestFullTimeUTCOnce(t *testing.T) {
	now := time.Date(2026, 3, 28, 11, 0, 0, 0, time.UTC)
	at := now.Add(25 * time.Minute)
	etc := mustZone(t, "Etc/UTC")
	for _, loc := range []*time.Location{time.UTC, etc, time.FixedZone("UTC", 0)} {
		if got := fullTime(at, now, loc); strings.Count(got, "UTC") != 1 || !strings.HasSuffix(got, "in 25m") {
			t.Errorf("fullTime in %s = %q", loc, got)
		}
	}
	berlin := mustZone(t, "Europe/Berlin")
	if got, want := fullTime(at, now, berlin), "12:25 CET = 11:25 UTC, in 25m"; got != want {
		t.Errorf("fullTime in Berlin = %q, want %q", got, want)
	}
}

// A timer refused before sending says which time it understood.
func TestLobbyRefusalNamesTheTime(t *testing.T) {
	isolate(t)
	s := newServer(t)
	useEnv(t, s)
	r := talkmod(t, "", "lobby", webinarA, "on", "--at", "2020-01-01 10:00", "--tz", "Europe/Berlin")
	if r.code != 2 || !strings.Contains(r.stderr, "2020-01-01 10:00 CET") || !strings.Contains(r.stderr, "in the past") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// A password inside a server URL never reaches a message or the log.
func TestServerURLPasswordRedacted(t *testing.T) {
	isolate(t)
	log := filepath.Join(t.TempDir(), "talkmod.log")
	for _, server := range []string{"https://alice:hunter2secret@cloud.example.com", "https://alice:hunter2secret@ex ample"} {
		t.Setenv("TALKMOD_SERVER", server)
		t.Setenv("TALKMOD_USER", "alice")
		t.Setenv("TALKMOD_APP_PASSWORD", alicePW)
		r := talkmod(t, "", "rooms", "--json", "--log-file", log)
		if r.code != 2 || strings.Contains(r.stdout+r.stderr, "hunter2secret") {
			t.Errorf("TALKMOD_SERVER=%s: exit %d, or the password is in the output", strings.ReplaceAll(server, "hunter2secret", "…"), r.code)
		}
	}
	r := talkmod(t, "", "rooms", "--server", "https://alice:hunter2secret@cloud.example.com", "--log-file", log)
	if strings.Contains(r.stderr, "hunter2secret") {
		t.Error("the password is in the message")
	}
	data, err := os.ReadFile(log)
	if err != nil || len(data) == 0 || strings.Contains(string(data), "hunter2secret") {
		t.Errorf("log: %v, %d bytes, or it holds the password", err, len(data))
	}
	if got := redactURLs("see https://a:b@h/x and http://h/y"); got != "see https://[REDACTED]@h/x and http://h/y" {
		t.Errorf("redactURLs = %q", got)
	}
}

// Plain http:// to another host is refused with words that fit the binary.
func TestPlainHTTPRefused(t *testing.T) {
	isolate(t)
	t.Setenv("TALKMOD_SERVER", "http://cloud.example.com")
	t.Setenv("TALKMOD_USER", "alice")
	t.Setenv("TALKMOD_APP_PASSWORD", alicePW)
	r := talkmod(t, "", "rooms")
	if r.code != 2 || !strings.Contains(r.stderr, "use https://") || strings.Contains(r.stderr, "allow insecure HTTP explicitly") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// A configuration directory that others can enter is closed (0700) by the
// next write.
func TestConfigDirMadePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	dir := isolate(t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	s := newServer(t)
	if r := talkmod(t, alicePW+"\n", "login", "--server", s.URL, "--user", "alice", "--app-password-stdin"); r.code != 0 {
		t.Fatalf("login: exit %d", r.code)
	}
	if m := mode(t, dir); m != 0o700 {
		t.Errorf("config dir mode %o, want 700", m)
	}
	for _, f := range []string{configFile, credentialsFile} {
		if m := mode(t, filepath.Join(dir, f)); m != 0o600 {
			t.Errorf("%s mode %o, want 600", f, m)
		}
	}
}

// lobby on --in sets state and timer in one request, and nothing else is
// asked of the server.
func TestLobbyInOneRequest(t *testing.T) {
	isolate(t)
	s := newServer(t)
	useEnv(t, s)
	s.ResetRequests()
	r := talkmod(t, "", "lobby", webinarA, "on", "--in", "30m")
	if r.code != 0 || !strings.Contains(r.stdout, "lobby on until") {
		t.Fatalf("exit %d, %q", r.code, r.stdout)
	}
	reqs := s.Requests()
	if len(reqs) != 1 || reqs[0].Method != "PUT" || !strings.HasSuffix(reqs[0].Path, "/room/"+webinarA+"/webinar/lobby") {
		for _, q := range reqs {
			t.Logf("%s %s", q.Method, q.Path)
		}
		t.Fatalf("%d requests, want one PUT …/webinar/lobby", len(reqs))
	}
	if !strings.Contains(reqs[0].Body, "timer") || !strings.Contains(reqs[0].Body, "state") {
		t.Errorf("the PUT lacks state or timer: %q", reqs[0].Body)
	}
}

// The console with no account says how to log in, and points at the demo.
func TestConsoleNotLoggedIn(t *testing.T) {
	isolate(t)
	r := talkmod(t, "")
	if r.code != 3 || !strings.Contains(r.stderr, "run talkmod login") || !strings.Contains(r.stderr, "talkmod --demo") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// A failed check after login keeps talkmod's words and the server's.
func TestLoginStdinWrongPasswordWords(t *testing.T) {
	isolate(t)
	s := newServer(t)
	r := talkmod(t, "not-the-password\n", "login", "--server", s.URL, "--user", "alice", "--app-password-stdin")
	if r.code != 3 || !strings.Contains(r.stderr, `refused login name "alice"`) ||
		strings.Contains(r.stderr, "run talkmod login") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// Wall times that happen twice (autumn) or never (spring) on a DST day.
func TestParseTimeDSTEdges(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	ny := mustZone(t, "America/New_York")
	for _, c := range []struct {
		name  string
		in    string
		now   time.Time
		loc   *time.Location
		wants []time.Time // any of them (Go picks one in a repeated hour)
	}{
		{"Berlin repeated hour", "2026-10-25 02:30", time.Date(2026, 10, 24, 10, 0, 0, 0, time.UTC), berlin,
			[]time.Time{time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC)}},
		{"New York repeated hour, HH:MM", "01:30", time.Date(2026, 11, 1, 4, 0, 0, 0, time.UTC), ny,
			[]time.Time{time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC), time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC)}},
		{"New York gap, HH:MM moves forward", "02:30", time.Date(2026, 3, 8, 5, 0, 0, 0, time.UTC), ny,
			[]time.Time{time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC)}},
	} {
		got, err := parseTime(c.in, c.now, c.loc)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		ok := false
		for _, w := range c.wants {
			ok = ok || got.Equal(w)
		}
		if !ok || !got.After(c.now) {
			t.Errorf("%s: parseTime(%q) = %s, want one of %v", c.name, c.in, got.UTC(), c.wants)
		}
	}
}

// A credentials file that belongs to another user is refused, as ssh
// refuses such key files (needs root to make one).
func TestCredentialsOwnedByOtherUserRefused(t *testing.T) {
	if runtime.GOOS == "windows" || os.Getuid() != 0 {
		t.Skip("needs root to give a file away")
	}
	dir := isolate(t)
	s := newServer(t)
	if r := talkmod(t, alicePW+"\n", "login", "--server", s.URL, "--user", "alice", "--app-password-stdin"); r.code != 0 {
		t.Fatalf("login: exit %d", r.code)
	}
	path := filepath.Join(dir, credentialsFile)
	if err := os.Chown(path, 65534, 65534); err != nil {
		t.Skipf("chown: %v", err)
	}
	r := talkmod(t, "", "rooms")
	if r.code != 1 || !strings.Contains(r.stderr, "BAD OWNER") || !strings.Contains(r.stderr, path) {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}
