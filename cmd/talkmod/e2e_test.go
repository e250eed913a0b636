package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
	"github.com/talkmod/talkmod/models"
)

// The binary is built once for all end-to-end tests (a build per test is
// minutes on a loaded 2-core CI machine).
var (
	binDir    string
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "talkmod-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildBinary builds talkmod (once) and returns its path. With -short it
// skips the test, unless the test needs tmux and CI=true.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	return mustBuild(t)
}

func mustBuild(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		bin := filepath.Join(binDir, "talkmod")
		if runtime.GOOS == "windows" {
			bin += ".exe"
		}
		goTool := "go" // the one on PATH, else the one under GOROOT
		if _, err := exec.LookPath(goTool); err != nil {
			goTool = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
		}
		out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		binPath = bin
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// needTmux skips a test where tmux is missing, except on CI (CI=true),
// where .ci/run installs it and its absence is a failure.
func needTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is not installed (.ci/run installs it)")
		}
		t.Skip("tmux is not installed")
	}
}

// e2eDeadline bounds each wait for the screen or a process: generous, for
// a loaded 2-core CI machine running the race detector beside it. Waits
// poll, so a fast machine never waits this long.
const e2eDeadline = 90 * time.Second

// tmux drives a terminal on its own server socket.
type tmux struct {
	t      *testing.T
	socket string
}

