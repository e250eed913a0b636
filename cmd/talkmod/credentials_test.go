package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/safetext"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"

	"github.com/talkmod/talkmod/client/talktest"
)

// Tests of how the commands keep app passwords and accounts to
// themselves: which server an environment password goes to, redaction,
// plain HTTP, private files, and the words of a refused login.

// TALKMOD_APP_PASSWORD belongs to TALKMOD_SERVER and TALKMOD_USER: a flag
// naming another server or user never sends it there.
func TestEnvPasswordStaysWithItsAccount(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
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

// A password inside a server URL never reaches a message or the log.
func TestServerURLPasswordRedacted(t *testing.T) {
	testenv.Isolate(t)
	log := filepath.Join(t.TempDir(), "talkmod.log")
	for _, server := range []string{"https://alice:hunter2secret@cloud.example.com", "https://alice:hunter2secret@ex ample"} {
		t.Setenv("TALKMOD_SERVER", server)
		t.Setenv("TALKMOD_USER", "alice")
		t.Setenv("TALKMOD_APP_PASSWORD", testenv.AlicePW)
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
	if got := safetext.RedactURLs("see https://a:b@h/x and http://h/y"); got != "see https://[REDACTED]@h/x and http://h/y" {
		t.Errorf("redactURLs = %q", got)
	}
}

// Plain http:// to another host is refused with words that fit the binary.
func TestPlainHTTPRefused(t *testing.T) {
	testenv.Isolate(t)
	t.Setenv("TALKMOD_SERVER", "http://cloud.example.com")
	t.Setenv("TALKMOD_USER", "alice")
	t.Setenv("TALKMOD_APP_PASSWORD", testenv.AlicePW)
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
	dir := testenv.Isolate(t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	s := testenv.NewServer(t)
	if r := talkmod(t, testenv.AlicePW+"\n", "login", "--server", s.URL, "--user", "alice", "--app-password-stdin"); r.code != 0 {
		t.Fatalf("login: exit %d", r.code)
	}
	if m := mode(t, dir); m != 0o700 {
		t.Errorf("config dir mode %o, want 700", m)
	}
	for _, f := range []string{account.ConfigFile, account.CredentialsFile} {
		if m := mode(t, filepath.Join(dir, f)); m != 0o600 {
			t.Errorf("%s mode %o, want 600", f, m)
		}
	}
}

// The console with no account says how to log in, and points at the demo.
func TestConsoleNotLoggedIn(t *testing.T) {
	testenv.Isolate(t)
	r := talkmod(t, "")
	if r.code != 3 || !strings.Contains(r.stderr, "run talkmod login") || !strings.Contains(r.stderr, "talkmod --demo") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// A failed check after login keeps talkmod's words and the server's.
func TestLoginStdinWrongPasswordWords(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	r := talkmod(t, "not-the-password\n", "login", "--server", s.URL, "--user", "alice", "--app-password-stdin")
	if r.code != 3 || !strings.Contains(r.stderr, `refused login name "alice"`) ||
		strings.Contains(r.stderr, "run talkmod login") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// A credentials file that belongs to another user is refused, as ssh
// refuses such key files (needs root to make one).
func TestCredentialsOwnedByOtherUserRefused(t *testing.T) {
	if runtime.GOOS == "windows" || os.Getuid() != 0 {
		t.Skip("needs root to give a file away")
	}
	dir := testenv.Isolate(t)
	s := testenv.NewServer(t)
	if r := talkmod(t, testenv.AlicePW+"\n", "login", "--server", s.URL, "--user", "alice", "--app-password-stdin"); r.code != 0 {
		t.Fatalf("login: exit %d", r.code)
	}
	path := filepath.Join(dir, account.CredentialsFile)
	if err := os.Chown(path, 65534, 65534); err != nil {
		t.Skipf("chown: %v", err)
	}
	r := talkmod(t, "", "rooms")
	if r.code != 1 || !strings.Contains(r.stderr, "BAD OWNER") || !strings.Contains(r.stderr, path) {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}
