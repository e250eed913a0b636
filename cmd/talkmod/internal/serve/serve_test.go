package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
)

// serveWait bounds each wait in the serve tests (polls: a fast machine
// never waits this long).
const serveWait = 60 * time.Second

// serveFixture is talkmod serve on 127.0.0.1:0 against talktest.
type serveFixture struct {
	t        *testing.T
	talk     *talktest.Server
	addr     string
	rwFile   string
	roFile   string
	auditLog string
	stdout   *testenv.SyncBuffer
	stderr   *testenv.SyncBuffer
	cancel   context.CancelFunc
	done     chan error
}

// startServe starts serve; rw and ro are the authorized keys; edit
// changes the options before the start.
func startServe(t *testing.T, talk *talktest.Server, rw, ro []testenv.Key, edit func(*Options)) *serveFixture {
	t.Helper()
	dir := t.TempDir()
	f := &serveFixture{t: t, talk: talk, rwFile: filepath.Join(dir, "authorized_keys"), roFile: filepath.Join(dir, "readonly_keys"),
		auditLog: filepath.Join(dir, "audit.log"), stdout: &testenv.SyncBuffer{}, stderr: &testenv.SyncBuffer{}, done: make(chan error, 1)}
	testenv.WriteKeys(t, f.rwFile, rw...)
	testenv.WriteKeys(t, f.roFile, ro...)
	ready := make(chan string, 1)
	o := Options{Server: talk.URL, Listen: "127.0.0.1:0", AuthorizedKeys: f.rwFile, ReadOnlyKeys: f.roFile,
		AuditLog: f.auditLog, MaxSessions: 32, KeysPoll: 50 * time.Millisecond, LoginPoll: 50 * time.Millisecond,
		Ready: func(addr string) { ready <- addr }, Logins: openLogins(t)}
	if edit != nil {
		edit(&o)
	}
	ctx, cancel := context.WithCancel(context.Background())
	f.cancel = cancel
	go func() { f.done <- Run(ctx, o, IO{Stdout: f.stdout, Stderr: f.stderr}) }()
	select {
	case f.addr = <-ready:
	case err := <-f.done:
		t.Fatalf("serve did not start: %v\nstderr: %s", err, f.stderr.String())
	case <-time.After(serveWait):
		t.Fatal("serve did not start")
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-f.done:
		case <-time.After(serveWait):
			t.Error("serve did not stop")
		}
		if t.Failed() {
			t.Logf("serve stdout:\n%s\nstderr:\n%s\naudit:\n%s", f.stdout.String(), f.stderr.String(), f.audit())
		}
	})
	return f
}

func (f *serveFixture) audit() string {
	b, _ := os.ReadFile(f.auditLog)
	return string(b)
}

// events parses the audit log; every line must be one JSON object.
func (f *serveFixture) events() []map[string]any {
	f.t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(f.audit()))
	for sc.Scan() {
		var ev map[string]any
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			f.t.Fatalf("audit line is not JSON: %q", sc.Text())
		}
		out = append(out, ev)
	}
	return out
}

