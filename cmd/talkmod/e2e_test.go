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
	"syscall"
	"testing"
	"time"
)

// buildBinary builds talkmod into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "talkmod")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		goTool = "go"
	}
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

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

func (x tmux) screen() string { return x.run("capture-pane", "-p", "-t", "talkmod") }

func (x tmux) keys(keys ...string) {
	x.t.Helper()
	x.run(append([]string{"send-keys", "-t", "talkmod"}, keys...)...)
}

// waitFor polls the screen until ok accepts it.
func (x tmux) waitFor(what string, ok func(screen string) bool) string {
	x.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
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
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is not installed (.ci/run installs it)")
		}
		t.Skip("tmux is not installed")
	}
	bin := buildBinary(t)
	home := t.TempDir()
	x := tmux{t: t, socket: fmt.Sprintf("talkmod-test-%d-%d", os.Getpid(), time.Now().UnixNano())}
	cmd := fmt.Sprintf("env HOME=%s XDG_CONFIG_HOME=%s TALKMOD_KEYRING=off TZ=UTC NO_COLOR=1 %s --demo; echo EXITED $?; sleep 60",
		shellQuote(home), shellQuote(filepath.Join(home, ".config")), shellQuote(bin))
	x.run("new-session", "-d", "-s", "talkmod", "-x", "120", "-y", "35", cmd)
	t.Cleanup(func() { exec.Command("tmux", "-L", x.socket, "kill-server").Run() })

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
	x.keys("l")
	s = x.waitText("✓ lobby", "Turn the lobby on now?")
	if strings.Contains(s, "Turn the lobby on now?") {
		x.keys("Escape")
		x.waitText("nothing was sent")
	} else if !strings.Contains(s, "lobby o") {
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
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
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
		t.Fatalf("demo-server printed %v", fields)
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
	isolate(t)
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
	case <-time.After(10 * time.Second):
		t.Fatal("demo-server did not stop on SIGTERM")
	}
}

// TestConsoleOnStoredAccountInTmux: after talkmod login, plain "talkmod"
// opens the console on the stored account, with no flags.
func TestConsoleOnStoredAccountInTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is not installed (.ci/run installs it)")
		}
		t.Skip("tmux is not installed")
	}
	bin := buildBinary(t)
	isolate(t)
	_, fields := startDemoServer(t, bin)
	r := talkmod(t, fields["App password"]+"\n", "login", "--server", fields["URL"], "--user", fields["User"], "--app-password-stdin")
	if r.code != 0 {
		t.Fatalf("login: exit %d", r.code)
	}
	x := tmux{t: t, socket: fmt.Sprintf("talkmod-test-%d-%d", os.Getpid(), time.Now().UnixNano())}
	cmd := fmt.Sprintf("env HOME=%s XDG_CONFIG_HOME=%s TALKMOD_KEYRING=off TZ=UTC %s; echo EXITED $?; sleep 60",
		shellQuote(os.Getenv("HOME")), shellQuote(os.Getenv("XDG_CONFIG_HOME")), shellQuote(bin))
	x.run("new-session", "-d", "-s", "talkmod", "-x", "80", "-y", "24", cmd)
	t.Cleanup(func() { exec.Command("tmux", "-L", x.socket, "kill-server").Run() })
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
	dir := isolate(t)
	s := newServer(t)
	var out, errb syncBuffer
	cmd := exec.Command(bin, "login", s.URL, "--no-qr")
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	deadline := time.Now().Add(20 * time.Second)
	for loginURLRE.FindString(out.String()) == "" {
		if time.Now().After(deadline) {
			t.Fatalf("no login URL: %q %q", out.String(), errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(errb.String(), "login cancelled") {
		t.Fatalf("after ctrl+c: exit %d (%v), stderr %q", code, err, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, configFile)); err == nil {
		t.Error("a cancelled login stored something")
	}
}
