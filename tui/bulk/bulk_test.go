package bulk

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
)

var now = time.Date(2026, 12, 1, 14, 35, 0, 0, time.UTC)

func clock(t time.Time) string { return t.Format("15:04") }

func room(tok, name string, lobby models.LobbyState) Room {
	return Room{Name: name, Room: models.Room{Token: tok, Type: models.ConversationGroup, DisplayName: name,
		ParticipantType: models.ParticipantOwner, LobbyState: lobby, CanEnableSIP: true}}
}

// Lobby on for three marked rooms: the one already on and the one still
// waiting for an answer are skipped with why; a running call and a
// dropped timer are said; the question takes the plan as its payload.
func TestPlanLobbyOn(t *testing.T) {
	call := room("100001", "Town hall", models.LobbyNone)
	call.Room.HasCall = true
	on := room("100002", "Board", models.LobbyModeratorsOnly)
	busy := room("100003", "Busy", models.LobbyNone)
	busy.Pending = true
	hidden := room("100004", "Hidden", models.LobbyNone)
	hidden.Hidden = true
	p := For(Target{Op: OpLobby, Lobby: models.LobbyModeratorsOnly}, []Room{call, on, busy, hidden}, models.Capabilities{}, now, clock)
	if len(p.Items) != 2 || p.Items[0].Token != "100001" || p.Items[1].Token != "100004" || p.Hidden != 1 {
		t.Fatalf("items %+v hidden %d", p.Items, p.Hidden)
	}
	if p.Items[0].Change != (Change{Op: OpLobby, Lobby: models.LobbyModeratorsOnly}) {
		t.Errorf("change %+v", p.Items[0].Change)
	}
	want := "lobby on (a room's own future timer is kept), in 2 rooms; 1 has a running call (non-moderators will be removed); " +
		"2 will be skipped: Board (the lobby is already on); Busy (still waiting for the server's answer to the last change)"
	if got := p.Sentence(); got != want {
		t.Errorf("sentence\n got %q\nwant %q", got, want)
	}
	d := p.Confirm()
	if d.Payload != p || d.Question != "Send 2 changes (4 at a time)? y/n" || !strings.Contains(d.Body[1], "(1 hidden by the filter)") {
		t.Errorf("question %+v", d)
	}
}

// A run sends at most Limit at a time, the next as each answer arrives,
// and a 429 stops it: the rest are not sent and the summary says so.
func TestRunLimitAndStop(t *testing.T) {
	var rooms []Room
	for i := 0; i < 7; i++ {
		rooms = append(rooms, room(strconv.Itoa(200000+i), "Room "+strconv.Itoa(i), models.LobbyModeratorsOnly))
	}
	r := NewRun(For(Target{Op: OpLobby, Lobby: models.LobbyNone}, rooms, models.Capabilities{}, now, clock))
	var sent []string
	for it, ok := r.Next(); ok; it, ok = r.Next() {
		r.Sent(it.Token)
		sent = append(sent, it.Token)
	}
	if len(sent) != Limit || r.Waiting() != Limit {
		t.Fatalf("sent %v at once", sent)
	}
	r.Answered(sent[0], nil)
	if it, ok := r.Next(); !ok || it.Token != "200004" {
		t.Fatalf("after an answer: %v %v", it, ok)
	}
	r.Sent("200004")
	r.Answered(sent[1], &client.APIError{HTTPStatus: 429})
	if _, ok := r.Next(); ok {
		t.Fatal("a 429 did not stop the run")
	}
	for _, tok := range []string{sent[2], sent[3], "200004"} {
		r.Answered(tok, nil)
	}
	if rest := r.Rest(); len(rest) != 2 {
		t.Fatalf("%d not sent", len(rest))
	}
	if got, want := r.Summary(0), "lobby off: 4 changed, 1 refused (429), 2 not sent · u undoes the 4"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}