func (f *serveFixture) waitEvent(what string, ok func(ev map[string]any) bool) map[string]any {
	f.t.Helper()
	deadline := time.Now().Add(serveWait)
	for time.Now().Before(deadline) {
		for _, ev := range f.events() {
			if ok(ev) {
				return ev
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	f.t.Fatalf("no audit event %s:\n%s", what, f.audit())
	return nil
}

// storeLogin gives a key a stored Nextcloud login, as a finished
// in-session login does.
func storeLogin(t *testing.T, server string, k testenv.Key, user, pw string) {
	t.Helper()
	st := openLogins(t)
	if _, _, err := st.Put(account.KeyLogin{Fingerprint: k.FP, Server: server, LoginName: user, UserID: user, AddedAt: time.Now()}, pw); err != nil {
		t.Fatal(err)
	}
}

func (f *serveFixture) dial(auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", f.addr, &gossh.ClientConfig{
		User:            "support",
		Auth:            auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         serveWait,
	})
}

// sshTerm is an SSH session with a PTY, its screen as a stream of text.
type sshTerm struct {
	t    *testing.T
	c    *gossh.Client
	s    *gossh.Session
	in   io.WriteCloser
	out  *testenv.SyncBuffer
	errb *testenv.SyncBuffer
	done chan error
}

func (f *serveFixture) open(k testenv.Key, w, h int) *sshTerm {
	f.t.Helper()
	c, err := f.dial(gossh.PublicKeys(k.Signer))
	if err != nil {
		f.t.Fatalf("dial: %v", err)
	}
	return openTerm(f.t, c, w, h)
}

func openTerm(t *testing.T, c *gossh.Client, w, h int) *sshTerm {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	x := &sshTerm{t: t, c: c, s: s, out: &testenv.SyncBuffer{}, errb: &testenv.SyncBuffer{}, done: make(chan error, 1)}
	s.Stdout, s.Stderr = x.out, x.errb
	if x.in, err = s.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("dumb", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { x.done <- s.Wait() }()
	t.Cleanup(func() { c.Close() })
	return x
}

// text is everything shown so far, without escape sequences.
func (x *sshTerm) text() string { return ansi.Strip(x.out.String()) }

func (x *sshTerm) waitText(want ...string) {
	x.t.Helper()
	deadline := time.Now().Add(serveWait)
	for time.Now().Before(deadline) {
		s := x.text()
		all := true
		for _, w := range want {
			if !strings.Contains(s, w) {
				all = false
			}
		}
		if all {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	x.t.Fatalf("timed out waiting for %q; screen stream:\n%s\nstderr: %s", want, x.text(), x.errb.String())
}

func (x *sshTerm) keys(s string) {
	x.t.Helper()
	if _, err := x.in.Write([]byte(s)); err != nil {
		x.t.Fatal(err)
	}
}

// exit waits for the session's end and returns its exit status.
func (x *sshTerm) exit() int {
	x.t.Helper()
	select {
	case err := <-x.done:
		var ee *gossh.ExitError
		if errors.As(err, &ee) {
			return ee.ExitStatus()
		}
		if err != nil {
			x.t.Fatalf("session: %v", err)
		}
		return 0
	case <-time.After(serveWait):
		x.t.Fatalf("the session did not end; stream:\n%s", x.text())
	}
	return -1
}

// serveEnv isolates the test and starts talktest with alice and bob.
func serveEnv(t *testing.T) *talktest.Server {
	t.Helper()
	testenv.Isolate(t)
	return testenv.NewServer(t)
}

func changeRequests(s *talktest.Server) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method != "GET" && !strings.Contains(r.Path, "/login/v2") {
			n++
		}
	}
	return n
}

func TestServeAuthorizedKeyGetsConsole(t *testing.T) {
	talk := serveEnv(t)
	alice, gone := testenv.NewKey(t), testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	storeLogin(t, talk.URL, gone, "bob", testenv.BobPW)
	f := startServe(t, talk, []testenv.Key{alice}, nil, nil)
	if !strings.Contains(f.stderr.String(), gone.FP+" (bob) belongs to a key that is no longer authorized") ||
		strings.Contains(f.stderr.String(), alice.FP) {
		t.Errorf("no (or a wrong) warning about the stored login of a key no longer authorized:\n%s", f.stderr.String())
	}
	x := f.open(alice, 100, 30)
	x.waitText("Webinar A", "Letters", "alice @ "+talk.URL)
	x.keys("q")
	if code := x.exit(); code != 0 {
		t.Errorf("exit status %d after q", code)
	}
	if !strings.Contains(f.stdout.String(), "host key SHA256:") {
		t.Errorf("serve did not print the host key's fingerprint:\n%s", f.stdout.String())
	}
}

func TestServeRefusesOtherAuth(t *testing.T) {
	talk := serveEnv(t)
	alice, stranger := testenv.NewKey(t), testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	f := startServe(t, talk, []testenv.Key{alice}, nil, func(o *Options) { o.FailLimit = 1000 })
	cases := map[string][]gossh.AuthMethod{
		"unknown key": {gossh.PublicKeys(stranger.Signer)},
		"password":    {gossh.Password(testenv.AlicePW)},
		"keyboard-interactive": {gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			return []string{testenv.AlicePW}, nil
		})},
		"none": nil,
	}
	for name, auth := range cases {
		c, err := f.dial(auth...)
		if err == nil {
			c.Close()
			t.Errorf("%s: the server let the client in", name)
		} else if !strings.Contains(err.Error(), "unable to authenticate") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := len(talk.Requests()); n != 0 {
		t.Errorf("%d requests reached the Talk server", n)
	}
}

// forgedSigner offers one key's public half but signs with another key:
// the shape of the CVE-2024-45337 attack (offer the victim's key, sign
// with one's own).
type forgedSigner struct {
	pub  gossh.PublicKey
	sign gossh.Signer
}

func (s forgedSigner) PublicKey() gossh.PublicKey { return s.pub }
func (s forgedSigner) Sign(r io.Reader, data []byte) (*gossh.Signature, error) {
	return s.sign.Sign(r, data)
}

// TestServeIdentityIsTheKeyThatAuthenticated: OpenSSH offers alice's key
// (only its public half is there: the server answers "acceptable"), cannot
// prove it, and authenticates with bob's: the session is bob's, with bob's
// login (CVE-2024-45337, soft-serve GHSA-pchf-49fh-w34r).
func TestServeIdentityIsTheKeyThatAuthenticated(t *testing.T) {
	testenv.NeedOpenSSH(t)
	talk := serveEnv(t)
	alice, bob := testenv.NewKey(t), testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	storeLogin(t, talk.URL, bob, "bob", testenv.BobPW)
	f := startServe(t, talk, []testenv.Key{alice, bob}, nil, nil)
	dir := t.TempDir()
	alicePub := filepath.Join(dir, "alice.pub")
	if err := os.WriteFile(alicePub, []byte(alice.Line), 0o600); err != nil {
		t.Fatal(err)
	}
	bobKey := filepath.Join(dir, "bob")
	testenv.WritePrivateKey(t, bobKey, bob)
	host, port, _ := net.SplitHostPort(f.addr)
	ctx, cancel := context.WithTimeout(context.Background(), serveWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ssh", "-F", "/dev/null", "-tt", "-v", "-p", port,
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
		"-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-i", alicePub, "-i", bobKey, "support@"+host)
	cmd.Env = append(os.Environ(), "TERM=dumb")
	var out, errb testenv.SyncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	// ssh -tt without a terminal of its own asks for a 0x0 one: the
	// console says it is too small, so the requests it sent tell whose
	// session it is
	users := func() map[string]bool {
		u := map[string]bool{}
		for _, r := range talk.Requests() {
			u[r.User] = true
		}
		return u
	}
	deadline := time.Now().Add(serveWait)
	for !users()["bob"] && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	screen := ansi.Strip(out.String())
	if !users()["bob"] {
		t.Fatalf("no console of bob:\n%s\nssh -v:\n%s", screen, errb.String())
	}
	if users()["alice"] {
		t.Error("a request was sent as alice")
	}
	if !strings.Contains(errb.String(), "Server accepts key: "+alicePub) {
		t.Errorf("the server was not offered alice's key first:\n%s", errb.String())
	}
	if strings.Contains(screen, "alice @") || strings.Contains(screen, "Letters") {
		t.Errorf("bob's session shows alice's identity or rooms:\n%s", screen)
	}
	ev := f.waitEvent("session-start", func(ev map[string]any) bool { return ev["event"] == "session-start" })
	if ev["fingerprint"] != bob.FP || ev["user"] != "bob" {
		t.Errorf("session-start of %v as %v, want bob's key %s", ev["fingerprint"], ev["user"], bob.FP)
	}
	in.Write([]byte("q"))
	cmd.Wait()

	// a signature by bob for alice's key opens nothing
	if c, err := f.dial(gossh.PublicKeys(forgedSigner{pub: alice.Signer.PublicKey(), sign: bob.Signer})); err == nil {
		c.Close()
		t.Error("a forged signature for alice's key was accepted")
	}
}

func TestServeTwoSessionsSeeTheirOwnRooms(t *testing.T) {
	talk := serveEnv(t)
	alice, bob := testenv.NewKey(t), testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	storeLogin(t, talk.URL, bob, "bob", testenv.BobPW)
	f := startServe(t, talk, []testenv.Key{alice, bob}, nil, nil)
	xa := f.open(alice, 100, 30)
	xb := f.open(bob, 100, 30)
	xa.waitText("alice @ ", "Letters", "Webinar A")
	xb.waitText("bob @ ", "Bob's webinar")
	if strings.Contains(xa.text(), "Bob's webinar") {
		t.Error("alice's session shows bob's room")
	}
	if strings.Contains(xb.text(), "Letters") {
		t.Error("bob's session shows alice's room")
	}
	users := map[string]bool{}
	for _, r := range talk.Requests() {
		users[r.User] = true
	}
	if !users["alice"] || !users["bob"] {
		t.Errorf("requests were sent as %v, want both alice and bob", users)
	}
}

func TestServeNoPTYNoCommand(t *testing.T) {
	talk := serveEnv(t)
	alice := testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	f := startServe(t, talk, []testenv.Key{alice}, nil, nil)
	// each refused session closes its connection: one connection each
	conn := func() *gossh.Client {
		c, err := f.dial(gossh.PublicKeys(alice.Signer))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}

	var ee *gossh.ExitError
	c := conn()
	s, _ := c.NewSession()
	var stderr testenv.SyncBuffer
	s.Stderr = &stderr
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	err := s.Wait()
	if !errors.As(err, &ee) || ee.ExitStatus() != 1 || !strings.Contains(stderr.String(), "needs a terminal") {
		t.Errorf("shell without a PTY: %v, stderr %q (want exit 1 and one line)", err, stderr.String())
	}
	if n := strings.Count(strings.TrimSpace(stderr.String()), "\n"); n != 0 {
		t.Errorf("more than one line: %q", stderr.String())
	}

	s, _ = conn().NewSession()
	s.RequestPty("dumb", 24, 80, gossh.TerminalModes{})
	out, err := s.CombinedOutput("rm -rf /")
	if !errors.As(err, &ee) || ee.ExitStatus() != 1 || !strings.Contains(string(out), "without a command") {
		t.Errorf("exec: %v, output %q", err, out)
	}
	c = conn()
	s, _ = c.NewSession()
	if err := s.RequestSubsystem("sftp"); err == nil {
		t.Error("the sftp subsystem was accepted")
	}
	if _, err := c.Dial("tcp", strings.TrimPrefix(talk.URL, "http://")); err == nil {
		t.Error("port forwarding was accepted")
	}
	if l, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
		l.Close()
		t.Error("remote port forwarding was accepted")
	}
	if n := len(talk.Requests()); n != 0 {
		t.Errorf("%d requests reached the Talk server", n)
	}
	// the attempts that reach no session are in the audit log too
	for _, what := range []string{"subsystem sftp", "channel direct-tcpip", "tcpip-forward"} {
		f.waitEvent(what, func(ev map[string]any) bool {
			return ev["event"] == "session-refused" && ev["detail"] == what && ev["fingerprint"] == alice.FP
		})
	}
}

