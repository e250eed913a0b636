package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
)

// TestSupportDeskEndToEnd runs the real binary: demo-server --servers 2,
// both servers stored with talkmod login, rooms --all-accounts and doctor
// on each.
func TestSupportDeskEndToEnd(t *testing.T) {
	bin := buildBinary(t)
	testenv.Isolate(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, bin, "demo-server", "--servers", "2")
	cmd.Env = append(os.Environ(), "TALKMOD_KEYRING=off")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var urls, pws []string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && !strings.HasPrefix(sc.Text(), "Serving until") {
		if v, ok := strings.CutPrefix(sc.Text(), "URL:"); ok {
			urls = append(urls, strings.TrimSpace(v))
		}
		if v, ok := strings.CutPrefix(sc.Text(), "App password:"); ok {
			pws = append(pws, strings.TrimSpace(v))
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	if len(urls) != 2 || len(pws) != 2 || urls[0] == urls[1] {
		t.Fatalf("demo-server --servers 2 printed %d URLs and %d app passwords", len(urls), len(pws))
	}
	for i := range urls {
		if r := talkmod(t, pws[i]+"\n", "login", "--server", urls[i], "--user", "moderator", "--app-password-stdin"); r.code != 0 {
			t.Fatalf("login %d: exit %d", i, r.code)
		}
	}
	r := talkmod(t, "", "rooms", "--all-accounts")
	if r.code != 0 || strings.Count(r.stdout, "Engineering Town Hall") != 2 || !strings.Contains(r.stdout, "Northwind – Customer Kickoff") {
		t.Fatalf("rooms --all-accounts: exit %d\n%s", r.code, r.stdout)
	}
	h0, h1 := strings.TrimPrefix(urls[0], "http://"), strings.TrimPrefix(urls[1], "http://")
	r = talkmod(t, "", "doctor", "--account", "moderator@"+h0)
	if r.code != 0 || !strings.Contains(r.stdout, "0 problems") {
		t.Errorf("doctor on the first server: exit %d", r.code)
	}
	r = talkmod(t, "", "doctor", "--account", "moderator@"+h1)
	if r.code != exit.Failure || !strings.Contains(r.stdout, "this machine's clock is 1m 35s ahead of the server's") {
		t.Errorf("doctor on the second server: exit %d", r.code)
	}
}

// TestDoctorKeyInTmux runs the console (talkmod --demo) in a real
// terminal: D on the waiting room shows its findings, esc closes them.
func TestDoctorKeyInTmux(t *testing.T) {
	needTmux(t)
	bin := mustBuild(t)
	home := t.TempDir()
	x := tmux{t: t, socket: fmt.Sprintf("talkmod-doctor-%d-%d", os.Getpid(), time.Now().UnixNano())}
	cmd := fmt.Sprintf("env HOME=%s XDG_CONFIG_HOME=%s TALKMOD_KEYRING=off TZ=UTC NO_COLOR=1 %s --demo; echo EXITED $?; sleep 600",
		shellQuote(home), shellQuote(filepath.Join(home, ".config")), shellQuote(bin))
	x.start(100, 30, cmd)
	x.waitText("Customer Advisory Board") // the first room by name
	x.keys("/", "Waiting", "Enter")
	x.waitFor("the waiting room selected", func(s string) bool { return strings.Contains(selectedRow(s), "Customer Webinar – Waiting") })
	x.keys("D")
	s := x.waitText("Doctor · Customer Webinar – Waiting Room")
	for _, want := range []string{"room lobby", "room token", "sip groups", "any other key closes"} {
		if !strings.Contains(s, want) {
			t.Errorf("the doctor page lacks %q:\n%s", want, s)
		}
	}
	// the guests who join the lobby during the call: a warning with what to do
	s = x.waitText("wait in the lobby: they")
	if !strings.Contains(s, "do: let them in") {
		t.Errorf("no action for the people waiting:\n%s", s)
	}
	x.keys("Escape")
	x.waitFor("the page to close", func(s string) bool { return !strings.Contains(s, "Doctor ·") && strings.Contains(s, "NAME") })
	x.keys("q")
	x.waitText("EXITED 0")
}

// TestAllAccountsConsoleInTmux runs the console on both built-in demo
// servers (talkmod --demo --demo-servers 2) in a real terminal: one list
// with a SERVER column, the filter matches the server, and a change to a
// room of the second server is confirmed by that server.
func TestAllAccountsConsoleInTmux(t *testing.T) {
	needTmux(t)
	bin := mustBuild(t)
	home := t.TempDir()
	x := tmux{t: t, socket: fmt.Sprintf("talkmod-allacc-%d-%d", os.Getpid(), time.Now().UnixNano())}
	cmd := fmt.Sprintf("env HOME=%s XDG_CONFIG_HOME=%s TALKMOD_KEYRING=off TZ=UTC NO_COLOR=1 %s --demo --demo-servers 2; echo EXITED $?; sleep 600",
		shellQuote(home), shellQuote(filepath.Join(home, ".config")), shellQuote(bin))
	x.start(120, 30, cmd)
	s := x.waitText("Northwind – Admin Training")
	for _, want := range []string{"2 servers", "SERVER", "by server, then name", "demo1 :", "demo2 :"} {
		if !strings.Contains(s, want) {
			t.Errorf("the list lacks %q:\n%s", want, s)
		}
	}
	x.keys("/", "demo2 ", "Enter")
	x.waitFor("only the second server's rooms", func(s string) bool {
		return strings.Contains(s, "3 matches") && !strings.Contains(s, "demo1 :")
	})
	x.keys("Escape")
	x.waitText("13 webinars you moderate")
	x.keys("/", "Admin Training", "Enter")
	x.waitFor("Admin Training selected", func(s string) bool { return strings.Contains(selectedRow(s), "Northwind – Admin Training") })
	x.keys("l")
	// the second server's answer, in the status line
	x.waitText("✓ Northwind – Admin Training: lobby on")
	x.keys("q")
	x.waitText("EXITED 0")
}