func (x tmux) run(args ...string) string {
	x.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", x.socket, "-f", "/dev/null"}, args...)...).CombinedOutput()
	if err != nil {
		x.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// start opens the session running cmd (a POSIX shell command line) in a
// width x height terminal; sh runs it whatever the user's login shell is.
// The session ends with the test.
func (x tmux) start(width, height int, cmd string) {
	x.t.Helper()
	x.run("new-session", "-d", "-s", "talkmod", "-x", fmt.Sprint(width), "-y", fmt.Sprint(height), "sh -c "+shellQuote(cmd))
	x.t.Cleanup(func() { exec.Command("tmux", "-L", x.socket, "kill-server").Run() })
}

func (x tmux) screen() string { return x.run("capture-pane", "-p", "-t", "talkmod") }

func (x tmux) keys(keys ...string) {
	x.t.Helper()
	x.run(append([]string{"send-keys", "-t", "talkmod"}, keys...)...)
}

// waitFor polls the screen until ok accepts it.
func (x tmux) waitFor(what string, ok func(screen string) bool) string {
	x.t.Helper()
	deadline := time.Now().Add(e2eDeadline)
	var s string
	for time.Now().Before(deadline) {
		s = x.screen()
		if ok(s) {
			return s
		}
		time.Sleep(100 * time.Millisecond)
	}
	x.t.Fatalf("timed out waiting for %s; screen:\n%s", what, s)
	return ""
}

func (x tmux) waitText(texts ...string) string {
	x.t.Helper()
	return x.waitFor(fmt.Sprintf("%q", texts), func(s string) bool {
		for _, t := range texts {
			if strings.Contains(s, t) {
				return true
			}
		}
		return false
	})
}

func selectedRow(screen string) string {
	for _, line := range strings.Split(screen, "\n") {
		if strings.HasPrefix(line, ">") {
			return line
		}
	}
	return ""
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// TestConsoleInTmux runs the real binary (talkmod --demo) in a real
// terminal, presses keys and reads the screen.
func TestConsoleInTmux(t *testing.T) {
	needTmux(t)
	bin := mustBuild(t)
	home := t.TempDir()
	x := tmux{t: t, socket: fmt.Sprintf("talkmod-test-%d-%d", os.Getpid(), time.Now().UnixNano())}
	cmd := fmt.Sprintf("env HOME=%s XDG_CONFIG_HOME=%s TALKMOD_KEYRING=off TZ=UTC NO_COLOR=1 %s --demo; echo EXITED $?; sleep 600",
		shellQuote(home), shellQuote(filepath.Join(home, ".config")), shellQuote(bin))
	x.start(120, 35, cmd)

	// The room list shows.
	s := x.waitText("Quarterly All-Hands")
	for _, want := range []string{"moderator @ http://127.0.0.1:", "NAME", "LOBBY", "SIP", "Engineering Town Hall", "? help"} {
		if !strings.Contains(s, want) {
			t.Errorf("first screen lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "\x1b") {
		t.Error("escape codes on the screen")
	}
	first := selectedRow(s)
	if first == "" {
		t.Fatalf("no selected row:\n%s", s)
	}

	// j moves the selection down.
	x.keys("j")
	s = x.waitFor("the selection to move", func(s string) bool { r := selectedRow(s); return r != "" && r != first })
	moved := selectedRow(s)

	// l switches the selected room's lobby: an outcome, or the question
	// asked when a call is running.
	// Any answer of the server shown inline will do (the demo's rooms
	// answer differently, and the order follows their last activity).
	x.keys("l")
	s = x.waitText("✓ lobby", "✗ ", "Turn the lobby on now", "Lift the lobby now", "no longer in your list")
	if strings.Contains(s, "Turn the lobby on now") || strings.Contains(s, "Lift the lobby now") {
		x.keys("Escape")
		x.waitText("nothing was sent")
	} else if !strings.Contains(s, "lobby o") && !strings.Contains(s, "✗ ") && !strings.Contains(s, "no longer in your list") {
		t.Errorf("no lobby outcome after l on %q:\n%s", moved, s)
	}

	// ? shows the help, built from the keys.
	x.keys("?")
	s = x.waitFor("the help", func(s string) bool { return strings.Contains(s, "\nKeys\n") })
	for _, want := range []string{"Keys", "l lobby on/off", "s SIP dial-in", "q quit"} {
		if !strings.Contains(s, want) {
			t.Errorf("help lacks %q:\n%s", want, s)
		}
	}
	x.keys("?")
	x.waitFor("the help to close", func(s string) bool { return strings.Contains(s, "NAME") })

	// q quits, with exit code 0.
	x.keys("q")
	x.waitText("EXITED 0")
}

// startDemoServer runs bin demo-server and returns what it printed: URL,
// User and App password.
func startDemoServer(t *testing.T, bin string) (*exec.Cmd, map[string]string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, bin, "demo-server", "--listen", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "TALKMOD_KEYRING=off")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	fields := map[string]string{}
	sc := bufio.NewScanner(stdout)
	for len(fields) < 3 && sc.Scan() {
		line := sc.Text()
		for _, k := range []string{"URL", "User", "App password"} {
			if v, ok := strings.CutPrefix(line, k+":"); ok {
				fields[k] = strings.TrimSpace(v)
			}
		}
	}
	if len(fields) != 3 || !strings.HasPrefix(fields["URL"], "http://127.0.0.1:") {
		t.Fatalf("demo-server printed URL %q, user %q and %d other fields", fields["URL"], fields["User"], len(fields)-2)
	}
	go func() {
		for sc.Scan() {
		}
	}()
	return cmd, fields
}

// TestDemoServer runs talkmod demo-server and uses it with the commands.
func TestDemoServer(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses SIGTERM")
	}
	bin := buildBinary(t)
	testenv.Isolate(t)
	cmd, fields := startDemoServer(t, bin)
	t.Setenv("TALKMOD_SERVER", fields["URL"])
	t.Setenv("TALKMOD_USER", fields["User"])
	t.Setenv("TALKMOD_APP_PASSWORD", fields["App password"])
	r := talkmod(t, "", "rooms")
	if r.code != 0 || !strings.Contains(r.stdout, "Quarterly All-Hands") {
		t.Fatalf("rooms against demo-server: exit %d", r.code)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("demo-server did not exit cleanly on SIGTERM: %v", err)
		}
	case <-time.After(e2eDeadline):
		t.Fatal("demo-server did not stop on SIGTERM")
	}
}

// TestConsoleOnStoredAccountInTmux: after talkmod login, plain "talkmod"
// opens the console on the stored account, with no flags.
func TestConsoleOnStoredAccountInTmux(t *testing.T) {
	needTmux(t)
	bin := mustBuild(t)
	testenv.Isolate(t)
	_, fields := startDemoServer(t, bin)
	r := talkmod(t, fields["App password"]+"\n", "login", "--server", fields["URL"], "--user", fields["User"], "--app-password-stdin")
	if r.code != 0 {
		t.Fatalf("login: exit %d", r.code)
	}
	x := tmux{t: t, socket: fmt.Sprintf("talkmod-test-%d-%d", os.Getpid(), time.Now().UnixNano())}
	cmd := fmt.Sprintf("env HOME=%s XDG_CONFIG_HOME=%s TALKMOD_KEYRING=off TZ=UTC %s; echo EXITED $?; sleep 600",
		shellQuote(os.Getenv("HOME")), shellQuote(os.Getenv("XDG_CONFIG_HOME")), shellQuote(bin))
	x.start(80, 24, cmd)
	s := x.waitText("Quarterly All-Hands")
	if !strings.Contains(s, fields["User"]) {
		t.Errorf("header lacks the user %q:\n%s", fields["User"], s)
	}
	x.keys("C-c")
	x.waitText("EXITED 0")
}

// TestLoginInterrupted: ctrl+c (SIGINT) during the login flow cancels it.
func TestLoginInterrupted(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses SIGINT")
	}
	bin := buildBinary(t)
	dir := testenv.Isolate(t)
	s := testenv.NewServer(t)
	var out, errb testenv.SyncBuffer
	cmd := exec.Command(bin, "login", s.URL, "--no-qr")
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	deadline := time.Now().Add(e2eDeadline)
	for loginURLRE.FindString(out.String()) == "" {
		if time.Now().After(deadline) {
			t.Fatalf("no login URL: %q %q", out.String(), errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(e2eDeadline):
		t.Fatalf("login did not end after ctrl+c; stderr %q", errb.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(errb.String(), "login cancelled") {
		t.Fatalf("after ctrl+c: exit %d (%v), stderr %q", code, err, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, account.ConfigFile)); err == nil {
		t.Error("a cancelled login stored something")
	}
}

// TestConsoleSafetyInTmux runs the console on a demo server of the test's
// own (so the test can slow it down) in a real terminal: enter on the
// call question sends nothing; keys on the too-small screen do nothing
// and the question is still there after; u undoes a lobby change; the
// selected room leaving the list is named; q with a change in flight
// asks, and the console quits by itself once the answer is in.
func TestConsoleSafetyInTmux(t *testing.T) {
	needTmux(t)
	bin := mustBuild(t)
	d := startOwnDemo(t)
	srv, acct, lobbyOf := d.srv, d.acct, d.room
	home := t.TempDir()
	x := tmux{t: t, socket: fmt.Sprintf("talkmod-safety-%d-%d", os.Getpid(), time.Now().UnixNano())}
	cmd := fmt.Sprintf("env HOME=%s XDG_CONFIG_HOME=%s TALKMOD_KEYRING=off TZ=UTC NO_COLOR=1 TALKMOD_SERVER=%s TALKMOD_USER=%s TALKMOD_APP_PASSWORD=%s %s; echo EXITED $?; sleep 600",
		shellQuote(home), shellQuote(filepath.Join(home, ".config")), shellQuote(acct.URL), shellQuote(acct.User), shellQuote(acct.AppPassword), shellQuote(bin))
	x.start(120, 35, cmd)
	s := x.waitText("Quarterly All-Hands")
	if !strings.Contains(s, "by name") {
		t.Errorf("the header does not say the order:\n%s", s)
	}
	pick := func(name string) {
		t.Helper()
		x.keys("/")
		x.keys("-l", name)
		x.keys("Enter")
		x.waitFor(name+" selected", func(s string) bool { return strings.Contains(selectedRow(s), name[:20]) })
		x.keys("Escape") // the filter goes, the selection stays
		x.waitFor("the whole list", func(s string) bool {
			return strings.Contains(s, "Quarterly All-Hands") && strings.Contains(selectedRow(s), name[:20])
		})
	}

	// enter on the question before ending a running call sends nothing
	pick(talktest.DemoLaunch)
	x.keys("l")
	x.waitText("Turn the lobby on now")
	x.keys("Enter")
	x.waitText("lobby unchanged: nothing was sent")
	if r := lobbyOf(talktest.DemoLaunch); r.LobbyState != models.LobbyNone {
		t.Fatalf("enter turned the lobby on: %+v", r.LobbyState)
	}

	// too small: y does nothing; the question is still there after
	x.keys("l")
	x.waitText("Turn the lobby on now")
	x.run("resize-window", "-t", "talkmod", "-x", "40", "-y", "10")
	x.waitText("terminal too")
	x.keys("y")
	time.Sleep(500 * time.Millisecond)
	x.run("resize-window", "-t", "talkmod", "-x", "120", "-y", "35")
	x.waitText("Turn the lobby on now")
	if r := lobbyOf(talktest.DemoLaunch); r.LobbyState != models.LobbyNone {
		t.Fatal("y on the too-small screen turned the lobby on")
	}
	x.keys("n")
	x.waitText("lobby unchanged: nothing was sent")

	// undo of a lobby change
	pick(talktest.DemoTownHall)
	x.keys("l")
	x.waitText("u undo")
	if r := lobbyOf(talktest.DemoTownHall); r.LobbyState != models.LobbyModeratorsOnly {
		t.Fatal("l did not turn the lobby on")
	}
	x.keys("u")
	x.waitText("undone: lobby off")
	if r := lobbyOf(talktest.DemoTownHall); r.LobbyState != models.LobbyNone {
		t.Fatal("u did not turn the lobby off again")
	}

	// the selected room leaves the list (the demo demotes you)
	pick(talktest.DemoAdvisoryBoard)
	x.keys("l")
	x.waitText("Customer Advisory Board is no longer in your list: you are no longer a moderator")
	x.keys("l")
	x.waitText("select a room")

	// q with a change in flight asks; enter is no; asked again, the
	// console quits by itself once the answer is in
	pick(talktest.DemoTownHall)
	srv.SetDelay(3 * time.Second)
	x.keys("l")
	x.keys("q")
	x.waitText("1 change is still waiting for the server: quit anyway? y/n")
	x.keys("Enter")
	x.waitText("not quitting")
	x.keys("q")
	x.waitText("quit anyway? y/n")
	x.waitText("EXITED 0")
	if r := lobbyOf(talktest.DemoTownHall); r.LobbyState != models.LobbyModeratorsOnly {
		t.Fatal("the change in flight was not applied")
	}
}

// ownDemo is a demo server of the test's own (so the test can slow it
// down or change it) and a client that reads its rooms: the server's
// truth, not the screen's.
type ownDemo struct {
	t    *testing.T
	srv  *talktest.Server
	acct talktest.DemoAccount
	c    *client.Client
}

func startOwnDemo(t *testing.T) *ownDemo {
	t.Helper()
	srv, acct, err := talktest.StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{BaseURL: acct.URL, User: acct.User, AppPassword: acct.AppPassword})
	if err != nil {
		t.Fatal(err)
	}
	return &ownDemo{t: t, srv: srv, acct: acct, c: c}
}

// room is the demo room named name, as the server has it now.
func (d *ownDemo) room(name string) models.Room {
	d.t.Helper()
	list, err := d.c.ListRooms(context.Background(), client.ListOptions{})
	if err != nil {
		d.t.Fatal(err)
	}
	for _, r := range list.Rooms {
		if r.DisplayName == name {
			return r
		}
	}
	d.t.Fatalf("no room %q on the server", name)
	return models.Room{}
}
