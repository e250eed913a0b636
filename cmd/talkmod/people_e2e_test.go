package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sectionOf says under which heading of the people view a line holding
// text stands ("" when it is not on the screen).
func sectionOf(screen, text string) string {
	section := ""
	for _, l := range strings.Split(screen, "\n") {
		t := strings.TrimSpace(l)
		for _, h := range []string{"Waiting in the lobby (", "In the call (", "Let in (", "Moderators (", "In the conversation (", "Not connected ("} {
			if strings.HasPrefix(t, h) {
				section = strings.TrimSuffix(h, " (")
			}
		}
		if strings.Contains(l, text) && !strings.HasPrefix(t, "People ·") {
			return section
		}
	}
	return ""
}

// TestPeopleInTmux opens the demo in a real terminal, opens the waiting
// room's people view, waits for a guest to join the lobby, lets them in
// with a and sees them under "Let in".
func TestPeopleInTmux(t *testing.T) {
	needTmux(t)
	bin := mustBuild(t)
	home := t.TempDir()
	x := tmux{t: t, socket: fmt.Sprintf("talkmod-people-%d-%d", os.Getpid(), time.Now().UnixNano())}
	cmd := fmt.Sprintf("env HOME=%s XDG_CONFIG_HOME=%s TALKMOD_KEYRING=off TZ=UTC NO_COLOR=1 %s --demo; echo EXITED $?; sleep 600",
		shellQuote(home), shellQuote(filepath.Join(home, ".config")), shellQuote(bin))
	x.start(120, 40, cmd)
	x.waitText("Customer Webinar")

	// select the waiting room with the filter, open its people
	x.keys("/")
	x.keys("-l", "Waiting Room")
	x.keys("Enter")
	x.waitFor("the waiting room selected", func(s string) bool { return strings.Contains(selectedRow(s), "Customer Webinar") })
	x.keys("p")
	s := x.waitText("Waiting in the lobby (")
	if !strings.Contains(s, "People · Customer Webinar") {
		t.Fatalf("not the waiting room's people:\n%s", s)
	}

	// a guest joins the lobby within seconds; the view re-reads by itself
	s = x.waitFor("a guest in the lobby", func(s string) bool { return sectionOf(s, "Jordan Smith") == "Waiting in the lobby" })
	for _, want := range []string{"In the call (", "Let in (", "Moderators (", "Not connected (", "Dr. Maximiliane", "no audio", "audio, video"} {
		if !strings.Contains(s, want) {
			t.Errorf("people view lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "\x1b") {
		t.Error("escape codes on the screen")
	}

	// select the guest (selection follows the person) and let them in
	for i := 0; i < 20 && !strings.Contains(selectedRow(x.screen()), "Jordan Smith"); i++ {
		x.keys("j")
		time.Sleep(150 * time.Millisecond)
	}
	if !strings.Contains(selectedRow(x.screen()), "Jordan Smith") {
		t.Fatalf("cannot select the guest:\n%s", x.screen())
	}
	x.keys("a")
	s = x.waitFor("the guest under Let in", func(s string) bool { return sectionOf(s, "Jordan Smith") == "Let in" })
	if !strings.Contains(s, "✓ let in") {
		t.Errorf("no outcome beside the guest:\n%s", s)
	}

	// esc back to the list, where the room shows its waiting count
	x.keys("Escape")
	x.waitText("wait ")
	x.keys("q")
	x.waitText("EXITED 0")
}
