package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// rowOf is the screen line that holds text ("" when none).
func rowOf(screen, text string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, text) {
			return l
		}
	}
	return ""
}

// TestFloorInTmux opens the demo in a real terminal (no colour: the rights
// in words), opens the waiting room's people, where Bob Chen asks to speak
// (listen only), gives him the floor with f and sees his rights change.
func TestFloorInTmux(t *testing.T) {
	needTmux(t)
	bin := mustBuild(t)
	home := t.TempDir()
	x := tmux{t: t, socket: fmt.Sprintf("talkmod-floor-%d-%d", os.Getpid(), time.Now().UnixNano())}
	cmd := fmt.Sprintf("env HOME=%s XDG_CONFIG_HOME=%s TALKMOD_KEYRING=off TZ=UTC NO_COLOR=1 %s --demo --download-dir %s; echo EXITED $?; sleep 600",
		shellQuote(home), shellQuote(filepath.Join(home, ".config")), shellQuote(bin), shellQuote(home))
	x.start(120, 40, cmd)
	x.waitText("Customer Webinar")
	x.keys("/")
	x.keys("-l", "Waiting Room")
	x.keys("Enter")
	x.waitFor("the waiting room selected", func(s string) bool { return strings.Contains(selectedRow(s), "Customer Webinar") })
	x.keys("p")
	s := x.waitText("In the call (")
	if row := rowOf(s, "Bob Chen"); !strings.Contains(row, "listens only") {
		t.Fatalf("Bob does not listen only at first: %q\n%s", row, s)
	}
	for i := 0; i < 20 && !strings.Contains(selectedRow(x.screen()), "Bob Chen"); i++ {
		x.keys("j")
		time.Sleep(150 * time.Millisecond)
	}
	if !strings.Contains(selectedRow(x.screen()), "Bob Chen") {
		t.Fatalf("cannot select Bob:\n%s", x.screen())
	}
	x.keys("f")
	s = x.waitFor("Bob with the floor", func(s string) bool {
		return strings.Contains(rowOf(s, "Bob Chen"), "audio video screen") && strings.Contains(s, "floor given")
	})
	if strings.Contains(s, "\x1b") {
		t.Error("escape codes on the screen")
	}
	// the attendance list of the running call, written to the folder
	x.keys("d")
	x.waitText("saved to")
	if m, _ := filepath.Glob(filepath.Join(home, "Customer-Webinar*.csv")); len(m) != 1 {
		t.Errorf("attendance files: %v", m)
	}
	// and its rows in place of the people; esc hides them, esc again
	// goes back to the list
	s = x.waitText("Attendance · ")
	if !strings.Contains(s, "v or esc hides it") {
		t.Errorf("the attendance list does not say how to hide it:\n%s", s)
	}
	x.keys("Escape")
	x.waitText("Waiting in the lobby")
	x.keys("Escape")
	x.waitText("wait ") // the list again (a q right after Escape would read as alt+q)
	x.keys("q")
	x.waitText("EXITED 0")
}
