package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
)

var loginURLRE = regexp.MustCompile(`http://127\.0\.0\.1:\d+/\S*login/v2/flow/\S+`)

// loginAs runs talkmod login against s, and plays the user granting
// access as user in the "browser".
func loginAs(t *testing.T, s *talktest.Server, user string, extra ...string) result {
	t.Helper()
	old := loginPollInterval
	loginPollInterval = 20 * time.Millisecond
	t.Cleanup(func() { loginPollInterval = old })

	var out, errb testenv.SyncBuffer
	done := make(chan int, 1)
	args := append([]string{"login", s.URL}, extra...)
	go func() { done <- run(args, strings.NewReader(""), &out, &errb) }()
	deadline := time.Now().Add(10 * time.Second)
	var url string
	for url == "" {
		if time.Now().After(deadline) {
			t.Fatalf("no login URL printed; stdout %q stderr %q", out.String(), errb.String())
		}
		select {
		case code := <-done:
			t.Fatalf("login ended early with %d; stdout %q stderr %q", code, out.String(), errb.String())
		default:
		}
		url = loginURLRE.FindString(out.String())
		time.Sleep(10 * time.Millisecond)
	}
	if err := s.GrantLogin(url, user); err != nil {
		t.Fatalf("GrantLogin: %v", err)
	}
	var code int
	select {
	case code = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("login did not finish after access was granted")
	}
	r := result{code: code, stdout: out.String(), stderr: errb.String()}
	logResult(t, "talkmod "+strings.Join(args, " "), r)
	return r
}

func readConfig(t *testing.T, dir string) account.Config {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, account.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	var c account.Config
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func readCredentials(t *testing.T, dir string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, account.CredentialsFile))
	if err != nil {
		t.Fatal(err)
	}
	var c account.Credentials
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	return c.AppPasswords
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

func TestLoginFlowStoresAccount(t *testing.T) {
	dir := testenv.Isolate(t)
	s := testenv.NewServer(t)
	r := loginAs(t, s, "alice")
	if r.code != 0 {
		t.Fatalf("login: exit %d", r.code)
	}
	if !strings.Contains(r.stdout, "▀") && !strings.Contains(r.stdout, "▄") {
		t.Error("no QR code printed")
	}
	if !strings.Contains(r.stdout, "Logged in to "+s.URL+" as alice") {
		t.Errorf("stdout %q", r.stdout)
	}
	if runtime.GOOS != "windows" {
		if m := mode(t, dir); m != 0o700 {
			t.Errorf("config dir mode %o, want 700", m)
		}
		for _, f := range []string{account.ConfigFile, account.CredentialsFile} {
			if m := mode(t, filepath.Join(dir, f)); m != 0o600 {
				t.Errorf("%s mode %o, want 600", f, m)
			}
		}
	}
	cfg := readConfig(t, dir)
	if len(cfg.Accounts) != 1 {
		t.Fatalf("accounts %+v", cfg.Accounts)
	}
	a := cfg.Accounts[0]
	if a.Server != s.URL || a.LoginName != "alice" || a.UserID != "alice" || !a.Default || a.Secret != account.SecretFile {
		t.Errorf("stored account %+v", a)
	}
	cfgData, _ := os.ReadFile(filepath.Join(dir, account.ConfigFile))
	creds := readCredentials(t, dir)
	pw := creds[a.Name]
	if pw == "" || !s.AppPasswordValid("alice", pw) {
		t.Fatalf("the stored app password (%d characters) is not valid on the server", len(pw))
	}
	if strings.Contains(string(cfgData), pw) {
		t.Error("config.json holds the app password")
	}
	// No temp files left behind.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temp file left: %s", e.Name())
		}
	}

	// The stored account is used with no flags or environment.
	if r := talkmod(t, "", "rooms"); r.code != 0 || !strings.Contains(r.stdout, "Webinar A") {
		t.Fatalf("rooms with the stored account: exit %d", r.code)
	}
	// accounts lists it, never the password.
	r = talkmod(t, "", "accounts")
	if r.code != 0 || !strings.Contains(r.stdout, a.Name) || strings.Contains(r.stdout, pw) {
		t.Fatalf("accounts: exit %d, %q", r.code, r.stdout)
	}
	r = talkmod(t, "", "accounts", "--json")
	var list []account.Account
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) != 1 || strings.Contains(r.stdout, pw) {
		t.Fatalf("accounts --json: %v %q", err, r.stdout)
	}
}

func TestLoginFlowCancelledAndTimeLimit(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	oldLimit, oldPoll := loginTimeLimit, loginPollInterval
	loginTimeLimit, loginPollInterval = 200*time.Millisecond, 20*time.Millisecond
	t.Cleanup(func() { loginTimeLimit, loginPollInterval = oldLimit, oldPoll })
	r := talkmod(t, "", "login", s.URL, "--no-qr")
	if r.code != 1 || !strings.Contains(r.stderr, "no access was granted") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if strings.Contains(r.stdout, "▀") {
		t.Error("--no-qr printed a QR code")
	}
}

