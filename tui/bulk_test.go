package tui

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/accounts"
)

// manyRooms are n group rooms the user owns, lobby off, named Room 01….
func manyRooms(n int) []models.Room {
	out := make([]models.Room, n)
	for i := range out {
		out[i] = models.Room{Token: fmt.Sprintf("%d", 5000+i*7), Type: models.ConversationGroup,
			DisplayName: fmt.Sprintf("Room %02d", i+1), ParticipantType: models.ParticipantOwner,
			CanEnableSIP: true, LastActivity: testNow.Unix()}
	}
	return out
}

func (h *harness) marked(token string) bool {
	return h.m.bulk.marks.Has(token)
}

func (h *harness) markTokens(tokens ...string) {
	h.t.Helper()
	for _, tok := range tokens {
		h.selectRoom(tok)
		h.press(" ")
		if !h.marked(tok) {
			h.t.Fatalf("%s not marked (flash %q)", tok, h.m.flash.text)
		}
	}
}

func lobbyCalls(be *fakeBackend) []string {
	var out []string
	for _, c := range be.Calls() {
		if strings.HasPrefix(c, "lobby ") || strings.HasPrefix(c, "sip ") {
			out = append(out, c)
		}
	}
	return out
}

func TestBulkMarking(t *testing.T) {
	be := demoBackend()
	h := newHarnessByName(t, be, 100, 30)
	h.selectRoom("748392")
	h.press(" ")
	if !h.marked("748392") {
		t.Fatal("space did not mark the selected room")
	}
	v := h.view()
	mustContain(t, v, "● Town hall")
	mustContain(t, v, "1 marked")
	h.press(" ")
	if h.marked("748392") || strings.Contains(h.view(), "● Town hall") {
		t.Fatal("space again did not unmark")
	}
	h.markTokens("748392", "913572")
	mustContain(t, h.view(), "2 marked")

	// marks are identities: a refresh, another order and a filter keep them
	h.settle(accounts.PollMsg{Gen: h.m.accts[0].Sync.PollGen})
	h.press("o", "o")
	h.press("/", "t", "o", "w", "n", "enter")
	if !h.marked("748392") || !h.marked("913572") {
		t.Fatal("marks lost across refresh/sort/filter")
	}
	mustContain(t, h.view(), "2 marked")
	// esc with a filter clears the filter, not the marks
	h.press("esc")
	if h.m.filter.Input != "" || h.m.bulk.marks.Count() != 2 {
		t.Fatalf("esc: filter %q, %d marks", h.m.filter.Input, h.m.bulk.marks.Count())
	}

	// a marked room that leaves the list loses its mark, said by name
	be.mu.Lock()
	var keep []models.Room
	for _, r := range be.rooms {
		if r.Token != "913572" {
			keep = append(keep, r)
		}
	}
	be.rooms = keep
	be.hash = "h2"
	be.mu.Unlock()
	h.press("r")
	if h.marked("913572") || h.m.bulk.marks.Count() != 1 {
		t.Fatalf("the mark of a room that left stayed: %d marks", h.m.bulk.marks.Count())
	}
	mustContain(t, h.m.flash.text, "a marked room left your list and is no longer marked: Board meeting")
	mustContain(t, h.view(), "1 marked")

	// U clears; esc clears when no filter or detail is open
	h.press("U")
	if h.m.bulk.marks.Count() != 0 {
		t.Fatal("U did not clear the marks")
	}
	h.markTokens("748392")
	h.press("esc")
	if h.m.bulk.marks.Count() != 0 {
		t.Fatal("esc did not clear the marks")
	}
	// a room that cannot be changed is not marked
	h.press("a")
	h.selectRoom("bob1")
	h.press(" ")
	if h.marked("bob1") {
		t.Fatal("a one-to-one conversation was marked")
	}
	mustContain(t, h.m.flash.text, "cannot mark Bob")
}

