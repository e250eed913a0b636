package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/accounts"
	"github.com/talkmod/talkmod/tui/common"
)

func TestStartLoadsCapabilitiesAndList(t *testing.T) {
	h := newDemo(t, 80, 24)
	if got := h.be.Calls(); len(got) != 2 || got[0] != "caps" || got[1] != "list" {
		t.Fatalf("calls = %v, want caps then a full list", got)
	}
	if !h.m.accts[0].Caps.Known || len(h.m.table.All) != 7 || len(h.m.table.Visible) != 5 {
		t.Fatalf("caps %v, %d rooms, %d visible", h.m.accts[0].Caps.Known, len(h.m.table.All), len(h.m.table.Visible))
	}
	// sorted by last activity, newest first
	if got := h.m.table.Visible[0].Room.Token; got != "162534" {
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
	if len(h.m.table.Visible) != 1 {
		t.Fatalf("filter: %d rows", len(h.m.table.Visible))
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
	if !ok || d != common.ThrottlePause {
		t.Fatalf("next poll in %v, want the %v pause", d, common.ThrottlePause)
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
	if h.m.accts[0].Sync.ListErr != nil {
		t.Errorf("error kept after success: %v", h.m.accts[0].Sync.ListErr)
	}
}

func Test429OnActionPausesPolling(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.be.lobbyFn = func(string, models.LobbyState, *time.Time) (models.Room, error) {
		return models.Room{}, &client.APIError{HTTPStatus: 429, Op: "set lobby"}
	}
	h.selectRoom("913572")
	h.press("l")
	if _, d, _ := h.lastPoll(); d != common.ThrottlePause {
		t.Fatalf("poll in %v", d)
	}
	if !h.m.c.Now().Before(h.m.accts[0].Sync.PausedUntil) {
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
	if h.m.accts[0].Sync.ListErr != nil || h.m.accts[0].Sync.Backoff != 0 {
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
	if _, d, _ := h.lastPoll(); d != accounts.BackoffMax {
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
	sel := h.m.table.Selected()
	gone := sel.Room
	next := h.m.table.Visible[h.m.table.Cursor+1].Room.Token
	gone.ParticipantType = models.ParticipantUser
	h.be.put(gone)
	h.press("r")
	if got := h.m.table.Selected(); got != nil {
		t.Fatalf("selected %s after its room left (want nothing)", got.Room.Token)
	}
	mustContain(t, h.m.flash.text, sel.Name+" is no longer in your list: you are no longer a moderator")
	for _, k := range []string{"l", "t", "s", "u"} {
		h.press(k)
		if modal(h.m) != modalNone || countCalls(h.be, "lobby") != 0 || countCalls(h.be, "sip") != 0 {
			t.Fatalf("%s acted with nothing selected", k)
		}
		mustContain(t, h.m.flash.text, "select a room")
	}
	// a refresh keeps nothing selected
	h.press("r")
	if h.m.table.Selected() != nil {
		t.Fatal("a refresh selected a room")
	}
	// moving selects the row that took its place
	h.press("j")
	if got := h.m.table.Selected(); got == nil || got.Room.Token != next {
		t.Errorf("selected %+v, want %s", got, next)
	}
	h.press("/", "t", "o")
	if h.m.table.Cursor != 0 {
		t.Errorf("filter cursor %d", h.m.table.Cursor)
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
	if len(h.m.table.All) != 7 {
		t.Fatalf("a partial list dropped rooms: %d", len(h.m.table.All))
	}
	if h.m.table.Visible[0].Room.Token != "748392" {
		t.Errorf("not re-sorted by activity")
	}
	// five minutes on, the full list notices the removed room
	h.clock.Add(5 * time.Minute)
	p, _, _ = h.lastPoll()
	h.settle(p)
	if sinces[len(sinces)-1] != 0 {
		t.Fatalf("no full list after 5 min: %v", sinces)
	}
	if h.m.table.Find("162534") != nil {
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
	if h.m.accts[0].Caps.Known {
		t.Fatal("caps known while down")
	}
	down = false
	before := countCalls(h.be, "caps")
	p, _, _ := h.lastPoll()
	h.settle(p)
	if n := countCalls(h.be, "caps"); n != before+1 || !h.m.accts[0].Caps.Known {
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
	if modal(h.m) != modalNone {
		t.Fatal("SIP dialog opened though SIP is not configured")
	}
	mustContain(t, h.m.flash.text, "not configured")
	mustContain(t, h.view(), "SIP unavailable: SIP dial-in is not configured")
}

func TestStaleCapsDropped(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.m.accts[0].Sync.CapsSeq = 5
	h.settle(accounts.CapsMsg{Seq: 4, Caps: models.Capabilities{}})
	if !h.m.accts[0].Caps.Known {
		t.Fatal("stale caps applied")
	}
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
