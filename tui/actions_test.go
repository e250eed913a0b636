package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/sanitize"
)

func TestDoubleActionRefused(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("913572")
	first := h.send(keyMsg("l"))
	if len(first) != 1 {
		t.Fatalf("%d msgs", len(first))
	}
	for _, k := range []string{"l", "t", "s"} {
		if msgs := h.send(keyMsg(k)); len(msgs) != 0 {
			t.Fatalf("%s: a second request was sent: %v", k, msgs)
		}
		if modal(h.m) != modalNone {
			t.Fatalf("%s opened a dialog while a request is pending", k)
		}
		if !strings.Contains(h.m.flash.text, "still waiting for the server") {
			t.Errorf("%s: flash %q", k, h.m.flash.text)
		}
	}
	mustContain(t, h.view(), "still waiting for the server")
	if n := countCalls(h.be, "lobby"); n != 1 {
		t.Fatalf("%d lobby calls", n)
	}
	// another room is not blocked
	h.selectRoom("abcd2xyz")
	if msgs := h.send(keyMsg("l")); len(msgs) != 1 {
		t.Fatalf("other room refused")
	}
	h.deliver(first)
	if h.m.pendingCount() != 1 {
		t.Fatalf("pending %v", h.m.pendingCount())
	}
}

func TestErrorKeptUntilNextAction(t *testing.T) {
	h := newDemo(t, 120, 40)
	forbidden := &client.APIError{HTTPStatus: 403, Op: "set lobby"}
	h.be.lobbyFn = func(string, models.LobbyState, *time.Time) (models.Room, error) {
		return models.Room{}, forbidden
	}
	h.selectRoom("913572")
	h.press("l")
	want := client.Message(forbidden)
	check := func(when string) {
		t.Helper()
		o, ok := h.outcomeOK("913572")
		if !ok || o.ok || o.text != want {
			t.Fatalf("%s: outcome %+v", when, o)
		}
	}
	check("at once")
	mustContain(t, h.view(), "✗ Board meeting: "+want[:40])
	// moving, refreshing, polling, zone changes keep it
	h.press("j", "k", "z", "r")
	p, _, _ := h.lastPoll()
	h.settle(p)
	check("after keys and a refresh")
	h.selectRoom("913572")
	v := h.view()
	mustContain(t, v, "Last:  ✗ "+want[:40])
	mustContain(t, v, ">✗Board meeting")
	// the status bar message goes with the next key, the room's stays
	if h.m.flash.level == common.LevelErr {
		t.Errorf("status error kept after keys: %q", h.m.flash.text)
	}
	// the next action clears it
	h.be.lobbyFn = nil
	h.press("l")
	if o := h.outcome("913572"); !o.ok {
		t.Fatalf("after a new action: %+v", o)
	}
}

func TestLobbyToggleKeepsFutureTimer(t *testing.T) {
	h := newDemo(t, 80, 24)
	// a lobby that is off but has a stored future timer: on keeps it
	r, _ := h.be.find("913572")
	r.LobbyState, r.LobbyTimer = models.LobbyNone, testNow.Add(2*time.Hour).Unix()
	h.be.put(r)
	h.press("r")
	h.selectRoom("913572")
	h.press("l")
	calls := h.be.Calls()
	if got := calls[len(calls)-1]; got != "lobby 913572 on 16:35" {
		t.Fatalf("sent %q", got)
	}
	mustContain(t, h.outcome("913572").text, "lobby on until 17:35 CET, in 2h")
	// off drops that timer: asked first, y sends state 0 with no timer
	h.press("l")
	if modal(h.m) != modalConfirm {
		t.Fatal("lifting a lobby with a future timer did not ask")
	}
	h.press("y")
	calls = h.be.Calls()
	if got := calls[len(calls)-1]; got != "lobby 913572 off nil" {
		t.Fatalf("sent %q", got)
	}
}

func TestLobbyOnWithCallAsksFirst(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("748392") // call running
	h.press("l")
	if modal(h.m) != modalConfirm {
		t.Fatal("no confirm")
	}
	mustContain(t, h.view(), "Turning the lobby on removes")
	h.press("n")
	if modal(h.m) != modalNone || countCalls(h.be, "lobby") != 0 {
		t.Fatal("n did not cancel")
	}
	h.press("l", "y")
	if countCalls(h.be, "lobby 748392 on") != 1 {
		t.Fatalf("calls %v", h.be.Calls())
	}
	// turning it off needs no confirm
	h.press("l")
	if countCalls(h.be, "lobby 748392 off") != 1 {
		t.Fatalf("calls %v", h.be.Calls())
	}
}

