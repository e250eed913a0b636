package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/words"
)

// Tests of what talkmod rooms/room print: JSON characters, the CAN'T
// CHANGE column, the UTC copy of a time.

// A conversation name with & < > comes out of --json as it is.
func TestJSONKeepsHTMLCharacters(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	s.RenameRoom(testenv.WebinarA, "Q&A <live>")
	useEnv(t, s)
	r := talkmod(t, "", "room", testenv.WebinarA, "--json")
	if r.code != 0 || !strings.Contains(r.stdout, `"Q&A <live>"`) {
		t.Errorf("room --json: exit %d, %q", r.code, r.stdout)
	}
	var room models.Room
	if err := json.Unmarshal([]byte(r.stdout), &room); err != nil || room.Name != "Q&A <live>" {
		t.Errorf("room --json parsed back: %v %q", err, room.Name)
	}
}

// rooms --all says why SIP can't be changed where the lobby can.
func TestRoomsAllSaysWhySIP(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	r := talkmod(t, "", "rooms", "--all")
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.Contains(line, testenv.LettersTok) && !strings.Contains(line, "SIP: this conversation's ID has letters") {
			t.Errorf("the letters room does not say why SIP can't change: %q", line)
		}
	}
}

// The UTC copy of a time is shown only when the display zone is not UTC,
// whatever the zone is called.
func TestFullTimeUTCOnce(t *testing.T) {
	now := time.Date(2026, 3, 28, 11, 0, 0, 0, time.UTC)
	at := now.Add(25 * time.Minute)
	etc := mustZone(t, "Etc/UTC")
	for _, loc := range []*time.Location{time.UTC, etc, time.FixedZone("UTC", 0)} {
		if got := words.At(at, now, loc); strings.Count(got, "UTC") != 1 || !strings.HasSuffix(got, "in 25m") {
			t.Errorf("fullTime in %s = %q", loc, got)
		}
	}
	berlin := mustZone(t, "Europe/Berlin")
	if got, want := words.At(at, now, berlin), "12:25 CET = 11:25 UTC, in 25m"; got != want {
		t.Errorf("fullTime in Berlin = %q, want %q", got, want)
	}
}