func TestBulkMarkAllUnderFilter(t *testing.T) {
	h := newHarnessByName(t, demoBackend(), 100, 30)
	h.press("/", "o", "a", "r", "enter") // "Board meeting", "Breakout room 1"? no: only names holding "oar"
	want := map[string]bool{}
	for _, e := range h.m.table.Visible {
		want[e.Room.Token] = true
	}
	if len(want) == 0 || len(want) == len(h.m.table.All) {
		t.Fatalf("the filter shows %d rooms", len(want))
	}
	h.press("*")
	for _, e := range h.m.table.All {
		if h.marked(e.Room.Token) != want[e.Room.Token] {
			t.Errorf("%s marked %v, shown %v", e.Name, h.marked(e.Room.Token), want[e.Room.Token])
		}
	}
	mustContain(t, h.view(), strconv.Itoa(len(want))+" marked")
	// clearing the filter keeps them; the next esc clears the marks
	h.press("esc")
	if h.m.bulk.marks.Count() != len(want) {
		t.Fatalf("%d marks after clearing the filter", h.m.bulk.marks.Count())
	}
	h.press("esc")
	if h.m.bulk.marks.Count() != 0 {
		t.Fatalf("%d marks after esc", h.m.bulk.marks.Count())
	}
}

// bulkOnDemo marks Town hall (call), Product launch and the breakout room,
// and opens the lobby confirmation.
func bulkOnDemo(t *testing.T, w, hh int) *harness {
	h := newHarnessByName(t, demoBackend(), w, hh)
	h.markTokens("748392", "abcd2xyz", "brk1")
	h.press("l")
	if modal(h.m) != modalBulkLobby {
		t.Fatalf("l with marks opened %v", modal(h.m))
	}
	h.press("enter")
	if modal(h.m) != modalConfirm {
		t.Fatalf("no confirmation (flash %q)", h.m.flash.text)
	}
	return h
}

func TestBulkConfirmationText(t *testing.T) {
	h := bulkOnDemo(t, 120, 40)
	body := strings.Join(confirmOf(h.m).Body, "\n")
	mustContain(t, body, "lobby on (a room's own future timer is kept), in 2 rooms; 1 has a running call (non-moderators will be removed); "+
		"1 will be skipped: Breakout room 1 (a breakout room's lobby follows its parent conversation).")
	mustContain(t, body, "Rooms: Product launch (letters token), Town hall.")
	mustContain(t, body, "Running call: Town hall.")
	mustContain(t, confirmOf(h.m).Question, "Send 2 changes (4 at a time)? y/n")
	// only y: enter sends nothing, the marks stay
	h.press("enter")
	if n := len(lobbyCalls(h.be)); n != 0 {
		t.Fatalf("enter sent %d requests", n)
	}
	if h.m.bulk.marks.Count() != 3 {
		t.Fatalf("%d marks after no", h.m.bulk.marks.Count())
	}
	mustContain(t, h.m.flash.text, "nothing was sent; the marks stay")

	// t: one picker for all, then the one question names the time
	h.press("t")
	if modal(h.m) != modalPicker || !strings.Contains(h.m.dialog.View(h.m.c), "3 marked rooms") {
		t.Fatalf("t with marks: modal %v", modal(h.m))
	}
	h.press("n", "enter")
	if modal(h.m) != modalConfirm {
		t.Fatalf("no confirmation after the picker (flash %q)", h.m.flash.text)
	}
	mustContain(t, confirmOf(h.m).Body[0], "lobby on, opens 16:00 CET, in 2 rooms; 1 has a running call")
	h.press("esc")

	// s: the SIP chooser, then skipped rooms with the SIP reasons
	h.press("s", "0", "enter")
	if modal(h.m) != modalConfirm {
		t.Fatalf("no confirmation after the SIP chooser (flash %q)", h.m.flash.text)
	}
	mustContain(t, confirmOf(h.m).Body[0], "SIP dial-in off, in 1 room; 2 will be skipped: ")
	mustContain(t, confirmOf(h.m).Body[0], "Product launch (letters token) (this conversation's ID has letters")
	h.press("y")
	if got := lobbyCalls(h.be); len(got) != 1 || got[0] != "sip 748392 off" {
		t.Fatalf("sent %v", got)
	}
}

func TestBulkGoldenConfirmation(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(sizeName(sz), func(t *testing.T) {
			h := bulkOnDemo(t, sz[0], sz[1])
			checkGolden(t, h.view())
		})
	}
}