// errorCases are the errors of the spec, as the client returns them.
func errorCases() []struct {
	name string
	op   string // "l" or "s"
	err  error
} {
	forced := 1
	return []struct {
		name string
		op   string
		err  error
	}{
		{"400-type", "l", &client.APIError{HTTPStatus: 400, Reason: "type", Op: "set lobby"}},
		{"400-value", "l", &client.APIError{HTTPStatus: 400, Reason: "value", Op: "set lobby"}},
		{"400-token", "s", &client.APIError{HTTPStatus: 400, Reason: "token", Op: "set SIP"}},
		{"400-breakout-room", "l", &client.APIError{HTTPStatus: 400, Reason: "breakout-room", Op: "set lobby"}},
		{"400-object", "l", &client.APIError{HTTPStatus: 400, Reason: "object", Op: "set lobby"}},
		{"400-forced", "s", &client.APIError{HTTPStatus: 400, Reason: "forced", Forced: &forced, Op: "set SIP"}},
		{"401", "l", &client.APIError{HTTPStatus: 401, OCSStatus: 997, Op: "set lobby"}},
		{"403-moderator", "l", &client.APIError{HTTPStatus: 403, Op: "set lobby"}},
		{"403-config", "s", &client.APIError{HTTPStatus: 403, Reason: "config", Op: "set SIP"}},
		{"404", "l", &client.APIError{HTTPStatus: 404, Op: "set lobby"}},
		{"406", "l", &client.APIError{HTTPStatus: 406, Op: "set lobby"}},
		{"412-config", "s", &client.APIError{HTTPStatus: 412, Reason: "config", Op: "set SIP"}},
		{"429", "l", &client.APIError{HTTPStatus: 429, Message: "Reached maximum delay", Op: "set lobby"}},
		{"500", "l", &client.APIError{HTTPStatus: 500, OCSStatus: 996, Op: "set lobby"}},
		{"503-maintenance", "l", &client.APIError{HTTPStatus: 503, Maintenance: true, Op: "set lobby"}},
		{"network", "l", &client.NetworkError{Op: "set lobby", Host: "cloud.example.com", Cause: "timeout", Err: errBoom}},
	}
}

func TestEachErrorShowsClientMessage(t *testing.T) {
	for _, tc := range errorCases() {
		t.Run(tc.name, func(t *testing.T) {
			h := newDemo(t, 250, 40)
			h.be.lobbyFn = func(string, models.LobbyState, *time.Time) (models.Room, error) { return models.Room{}, tc.err }
			h.be.sipFn = func(string, models.SIPState) (models.Room, error) { return models.Room{}, tc.err }
			h.selectRoom("913572")
			h.press(tc.op)
			if tc.op == "s" {
				h.press("2", "enter")
			}
			want := sanitize.Line(client.Message(tc.err))
			o := h.outcome("913572")
			if o.ok || o.text != client.Message(tc.err) || o.kind != client.KindOf(tc.err) {
				t.Fatalf("outcome %+v", o)
			}
			v := h.view()
			mustContain(t, v, "Last:  ✗ "+want)         // detail
			mustContain(t, v, "✗ Board meeting: "+want) // status bar
			mustContain(t, v, ">✗Board meeting")        // marker on the row
			if busy := h.m.rooms.isPending("913572"); busy {
				t.Fatal("still pending")
			}
		})
	}
}

func TestErrorKindsBehaviour(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.be.lobbyFn = func(string, models.LobbyState, *time.Time) (models.Room, error) {
		return models.Room{}, &client.APIError{HTTPStatus: 404, Op: "set lobby"}
	}
	h.selectRoom("913572")
	h.press("l")
	if !h.m.rooms.state("913572").gone || !h.m.accts[0].Sync.NeedFull {
		t.Fatal("404 does not mark the room gone")
	}
	mustContain(t, h.view(), "leaves the list")
	// the next poll is a full list, and the room leaves
	h.be.rooms = demoRooms()[:4]
	p, _, _ := h.lastPoll()
	h.settle(p)
	if h.m.table.Find("913572") != nil {
		t.Fatal("gone room kept after the full refresh")
	}
	if _, ok := h.outcomeOK("913572"); ok {
		t.Error("outcome of a removed room kept")
	}
}

func TestPUTWithoutRoomRereads(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.be.lobbyFn = func(token string, s models.LobbyState, _ *time.Time) (models.Room, error) {
		r, _ := h.be.find(token)
		r.LobbyState = s
		h.be.put(r)
		return models.Room{}, nil
	}
	h.selectRoom("913572")
	h.press("l")
	if countCalls(h.be, "get 913572") != 1 {
		t.Fatalf("%v", h.be.Calls())
	}
	if h.row("913572").LobbyState != models.LobbyNone {
		t.Fatal("not re-read")
	}
}

func TestPastTimerAnswerExplained(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.be.lobbyFn = func(token string, s models.LobbyState, _ *time.Time) (models.Room, error) {
		r, _ := h.be.find(token)
		r.LobbyState, r.LobbyTimer = models.LobbyNone, 0
		return r, nil
	}
	h.selectRoom("913572")
	h.press("t", "enter")
	mustContain(t, h.outcome("913572").text, "the server lifted the lobby at once")
}

func TestTimerPassedWhileConfirmingNotSent(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("748392") // call running: t → enter asks first
	h.press("t", "enter")
	if modal(h.m) != modalConfirm {
		t.Fatal("no confirm")
	}
	h.clock.Add(2 * time.Hour) // the user walked away
	h.press("y")
	if n := countCalls(h.be, "lobby"); n != 0 {
		t.Fatalf("a passed timer was sent: %v", h.be.Calls())
	}
	o := h.outcome("748392")
	if o.ok || o.kind != client.KindInvalidInput {
		t.Fatalf("outcome %+v", o)
	}
	mustContain(t, h.view(), "not sent: the lobby timer")
}
