package serve

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
)

// The tests of talkmod serve against hostile clients (issue 16). Each
// fails on the server before the channel guard, the limits and the
// graceful stop.

// TestClampTerminalSize: the guard clamps pty-req and window-change
// payloads in place.
func TestClampTerminalSize(t *testing.T) {
	pty := gossh.Marshal(struct {
		Term                 string
		Cols, Rows, PxW, PxH uint32
		Modes                string
	}{"xterm", 4294967295, 4294967295, 4294967295, 7, ""})
	w, h, out, ok := clampPtyRequest(pty)
	if !ok || w != maxCols || h != maxRows {
		t.Fatalf("pty-req: %dx%d %v", w, h, ok)
	}
	var got struct {
		Term                 string
		Cols, Rows, PxW, PxH uint32
		Modes                string
	}
	if err := gossh.Unmarshal(out, &got); err != nil || got.Term != "xterm" || got.Cols != maxCols || got.Rows != maxRows || got.PxW != maxPixels || got.PxH != 7 {
		t.Errorf("clamped pty-req: %+v %v", got, err)
	}
	win := gossh.Marshal(struct{ Cols, Rows, PxW, PxH uint32 }{120, 4294967295, 0, 0})
	if w, h, ok := clampWindow(win); !ok || w != 120 || h != maxRows {
		t.Errorf("window-change: %dx%d %v", w, h, ok)
	}
	if _, _, _, ok := clampPtyRequest([]byte{0, 0, 0, 9, 'x'}); ok {
		t.Error("a short pty-req was accepted")
	}
}

// TestServeHugeTerminalIsClamped (defect 1): a 4294967295x4294967295 PTY
// and window change, from a read-only key, give a console of at most
// 1000x500; the server lives on (before: out of memory, every session
// dropped).
func TestServeHugeTerminalIsClamped(t *testing.T) {
	talk := serveEnv(t)
	ro := testenv.NewKey(t)
	storeLogin(t, talk.URL, ro, "alice", testenv.AlicePW)
	f := startServe(t, talk, nil, []testenv.Key{ro}, nil)
	x := f.open(ro, 4294967295, 4294967295)
	x.waitText("Webinar A")
	if err := x.s.WindowChange(4294967295, 4294967295); err != nil {
		t.Fatal(err)
	}
	x.keys("j")
	x.keys("?")
	x.waitText("Keys")
	x.keys("q")
	if code := x.exit(); code != 0 {
		t.Errorf("exit %d", code)
	}
	y := f.open(ro, 80, 24)
	y.waitText("Webinar A")
	y.keys("q")
	y.exit()
}