func TestLoginAppPasswordStdin(t *testing.T) {
	dir := testenv.Isolate(t)
	s := testenv.NewServer(t)
	r := talkmod(t, testenv.AlicePW+"\n", "login", "--server", s.URL, "--user", "alice", "--app-password-stdin")
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	creds := readCredentials(t, dir)
	if len(creds) != 1 {
		t.Fatalf("%d app passwords stored, want 1", len(creds))
	}
	for _, pw := range creds {
		if pw != testenv.AlicePW {
			t.Fatal("the stored app password is not the one given on stdin")
		}
	}
	// A wrong password is refused (401 → 3) and nothing more is stored.
	r = talkmod(t, "wrong\n", "login", "--server", s.URL, "--user", "bob", "--app-password-stdin")
	if r.code != 3 {
		t.Fatalf("wrong password: exit %d, want 3", r.code)
	}
	if got := readConfig(t, dir); len(got.Accounts) != 1 {
		t.Fatalf("a failed login was stored: %+v", got.Accounts)
	}
	// Missing --user is a usage error.
	if r := talkmod(t, testenv.AlicePW, "login", s.URL, "--app-password-stdin"); r.code != 2 {
		t.Fatalf("no --user: exit %d", r.code)
	}
}

func TestSeveralAccounts(t *testing.T) {
	dir := testenv.Isolate(t)
	s := testenv.NewServer(t)
	if r := loginAs(t, s, "alice"); r.code != 0 {
		t.Fatal("login alice")
	}
	if r := loginAs(t, s, "bob"); r.code != 0 {
		t.Fatal("login bob")
	}
	cfg := readConfig(t, dir)
	if len(cfg.Accounts) != 2 {
		t.Fatalf("accounts %+v", cfg.Accounts)
	}
	def, _ := cfg.Default()
	if def.LoginName != "alice" {
		t.Fatalf("default is %s, want alice (the first)", def.Name)
	}
	bob := account.Name(s.URL, "bob")

	// The default account sees Webinar A; bob (with --account) doesn't.
	r := talkmod(t, "", "rooms", "--json")
	if r.code != 0 || !strings.Contains(r.stdout, testenv.WebinarA) {
		t.Fatalf("rooms as default: %d", r.code)
	}
	r = talkmod(t, "", "rooms", "--json", "--account", bob)
	if r.code != 0 || strings.Contains(r.stdout, testenv.WebinarA) || !strings.Contains(r.stdout, testenv.WebinarB) {
		t.Fatalf("rooms --account bob: %d %q", r.code, r.stdout)
	}
	// By login name, when unambiguous.
	if r := talkmod(t, "", "rooms", "--account", "bob"); r.code != 0 {
		t.Fatalf("--account bob: %d", r.code)
	}
	if r := talkmod(t, "", "rooms", "--account", "carol"); r.code != 3 {
		t.Fatalf("--account carol: exit %d, want 3", r.code)
	}
	// Flags and the environment beat the stored account.
	t.Setenv("TALKMOD_USER", "bob")
	r = talkmod(t, "", "rooms", "--json")
	if r.code != 0 || strings.Contains(r.stdout, testenv.WebinarA) {
		t.Fatalf("TALKMOD_USER=bob: %d %q", r.code, r.stdout)
	}
	r = talkmod(t, "", "rooms", "--json", "--user", "alice")
	if r.code != 0 || !strings.Contains(r.stdout, testenv.WebinarA) {
		t.Fatalf("--user alice: %d", r.code)
	}
	t.Setenv("TALKMOD_USER", "")
	t.Setenv("TALKMOD_APP_PASSWORD", "wrong")
	if r := talkmod(t, "", "rooms"); r.code != 3 {
		t.Fatalf("TALKMOD_APP_PASSWORD=wrong over the stored one: exit %d, want 3", r.code)
	}
	t.Setenv("TALKMOD_APP_PASSWORD", "")
	// Switch the default.
	if r := talkmod(t, "", "accounts", "default", bob); r.code != 0 {
		t.Fatal("accounts default")
	}
	r = talkmod(t, "", "rooms", "--json")
	if r.code != 0 || strings.Contains(r.stdout, testenv.WebinarA) {
		t.Fatalf("rooms after default=bob: %d", r.code)
	}
}

func TestRelogReplacesAndRevokesOldPassword(t *testing.T) {
	dir := testenv.Isolate(t)
	s := testenv.NewServer(t)
	loginAs(t, s, "alice")
	name := account.Name(s.URL, "alice")
	first := readCredentials(t, dir)[name]
	loginAs(t, s, "alice")
	second := readCredentials(t, dir)[name]
	if first == second || !s.AppPasswordValid("alice", second) {
		t.Fatal("second login did not store a new valid password")
	}
	if s.AppPasswordValid("alice", first) {
		t.Error("the replaced app password is still valid on the server")
	}
	if n := len(readConfig(t, dir).Accounts); n != 1 {
		t.Errorf("%d accounts after logging in twice, want 1", n)
	}
}

func TestGroupReadableCredentialsRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	dir := testenv.Isolate(t)
	s := testenv.NewServer(t)
	if r := loginAs(t, s, "alice"); r.code != 0 {
		t.Fatal("login")
	}
	path := filepath.Join(dir, account.CredentialsFile)
	for _, m := range []os.FileMode{0o640, 0o604, 0o660} {
		if err := os.Chmod(path, m); err != nil {
			t.Fatal(err)
		}
		r := talkmod(t, "", "rooms")
		if r.code != 1 || !strings.Contains(r.stderr, "chmod 600 "+path) || !strings.Contains(r.stderr, "too open") {
			t.Fatalf("mode %o: exit %d, stderr %q", m, r.code, r.stderr)
		}
	}
	os.Chmod(path, 0o600)
	if r := talkmod(t, "", "rooms"); r.code != 0 {
		t.Fatalf("after chmod 600: exit %d", r.code)
	}
}

func TestLogoutRevokes(t *testing.T) {
	dir := testenv.Isolate(t)
	s := testenv.NewServer(t)
	loginAs(t, s, "alice")
	loginAs(t, s, "bob")
	alice := account.Name(s.URL, "alice")
	bob := account.Name(s.URL, "bob")
	creds := readCredentials(t, dir)
	r := talkmod(t, "", "logout", "--account", bob)
	if r.code != 0 || !strings.Contains(r.stdout, "revoked") {
		t.Fatalf("logout bob: %d", r.code)
	}
	if s.AppPasswordValid("bob", creds[bob]) {
		t.Error("bob's app password is still valid on the server")
	}
	if _, ok := readCredentials(t, dir)[bob]; ok {
		t.Error("bob's app password is still stored")
	}
	if !s.AppPasswordValid("alice", creds[alice]) {
		t.Error("alice's app password was revoked too")
	}
	// logout without --account: the default (alice).
	if r := talkmod(t, "", "logout"); r.code != 0 {
		t.Fatalf("logout: %d", r.code)
	}
	if s.AppPasswordValid("alice", creds[alice]) {
		t.Error("alice's app password is still valid")
	}
	if cfg := readConfig(t, dir); len(cfg.Accounts) != 0 {
		t.Errorf("accounts left: %+v", cfg.Accounts)
	}
	if r := talkmod(t, "", "rooms"); r.code != 3 {
		t.Errorf("rooms after logout: exit %d, want 3", r.code)
	}
	if r := talkmod(t, "", "logout"); r.code != 3 {
		t.Errorf("logout with no account: exit %d, want 3", r.code)
	}
}

func TestLogoutServerUnreachable(t *testing.T) {
	dir := testenv.Isolate(t)
	s := testenv.NewServer(t)
	loginAs(t, s, "alice")
	s.Close()
	r := talkmod(t, "", "logout")
	if r.code != 9 {
		t.Fatalf("exit %d, want 9", r.code)
	}
	if !strings.Contains(r.stderr, "STILL VALID") || !strings.Contains(r.stderr, s.URL+"/index.php/settings/user/security") {
		t.Errorf("stderr %q", r.stderr)
	}
	if cfg := readConfig(t, dir); len(cfg.Accounts) != 0 {
		t.Errorf("the account was not forgotten: %+v", cfg.Accounts)
	}
	if creds := readCredentials(t, dir); len(creds) != 0 {
		t.Errorf("the app password was not forgotten")
	}
}

func TestLogFileRedacts(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	path := filepath.Join(t.TempDir(), "talkmod.log")
	r := talkmod(t, "", "rooms", "--log-file", path)
	if r.code != 0 {
		t.Fatal(r.code)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) == 0 {
		t.Fatal("empty log")
	}
	if strings.Contains(string(data), testenv.AlicePW) || strings.Contains(strings.ToLower(string(data)), "basic ywxp") {
		t.Errorf("the log holds a secret:\n%s", data)
	}
	if runtime.GOOS != "windows" && mode(t, path) != 0o600 {
		t.Errorf("log mode %o", mode(t, path))
	}
	if strings.Contains(r.stderr, "talk request") {
		t.Error("logs reached the terminal")
	}
	// TALKMOD_LOG does the same.
	path2 := filepath.Join(t.TempDir(), "env.log")
	t.Setenv("TALKMOD_LOG", path2)
	talkmod(t, "", "rooms")
	if st, err := os.Stat(path2); err != nil || st.Size() == 0 {
		t.Errorf("TALKMOD_LOG wrote nothing: %v", err)
	}
}