func TestBulkSendOutcomesSummaryAndRetry(t *testing.T) {
	be := &fakeBackend{rooms: manyRooms(6), caps: fullCaps(), hash: "h1"}
	refuse := map[string]bool{"5007": true}
	be.lobbyFn = func(token string, state models.LobbyState, timer *time.Time) (models.Room, error) {
		if refuse[token] {
			return models.Room{}, &client.APIError{HTTPStatus: 403, OCSStatus: 403, Op: "set lobby"}
		}
		r, _ := be.find(token)
		r.LobbyState = state
		be.put(r)
		return r, nil
	}
	h := newHarnessByName(t, be, 100, 30)
	h.press("*", "l", "enter")
	mustContain(t, confirmOf(h.m).Question, "Send 6 changes")
	h.press("y")
	if n := len(lobbyCalls(be)); n != 6 {
		t.Fatalf("%d requests, want 6", n)
	}
	for _, r := range manyRooms(6) {
		o, ok := h.outcomeOK(r.Token)
		switch {
		case !ok:
			t.Errorf("%s: no outcome", r.Token)
		case refuse[r.Token] && (o.ok || o.kind != client.KindForbidden):
			t.Errorf("%s: %+v, want the 403", r.Token, o)
		case !refuse[r.Token] && !o.ok:
			t.Errorf("%s: %+v", r.Token, o)
		}
	}
	mustContain(t, h.m.flash.text, "5 changed, 1 refused (403)")
	mustContain(t, h.m.flash.text, "u undoes the 5")
	mustContain(t, h.m.flash.text, "1 still marked")
	v := h.view()
	mustContain(t, v, "✗● Room 02")
	mustContain(t, v, "✓Room 01")
	// the marks stay on the room that did not change: l again retries it only
	if h.m.bulk.marks.Count() != 1 || !h.marked("5007") {
		t.Fatalf("marks after the batch: %d", h.m.bulk.marks.Count())
	}
	delete(refuse, "5007")
	h.press("l", "enter")
	mustContain(t, confirmOf(h.m).Body[0], "in 1 room")
	h.press("y")
	calls := lobbyCalls(be)
	if len(calls) != 7 || calls[6] != "lobby 5007 on nil" {
		t.Fatalf("retry sent %v", calls)
	}
	mustContain(t, h.m.flash.text, "1 changed")
	if h.m.bulk.marks.Count() != 0 {
		t.Fatal("a changed room kept its mark")
	}
}

func TestBulkThrottleStops(t *testing.T) {
	be := &fakeBackend{rooms: manyRooms(8), caps: fullCaps(), hash: "h1"}
	be.lobbyFn = func(token string, state models.LobbyState, timer *time.Time) (models.Room, error) {
		if token == "5007" { // the second room
			return models.Room{}, &client.APIError{HTTPStatus: 429, OCSStatus: 429, Op: "set lobby"}
		}
		r, _ := be.find(token)
		r.LobbyState = state
		be.put(r)
		return r, nil
	}
	h := newHarnessByName(t, be, 100, 30)
	h.press("*", "l", "enter", "y")
	// four went at once; the first answer let a fifth go; the 429 sent
	// nothing more
	calls := lobbyCalls(be)
	if len(calls) != 5 {
		t.Fatalf("%d requests after a 429: %v", len(calls), calls)
	}
	rooms := manyRooms(8)
	for _, r := range rooms[5:] {
		o := h.outcome(r.Token)
		if o.ok || !strings.HasPrefix(o.text, "not sent: the server is throttling; try again at ") {
			t.Errorf("%s: %+v", r.Token, o)
		}
		if !h.marked(r.Token) {
			t.Errorf("%s lost its mark", r.Token)
		}
	}
	mustContain(t, h.outcome(rooms[7].Token).text, "try again at 15:40 CET")
	mustContain(t, h.m.flash.text, "4 changed, 1 refused (429), 3 not sent")
	if h.m.bulk.marks.Count() != 4 {
		t.Fatalf("%d marks, want the 4 unchanged rooms", h.m.bulk.marks.Count())
	}
	// nothing retried by itself
	h.deliver(nil)
	if n := len(lobbyCalls(be)); n != 5 {
		t.Fatalf("%d requests later", n)
	}
}

func TestBulkUnauthorizedStops(t *testing.T) {
	be := &fakeBackend{rooms: manyRooms(6), caps: fullCaps(), hash: "h1"}
	be.lobbyFn = func(token string, state models.LobbyState, timer *time.Time) (models.Room, error) {
		return models.Room{}, &client.APIError{HTTPStatus: 401, OCSStatus: 997, Op: "set lobby"}
	}
	h := newHarnessByName(t, be, 100, 30)
	h.press("*", "l", "enter", "y")
	if n := len(lobbyCalls(be)); n != 4 {
		t.Fatalf("%d requests after 401s", n)
	}
	mustContain(t, h.m.flash.text, "0 changed, 4 refused (401), 2 not sent")
	mustContain(t, h.outcome(manyRooms(6)[5].Token).text, "not sent: the server refused the app password (401)")
}