// goroutinesSettle waits for the goroutine count to fall to at most want.
func goroutinesSettle(want int) int {
	deadline := time.Now().Add(serveWait)
	n := runtime.NumGoroutine()
	for n > want && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

// TestServeEarlyWindowChangeLeaksNothing (defect 4): channels that send a
// window change before the shell and then go away leave no goroutine
// behind (before: the library's request loop blocked forever on a
// one-slot channel, with the session's memory).
func TestServeEarlyWindowChangeLeaksNothing(t *testing.T) {
	talk := serveEnv(t)
	alice := testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	f := startServe(t, talk, []testenv.Key{alice}, nil, nil)
	// warm up: one connection, so that the server's own goroutines exist
	if c, err := f.dial(gossh.PublicKeys(alice.Signer)); err == nil {
		c.Close()
	}
	time.Sleep(500 * time.Millisecond)
	base := runtime.NumGoroutine()
	for i := 0; i < 60; i++ {
		c, err := f.dial(gossh.PublicKeys(alice.Signer))
		if err != nil {
			t.Fatal(err)
		}
		for j := 0; j < 3; j++ {
			s, err := c.NewSession()
			if err != nil {
				t.Fatal(err)
			}
			if err := s.RequestPty("dumb", 24, 80, gossh.TerminalModes{}); err != nil {
				t.Fatal(err)
			}
			s.WindowChange(30, 100)
			s.WindowChange(31, 101)
		}
		c.Close()
	}
	if n := goroutinesSettle(base + 10); n > base+10 {
		t.Errorf("%d goroutines after 180 channels came and went, %d before", n, base)
	}
}

// TestServeEnvRequestsBounded (defect 3): 2,000 env requests of 30 kB are
// refused and not kept; the variables the console reads are taken (up to
// 8); the console still opens on that channel.
func TestServeEnvRequestsBounded(t *testing.T) {
	talk := serveEnv(t)
	ro := testenv.NewKey(t)
	storeLogin(t, talk.URL, ro, "alice", testenv.AlicePW)
	f := startServe(t, talk, nil, []testenv.Key{ro}, nil)
	c, err := f.dial(gossh.PublicKeys(ro.Signer))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	big := strings.Repeat("x", 30<<10)
	accepted := 0
	for i := 0; i < 2000; i++ {
		if s.Setenv(fmt.Sprintf("FLOOD_%d", i), big) == nil {
			accepted++
		}
	}
	if accepted != 0 {
		t.Errorf("%d flood variables accepted", accepted)
	}
	if err := s.Setenv("LANG", "de_DE.UTF-8"); err != nil {
		t.Errorf("LANG refused: %v", err)
	}
	if err := s.Setenv("LANG", big); err == nil {
		t.Error("a 30 kB LANG was accepted")
	}
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > 20<<20 {
		t.Errorf("the heap grew %d MB under the env flood", grew>>20)
	}
	x := &sshTerm{t: t, c: c, s: s, out: &testenv.SyncBuffer{}, errb: &testenv.SyncBuffer{}, done: make(chan error, 1)}
	s.Stdout, s.Stderr = x.out, x.errb
	x.in, _ = s.StdinPipe()
	if err := s.RequestPty("dumb", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { x.done <- s.Wait() }()
	x.waitText("Webinar A")
	x.keys("q")
	x.exit()
}

// dialFrom opens a TCP connection to addr from a loopback address.
func dialFrom(t *testing.T, from, addr string) (net.Conn, error) {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: serveWait}
	return d.Dial("tcp", addr)
}

// closedSoon reports whether the server closes c within d.
func closedSoon(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	buf := make([]byte, 256)
	for {
		if _, err := c.Read(buf); err != nil {
			var ne net.Error
			return !(errors.As(err, &ne) && ne.Timeout())
		}
	}
}

// TestServeUnauthenticatedConnectionsBounded (defect 5): silent
// connections beyond 10 from one address are closed at once; when silent
// connections from several addresses fill all places, a valid key from
// another address still gets its console; bare connects (a port scan, a
// health check) lock nobody out.
func TestServeUnauthenticatedConnectionsBounded(t *testing.T) {
	talk := serveEnv(t)
	alice := testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	f := startServe(t, talk, []testenv.Key{alice}, nil, func(o *Options) { o.MaxUnauthenticated = 20 })
	var silent []net.Conn
	defer func() {
		for _, c := range silent {
			c.Close()
		}
	}()
	for i := 0; i < 30; i++ {
		c, err := dialFrom(t, "127.0.0.2", f.addr)
		if err != nil {
			t.Fatal(err)
		}
		silent = append(silent, c)
	}
	results := make(chan bool, len(silent))
	for _, c := range silent {
		go func() { results <- closedSoon(c, 2*time.Second) }()
	}
	closed := 0
	for range silent {
		if <-results {
			closed++
		}
	}
	if closed != 20 {
		t.Errorf("%d of 30 silent connections from one address were closed at once, want 20 (10 may wait)", closed)
	}
	// 10 more from another address: all 20 places are taken
	for i := 0; i < 10; i++ {
		c, err := dialFrom(t, "127.0.0.3", f.addr)
		if err != nil {
			t.Fatal(err)
		}
		silent = append(silent, c)
	}
	time.Sleep(200 * time.Millisecond)
	// a valid key from a third address
	x := f.open(alice, 80, 24)
	x.waitText("Webinar A")
	x.keys("q")
	x.exit()

	// 15 bare connects from 127.0.0.4 (a port scan), then a key from there
	for i := 0; i < 15; i++ {
		c, err := dialFrom(t, "127.0.0.4", f.addr)
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
	time.Sleep(200 * time.Millisecond)
	c, err := dialFrom(t, "127.0.0.4", f.addr)
	if err != nil {
		t.Fatal(err)
	}
	sc, chans, reqs, err := gossh.NewClientConn(c, f.addr, &gossh.ClientConfig{User: "support",
		Auth: []gossh.AuthMethod{gossh.PublicKeys(alice.Signer)}, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: serveWait})
	if err != nil {
		t.Fatalf("a key behind an address that was port-scanned: %v", err)
	}
	gossh.NewClient(sc, chans, reqs).Close()
	if strings.Contains(f.audit(), `"127.0.0.4`) && strings.Contains(f.audit(), "rate-limited") {
		t.Error("bare connects were counted as failed handshakes")
	}
	// silent and bare connections write no audit line each (a slowloris
	// must not fill the disk)
	if n := strings.Count(f.audit(), `"handshake-failed"`); n != 0 {
		t.Errorf("%d handshake-failed lines for connections that never tried a key", n)
	}
}

// TestServeRefusedSessionClosesItsConnection (defect 6): a session
// refused before the console (here: no PTY) ends its connection too.
func TestServeRefusedSessionClosesItsConnection(t *testing.T) {
	talk := serveEnv(t)
	alice := testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	f := startServe(t, talk, []testenv.Key{alice}, nil, nil)
	c, err := f.dial(gossh.PublicKeys(alice.Signer))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, _ := c.NewSession()
	s.Shell()
	s.Wait()
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Error("the connection of a refused session is still open after 10 s")
	}
}

// TestServeSIGTERMIsGraceful (defect 2): on SIGTERM the sessions see the
// shutting-down notice, a change in flight (the server answers after 3 s)
// gets its answer and the audit log says so, and the sessions end as shut
// down, not as quit (before: each session's program took SIGTERM itself
// and quit at once, cancelling the change).
func TestServeSIGTERMIsGraceful(t *testing.T) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM)
	defer signal.Stop(sig)
	talk, f, x, _ := aliceConsole(t, 100, 30)
	x.keys("/Webinar A\r")
	talk.SetDelay(3 * time.Second)
	x.keys("l")
	deadline := time.Now().Add(serveWait)
	for changeRequests(talk) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	<-sig // as talkmod's main does: the signal ends serve's context
	f.cancel()
	x.waitText("the server is shutting down")
	select {
	case err := <-f.done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
		f.done <- err
	case <-time.After(serveWait):
		t.Fatal("serve did not stop")
	}
	ev := f.waitEvent("the change", func(ev map[string]any) bool { return ev["event"] == "change" })
	if ev["outcome"] != "ok" || ev["status"] != 200.0 {
		t.Errorf("the change in flight at SIGTERM: %v", ev)
	}
	end := f.waitEvent("session-end", func(ev map[string]any) bool { return ev["event"] == "session-end" })
	if end["detail"] != "the server is shutting down" {
		t.Errorf("session-end: %v", end)
	}
	x.exit()
}