func TestServeReadOnlyKeyChangesNothing(t *testing.T) {
	talk := serveEnv(t)
	ro := testenv.NewKey(t)
	storeLogin(t, talk.URL, ro, "alice", testenv.AlicePW)
	f := startServe(t, talk, nil, []testenv.Key{ro}, nil)
	x := f.open(ro, 100, 30)
	x.waitText("Webinar A", "(read-only)")
	for i, k := range []string{"l", "t", "s"} {
		if i > 0 {
			// the help in between, so that the same warning is drawn anew
			x.keys("?")
			deadline := time.Now().Add(serveWait)
			for strings.Count(x.text(), "Keys") < i && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			x.keys("?")
		}
		x.keys(k)
		// the warning line (the help lists the change keys as read-only
		// too, so the warning's "!" counts, not the words)
		deadline := time.Now().Add(serveWait)
		for strings.Count(x.text(), "! read-only session") < i+1 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if strings.Count(x.text(), "! read-only session") < i+1 {
			t.Fatalf("%s did not say read-only session:\n%s", k, x.text())
		}
	}
	// the floor's P refused; the chat readable, its i and L refused (and
	// every refused key, the list's and the page's, has its audit line)
	x.keys("P")
	x.keys("c")
	x.waitText("Chat · ")
	x.keys("i")
	x.keys("L")
	for _, k := range []string{"l", "t", "s", "P", "i", "L"} {
		f.waitEvent("key "+k, func(ev map[string]any) bool {
			return ev["event"] == "change" && ev["action"] == "key "+k && ev["outcome"] == "refused" && ev["fingerprint"] == ro.FP
		})
	}
	x.keys("esc")
	x.keys("q")
	x.exit()
	if n := changeRequests(talk); n != 0 {
		t.Errorf("%d changes reached the Talk server from a read-only key", n)
	}
	// the backend refuses on its own too, whatever the console does
	be := &sessionBackend{readOnly: true, sv: &server{audit: &auditLog{w: io.Discard, now: time.Now}}, sess: &session{}}
	if _, err := be.SetLobby(context.Background(), testenv.WebinarA, 1, nil); !errors.As(err, new(readOnlyError)) {
		t.Errorf("SetLobby: %v", err)
	}
	if _, err := be.SetSIP(context.Background(), testenv.WebinarA, 1); !errors.As(err, new(readOnlyError)) {
		t.Errorf("SetSIP: %v", err)
	}
	if n := changeRequests(talk); n != 0 {
		t.Errorf("%d changes reached the Talk server", n)
	}
}