// With several accounts each server has its own Limit in flight, and a
// 429 from one stops only its own requests.
func TestRunLimitAndStopPerServer(t *testing.T) {
	var rooms []Room
	for _, srv := range []string{"acme", "globex"} {
		for i := 0; i < 10; i++ {
			r := room(strconv.Itoa(i), srv+strconv.Itoa(i), models.LobbyNone)
			r.ID, r.Server = srv+"\x00"+strconv.Itoa(i), srv
			rooms = append(rooms, r)
		}
	}
	p := For(Target{Op: OpLobby, Lobby: models.LobbyModeratorsOnly}, rooms, models.Capabilities{}, now, clock)
	if len(p.Items) != 20 {
		t.Fatalf("%d items", len(p.Items))
	}
	r := NewRun(p)
	per := map[string][]string{}
	for {
		it, ok := r.Next()
		if !ok {
			break
		}
		r.Sent(it.Token)
		per[it.Server] = append(per[it.Server], it.Token)
	}
	if len(per["acme"]) != Limit || len(per["globex"]) != Limit {
		t.Fatalf("in flight: acme %d, globex %d; want %d each", len(per["acme"]), len(per["globex"]), Limit)
	}
	// acme throttles: its requests stop, globex's go on
	r.Answered(per["acme"][0], &client.APIError{HTTPStatus: 429})
	r.Answered(per["globex"][0], nil)
	it, ok := r.Next()
	if !ok || it.Server != "globex" {
		t.Fatalf("after acme's 429: next %+v %v, want a globex item", it, ok)
	}
	r.Sent(it.Token)
	if _, ok := r.Next(); ok {
		t.Error("globex has Limit in flight again and acme is stopped: nothing more may go")
	}
	if r.StoppedFor("acme") == nil || r.StoppedFor("globex") != nil {
		t.Errorf("stopped: acme %v, globex %v", r.StoppedFor("acme"), r.StoppedFor("globex"))
	}
}

// With items on several servers the summary counts each server's too,
// named by Label; with one server it is as before.
func TestRunSummaryPerServer(t *testing.T) {
	var rooms []Room
	for _, srv := range []string{"acme", "globex"} {
		for i := 0; i < 3; i++ {
			r := room(strconv.Itoa(i), srv+strconv.Itoa(i), models.LobbyNone)
			r.ID, r.Server = srv+"\x00"+strconv.Itoa(i), srv
			rooms = append(rooms, r)
		}
	}
	r := NewRun(For(Target{Op: OpLobby, Lobby: models.LobbyModeratorsOnly}, rooms, models.Capabilities{}, now, clock))
	r.Label = func(s string) string { return s + ".example" }
	for it, ok := r.Next(); ok; it, ok = r.Next() {
		switch it.Token {
		case "globex\x001":
			r.Fail("not sent") // e.g. its server does not answer
			continue
		case "acme\x002":
			r.NotSent() // its room left the list
			continue
		}
		r.Sent(it.Token)
	}
	r.Answered("acme\x000", nil)
	r.Answered("acme\x001", nil)
	r.Answered("globex\x000", nil)
	r.Answered("globex\x002", &client.APIError{HTTPStatus: 403})
	want := r.What + ": 3 changed, 1 not sent, 1 refused (403), 1 not sent · by server: acme.example 2 changed, 1 not sent; " +
		"globex.example 1 changed, 1 not sent, 1 refused (403) · u undoes the 3"
	if got := r.Summary(0); got != want {
		t.Errorf("summary\n %q, want\n %q", got, want)
	}
	// one server: no per-server part
	one := NewRun(For(Target{Op: OpLobby, Lobby: models.LobbyModeratorsOnly}, rooms[:3], models.Capabilities{}, now, clock))
	for it, ok := one.Next(); ok; it, ok = one.Next() {
		one.Sent(it.Token)
		one.Answered(it.Token, nil)
	}
	if got := one.Summary(0); strings.Contains(got, "by server") {
		t.Errorf("one server: %q", got)
	}
}