// TestServeShutdownGraceEnds: a change with no answer when the grace
// period ends is logged as unknown, not as cancelled.
func TestServeShutdownGraceEnds(t *testing.T) {
	talk := serveEnv(t)
	alice := testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	f := startServe(t, talk, []testenv.Key{alice}, nil, func(o *Options) { o.ShutdownGrace = 500 * time.Millisecond })
	x := f.open(alice, 100, 30)
	x.waitText("Webinar A")
	x.keys("/Webinar A\r")
	talk.SetDelay(5 * time.Second)
	x.keys("l")
	deadline := time.Now().Add(serveWait)
	for changeRequests(talk) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	f.cancel()
	ev := f.waitEvent("the change", func(ev map[string]any) bool { return ev["event"] == "change" })
	if ev["outcome"] != "unknown" || !strings.Contains(ev["message"].(string), "may have been applied") {
		t.Errorf("a change without an answer at the end of the grace: %v", ev)
	}
	talk.SetDelay(0)
}

// TestServeSignInUserAgentNamesNoHostOrKey: the sign-in's User-Agent,
// which Nextcloud shows as the app password's name, names talkmod serve,
// not the serving host or the key.
func TestServeSignInUserAgentNamesNoHostOrKey(t *testing.T) {
	talk := serveEnv(t)
	alice := testenv.NewKey(t)
	f := startServe(t, talk, []testenv.Key{alice}, nil, nil)
	x := f.open(alice, 250, 40)
	x.waitText("waiting for access")
	u := loginURLInStream.FindString(x.text())
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	host, _ := os.Hostname()
	if !strings.Contains(string(page), "talkmod/") || strings.Contains(string(page), alice.FP) || (host != "" && strings.Contains(string(page), host)) {
		t.Errorf("the sign-in page names the app %q", page)
	}
	x.keys("q")
	x.exit()
}

// TestServeReadOnlyKeyBarAndRefusedKeys: a read-only session's key bar
// lists no change keys, and every change key it refuses is in the audit
// log as a refused attempt.
func TestServeReadOnlyKeyBarAndRefusedKeys(t *testing.T) {
	talk := serveEnv(t)
	ro := testenv.NewKey(t)
	storeLogin(t, talk.URL, ro, "alice", testenv.AlicePW)
	f := startServe(t, talk, nil, []testenv.Key{ro}, nil)
	x := f.open(ro, 160, 30)
	x.waitText("Webinar A", "(read-only)", "? help")
	for _, k := range []string{"lobby on/off", "lobby timer", "SIP dial-in"} {
		if strings.Contains(x.text(), k) {
			t.Errorf("the read-only key bar lists %q", k)
		}
	}
	x.keys("l")
	x.waitText("read-only session")
	x.keys("s")
	for _, k := range []string{"l", "s"} {
		f.waitEvent("the refused "+k, func(ev map[string]any) bool {
			return ev["event"] == "change" && ev["action"] == "key "+k && ev["outcome"] == "refused" && ev["reason"] == "read-only" && ev["fingerprint"] == ro.FP
		})
	}
	x.keys("q")
	x.exit()
}

// TestServeChannelsPerConnectionBounded: a connection gets at most 4
// session channels at a time (before: 2,000 were accepted).
func TestServeChannelsPerConnectionBounded(t *testing.T) {
	talk := serveEnv(t)
	alice := testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	f := startServe(t, talk, []testenv.Key{alice}, nil, nil)
	c, err := f.dial(gossh.PublicKeys(alice.Signer))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := 0; i < maxChannels; i++ {
		if _, err := c.NewSession(); err != nil {
			t.Fatalf("session %d: %v", i+1, err)
		}
	}
	var oce *gossh.OpenChannelError
	if _, err := c.NewSession(); !errors.As(err, &oce) || oce.Reason != gossh.ResourceShortage {
		t.Errorf("session %d: %v, want refused", maxChannels+1, err)
	}
}