func TestServeAuditOfALobbyChange(t *testing.T) {
	_, f, x, alice := aliceConsole(t, 100, 30)
	x.keys("/Webinar A\r") // found by name, as a person would; no call
	x.keys("l")
	ev := f.waitEvent("change", func(ev map[string]any) bool { return ev["event"] == "change" })
	want := map[string]any{"action": "lobby", "token": testenv.WebinarA, "roomName": "Webinar A", "outcome": "ok", "status": 200.0,
		"fingerprint": alice.FP, "role": "read-write", "user": "alice"}
	for k, v := range want {
		if ev[k] != v {
			t.Errorf("change event %s = %v, want %v", k, ev[k], v)
		}
	}
	if vals, _ := ev["values"].(map[string]any); vals["state"] != 1.0 {
		t.Errorf("values sent = %v, want state 1", ev["values"])
	}
	if !strings.HasPrefix(fmt.Sprint(ev["remote"]), "127.0.0.1:") {
		t.Errorf("remote = %v", ev["remote"])
	}
	x.keys("q")
	x.exit()
	end := f.waitEvent("session-end", func(ev map[string]any) bool { return ev["event"] == "session-end" })
	if end["fingerprint"] != alice.FP || end["user"] != "alice" {
		t.Errorf("session-end = %v", end)
	}
	log := f.audit()
	if strings.Contains(log, testenv.AlicePW) || strings.Contains(strings.ToLower(log), "cookie") || strings.Contains(log, "Basic ") {
		t.Error("the audit log holds a secret")
	}
	if st, err := os.Stat(f.auditLog); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("audit log mode: %v %v", st.Mode(), err)
	}
}

