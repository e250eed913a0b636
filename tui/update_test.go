package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
)

func newDemo(t *testing.T, w, h int) *harness {
	t.Helper()
	return newHarness(t, &fakeBackend{rooms: demoRooms(), caps: fullCaps(), hash: "h1"}, w, h)
}

func countCalls(be *fakeBackend, prefix string) int {
	n := 0
	for _, c := range be.Calls() {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

func TestStartLoadsCapabilitiesAndList(t *testing.T) {
	h := newDemo(t, 80, 24)
	if got := h.be.Calls(); len(got) != 2 || got[0] != "caps" || got[1] != "list" {
		t.Fatalf("calls = %v, want caps then a full list", got)
	}
	if !h.m.caps.Known || len(h.m.table.all) != 7 || len(h.m.table.visible) != 5 {
		t.Fatalf("caps %v, %d rooms, %d visible", h.m.caps.Known, len(h.m.table.all), len(h.m.table.visible))
	}
	// sorted by last activity, newest first
	if got := h.m.table.visible[0].room.Token; got != "162534" {
		t.Errorf("first row %s", got)
	}
	if _, d, ok := h.lastPoll(); !ok || d != 30*time.Second {
		t.Errorf("next poll in %v (%v), want 30s", d, ok)
	}
}

func TestStaleListAnswerDropped(t *testing.T) {
	be := &fakeBackend{rooms: demoRooms(), caps: fullCaps()}
	h := newHarness(t, be, 80, 24)
	// the poll sends a list request; its answer is slow
	p, _, _ := h.lastPoll()
	old := demoRooms()
	old[0].DisplayName = "OLD NAME"
	be.rooms = old
	slow := h.send(p)
	if len(slow) != 1 {
		t.Fatalf("poll gave %d msgs", len(slow))
	}
	// an action's answer comes first: it is newer than the list
	fresh := demoRooms()
	fresh[0].DisplayName = "NEW NAME"
	be.rooms = fresh
	h.selectRoom("162534")
	h.press("t", "+", "enter")
	if got := h.row("162534").DisplayName; got != "NEW NAME" {
		t.Fatalf("after t: %q", got)
	}
	// the older list answer arrives last: the room keeps the newer state
	h.deliver(slow)
	if got := h.row("162534").DisplayName; got != "NEW NAME" {
		t.Fatalf("stale answer applied: %q", got)
	}
}

// r while a refresh is on its way starts no second one, and
// "refreshing…" ends with the answer.
func TestRefreshWhileRefreshingStartsNone(t *testing.T) {
	h := newDemo(t, 80, 24)
	p, _, _ := h.lastPoll()
	slow := h.send(p)
	if len(slow) != 1 {
		t.Fatalf("poll gave %d msgs", len(slow))
	}
	before := countCalls(h.be, "list")
	if msgs := h.send(keyMsg("r")); len(msgs) != 0 {
		t.Fatalf("r sent a second list request: %v", msgs)
	}
	if countCalls(h.be, "list") != before {
		t.Fatalf("calls %v", h.be.Calls())
	}
	mustContain(t, h.view(), "refreshing…")
	h.deliver(slow)
	if strings.Contains(h.view(), "refreshing…") {
		t.Errorf("refreshing… stays after the answer:\n%s", h.view())
	}
	// a refresh when none is on its way starts one; its message ends
	// with the answer too
	msgs := h.send(keyMsg("r"))
	if len(msgs) != 1 {
		t.Fatalf("r: %d msgs", len(msgs))
	}
	mustContain(t, h.view(), "refreshing…")
	h.deliver(msgs)
	if strings.Contains(h.view(), "refreshing…") {
		t.Errorf("refreshing… stays after the answer")
	}
}

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
		if h.m.modal != modalNone {
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
	if h.m.flash.level == levelErr {
		t.Errorf("status error kept after keys: %q", h.m.flash.text)
	}
	// the next action clears it
	h.be.lobbyFn = nil
	h.press("l")
	if o := h.outcome("913572"); !o.ok {
		t.Fatalf("after a new action: %+v", o)
	}
}

// The 1 s tick runs only while a timer is on screen.
func TestCountdownTickOnlyWithTimerOnScreen(t *testing.T) {
	be := demoBackend()
	for i := range be.rooms {
		be.rooms[i].LobbyTimer = 0
	}
	h := newHarness(t, be, 80, 24)
	if n := len(takeSched[countdownMsg](h)); n != 0 {
		t.Fatalf("%d countdown ticks with no timer on screen", n)
	}
	h.press("j", "k")
	if n := len(takeSched[countdownMsg](h)); n != 0 {
		t.Fatalf("%d countdown ticks after keys", n)
	}
	h.selectRoom("913572")
	h.press("t") // the picker counts down too
	if n := len(takeSched[countdownMsg](h)); n != 1 {
		t.Fatalf("%d countdown ticks with the picker open", n)
	}
	h.press("esc")
	h.settle(countdownMsg{})
	if n := len(takeSched[countdownMsg](h)); n != 0 {
		t.Fatalf("the tick went on after the picker closed: %d", n)
	}
}

func TestTimerExpiryRereadsRoom(t *testing.T) {
	h := newDemo(t, 80, 24)
	if n := len(takeSched[countdownMsg](h)); n != 1 {
		t.Fatalf("countdown ticks armed: %d", n)
	}
	mustContain(t, h.view(), "on · opens in 25m")
	h.clock.Add(24*time.Minute + 30*time.Second)
	h.settle(countdownMsg{})
	mustContain(t, h.view(), "on · opens in 1m")
	if n := countCalls(h.be, "get"); n != 0 {
		t.Fatalf("GET before expiry")
	}
	// the server lifts the lobby lazily, on read
	r, _ := h.be.find("162534")
	r.LobbyState, r.LobbyTimer = models.LobbyNone, 0
	h.be.put(r)
	h.clock.Add(31 * time.Second)
	takeSched[countdownMsg](h)
	h.settle(countdownMsg{})
	if got := h.be.Calls(); got[len(got)-1] != "get 162534" {
		t.Fatalf("calls %v", got)
	}
	if got := h.row("162534").LobbyState; got != models.LobbyNone {
		t.Fatalf("lobby %v after the re-read", got)
	}
	mustContain(t, h.view(), "the lobby timer passed: the server says the lobby is off")
	// once: no second GET for the same timer
	h.settle(countdownMsg{})
	if n := countCalls(h.be, "get"); n != 1 {
		t.Fatalf("%d GETs", n)
	}
}

func TestExpiryOffScreenCheckedAtPoll(t *testing.T) {
	h := newDemo(t, 80, 24)
	// filter the countdown off screen
	h.press("/", "b", "o", "a", "r", "d", "enter")
	if len(h.m.table.visible) != 1 {
		t.Fatalf("filter: %d rows", len(h.m.table.visible))
	}
	takeSched[countdownMsg](h)
	h.settle(countdownMsg{})
	if n := len(takeSched[countdownMsg](h)); n != 0 {
		t.Fatalf("countdown keeps ticking with no timer on screen")
	}
	h.clock.Add(30 * time.Minute)
	p, _, _ := h.lastPoll()
	h.settle(p)
	if n := countCalls(h.be, "get 162534"); n != 1 {
		t.Fatalf("expired room not re-read at the poll: %v", h.be.Calls())
	}
}

func TestRereadOvertakenByActionDropped(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.clock.Add(26 * time.Minute)
	takeSched[countdownMsg](h)
	reread := h.send(countdownMsg{})
	if len(reread) != 1 {
		t.Fatalf("re-read msgs %d", len(reread))
	}
	// meanwhile the user sets a new timer; its answer comes first
	h.selectRoom("162534")
	h.press("t", "n", "enter")
	want := h.row("162534")
	if want.LobbyState != models.LobbyModeratorsOnly || want.LobbyTimer == 0 {
		t.Fatalf("after t: %+v", want)
	}
	stale := reread[0].(rereadMsg)
	stale.room = want
	stale.room.LobbyState, stale.room.LobbyTimer = models.LobbyNone, 0
	h.deliver([]tea.Msg{stale})
	if got := h.row("162534"); got.LobbyTimer != want.LobbyTimer {
		t.Fatalf("an older re-read replaced the PUT's answer: %+v", got)
	}
}

func Test429PausesPolling(t *testing.T) {
	h := newDemo(t, 80, 24)
	throttled := &client.APIError{HTTPStatus: 429, Message: "Reached maximum delay", Op: "list rooms"}
	h.be.listFn = func(client.ListOptions) (*client.RoomList, error) { return nil, throttled }
	p, _, _ := h.lastPoll()
	h.settle(p)
	np, d, ok := h.lastPoll()
	if !ok || d != throttlePause {
		t.Fatalf("next poll in %v, want the %v pause", d, throttlePause)
	}
	v := h.view()
	mustContain(t, v, "refresh failed (polling paused until 15:40 CET): "+client.Message(throttled)[:10])
	// r is refused while paused, with why
	before := countCalls(h.be, "list")
	h.press("r")
	if countCalls(h.be, "list") != before {
		t.Fatal("r sent a request while throttled")
	}
	mustContain(t, h.m.flash.text, "throttling this address (429)")
	// an early timer (e.g. an old one) sends nothing and re-arms
	h.clock.Add(time.Minute)
	h.settle(np)
	if countCalls(h.be, "list") != before {
		t.Fatal("polled while paused")
	}
	np, d, _ = h.lastPoll()
	if d != 4*time.Minute {
		t.Errorf("re-armed for %v", d)
	}
	// after the pause, polling resumes
	h.be.listFn = nil
	h.clock.Add(4 * time.Minute)
	h.settle(np)
	if countCalls(h.be, "list") != before+1 {
		t.Fatal("polling did not resume")
	}
	if h.m.listErr != nil {
		t.Errorf("error kept after success: %v", h.m.listErr)
	}
}

func Test429OnActionPausesPolling(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.be.lobbyFn = func(string, models.LobbyState, *time.Time) (models.Room, error) {
		return models.Room{}, &client.APIError{HTTPStatus: 429, Op: "set lobby"}
	}
	h.selectRoom("913572")
	h.press("l")
	if _, d, _ := h.lastPoll(); d != throttlePause {
		t.Fatalf("poll in %v", d)
	}
	if !h.m.c.Now().Before(h.m.pausedUntil) {
		t.Fatal("not paused")
	}
}

func TestNetworkErrorBackoff(t *testing.T) {
	h := newDemo(t, 80, 24)
	down := &client.NetworkError{Op: "list rooms", Host: "cloud.example.com", Cause: "refused", Err: errBoom}
	h.be.listFn = func(client.ListOptions) (*client.RoomList, error) { return nil, down }
	want := []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second}
	for i, w := range want {
		p, _, _ := h.lastPoll()
		h.clock.Add(time.Second)
		h.settle(p)
		if _, d, _ := h.lastPoll(); d != w {
			t.Fatalf("failure %d: next try in %v, want %v", i+1, d, w)
		}
	}
	v := h.view()
	mustContain(t, v, "✗ refresh failed (retrying at 15:35:44): "+client.Message(down)[:20])
	// the console stays usable: keys and actions still work
	h.selectRoom("913572")
	h.press("l")
	if o := h.outcome("913572"); !o.ok {
		t.Fatalf("action while the list fails: %+v", o)
	}
	// the network comes back
	h.be.listFn = nil
	p, _, _ := h.lastPoll()
	h.settle(p)
	if _, d, _ := h.lastPoll(); d != 30*time.Second {
		t.Fatalf("after success next poll in %v", d)
	}
	if h.m.listErr != nil || h.m.backoff != 0 {
		t.Fatalf("backoff not reset")
	}
	if strings.Contains(h.view(), "refresh failed") {
		t.Error("old failure still shown")
	}
}

func TestBackoffIsCapped(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.be.listFn = func(client.ListOptions) (*client.RoomList, error) {
		return nil, &client.APIError{HTTPStatus: 503, Maintenance: true, Op: "list rooms"}
	}
	for i := 0; i < 12; i++ {
		p, _, _ := h.lastPoll()
		h.settle(p)
	}
	if _, d, _ := h.lastPoll(); d != backoffMax {
		t.Fatalf("backoff %v", d)
	}
}

func Test401StopsPollingForGood(t *testing.T) {
	h := newDemo(t, 80, 24)
	unauth := &client.APIError{HTTPStatus: 401, OCSStatus: 997, Op: "list rooms"}
	h.be.listFn = func(client.ListOptions) (*client.RoomList, error) { return nil, unauth }
	p, _, _ := h.lastPoll()
	h.sched = nil
	h.settle(p)
	if _, _, ok := h.lastPoll(); ok {
		t.Fatal("polling continues after a 401")
	}
	mustContain(t, h.view(), client.Message(unauth)[:40])
	n := countCalls(h.be, "list")
	h.press("r")
	if countCalls(h.be, "list") != n {
		t.Fatal("r retried after a 401")
	}
	h.selectRoom("913572")
	h.press("l")
	if countCalls(h.be, "lobby") != 0 {
		t.Fatal("action sent after a 401")
	}
}

// When the selected room leaves the list (demoted: a 403 room), the
// cursor stays where it was instead of jumping to the top; a new filter
// starts at its first match.
// Observation 4: when the selected room leaves the list, the console
// says so by name and why, selects nothing, and the action keys say
// "select a room" until the user moves.
func TestSelectedRoomLeavesTheList(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.press("j", "j", "j")
	sel := h.m.table.selected()
	gone := sel.room
	next := h.m.table.visible[h.m.table.cursor+1].room.Token
	gone.ParticipantType = models.ParticipantUser
	h.be.put(gone)
	h.press("r")
	if got := h.m.table.selected(); got != nil {
		t.Fatalf("selected %s after its room left (want nothing)", got.room.Token)
	}
	mustContain(t, h.m.flash.text, sel.name+" is no longer in your list: you are no longer a moderator")
	for _, k := range []string{"l", "t", "s", "u"} {
		h.press(k)
		if h.m.modal != modalNone || countCalls(h.be, "lobby") != 0 || countCalls(h.be, "sip") != 0 {
			t.Fatalf("%s acted with nothing selected", k)
		}
		mustContain(t, h.m.flash.text, "select a room")
	}
	// a refresh keeps nothing selected
	h.press("r")
	if h.m.table.selected() != nil {
		t.Fatal("a refresh selected a room")
	}
	// moving selects the row that took its place
	h.press("j")
	if got := h.m.table.selected(); got == nil || got.room.Token != next {
		t.Errorf("selected %+v, want %s", got, next)
	}
	h.press("/", "t", "o")
	if h.m.table.cursor != 0 {
		t.Errorf("filter cursor %d", h.m.table.cursor)
	}
}

func TestModifiedSinceMergeAndFullRefresh(t *testing.T) {
	h := newDemo(t, 80, 24)
	var sinces []int64
	base := demoRooms()
	h.be.listFn = func(o client.ListOptions) (*client.RoomList, error) {
		sinces = append(sinces, o.ModifiedSince)
		if o.ModifiedSince > 0 {
			changed := base[1]
			changed.DisplayName = "Town hall (renamed)"
			changed.LastActivity = testNow.Unix()
			return &client.RoomList{Rooms: []models.Room{changed}, ModifiedBefore: testNow.Unix() + 30, TalkHash: "h1"}, nil
		}
		return &client.RoomList{Rooms: base[1:], ModifiedBefore: testNow.Unix() + 300, TalkHash: "h1"}, nil
	}
	h.clock.Add(30 * time.Second)
	p, _, _ := h.lastPoll()
	h.settle(p)
	if sinces[0] != testNow.Unix() {
		t.Fatalf("modifiedSince = %d", sinces[0])
	}
	if got := h.row("748392").DisplayName; got != "Town hall (renamed)" {
		t.Fatalf("not merged: %q", got)
	}
	if len(h.m.table.all) != 7 {
		t.Fatalf("a partial list dropped rooms: %d", len(h.m.table.all))
	}
	if h.m.table.visible[0].room.Token != "748392" {
		t.Errorf("not re-sorted by activity")
	}
	// five minutes on, the full list notices the removed room
	h.clock.Add(5 * time.Minute)
	p, _, _ = h.lastPoll()
	h.settle(p)
	if sinces[len(sinces)-1] != 0 {
		t.Fatalf("no full list after 5 min: %v", sinces)
	}
	if h.m.table.find("162534") != nil {
		t.Fatal("removed room kept")
	}
}

// Capabilities that could not be read at start (network down) are read
// again after the next good list, not only when the Talk hash changes.
func TestFailedCapabilitiesReadAgain(t *testing.T) {
	be := demoBackend()
	down := true
	be.capsFn = func() (models.Capabilities, error) {
		if down {
			return models.Capabilities{}, &client.NetworkError{Op: "capabilities", Host: "cloud.example.com", Cause: "refused", Err: errBoom}
		}
		return fullCaps(), nil
	}
	h := newHarness(t, be, 80, 24)
	if h.m.caps.Known {
		t.Fatal("caps known while down")
	}
	down = false
	before := countCalls(h.be, "caps")
	p, _, _ := h.lastPoll()
	h.settle(p)
	if n := countCalls(h.be, "caps"); n != before+1 || !h.m.caps.Known {
		t.Fatalf("caps not read again: %v", h.be.Calls())
	}
	p, _, _ = h.lastPoll()
	h.settle(p)
	if n := countCalls(h.be, "caps"); n != before+1 {
		t.Fatalf("caps read again though known: %v", h.be.Calls())
	}
}

func TestTalkHashChangeRereadsCapabilities(t *testing.T) {
	h := newDemo(t, 80, 24)
	caps := fullCaps()
	caps.SIPConfigured = boolp(false)
	h.be.caps = caps
	p, _, _ := h.lastPoll()
	h.settle(p)
	if n := countCalls(h.be, "caps"); n != 1 {
		t.Fatalf("caps read again without a hash change")
	}
	h.be.hash = "h2"
	p, _, _ = h.lastPoll()
	h.settle(p)
	if n := countCalls(h.be, "caps"); n != 2 {
		t.Fatalf("caps not re-read on a new hash: %v", h.be.Calls())
	}
	// SIP controls follow the capabilities
	h.selectRoom("913572")
	h.press("s")
	if h.m.modal != modalNone {
		t.Fatal("SIP dialog opened though SIP is not configured")
	}
	mustContain(t, h.m.flash.text, "not configured")
	mustContain(t, h.view(), "SIP unavailable: SIP dial-in is not configured")
}

func TestStaleCapsDropped(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.m.capsSeq = 5
	h.settle(capsMsg{seq: 4, caps: models.Capabilities{}})
	if !h.m.caps.Known {
		t.Fatal("stale caps applied")
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
	if h.m.modal != modalConfirm {
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
	if h.m.modal != modalConfirm {
		t.Fatal("no confirm")
	}
	mustContain(t, h.view(), "Turning the lobby on removes")
	h.press("n")
	if h.m.modal != modalNone || countCalls(h.be, "lobby") != 0 {
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

func TestPickerSetsTimer(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("913572")
	h.press("t")
	if h.m.modal != modalPicker {
		t.Fatal("no picker")
	}
	v := h.view()
	mustContain(t, v, "Lobby timer · Board meeting")
	mustContain(t, v, "Europe/Berlin (CET, UTC+01:00) · 15:00 UTC · in 25m")
	h.press("+", "enter")
	if h.m.modal != modalNone {
		t.Fatal("picker still open after a valid enter")
	}
	if got := h.be.Calls(); got[len(got)-1] != "lobby 913572 on 15:15" {
		t.Fatalf("sent %v", got)
	}
	o := h.outcome("913572")
	if o.text != "lobby on until 16:15 CET, in 40m" {
		t.Fatalf("outcome %q", o.text)
	}
	mustContain(t, h.view(), "on · opens in 40m")
}

func TestPickerStartsAtRoomTimer(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("162534")
	h.press("t")
	if got := h.m.picker.dt.Value().UTC(); !got.Equal(testNow.Add(25 * time.Minute)) {
		t.Fatalf("picker at %v", got)
	}
}

func TestPickerPastRefusedInlineBeforeSending(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("913572")
	h.press("t", "-", "-", "-", "enter") // 16:00 - 45m = 15:15 CET, in the past
	if h.m.modal != modalPicker {
		t.Fatal("picker closed on a past time")
	}
	if n := countCalls(h.be, "lobby"); n != 0 {
		t.Fatal("a past time was sent")
	}
	v := h.view()
	mustContain(t, v, "14:15 UTC")
	mustContain(t, v, "past")
	// the typed value is kept; fixing it sends
	h.press("n", "enter")
	if n := countCalls(h.be, "lobby 913572 on 15:00"); n != 1 {
		t.Fatalf("calls %v", h.be.Calls())
	}
}

func TestPickerTooFarRefused(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("913572")
	h.press("t", "left", "left", "left", "2", "0", "2", "8", "enter")
	if h.m.modal != modalPicker || countCalls(h.be, "lobby") != 0 {
		t.Fatalf("a time two years ahead was sent: %v", h.be.Calls())
	}
	mustContain(t, h.view(), "year")
}

func TestPickerClearKeepsLobbyOn(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("162534")
	h.press("t", "x")
	if h.m.modal != modalConfirm || countCalls(h.be, "lobby") != 0 {
		t.Fatal("x sent before saying what it does")
	}
	mustContain(t, h.view(), "Drop the timer set for 16:00 CET and keep the lobby on?")
	h.press("y")
	if got := h.be.Calls(); got[len(got)-1] != "lobby 162534 on nil" {
		t.Fatalf("sent %v", got)
	}
	if got := h.row("162534"); got.LobbyState != models.LobbyModeratorsOnly || got.LobbyTimer != 0 {
		t.Fatalf("row %+v", got)
	}
	mustContain(t, h.outcome("162534").text, "timer removed")
}

func TestPickerCancelSendsNothing(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("162534")
	h.press("t", "+", "esc")
	if h.m.modal != modalNone || countCalls(h.be, "lobby") != 0 {
		t.Fatal("esc sent something")
	}
}

func TestPickerZoneKey(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("913572")
	h.press("t", "z")
	mustContain(t, h.view(), "UTC · in 25m")
	h.press("z")
	mustContain(t, h.view(), "America/New_York (EST, UTC-05:00)")
}

func TestSIPDialog(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("913572")
	h.press("s")
	if h.m.modal != modalSIP || h.m.sip.cursor != 0 {
		t.Fatalf("modal %v cursor %d", h.m.modal, h.m.sip.cursor)
	}
	h.press("j", "j", "enter")
	if got := h.be.Calls(); got[len(got)-1] != "sip 913572 on without PIN" {
		t.Fatalf("sent %v", got)
	}
	mustContain(t, h.view(), "no PIN")
	if got := h.outcome("913572").text; got != "SIP dial-in on without PIN" {
		t.Fatalf("outcome %q", got)
	}
	// the same state again sends nothing
	h.press("s", "enter")
	if n := countCalls(h.be, "sip"); n != 1 {
		t.Fatal("same state sent")
	}
	// esc cancels
	h.press("s", "k", "esc")
	if n := countCalls(h.be, "sip"); n != 1 {
		t.Fatal("esc sent")
	}
}

func TestSIPNoPINNeedsCapability(t *testing.T) {
	be := &fakeBackend{rooms: demoRooms(), caps: fullCaps()}
	delete(be.caps.Features, models.FeatureSIPNoPIN)
	h := newHarness(t, be, 80, 24)
	h.selectRoom("913572")
	h.press("s", "3")
	mustContain(t, h.view(), "on without PIN · unavailable")
	h.press("enter")
	if h.m.modal != modalSIP || countCalls(be, "sip") != 0 {
		t.Fatal("state 2 sent without sip-support-nopin")
	}
	mustContain(t, h.view(), "sip-support-nopin")
	h.press("2", "enter")
	if countCalls(be, "sip 913572 on with PIN") != 1 {
		t.Fatalf("%v", be.Calls())
	}
	mustContain(t, h.view(), "your PIN")
}

func TestSIPDialInCard(t *testing.T) {
	h := newDemo(t, 120, 40)
	h.selectRoom("748392")
	mustContain(t, h.view(), "on with PIN · dial in: meeting ID 748392, your PIN 846213")
}

func TestGreyedRoomsBehindAll(t *testing.T) {
	h := newDemo(t, 120, 40)
	if h.m.table.find("bob1") == nil {
		t.Fatal("all rooms are kept")
	}
	for _, e := range h.m.table.visible {
		if e.greyed {
			t.Fatalf("greyed %s listed by default", e.room.Token)
		}
	}
	h.press("a")
	if len(h.m.table.visible) != 7 {
		t.Fatalf("a shows %d", len(h.m.table.visible))
	}
	h.selectRoom("watch1")
	v := h.view()
	mustContain(t, v, "cannot be changed here: you are not a moderator of this conversation (you are a participant)")
	h.press("l")
	if countCalls(h.be, "lobby") != 0 {
		t.Fatal("action on a greyed room sent")
	}
	mustContain(t, h.m.flash.text, "cannot change All staff (I only watch): you are not a moderator")
	h.press("a")
	if len(h.m.table.visible) != 5 {
		t.Fatal("a again did not hide")
	}
}

func TestFilterByNameOrToken(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.press("/", "t", "o", "w", "n")
	if len(h.m.table.visible) != 1 || h.m.table.visible[0].room.Token != "748392" {
		t.Fatalf("filter town: %d", len(h.m.table.visible))
	}
	// q is typed, not quit
	h.press("q")
	if h.m.filterIn != "townq" {
		t.Fatalf("filter %q", h.m.filterIn)
	}
	h.press("backspace", "enter")
	if h.m.filtering || len(h.m.table.visible) != 1 {
		t.Fatal("enter should keep the filter")
	}
	mustContain(t, h.view(), "/town")
	h.press("esc")
	if h.m.filterIn != "" || len(h.m.table.visible) != 5 {
		t.Fatal("esc did not clear")
	}
	h.press("/", "9", "1", "3")
	if len(h.m.table.visible) != 1 || h.m.table.visible[0].room.Token != "913572" {
		t.Fatal("filter by token")
	}
	h.press("esc")
	if h.m.filtering || len(h.m.table.visible) != 5 {
		t.Fatal("esc while typing did not clear")
	}
}

func TestNavigationKeys(t *testing.T) {
	be := &fakeBackend{caps: fullCaps()}
	for i := 0; i < 100; i++ {
		be.rooms = append(be.rooms, models.Room{Token: fmt.Sprintf("t%03d", i), DisplayName: fmt.Sprintf("room %03d", i),
			Type: models.ConversationGroup, ParticipantType: models.ParticipantOwner, LastActivity: int64(1000 - i)})
	}
	h := newHarness(t, be, 80, 24)
	page := h.m.table.height
	h.press("j", "j", "down")
	if h.m.table.cursor != 3 {
		t.Fatalf("cursor %d", h.m.table.cursor)
	}
	h.press("k", "up")
	if h.m.table.cursor != 1 {
		t.Fatal("up")
	}
	h.press("pgdown")
	if h.m.table.cursor != 1+page {
		t.Fatalf("pgdn: %d", h.m.table.cursor)
	}
	h.press("G")
	if h.m.table.cursor != 99 || h.m.table.offset != 100-page {
		t.Fatalf("G: cursor %d offset %d", h.m.table.cursor, h.m.table.offset)
	}
	mustContain(t, h.view(), "> room 099")
	h.press("pgup", "g")
	if h.m.table.cursor != 0 || h.m.table.offset != 0 {
		t.Fatal("g")
	}
}

func TestZoneCycles(t *testing.T) {
	h := newDemo(t, 120, 40)
	mustContain(t, h.view(), "Europe/Berlin (CET, UTC+01:00)")
	mustContain(t, h.view(), "until 16:00 CET = 15:00 UTC, in 25m")
	h.press("z")
	mustContain(t, h.view(), "UTC · refreshed 14:35:00")
	mustContain(t, h.view(), "until 15:00 UTC, in 25m")
	h.press("z")
	mustContain(t, h.view(), "America/New_York (EST, UTC-05:00)")
	mustContain(t, h.view(), "until 10:00 EST = 15:00 UTC, in 25m")
	h.press("z")
	mustContain(t, h.view(), "Europe/Berlin (CET, UTC+01:00)")
}

func TestZoneWithoutConfig(t *testing.T) {
	clock := &fakeClock{t: testNow}
	opts := testOptions(t, &fakeBackend{}, clock)
	opts.Zone = nil
	m := newModel(context.TODO(), opts)
	if len(m.c.zones) != 2 {
		t.Fatalf("zones %d", len(m.c.zones))
	}
}

// A support person on a host whose clock is UTC: the local zone is
// named, shown once (no "04:11 UTC = 04:11 UTC"), and z, having nothing
// to cycle to, says why.
func TestUTCHost(t *testing.T) {
	for _, tc := range []struct {
		name   string
		local  *time.Location
		header string
	}{
		{"Etc/UTC", mustZone(t, "Etc/UTC"), "UTC · refreshed"},
		{"time.UTC", time.UTC, "UTC · refreshed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			be := demoBackend()
			clock := &fakeClock{t: testNow}
			opts := testOptions(t, be, clock)
			opts.Local, opts.Zone = tc.local, nil
			m := newModel(context.Background(), opts)
			m.table.sortBy = sortByActivity
			m.after = func(d time.Duration, msg tea.Msg) tea.Cmd {
				return func() tea.Msg { return scheduledMsg{d, msg} }
			}
			h := &harness{t: t, m: m, be: be, clock: clock}
			h.settle(tea.WindowSizeMsg{Width: 120, Height: 40})
			h.settleCmd(m.Init())
			if len(h.m.c.zones) != 1 {
				t.Fatalf("zones %v", h.m.c.zones)
			}
			v := h.view()
			mustContain(t, v, tc.header)
			mustContain(t, v, "until 15:00 UTC, in 25m")
			if strings.Contains(v, "UTC = ") {
				t.Errorf("the UTC time is shown twice:\n%s", v)
			}
			h.press("z")
			mustContain(t, h.view(), "! UTC only: the local zone is UTC and no other zone is configured")
			h.press("?")
			mustContain(t, h.view(), "z  UTC only: the local zone is UTC")
			h.press("esc", "t")
			v = h.view()
			mustContain(t, v, "UTC · in 25m")
			if strings.Contains(v, "Local") || strings.Contains(v, "z changes") {
				t.Errorf("picker:\n%s", v)
			}
		})
	}
}

func TestConfigZoneNotTwice(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	for _, tc := range []struct {
		local, config *time.Location
		want          int
	}{
		{berlin, mustZone(t, "Europe/Berlin"), 2}, // same zone, another pointer
		{berlin, mustZone(t, "Etc/UTC"), 2},       // UTC is a choice already
		{berlin, mustZone(t, "America/New_York"), 3},
		{mustZone(t, "Etc/UTC"), time.UTC, 1},
	} {
		if got := newZones(tc.local, tc.config); len(got) != tc.want {
			t.Errorf("newZones(%v, %v) = %v, want %d zones", tc.local, tc.config, got, tc.want)
		}
	}
}

func TestNamedLocal(t *testing.T) {
	env := func(v string, set bool) func(string) (string, bool) {
		return func(string) (string, bool) { return v, set }
	}
	link := func(target string) func(string) (string, error) {
		return func(string) (string, error) {
			if target == "" {
				return "", errBoom
			}
			return target, nil
		}
	}
	// what time.Local is decides what may be named: use its own rules
	localName := ""
	for _, n := range []string{"Etc/UTC", "Europe/Berlin", "America/New_York"} {
		if loc, err := time.LoadLocation(n); err == nil && sameRules(loc, time.Local) {
			localName = n
			break
		}
	}
	if localName == "" {
		t.Skip("time.Local is none of the zones this test knows")
	}
	cases := []struct {
		name   string
		lookup func(string) (string, bool)
		read   func(string) (string, error)
		want   string
	}{
		{"TZ name", env(localName, true), link(""), localName},
		{"TZ with colon", env(":"+localName, true), link(""), localName},
		{"TZ path", env("/usr/share/zoneinfo/"+localName, true), link(""), localName},
		{"TZ empty is UTC", env("", true), link(""), "UTC"},
		{"link target", env("", false), link("/usr/share/zoneinfo/" + localName), localName},
		{"relative link", env("", false), link("../usr/share/zoneinfo/" + localName), localName},
		{"no link", env("", false), link(""), "Local"},
		{"unknown name", env("Nowhere/Atlantis", true), link(""), "Local"},
		{"a zone that is not the local one", env("Asia/Kathmandu", true), link(""), "Local"},
	}
	for _, tc := range cases {
		if got := namedLocal(tc.lookup, tc.read).String(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func sameRules(a, b *time.Location) bool {
	for _, t := range []time.Time{time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)} {
		a1, o1 := t.In(a).Zone()
		a2, o2 := t.In(b).Zone()
		if a1 != a2 || o1 != o2 {
			return false
		}
	}
	return true
}

// A long name does not wrap a dialog's title (the box keeps its height).
func TestLongNameInDialogTitles(t *testing.T) {
	be := demoBackend()
	be.rooms[0].DisplayName = strings.Repeat("Very long webinar name ", 10)
	h := newHarness(t, be, 80, 24)
	h.selectRoom(be.rooms[0].Token)
	for _, k := range []string{"t", "s"} {
		h.press(k)
		v := h.view()
		n := 0
		for _, l := range strings.Split(v, "\n") {
			if strings.Contains(l, "Very long") || strings.Contains(l, "name Very") {
				n++
			}
		}
		if n > 2 { // the row and the title
			t.Errorf("%s: the title wraps (%d):\n%s", k, n, v)
		}
		if len(strings.Split(v, "\n")) != 24 {
			t.Errorf("%s: %d lines", k, len(strings.Split(v, "\n")))
		}
		h.press("esc")
	}
}

// Keys that arrive in one read (tmux send-keys "jjj", a script, fast
// typing) are each a press.
func TestKeysInOneRead(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.settle(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj")})
	if h.m.table.cursor != 2 {
		t.Errorf("cursor %d after \"jj\", want 2", h.m.table.cursor)
	}
	// a paste is text, not keys
	h.settle(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj"), Paste: true})
	if h.m.table.cursor != 2 {
		t.Errorf("cursor %d after a paste", h.m.table.cursor)
	}
	h.settle(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/bo")})
	if !h.m.filtering || h.m.filterIn != "bo" {
		t.Errorf("filtering %v %q", h.m.filtering, h.m.filterIn)
	}
}

// At 80 columns the bottom line keeps "? help" and "q quit".
func TestShortHelpKeepsHelpAndQuit(t *testing.T) {
	for _, w := range []int{60, 80, 120} {
		h := newDemo(t, w, 24)
		lines := strings.Split(h.view(), "\n")
		last := lines[len(lines)-1]
		mustContain(t, last, "? help")
		mustContain(t, last, "q quit")
		_, act, other, _ := h.m.keysNow()
		bs := append(act, other...)
		hm := h.m.help
		hm.Width = 0
		if got, want := shortHelpWidth(hm, bs), ansi.StringWidth(hm.ShortHelpView(bs)); got != want {
			t.Errorf("shortHelpWidth %d, rendered %d", got, want)
		}
		if w >= 120 {
			mustContain(t, last, "r refresh")
			mustContain(t, last, "z time zone")
		}
	}
}

// The picker's keys are said once (in its box, not again on the bottom
// line); x no timer, enter and esc stay at every width, and quit too.
func TestPickerHintsOnce(t *testing.T) {
	for _, w := range []int{60, 76, 80, 120} {
		h := newDemo(t, w, 24)
		h.selectRoom("913572")
		h.press("t")
		v := h.view()
		for _, hint := range []string{"x no timer", "esc cancel", "enter set"} {
			if n := strings.Count(v, hint); n != 1 {
				t.Errorf("%d: %q shown %d times:\n%s", w, hint, n, v)
			}
		}
		lines := strings.Split(v, "\n")
		mustContain(t, lines[len(lines)-1], "ctrl+c quit")
	}
}

// The header keeps the user and the zone when the server URL is long.
func TestHeaderKeepsUserAndZone(t *testing.T) {
	be := demoBackend()
	clock := &fakeClock{t: testNow}
	opts := testOptions(t, be, clock)
	opts.Server = "https://a-very-long-host-name.cloud.example.com/nextcloud/index.php"
	opts.User = "support-agent-alice"
	m := newModel(context.Background(), opts)
	for _, w := range []int{60, 80, 100, 120} {
		m.c.Width = w
		head := m.headerView(testNow)
		if ansi.StringWidth(head) > w {
			t.Errorf("%d: header %d wide", w, ansi.StringWidth(head))
		}
		mustContain(t, head, "support-agent-alice")
		mustContain(t, head, "CET")
	}
}

func TestDetailKeyAndHelp(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.press("enter")
	if !h.m.detailFull {
		t.Fatal("enter")
	}
	v := h.view()
	mustContain(t, v, "Quarterly results")
	mustContain(t, v, "and questions")
	h.press("esc")
	if h.m.detailFull {
		t.Fatal("esc")
	}
	h.press("?")
	mustContain(t, h.view(), "Keys")
	h.press("?")
	if h.m.showHelp {
		t.Fatal("? again")
	}
}

func TestHelpSaysWhyKeysAreUnavailable(t *testing.T) {
	be := &fakeBackend{rooms: demoRooms(), caps: fullCaps()}
	be.caps.CanEnableSIP = boolp(false)
	h := newHarness(t, be, 120, 40)
	if strings.Contains(h.m.shortHelpView(), "SIP") {
		t.Error("short help offers s though SIP cannot be enabled")
	}
	h.press("?")
	mustContain(t, h.view(), "Not available here:")
	mustContain(t, h.view(), "s  you are not in the groups the administrator allowed")
	h.press("esc", "s")
	mustContain(t, h.m.flash.text, "cannot switch SIP dial-in: you are not in the groups")
}

// A key pressed on the help screen closes it and does nothing else: it
// must not change a room the user cannot see.
func TestKeyOnHelpOnlyClosesIt(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("913572")
	h.press("?", "l")
	if h.m.showHelp || countCalls(h.be, "lobby") != 0 || h.m.pendingCount() != 0 {
		t.Fatalf("help %v, calls %v", h.m.showHelp, h.be.Calls())
	}
	h.press("l")
	if countCalls(h.be, "lobby") != 1 {
		t.Fatalf("calls %v", h.be.Calls())
	}
}

func TestNoRoomKeysSayWhy(t *testing.T) {
	h := newHarness(t, &fakeBackend{caps: fullCaps()}, 80, 24)
	for _, k := range []string{"l", "t", "s", "enter"} {
		h.press(k)
		mustContain(t, h.m.flash.text, "no conversation")
	}
}

func TestTooSmall(t *testing.T) {
	h := newDemo(t, 50, 12)
	v := h.view()
	mustContain(t, v, "terminal too small: 50x12")
	h.press("l")
	if countCalls(h.be, "lobby") != 0 {
		t.Fatal("keys act while too small")
	}
	h.settle(tea.WindowSizeMsg{Width: 80, Height: 24})
	mustContain(t, h.view(), "Q3 all-hands webinar")
	h = newDemo(t, 50, 12)
	nm, cmd := h.m.Update(keyMsg("q"))
	_ = nm
	if cmd == nil {
		t.Fatal("q does not quit when too small")
	}
}

func TestViewFitsTerminal(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {60, 16}, {120, 40}, {200, 60}, {81, 25}} {
		h := newDemo(t, sz[0], sz[1])
		for _, keys := range [][]string{nil, {"enter"}, {"esc", "t"}, {"esc", "s"}, {"esc", "?"}, {"esc", "/", "x"}} {
			h.press(keys...)
			v := h.view()
			lines := strings.Split(v, "\n")
			if len(lines) != sz[1] {
				t.Errorf("%v %v: %d lines", sz, keys, len(lines))
			}
			for i, l := range lines {
				if w := len([]rune(l)); w > sz[0] {
					t.Errorf("%v %v: line %d is %d wide: %q", sz, keys, i, w, l)
				}
			}
		}
	}
}

func TestQuit(t *testing.T) {
	h := newDemo(t, 80, 24)
	for _, k := range []string{"q", "ctrl+c"} {
		_, cmd := h.m.Update(keyMsg(k))
		if cmd == nil {
			t.Fatalf("%s", k)
		}
		found := false
		for _, msg := range runAll(cmd) {
			if _, ok := msg.(tea.QuitMsg); ok {
				found = true
			}
		}
		if !found {
			t.Errorf("%s does not quit", k)
		}
	}
	// ctrl+c quits from a dialog too
	h.press("t")
	_, cmd := h.m.Update(keyMsg("ctrl+c"))
	if cmd == nil {
		t.Fatal("ctrl+c in the picker")
	}
}

func runAll(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		if b, ok := msg.(tea.BatchMsg); ok {
			var out []tea.Msg
			for _, c := range b {
				out = append(out, runAll(c)...)
			}
			return out
		}
		return []tea.Msg{msg}
	case <-time.After(50 * time.Millisecond):
		return nil // a timer
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
			if busy := h.m.isPending("913572"); busy {
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
	if !h.m.state("913572").gone || !h.m.needFull {
		t.Fatal("404 does not mark the room gone")
	}
	mustContain(t, h.view(), "leaves the list")
	// the next poll is a full list, and the room leaves
	h.be.rooms = demoRooms()[:4]
	p, _, _ := h.lastPoll()
	h.settle(p)
	if h.m.table.find("913572") != nil {
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
	if h.m.modal != modalConfirm {
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

func TestNoRereadWhileThrottled(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.be.listFn = func(client.ListOptions) (*client.RoomList, error) {
		return nil, &client.APIError{HTTPStatus: 429, Op: "list rooms"}
	}
	h.clock.Add(24 * time.Minute)
	p, _, _ := h.lastPoll()
	h.settle(p)
	h.clock.Add(2 * time.Minute) // the countdown passes during the pause
	h.settle(countdownMsg{})
	if n := countCalls(h.be, "get"); n != 0 {
		t.Fatalf("re-read while throttled: %v", h.be.Calls())
	}
}
