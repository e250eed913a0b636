package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/models"
)

// TestBulkLobbyInTmux marks three demo rooms in a real terminal and turns
// their lobby on with one confirmation: enter on it sends nothing, y sends
// one request per room, each row shows its outcome and the status line
// the summary.
func TestBulkLobbyInTmux(t *testing.T) {
	needTmux(t)
	bin := mustBuild(t)
	d := startOwnDemo(t)
	acct := d.acct
	lobbyOf := func(name string) models.LobbyState { return d.room(name).LobbyState }
	rooms := []string{talktest.DemoLaunch, talktest.DemoTownHall, talktest.DemoWorkshop}
	for _, name := range rooms {
		if lobbyOf(name) != models.LobbyNone {
			t.Fatalf("%s: the demo starts with the lobby on", name)
		}
	}

	home := t.TempDir()
	x := tmux{t: t, socket: fmt.Sprintf("talkmod-bulk-%d-%d", os.Getpid(), time.Now().UnixNano())}
	cmd := fmt.Sprintf("env HOME=%s XDG_CONFIG_HOME=%s TALKMOD_KEYRING=off TZ=UTC NO_COLOR=1 TALKMOD_SERVER=%s TALKMOD_USER=%s TALKMOD_APP_PASSWORD=%s %s; echo EXITED $?; sleep 600",
		shellQuote(home), shellQuote(filepath.Join(home, ".config")), shellQuote(acct.URL), shellQuote(acct.User), shellQuote(acct.AppPassword), shellQuote(bin))
	x.start(120, 35, cmd)
	x.waitText("Quarterly All-Hands")

	// mark each room: find it with the filter, space, esc (the filter
	// goes, the marks stay)
	for i, name := range rooms {
		x.keys("/")
		x.keys("-l", name)
		x.keys("Enter")
		x.waitFor(name+" selected", func(s string) bool { return strings.Contains(selectedRow(s), name[:16]) })
		x.keys("Space")
		x.waitFor(name+" marked", func(s string) bool { return strings.Contains(selectedRow(s), "● "+name[:16]) })
		x.keys("Escape")
		x.waitFor("the whole list", func(s string) bool {
			return strings.Contains(s, "Quarterly All-Hands") && strings.Contains(s, fmt.Sprintf("%d marked", i+1))
		})
	}

	// one dialog, one confirmation for the three
	x.keys("l")
	x.waitText("Lobby · 3 marked rooms")
	x.keys("Enter")
	s := x.waitText("Send 3 changes")
	// (the box wraps its lines at 96 columns: each piece is looked for alone)
	for _, want := range []string{"in 3 rooms; 1 has a running call", "moderators will be removed", "Running call: " + talktest.DemoLaunch} {
		if !strings.Contains(s, want) {
			t.Errorf("the confirmation lacks %q:\n%s", want, s)
		}
	}
	// enter is no
	x.keys("Enter")
	x.waitText("nothing was sent; the marks stay")
	for _, name := range rooms {
		if lobbyOf(name) != models.LobbyNone {
			t.Fatalf("enter changed %s", name)
		}
	}
	x.keys("l")
	x.waitText("Lobby · 3 marked rooms")
	x.keys("Enter")
	x.waitText("Send 3 changes")
	x.keys("y")
	s = x.waitText("3 changed")
	if strings.Contains(s, "marked ·") {
		t.Errorf("marks stayed on changed rooms:\n%s", s)
	}
	for _, name := range rooms {
		if lobbyOf(name) != models.LobbyModeratorsOnly {
			t.Errorf("%s: the lobby is not on", name)
		}
		found := false
		for _, l := range strings.Split(s, "\n") {
			if strings.Contains(l, name) && strings.Contains(l, "✓") {
				found = true
			}
		}
		if !found {
			t.Errorf("no ✓ beside %s:\n%s", name, s)
		}
	}
	if strings.Contains(s, "\x1b") {
		t.Error("escape codes on the screen")
	}
	x.keys("q")
	x.waitText("EXITED 0")
}