func TestServeDisconnectCancelsInFlightRequest(t *testing.T) {
	talk, f, x, _ := aliceConsole(t, 100, 30)
	talk.SetDelay(40 * time.Second)
	x.keys("l")
	deadline := time.Now().Add(serveWait)
	for changeRequests(talk) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now()
	x.c.Close() // the client goes away mid-request
	ev := f.waitEvent("the cancelled change", func(ev map[string]any) bool { return ev["event"] == "change" })
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("the request ended %s after the disconnect (the server delays 40 s)", took)
	}
	if ev["outcome"] != "error" {
		t.Errorf("outcome = %v", ev["outcome"])
	}
	f.waitEvent("session-end", func(ev map[string]any) bool { return ev["event"] == "session-end" })
	talk.SetDelay(0)
}

func TestServeMaxSessionsAndIdleTimeout(t *testing.T) {
	talk := serveEnv(t)
	alice := testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	f := startServe(t, talk, []testenv.Key{alice}, nil, func(o *Options) { o.MaxSessions = 1; o.IdleTimeout = 5 * time.Second })
	x := f.open(alice, 100, 30)
	x.waitText("Webinar A")
	y := f.open(alice, 100, 30)
	if code := y.exit(); code != 1 || !strings.Contains(y.errb.String(), "all 1 sessions") {
		t.Errorf("second session: exit %d, %q", code, y.errb.String())
	}
	// no input: the first session is told and closed
	start := time.Now()
	if code := x.exit(); code != 0 {
		t.Errorf("idle session exit %d", code)
	}
	if !strings.Contains(x.text(), "closed after 5s without input") {
		t.Errorf("idle session was not told: %q", x.text())
	}
	if time.Since(start) > 30*time.Second {
		t.Error("idle timeout took too long")
	}
}

var loginURLInStream = regexp.MustCompile(`http://127\.0\.0\.1:\d+/index\.php/login/v2/flow/[A-Za-z0-9]+`)

func TestServeLoginFlowInSession(t *testing.T) {
	talk := serveEnv(t)
	alice := testenv.NewKey(t)
	f := startServe(t, talk, []testenv.Key{alice}, nil, nil)
	x := f.open(alice, 250, 40)
	x.waitText("Open this address", "waiting for access", "q gives up")
	u := loginURLInStream.FindString(x.text())
	if u == "" {
		t.Fatalf("no login URL on screen:\n%s", x.text())
	}
	if err := talk.GrantLogin(u, "alice"); err != nil {
		t.Fatal(err)
	}
	x.waitText("Webinar A", "alice @ ")
	x.keys("q")
	x.exit()

	// the second connection with the same key opens the console at once
	y := f.open(alice, 250, 40)
	y.waitText("Webinar A")
	if strings.Contains(y.text(), "Open this address") {
		t.Error("the second session asked to sign in again")
	}
	y.keys("q")
	y.exit()
	st := openLogins(t)
	if fi, err := os.Stat(filepath.Join(st.Dir(), account.CredentialsFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("serve credentials file: %v %v", fi, err)
	}
	if fi, err := os.Stat(st.Dir()); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("serve directory: %v %v", fi, err)
	}
	if strings.Contains(f.audit(), "appPassword") {
		t.Error("the audit log mentions the app password")
	}
	f.waitEvent("login", func(ev map[string]any) bool { return ev["event"] == "login" && ev["user"] == "alice" })

	// the login is stored under the key, with a valid app password
	// (talkmod serve logins and forget are tested with the command)
	l, pw, ok, _ := st.Get(alice.FP)
	if !ok || l.UserID != "alice" || !talk.AppPasswordValid("alice", pw) {
		t.Fatal("no valid stored app password")
	}
}

