package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
	"github.com/talkmod/talkmod/models"
)

var listeningRE = regexp.MustCompile(`Listening on (127\.0\.0\.1:(\d+))`)

// loginURLOnScreen joins the lines of the login address under "Open this
// address" (the console wraps it to the terminal's width).
func loginURLOnScreen(screen string) string {
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "Open this address") {
			continue
		}
		var u strings.Builder
		for _, part := range lines[i+1:] {
			part = strings.TrimRight(part, " ")
			if part == "" {
				break
			}
			u.WriteString(part)
		}
		return u.String()
	}
	return ""
}

// TestServeInTmux runs talkmod serve against talktest and the OpenSSH
// client in a real 80x24 terminal: sign in with Login Flow v2 inside the
// session, see the rooms, turn a lobby on, quit.
func TestServeInTmux(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses SIGTERM and OpenSSH")
	}
	needTmux(t)
	testenv.NeedOpenSSH(t)
	bin := mustBuild(t)
	testenv.Isolate(t)
	talk := testenv.NewServer(t)
	dir := t.TempDir()
	key := testenv.NewKey(t)
	keyFile := filepath.Join(dir, "id_ed25519")
	testenv.WritePrivateKey(t, keyFile, key)
	authorized := filepath.Join(dir, "authorized_keys")
	testenv.WriteKeys(t, authorized, key)
	auditFile := filepath.Join(dir, "audit.log")

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	srv := exec.CommandContext(ctx, bin, "serve", "--server", talk.URL, "--listen", "127.0.0.1:0",
		"--authorized-keys", authorized, "--audit-log", auditFile)
	srv.Env = os.Environ() // testenv.Isolate set HOME, XDG_CONFIG_HOME, TALKMOD_KEYRING=off
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var serveErr testenv.SyncBuffer
	srv.Stderr = &serveErr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	port := ""
	sc := bufio.NewScanner(stdout)
	for port == "" && sc.Scan() {
		if m := listeningRE.FindStringSubmatch(sc.Text()); m != nil {
			port = m[2]
		}
	}
	if port == "" {
		t.Fatalf("serve printed no address; stderr: %s", serveErr.String())
	}
	go func() {
		for sc.Scan() {
		}
	}()

	x := tmux{t: t, socket: fmt.Sprintf("talkmod-serve-%d-%d", os.Getpid(), time.Now().UnixNano())}
	cmd := fmt.Sprintf("ssh -F /dev/null -p %s -i %s -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "+
		"-o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes 127.0.0.1; echo EXITED $?; sleep 600",
		port, shellQuote(keyFile))
	x.start(80, 24, cmd)

	// the key has no login yet: the sign-in inside the session
	s := x.waitText("waiting for access")
	u := loginURLOnScreen(s)
	if !strings.HasPrefix(u, talk.URL+"/index.php/login/v2/flow/") {
		t.Fatalf("no login address on the screen (got %q):\n%s", u, s)
	}
	if err := talk.GrantLogin(u, "alice"); err != nil {
		t.Fatalf("grant %q: %v\n%s", u, err, s)
	}

	// the console, with alice's rooms
	s = x.waitText("Webinar A")
	if !strings.Contains(s, "alice @ ") {
		t.Errorf("header lacks alice:\n%s", s)
	}
	// found by name, as a person would
	x.keys("/Webinar A", "Enter")
	s = x.waitFor("Webinar A selected", func(s string) bool { return strings.Contains(selectedRow(s), "Webinar A") })
	if r := selectedRow(s); !strings.Contains(r, "Webinar A") {
		t.Fatalf("Webinar A is not the selected row:\n%s", s)
	}
	// l turns its lobby on (no call: no question)
	x.keys("l")
	x.waitText("✓ lobby on")
	if r, _ := talk.Room(testenv.WebinarA); r.LobbyState != models.LobbyModeratorsOnly {
		t.Errorf("lobby state on the server: %v", r.LobbyState)
	}
	x.keys("q")
	x.waitText("EXITED 0")

	audit, _ := os.ReadFile(auditFile)
	if !strings.Contains(string(audit), `"action":"lobby"`) || !strings.Contains(string(audit), `"outcome":"ok"`) {
		t.Errorf("the audit log lacks the change:\n%s", audit)
	}
	if strings.Contains(string(audit), testenv.AlicePW) {
		t.Error("a password in the audit log")
	}

	// SIGTERM: a clean stop, exit 0
	srv.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v; stderr %s", err, serveErr.String())
		}
	case <-time.After(e2eDeadline):
		t.Error("serve did not stop on SIGTERM")
	}
}