// TestBulkInFlightLimit runs the model's commands concurrently, as tea
// does, against a backend that holds every request until released: never
// more than 4 are in flight, and a new one goes as each answer arrives.
func TestBulkInFlightLimit(t *testing.T) {
	const n = 11
	be := &fakeBackend{rooms: manyRooms(n), caps: fullCaps(), hash: "h1"}
	var mu sync.Mutex
	in, most := 0, 0
	gate := make(chan struct{})
	be.lobbyFn = func(token string, state models.LobbyState, timer *time.Time) (models.Room, error) {
		mu.Lock()
		in++
		most = max(most, in)
		mu.Unlock()
		<-gate
		mu.Lock()
		in--
		mu.Unlock()
		r, _ := be.find(token)
		r.LobbyState = state
		be.put(r)
		return r, nil
	}
	h := newHarnessByName(t, be, 100, 30)
	h.press("*", "l", "enter")

	var running atomic.Int64
	msgs := make(chan tea.Msg, 64)
	var spawn func(tea.Cmd)
	spawn = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		running.Add(1)
		go func() {
			defer running.Add(-1)
			switch msg := cmd().(type) {
			case tea.BatchMsg:
				for _, c := range msg {
					spawn(c)
				}
			case nil, scheduledMsg:
			default:
				msgs <- msg
			}
		}()
	}
	// settled: every command has ended or waits in the backend
	settled := func() int {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			mu.Lock()
			cur := in
			mu.Unlock()
			if running.Load() == int64(cur) {
				return cur
			}
			if time.Now().After(deadline) {
				t.Fatalf("commands did not settle: %d running, %d in the backend", running.Load(), cur)
			}
			time.Sleep(time.Millisecond)
		}
	}
	update := func(msg tea.Msg) {
		nm, cmd := h.m.Update(msg)
		h.m = nm.(Model)
		spawn(cmd)
	}
	update(keyMsg("y"))
	if cur := settled(); cur != 4 {
		t.Fatalf("%d requests in flight at the start, want 4", cur)
	}
	answered := 0
	for answered < n {
		gate <- struct{}{}
		msg := <-msgs
		if _, ok := msg.(actionMsg); !ok {
			t.Fatalf("unexpected %T", msg)
		}
		answered++
		update(msg)
		cur := settled()
		if want := min(4, n-answered); cur != want {
			t.Fatalf("after %d answers: %d in flight, want %d", answered, cur, want)
		}
		for len(msgs) > 0 {
			update(<-msgs)
		}
	}
	if most != 4 {
		t.Fatalf("at most %d in flight, want 4", most)
	}
	if got := len(lobbyCalls(be)); got != n {
		t.Fatalf("%d requests, want %d", got, n)
	}
	mustContain(t, h.m.flash.text, strconv.Itoa(n)+" changed")
}

func TestBulkUndo(t *testing.T) {
	be := demoBackend()
	h := newHarnessByName(t, be, 120, 40)
	// Q3 (on, timer in 25m) and Board meeting (on, no timer): lobby off
	h.markTokens("162534", "913572")
	h.press("l", "down", "enter")
	mustContain(t, confirmOf(h.m).Body[0], "lobby off, in 2 rooms; 1 loses a future lobby timer")
	mustContain(t, strings.Join(confirmOf(h.m).Body, " "), "Timer dropped: Q3 all-hands webinar (16:00 CET).")
	h.press("y")
	if got := lobbyCalls(be); len(got) != 2 {
		t.Fatalf("sent %v", got)
	}
	mustContain(t, h.m.flash.text, "lobby off: 2 changed · u undoes the 2")
	// a single change elsewhere would take u over; here u undoes the batch,
	// whatever room is selected (nothing drops a timer or ends a call, so
	// no question)
	h.selectRoom("abcd2xyz")
	h.press("u")
	got := lobbyCalls(be)
	if len(got) != 4 {
		t.Fatalf("undo sent %v", got)
	}
	undone := strings.Join(got[2:], "|")
	mustContain(t, undone, "lobby 162534 on 15:00")
	mustContain(t, undone, "lobby 913572 on nil")
	if r := h.row("162534"); r.LobbyState != models.LobbyModeratorsOnly || r.LobbyTimer != testNow.Add(25*time.Minute).Unix() {
		t.Errorf("Q3 after undo: %+v", r)
	}
	mustContain(t, h.m.flash.text, "undone: 2 changed")
	// nothing more to undo as a batch
	if len(h.m.bulk.undo) != 0 {
		t.Fatal("the batch undo stayed")
	}
}