func TestServeLoginGiveUpAndRevokedLogin(t *testing.T) {
	talk := serveEnv(t)
	alice := testenv.NewKey(t)
	f := startServe(t, talk, []testenv.Key{alice}, nil, nil)
	x := f.open(alice, 250, 40)
	x.waitText("waiting for access")
	x.keys("q")
	if code := x.exit(); code != 0 || !strings.Contains(x.text(), "sign-in given up") {
		t.Errorf("q in the login: exit %d, %q", code, x.text())
	}

	// a stored login revoked on the server: the session goes back to the
	// sign-in
	pw := talk.AddAppPassword("alice")
	storeLogin(t, talk.URL, alice, "alice", pw)
	y := f.open(alice, 250, 40)
	y.waitText("Webinar A")
	talk.RevokeAppPassword("alice", pw)
	y.keys("r")
	y.waitText("stored login was refused", "Open this address")
	y.keys("q")
	y.exit()
}

func TestServeRateLimitsFailedHandshakes(t *testing.T) {
	talk := serveEnv(t)
	alice, stranger := testenv.NewKey(t), testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	f := startServe(t, talk, []testenv.Key{alice}, nil, func(o *Options) { o.FailLimit = 3 })
	for i := 0; i < 3; i++ {
		if c, err := f.dial(gossh.PublicKeys(stranger.Signer)); err == nil {
			c.Close()
			t.Fatal("unknown key let in")
		}
	}
	// the server counts a failure when it sees the connection end
	deadline := time.Now().Add(serveWait)
	for strings.Count(f.audit(), `"handshake-failed"`) < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if c, err := f.dial(gossh.PublicKeys(alice.Signer)); err == nil {
		c.Close()
		t.Error("the address was not blocked after 3 failed handshakes")
	}
	f.waitEvent("rate limit", func(ev map[string]any) bool { return ev["reason"] == "rate-limited" })
	for i := 0; i < 5; i++ {
		if c, err := f.dial(gossh.PublicKeys(alice.Signer)); err == nil {
			c.Close()
			t.Fatal("a blocked address got in")
		}
	}
	if n := strings.Count(f.audit(), `"rate-limited"`); n != 1 {
		t.Errorf("%d audit lines for one blocked address, want 1", n)
	}
}

func TestServeKeyFiles(t *testing.T) {
	talk := serveEnv(t)
	alice, bob := testenv.NewKey(t), testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	storeLogin(t, talk.URL, bob, "bob", testenv.BobPW)

	// group-writable: refused at start
	dir := t.TempDir()
	bad := filepath.Join(dir, "keys")
	testenv.WriteKeys(t, bad, alice)
	os.Chmod(bad, 0o620)
	run := func(keys string) error {
		return Run(context.Background(), Options{Server: talk.URL, Listen: "127.0.0.1:0", AuthorizedKeys: keys, Logins: openLogins(t)},
			IO{Stdout: io.Discard, Stderr: io.Discard})
	}
	err := run(bad)
	if err == nil || !strings.Contains(err.Error(), "chmod go-w") {
		t.Errorf("group-writable keys file: %v", err)
	}
	os.WriteFile(bad, []byte("command=\"/bin/sh\" "+alice.Line), 0o600)
	if err := run(bad); err == nil {
		t.Error("a key with options was accepted")
	}

	f := startServe(t, talk, []testenv.Key{alice, bob}, nil, func(o *Options) { o.FailLimit = 1000 })
	c, err := f.dial(gossh.PublicKeys(bob.Signer))
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	// bob's line removed: locked out of new sessions
	testenv.WriteKeys(t, f.rwFile, alice)
	f.waitEvent("reload", func(ev map[string]any) bool { return ev["event"] == "keys-reloaded" })
	if c, err := f.dial(gossh.PublicKeys(bob.Signer)); err == nil {
		c.Close()
		t.Error("a removed key still gets in")
	}
	if c, err := f.dial(gossh.PublicKeys(alice.Signer)); err != nil {
		t.Errorf("alice: %v", err)
	} else {
		c.Close()
	}
	// made group-writable while running: its keys are locked out
	os.Chmod(f.rwFile, 0o666)
	os.WriteFile(f.rwFile, []byte(alice.Line+"\n"), 0o666)
	os.Chmod(f.rwFile, 0o666)
	f.waitEvent("reload error", func(ev map[string]any) bool {
		return ev["event"] == "keys-reloaded" && ev["outcome"] == "error"
	})
	if c, err := f.dial(gossh.PublicKeys(alice.Signer)); err == nil {
		c.Close()
		t.Error("a key of a group-writable file gets in")
	}
}

