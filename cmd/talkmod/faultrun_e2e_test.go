package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/talktest"
)

var faultRun = flag.Bool("faultrun", false, "run TestConsoleFaultRunInTmux (60 s; with -short 10 s)")

// TestConsoleFaultRunInTmux runs the real binary's console in tmux against
// a demo server that injects random faults (seeded), and types a script
// of moderator keys at it for 60 s (-short: 10 s). It runs only with
// -faultrun (.ci/run passes it). Throughout, the
// process stays alive, the screen keeps its frame (header on top), no
// escape sequence from a server string reaches the terminal (the pane
// title stays, no C1 or bidi character lands on the screen, a name renamed
// to escapes mid-session shows them as visible text), and at the end q
// quits with exit code 0.
func TestConsoleFaultRunInTmux(t *testing.T) {
	if !*faultRun {
		t.Skip("a 60 s run; go test ./cmd/talkmod -run TestConsoleFaultRunInTmux -faultrun")
	}
	needTmux(t)
	bin := mustBuild(t)
	runFor := 60 * time.Second
	if testing.Short() {
		runFor = 10 * time.Second
	}
	seed := uint64(12)
	kinds := []talktest.Fault{}
	for _, f := range talktest.AllFaults {
		// a 429 pauses polling for minutes, as it should: the rest of the
		// run would be quiet (the client and soak tests cover 429)
		if f != talktest.Fault429 && f != talktest.Fault429RetryAfter {
			kinds = append(kinds, f)
		}
	}
	srv, acct, err := talktest.StartDemoWith(talktest.DemoConfig{Options: []talktest.Option{talktest.WithFaults(talktest.Faults{
		Seed: seed, Rate: 0.5, Kinds: kinds, Latency: 20 * time.Millisecond, Jitter: 20 * time.Millisecond,
		Drip: 20 * time.Millisecond, DripMax: 150})}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	home := t.TempDir()
	x := tmux{t: t, socket: fmt.Sprintf("talkmod-faults-%d-%d", os.Getpid(), time.Now().UnixNano())}
	// the app password reaches the console through the environment, never
	// its command line (the env command runs inside the pane's shell)
	t.Setenv("TALKMOD_APP_PASSWORD", acct.AppPassword)
	cmd := fmt.Sprintf("env HOME=%s XDG_CONFIG_HOME=%s TALKMOD_KEYRING=off TZ=UTC NO_COLOR=1 TALKMOD_SERVER=%s TALKMOD_USER=%s %s; echo EXITED $?; sleep 600",
		shellQuote(home), shellQuote(filepath.Join(home, ".config")), shellQuote(acct.URL), shellQuote(acct.User), shellQuote(bin))
	x.start(120, 35, cmd)
	x.waitText("Quarterly All-Hands", "refresh failed", "could not be loaded")
	title := strings.TrimSpace(x.run("display-message", "-p", "-t", "talkmod", "#{pane_title}"))

	rnd := rand.New(rand.NewPCG(seed, 5))
	steps := [][]string{
		{"j"}, {"k"}, {"j", "j", "j"}, {"G"}, {"g"}, {"Down"}, {"Up"},
		{"l"}, {"l", "y"}, {"l", "Escape"}, {"s"}, {"s", "1", "Enter"}, {"s", "2", "Enter"}, {"s", "3", "Enter", "y"},
		{"s", "Down", "Enter"}, {"t"}, {"t", "Enter"}, {"t", "+", "+", "Enter", "y"}, {"t", "1", "8", "3", "0", "Enter"},
		{"r"}, {"r"}, {"r"}, {"a"}, {"z"}, {"?"}, {"Escape"}, {"Enter"}, {"/", "W", "e", "b"}, {"/", "x", "y", "z", "BSpace", "Escape"},
		{"Escape", "Escape"}, {"y"}, {"n"}, {"x"},
	}
	renamed := false
	sawEvil := false
	checks := 0
	start := time.Now()
	for time.Since(start) < runFor {
		if !renamed && time.Since(start) > runFor/4 {
			// a room's name turns into terminal escapes mid-session
			for _, tok := range srv.Rooms() {
				if r, ok := srv.Room(tok); ok && r.Name == talktest.DemoTownHall {
					srv.RenameRoom(tok, talktest.EvilPrefix+r.Name+talktest.EvilSuffix)
					renamed = true
				}
			}
		}
		x.keys(steps[rnd.IntN(len(steps))]...)
		time.Sleep(time.Duration(50+rnd.IntN(350)) * time.Millisecond)
		s := x.screen()
		checks++
		if strings.Contains(s, "EXITED") || strings.Contains(s, "panic") || strings.Contains(s, "goroutine ") {
			t.Fatalf("the console died:\n%s", s)
		}
		if strings.ContainsAny(s, "\x1b\a\u009b\u202e") {
			t.Fatalf("an escape sequence or control character reached the screen: %q", s)
		}
		if lines := strings.SplitN(s, "\n", 2); !strings.HasPrefix(lines[0], "talkmod ·") && !strings.Contains(s, "Keys") {
			t.Fatalf("the screen lost its frame:\n%s", s)
		}
		if got := strings.TrimSpace(x.run("display-message", "-p", "-t", "talkmod", "#{pane_title}")); got != title {
			t.Fatalf("the pane title changed from %q to %q: an escape from a server string reached the terminal", title, got)
		}
		if strings.Contains(s, "pwned") {
			sawEvil = true
		}
	}
	// after the faults: the console recovers and quits on q
	log := srv.FaultLog()
	srv.SetFaults(nil)
	x.keys("Escape", "Escape", "Escape")
	if renamed && !sawEvil {
		x.keys("a", "r")
		x.waitText("pwned")
	}
	x.keys("q")
	s := x.waitText("EXITED")
	if !strings.Contains(s, "EXITED 0") {
		t.Fatalf("q did not exit cleanly:\n%s", s)
	}
	injected := map[talktest.Fault]int{}
	for _, e := range log {
		injected[e.Fault]++
	}
	t.Logf("fault run: %v, %d screens checked, faults injected: %v", runFor, checks, injected)
	if len(log) < 3 && !testing.Short() {
		t.Errorf("only %d faults were injected", len(log))
	}
	if !renamed {
		t.Error("the rename did not happen")
	}
}