func TestBulkUndoAsksWhenItEndsACall(t *testing.T) {
	be := demoBackend()
	for i := range be.rooms {
		if be.rooms[i].Token == "748392" {
			be.rooms[i].LobbyState = models.LobbyModeratorsOnly
		}
	}
	h := newHarnessByName(t, be, 120, 40)
	// Town hall (lobby on, call running) and Board meeting: lobby off;
	// the undo turns Town hall's lobby on again, which removes the
	// non-moderators from its call: it asks first, y only
	h.markTokens("748392", "913572")
	h.press("l", "down", "enter", "y")
	before := len(lobbyCalls(be))
	if before != 2 {
		t.Fatalf("sent %d", before)
	}
	h.press("u")
	if modal(h.m) != modalConfirm {
		t.Fatalf("undo of a lobby-off did not ask; flash %q", h.m.flash.text)
	}
	mustContain(t, confirmOf(h.m).Body[0], "undo lobby off, in 2 rooms; 1 has a running call (non-moderators will be removed)")
	h.press("enter")
	if len(lobbyCalls(be)) != before {
		t.Fatal("enter sent the undo")
	}
	h.press("u", "y")
	if got := len(lobbyCalls(be)); got != before+2 {
		t.Fatalf("undo sent %d", got-before)
	}
	if r := h.row("748392"); r.LobbyState != models.LobbyModeratorsOnly {
		t.Errorf("Town hall after undo: %+v", r)
	}
}

func TestBulkReadOnly(t *testing.T) {
	h := newHarnessByName(t, demoBackend(), 100, 30)
	h.m.c.ReadOnly = true
	h.press(" ", "*")
	if h.m.bulk.marks.Count() != 0 {
		t.Fatal("read-only session marked rooms")
	}
	mustContain(t, h.m.flash.text, "read-only")
}

// BenchmarkKeyPressMarked is BenchmarkKeyPress with all 10,000 rooms
// marked: the marks cost a key press little.
func BenchmarkKeyPressMarked(b *testing.B) {
	m := benchModel(b, 10000)
	nm, _ := m.Update(keyMsg("*"))
	m = nm.(Model)
	if m.bulk.marks.Count() != 10000 {
		b.Fatalf("%d marked", m.bulk.marks.Count())
	}
	benchKeyPresses(b, m)
}

// TestBulkQuitMidway: q while a bulk change is on its way asks (y only);
// while it asks, nothing more is sent, the rooms not sent say so, and the
// console quits by itself once the answers in flight are in.
func TestBulkQuitMidway(t *testing.T) {
	be := &fakeBackend{rooms: manyRooms(6), caps: fullCaps(), hash: "h1"}
	h := newHarnessByName(t, be, 100, 30)
	h.press("*", "l", "enter")
	answers := h.send(keyMsg("y")) // four requests made, answers held
	if len(answers) != 4 || h.m.pendingCount() != 4 {
		t.Fatalf("%d answers, %d pending", len(answers), h.m.pendingCount())
	}
	h.press("q")
	mustContain(t, confirmOf(h.m).Question, "4 changes are still waiting for the server: quit anyway? y/n")
	// the question stays open while the answers come in
	quit := false
	for _, a := range answers {
		for _, msg := range h.send(a) {
			if _, ok := msg.(tea.QuitMsg); ok {
				quit = true
			}
		}
	}
	if !quit {
		t.Fatal("the console did not quit once the answers were in")
	}
	if n := len(lobbyCalls(be)); n != 4 {
		t.Fatalf("%d requests: more were sent after q", n)
	}
	for _, r := range manyRooms(6)[4:] {
		if o := h.outcome(r.Token); o.ok || o.text != "not sent: you quit talkmod" {
			t.Errorf("%s: %+v", r.Token, o)
		}
	}
}