func TestServeShutdown(t *testing.T) {
	_, f, x, _ := aliceConsole(t, 100, 30)
	f.cancel()
	x.waitText("the server is shutting down")
	select {
	case err := <-f.done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
		f.done <- err // for the cleanup
	case <-time.After(serveWait):
		t.Fatal("serve did not stop")
	}
	x.exit()
}

// TestServeShutdownLetsAChangeFinish: a change in flight when SIGTERM
// comes gets its answer (the grace period is 5 s).
func TestServeShutdownLetsAChangeFinish(t *testing.T) {
	talk, f, x, _ := aliceConsole(t, 100, 30)
	talk.SetDelay(time.Second)
	x.keys("l")
	deadline := time.Now().Add(serveWait)
	for changeRequests(talk) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	f.cancel()
	select {
	case err := <-f.done:
		f.done <- err
	case <-time.After(serveWait):
		t.Fatal("serve did not stop")
	}
	ev := f.waitEvent("the change", func(ev map[string]any) bool { return ev["event"] == "change" })
	if ev["outcome"] != "ok" {
		t.Errorf("the change in flight at shutdown: %v", ev)
	}
	x.exit()
	if !strings.Contains(x.text(), "the server is shutting down") {
		t.Errorf("the session was not told:\n%s", x.text())
	}
}

// TestServeColoursAndZoneFollowTheSession: each session's renderer is its
// client's terminal, and its zone the key's.
func TestServeColoursAndZoneFollowTheSession(t *testing.T) {
	talk := serveEnv(t)
	alice, bob := testenv.NewKey(t), testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	storeLogin(t, talk.URL, bob, "bob", testenv.BobPW)
	if err := openLogins(t).SetZone(alice.FP, "Europe/Berlin"); err != nil {
		t.Fatal(err)
	}
	f := startServe(t, talk, []testenv.Key{alice, bob}, nil, nil)
	open := func(k testenv.Key, termName string, env map[string]string) *sshTerm {
		c, err := f.dial(gossh.PublicKeys(k.Signer))
		if err != nil {
			t.Fatal(err)
		}
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		x := &sshTerm{t: t, c: c, s: s, out: &testenv.SyncBuffer{}, errb: &testenv.SyncBuffer{}, done: make(chan error, 1)}
		s.Stdout, s.Stderr = x.out, x.errb
		x.in, _ = s.StdinPipe()
		for k, v := range env {
			s.Setenv(k, v)
		}
		if err := s.RequestPty(termName, 30, 120, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
		if err := s.Shell(); err != nil {
			t.Fatal(err)
		}
		go func() { x.done <- s.Wait() }()
		t.Cleanup(func() { c.Close() })
		return x
	}
	colour := open(alice, "xterm-256color", nil)
	plain := open(bob, "xterm-256color", map[string]string{"NO_COLOR": "1"})
	colour.waitText("Webinar A", "Europe/Berlin")
	plain.waitText("Bob's webinar", "UTC")
	if !strings.Contains(colour.out.String(), "\x1b[38;5;") {
		t.Error("no 256-colour codes for xterm-256color")
	}
	if strings.Contains(plain.out.String(), "\x1b[38;") {
		t.Error("colours despite NO_COLOR")
	}
	if strings.Contains(plain.text(), "Europe/Berlin") {
		t.Error("bob's session shows alice's zone")
	}
}

// TestServeClosesSilentConnections: a connection that never completes the
// handshake is closed (no slow-loris of half-open connections), while an
// open console stays past that time.
func TestServeClosesSilentConnections(t *testing.T) {
	talk := serveEnv(t)
	alice := testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	f := startServe(t, talk, []testenv.Key{alice}, nil, func(o *Options) { o.Handshake = 2 * time.Second })
	x := f.open(alice, 100, 30)
	x.waitText("Webinar A")
	conn, err := net.Dial("tcp", f.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(serveWait))
	start := time.Now()
	io.Copy(io.Discard, conn) // the server's version line, then the close
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("a silent connection stayed open %s", took)
	}
	time.Sleep(2500 * time.Millisecond) // the open console outlives the limit
	x.keys("j")
	select {
	case err := <-x.done:
		t.Fatalf("the console was closed by the handshake limit: %v", err)
	default:
	}
	x.keys("q")
	if code := x.exit(); code != 0 {
		t.Errorf("exit %d", code)
	}
}

