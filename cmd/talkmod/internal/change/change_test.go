package change

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/models"
)

const (
	quiet  = "1234567890" // a webinar without a call
	inCall = "2345678901" // a webinar with a call running
	letter = "abcd1234"   // a token with letters: no SIP dial-in
	gone   = "5555555555" // not on the server
)

func setup(t *testing.T) (*talktest.Server, *client.Client) {
	t.Helper()
	s := talktest.New()
	t.Cleanup(s.Close)
	s.AddUser("alice", "alice-app-password-1")
	s.SetSIPConfig(true)
	owner := map[string]models.ParticipantType{"alice": models.ParticipantOwner}
	s.AddRoom(talktest.Room{Token: quiet, Type: models.ConversationPublic, Name: "Quiet", Participants: owner})
	s.AddRoom(talktest.Room{Token: inCall, Type: models.ConversationGroup, Name: "Busy", Participants: owner, HasCall: true})
	s.AddRoom(talktest.Room{Token: letter, Type: models.ConversationGroup, Name: "Letters", Participants: owner})
	c, err := client.New(client.Config{BaseURL: s.URL, User: "alice", AppPassword: "alice-app-password-1"})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func targets(c *client.Client, tokens ...string) []Target {
	var out []Target
	for _, tok := range tokens {
		out = append(out, Target{Token: tok, Client: c, Zone: time.UTC})
	}
	return out
}

func puts(s *talktest.Server) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method == http.MethodPut {
			n++
		}
	}
	return n
}

// run runs a change and returns its stdout, stderr and exit code.
func run(t *testing.T, ts []Target, several bool, opts Options, spec Spec, asJSON bool) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := Run(context.Background(), ts, several, opts, spec, IO{Stdout: &out, Stderr: &errb, JSON: asJSON, Now: time.Now})
	if err != nil && !exit.PrintedOutcome(err) && several {
		t.Fatalf("several rooms: %v is not the printed outcome's", err)
	}
	if err != nil {
		errb.WriteString(err.Error())
	}
	return out.String(), errb.String(), exit.Code(err)
}

// With --dry-run several rooms are read and checked, nothing is sent:
// a room with a call is refused without --yes, one not on the server
// fails, the others say the request they would send.
func TestLobbyDryRunSeveral(t *testing.T) {
	s, c := setup(t)
	at := time.Now().Add(time.Hour).Truncate(time.Second)
	spec := Lobby(LobbyOptions{State: models.LobbyModeratorsOnly, Word: "on",
		Timers: map[*client.Client]*time.Time{c: &at}, Now: time.Now})
	stdout, stderr, code := run(t, targets(c, quiet, inCall, gone), true, Options{DryRun: true}, spec, false)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 3 ||
		!strings.HasPrefix(lines[0], "Quiet ("+quiet+"): would send lobby on, opens ") ||
		!strings.Contains(lines[0], "(PUT /ocs/v2.php/apps/spreed/api/v4/room/"+quiet+"/webinar/lobby state=1&timer=") ||
		!strings.HasPrefix(lines[1], "Busy ("+inCall+"): refused: a call is running") ||
		!strings.HasPrefix(lines[2], gone+": failed (404): ") {
		t.Errorf("stdout:\n%s", stdout)
	}
	if stderr != "3 rooms: 1 would be sent, 1 refused without --yes, 1 failed" || code != exit.NotFound {
		t.Errorf("stderr %q, exit %d; want the summary and 5 (404 is more severe than 2)", stderr, code)
	}
	if n := puts(s); n != 0 {
		t.Errorf("--dry-run sent %d PUTs", n)
	}
}

// Several rooms with --json: one object per room; the room with letters
// is skipped for SIP and the others are changed on the server.
func TestSIPSeveralJSON(t *testing.T) {
	s, c := setup(t)
	stdout, stderr, code := run(t, targets(c, quiet, letter), true, Options{}, SIP(models.SIPEnabled), true)
	var res []RoomResult
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, stdout)
	}
	if len(res) != 2 || !res[0].OK || res[0].Room == nil || res[0].Room.SIPEnabled != models.SIPEnabled ||
		res[1].OK || res[1].Error == nil || res[1].Error.Kind != "skipped" || res[1].Error.ExitCode != exit.Usage {
		t.Errorf("results %+v", res)
	}
	if stderr != "2 rooms: 1 changed, 1 skipped" || code != exit.Usage {
		t.Errorf("stderr %q, exit %d", stderr, code)
	}
	if r, _ := s.Room(quiet); r.SIPEnabled != models.SIPEnabled {
		t.Errorf("SIP of %s on the server: %d", quiet, r.SIPEnabled)
	}
	if r, _ := s.Room(letter); r.SIPEnabled != models.SIPDisabled {
		t.Errorf("a skipped room was changed: %d", r.SIPEnabled)
	}
}

// One room: the outcome line, or the refusal naming the room as the
// command's error; --yes lets the lobby remove people from the call.
func TestLobbySingle(t *testing.T) {
	s, c := setup(t)
	spec := func(yes bool) Spec {
		return Lobby(LobbyOptions{State: models.LobbyModeratorsOnly, Word: "on", Yes: yes, Now: time.Now})
	}
	var out bytes.Buffer
	err := Run(context.Background(), targets(c, inCall), false, Options{}, spec(false), IO{Stdout: &out, Stderr: &out, Now: time.Now})
	var re *exit.RefusedError
	if !errors.As(err, &re) || re.Kind != "confirmation needed" || !strings.HasPrefix(re.Msg, "Busy ("+inCall+"): a call is running") || out.Len() != 0 {
		t.Errorf("without --yes: %v, output %q", err, out.String())
	}
	if n := puts(s); n != 0 {
		t.Fatalf("a refused room was sent to: %d PUTs", n)
	}
	stdout, _, code := run(t, targets(c, inCall), false, Options{Yes: true}, spec(true), false)
	if code != exit.OK || stdout != "Busy: lobby on (no timer): only moderators can join\n" {
		t.Errorf("--yes: exit %d, %q", code, stdout)
	}
	if r, _ := s.Room(inCall); r.LobbyState != models.LobbyModeratorsOnly {
		t.Errorf("lobby on the server: %d", r.LobbyState)
	}
}