// TestServeSIGTERMInTmux: SIGTERM while an OpenSSH client has the console
// open in a real terminal and a lobby change waits for the server (3 s):
// the console says the server is shutting down, the change gets its
// answer (in the audit log), the session ends with that line, ssh exits,
// and serve exits 0 (before: the session's program took the signal itself
// and quit at once, with no notice).
func TestServeSIGTERMInTmux(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses SIGTERM and OpenSSH")
	}
	needTmux(t)
	testenv.NeedOpenSSH(t)
	bin := mustBuild(t)
	testenv.Isolate(t)
	talk := testenv.NewServer(t)
	dir := t.TempDir()
	key := testenv.NewKey(t)
	storeKeyLogin(t, talk.URL, key, "alice", testenv.AlicePW)
	keyFile := filepath.Join(dir, "id_ed25519")
	testenv.WritePrivateKey(t, keyFile, key)
	authorized := filepath.Join(dir, "authorized_keys")
	testenv.WriteKeys(t, authorized, key)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	srv := exec.CommandContext(ctx, bin, "serve", "--server", talk.URL, "--listen", "127.0.0.1:0",
		"--authorized-keys", authorized, "--audit-log", filepath.Join(dir, "audit.log"))
	srv.Env = os.Environ()
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var serveErr testenv.SyncBuffer
	srv.Stderr = &serveErr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	port := ""
	sc := bufio.NewScanner(stdout)
	for port == "" && sc.Scan() {
		if m := listeningRE.FindStringSubmatch(sc.Text()); m != nil {
			port = m[2]
		}
	}
	if port == "" {
		t.Fatalf("serve printed no address; stderr: %s", serveErr.String())
	}
	go func() {
		for sc.Scan() {
		}
	}()

	x := tmux{t: t, socket: fmt.Sprintf("talkmod-serve-term-%d-%d", os.Getpid(), time.Now().UnixNano())}
	x.start(80, 24, fmt.Sprintf("ssh -F /dev/null -p %s -i %s -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "+
		"-o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes 127.0.0.1; echo EXITED $?; sleep 600",
		port, shellQuote(keyFile)))
	x.waitText("Webinar A", "alice @ ")
	x.keys("/Webinar A", "Enter")
	x.waitFor("Webinar A selected", func(s string) bool { return strings.Contains(selectedRow(s), "Webinar A") })
	talk.SetDelay(3 * time.Second)
	x.keys("l")
	deadline := time.Now().Add(e2eDeadline)
	for !slices.ContainsFunc(talk.Requests(), func(r talktest.Request) bool { return r.Method == "PUT" }) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}

	srv.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	// the notice, on the console, before the session ends
	x.waitFor("the shutting-down notice", func(s string) bool {
		return strings.Contains(s, "the server is shutting down") || strings.Contains(s, "EXITED")
	})
	s := x.waitText("EXITED")
	if !strings.Contains(s, "talkmod: the server is shutting down") {
		t.Errorf("the session did not end with the shutting-down line:\n%s", s)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v; stderr %s", err, serveErr.String())
		}
	case <-time.After(e2eDeadline):
		t.Error("serve did not stop on SIGTERM")
	}
	audit, _ := os.ReadFile(filepath.Join(dir, "audit.log"))
	if !strings.Contains(string(audit), `"action":"lobby"`) || !strings.Contains(string(audit), `"outcome":"ok","status":200`) {
		t.Errorf("the change in flight at SIGTERM is not in the audit log as done:\n%s", audit)
	}
}