// TestBulkPickerClear: x in the picker opened for the marked rooms
// removes the timers of the rooms that have one, and names the ones
// dropped before sending.
func TestBulkPickerClear(t *testing.T) {
	be := demoBackend()
	h := newHarnessByName(t, be, 120, 40)
	h.markTokens("162534", "913572", "748392")
	h.press("t", "x")
	if modal(h.m) != modalConfirm {
		t.Fatalf("no confirmation (flash %q)", h.m.flash.text)
	}
	mustContain(t, confirmOf(h.m).Body[0], "lobby timer removed (each lobby stays as it is), in 1 room; 1 loses a future lobby timer; 2 will be skipped: ")
	mustContain(t, confirmOf(h.m).Body[0], "Town hall (it has no lobby timer)")
	h.press("y")
	if got := lobbyCalls(be); len(got) != 1 || got[0] != "lobby 162534 on nil" {
		t.Fatalf("sent %v", got)
	}
}

// TestBulkAgainstDemoServer: the real client against the demo server.
// The breakout room is skipped before sending, the advisory board answers
// 403 (and demotes you: its mark goes, said beside the summary), the
// others change; then a 429 stops a second batch.
func TestBulkAgainstDemoServer(t *testing.T) {
	h, srv := demoServerHarness(t)
	tok := map[string]string{}
	for _, e := range h.m.table.Visible {
		tok[e.Room.DisplayName] = e.Room.Token
	}
	names := []string{talktest.DemoBreakout, talktest.DemoAdvisoryBoard, talktest.DemoTownHall, talktest.DemoWorkshop, talktest.DemoLaunch}
	for _, n := range names {
		if tok[n] == "" {
			t.Fatalf("no %q in the demo", n)
		}
		h.markTokens(tok[n])
	}
	h.press("l", "enter")
	body := confirmOf(h.m).Body[0]
	mustContain(t, body, "in 4 rooms; 1 has a running call (non-moderators will be removed); 1 will be skipped: "+talktest.DemoBreakout)
	h.press("y")
	if o := h.outcome(tok[talktest.DemoAdvisoryBoard]); o.ok || o.kind != client.KindForbidden {
		t.Errorf("advisory board: %+v", o)
	}
	for _, n := range []string{talktest.DemoTownHall, talktest.DemoWorkshop, talktest.DemoLaunch} {
		if o := h.outcome(tok[n]); !o.ok {
			t.Errorf("%s: %+v", n, o)
		}
	}
	mustContain(t, h.m.flash.text, "3 changed, 1 refused (403), 1 skipped")
	mustContain(t, h.m.flash.text, "no longer marked: "+talktest.DemoAdvisoryBoard)
	if h.m.bulk.marks.Count() != 1 || !h.marked(tok[talktest.DemoBreakout]) {
		t.Fatalf("marks: %d", h.m.bulk.marks.Count())
	}

	// lobby off for the three, the server throttles the first answer
	h.press("U")
	h.markTokens(tok[talktest.DemoTownHall], tok[talktest.DemoWorkshop], tok[talktest.DemoLaunch])
	srv.FailNext("/"+tok[talktest.DemoLaunch]+"/webinar/lobby", 1, 429,
		`{"ocs":{"meta":{"status":"failure","statuscode":429,"message":"Reached maximum delay"},"data":[]}}`)
	h.press("l", "down", "enter", "y")
	mustContain(t, h.m.flash.text, "refused (429)")
	if o := h.outcome(tok[talktest.DemoLaunch]); o.ok || o.kind != client.KindThrottled {
		t.Errorf("launch: %+v", o)
	}
	// u now restores exactly the two rooms the second batch changed
	if len(h.m.bulk.undo) != 2 {
		t.Errorf("undo holds %d rooms", len(h.m.bulk.undo))
	}
}

// TestBulkHiddenMarksNamed: marked rooms the filter hides still take the
// change, and the one question says how many are hidden.
func TestBulkHiddenMarksNamed(t *testing.T) {
	h := newHarnessByName(t, demoBackend(), 120, 40)
	h.markTokens("748392")
	h.press("/", "b", "o", "a", "r", "d", "enter")
	h.markTokens("913572")
	h.press("l", "down", "enter")
	body := strings.Join(confirmOf(h.m).Body, " ")
	mustContain(t, body, "lobby off, in 1 room; 1 will be skipped: Town hall (the lobby is already off)")
	h.press("n", "l", "enter")
	body = strings.Join(confirmOf(h.m).Body, " ")
	mustContain(t, body, "Rooms: Town hall (1 hidden by the filter).")
}