// TestServeAuditHoldsDataNotTerminalText: a room name with escape
// sequences and a refused change, as the audit log writes them.
func TestServeAuditHoldsDataNotTerminalText(t *testing.T) {
	talk, f, x, _ := aliceConsole(t, 100, 30)
	// Webinar B (named with an OSC title sequence), found by name; a call
	// runs in it, so l asks first
	x.keys("/pwned\r")
	x.keys("l")
	x.waitText("Turn the lobby on now and remove them")
	x.keys("y")
	ev := f.waitEvent("the change of Webinar B", func(ev map[string]any) bool { return ev["event"] == "change" && ev["token"] == testenv.WebinarB })
	if ev["roomName"] != "Webinar \x1b]0;pwned\a B" || ev["outcome"] != "ok" {
		t.Errorf("change event: %v", ev)
	}
	raw := f.audit()
	if strings.ContainsAny(raw, "\x1b\x07") || !strings.Contains(raw, `\u001b]0;pwned\u0007`) {
		t.Errorf("the audit log holds terminal text, not JSON escapes:\n%q", raw)
	}
	// a change the server refuses: status and reason
	// (the selection stays on Webinar B: l now turns its lobby off)
	talk.FailNext("/room/"+testenv.WebinarB+"/webinar/lobby", 1, 403, `{"ocs":{"meta":{"status":"failure","statuscode":403,"message":""},"data":[]}}`)
	x.keys("l")
	ev = f.waitEvent("the refused change", func(ev map[string]any) bool { return ev["event"] == "change" && ev["outcome"] != "ok" })
	if ev["outcome"] != "error" || ev["status"] != 403.0 || ev["reason"] == "" {
		t.Errorf("refused change event: %v", ev)
	}
	x.keys("q")
	x.exit()
	// the host key was created in the config directory, 0600
	st := openLogins(t)
	if fi, err := os.Stat(filepath.Join(st.Dir(), "host_ed25519")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("host key: %v %v", fi, err)
	}
}

// TestServeSIGHUPReloadsKeys: SIGHUP re-reads the key files at once.
func TestServeSIGHUPReloadsKeys(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGHUP")
	}
	talk := serveEnv(t)
	alice, bob := testenv.NewKey(t), testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	f := startServe(t, talk, []testenv.Key{alice}, nil, func(o *Options) { o.KeysPoll = time.Hour; o.FailLimit = 1000 })
	if c, err := f.dial(gossh.PublicKeys(bob.Signer)); err == nil {
		c.Close()
		t.Fatal("bob is in before being added")
	}
	testenv.WriteKeys(t, f.rwFile, alice, bob)
	self, _ := os.FindProcess(os.Getpid())
	if err := self.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	f.waitEvent("the reload on SIGHUP", func(ev map[string]any) bool {
		return ev["event"] == "keys-reloaded" && strings.HasPrefix(fmt.Sprint(ev["detail"]), "SIGHUP")
	})
	c, err := f.dial(gossh.PublicKeys(bob.Signer))
	if err != nil {
		t.Fatalf("bob after SIGHUP: %v", err)
	}
	c.Close()
}

// TestServeNewLoginNeverSendsTheOldPasswordElsewhere: a key's login for
// another server (the operator changed --server) is replaced by a new
// sign-in, and the old app password is revoked only on its own server.
func TestServeNewLoginNeverSendsTheOldPasswordElsewhere(t *testing.T) {
	talk := serveEnv(t)
	alice := testenv.NewKey(t)
	storeLogin(t, testenv.DeadURL(t), alice, "alice", "old-app-password-elsewhere")
	f := startServe(t, talk, []testenv.Key{alice}, nil, nil)
	x := f.open(alice, 250, 40)
	x.waitText("waiting for access")
	if err := talk.GrantLogin(loginURLInStream.FindString(x.text()), "alice"); err != nil {
		t.Fatal(err)
	}
	x.waitText("Webinar A")
	x.keys("q")
	x.exit()
	if n := talk.FailedLogins(); n != 0 {
		t.Errorf("%d failed logins on the new server: the old password was sent there", n)
	}
	st := openLogins(t)
	if l, ok := st.Lookup(alice.FP); !ok || l.Server != talk.URL {
		t.Errorf("stored login: %+v", l)
	}
}

// aliceConsole serves talktest to one authorized key with alice's stored
// login, and opens its console at w x h with her rooms on screen.
func aliceConsole(t *testing.T, w, h int) (*talktest.Server, *serveFixture, *sshTerm, testenv.Key) {
	t.Helper()
	talk := serveEnv(t)
	alice := testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	f := startServe(t, talk, []testenv.Key{alice}, nil, nil)
	x := f.open(alice, w, h)
	x.waitText("Webinar A")
	return talk, f, x, alice
}
