package tui

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/accounts"
	"github.com/talkmod/talkmod/tui/dialog"
)

// flat is a view with its lines and boxes joined into words.
func flat(v string) string {
	v = strings.NewReplacer("│", " ", "╭", " ", "╮", " ", "╰", " ", "╯", " ", "─", " ").Replace(v)
	return strings.Join(strings.Fields(v), " ")
}

// hasQuit says whether msgs hold a tea.QuitMsg.
func hasQuit(msgs []tea.Msg) bool {
	return slices.ContainsFunc(msgs, func(m tea.Msg) bool {
		_, ok := m.(tea.QuitMsg)
		return ok
	})
}

// Observation 1: enter (or esc, n, any key but y) on the question before
// removing people from a running call sends nothing.
func TestCallConfirmIsYOnly(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("748392") // Town hall: a call is running
	for _, no := range []string{"enter", "esc", "n", "x", "l", " "} {
		h.press("l")
		if modal(h.m) != modalConfirm {
			t.Fatalf("l did not ask")
		}
		v := flat(h.view())
		mustContain(t, v, "removes everyone who is not a moderator")
		if strings.Contains(v, "enter yes") || strings.Contains(v, "y/enter") {
			t.Fatalf("the question offers enter as yes:\n%s", v)
		}
		h.press(no)
		if modal(h.m) != modalNone || countCalls(h.be, "lobby") != 0 {
			t.Fatalf("%q: modal %v, calls %v", no, modal(h.m), h.be.Calls())
		}
		mustContain(t, h.m.flash.text, "nothing was sent")
	}
	// t enter enter: the picker's enter sets the time, the question's
	// enter answers no
	h.press("t", "enter")
	if modal(h.m) != modalConfirm {
		t.Fatalf("a timer on a room with a call did not ask (modal %v)", modal(h.m))
	}
	h.press("enter")
	if countCalls(h.be, "lobby") != 0 {
		t.Fatalf("t enter enter sent %v", h.be.Calls())
	}
	h.press("l", "y")
	if countCalls(h.be, "lobby 748392 on") != 1 {
		t.Fatalf("y did not send: %v", h.be.Calls())
	}
}

// Observation 2: while "terminal too small" hides the screen, no key but
// quit acts, and open dialogs keep their state.
func TestTooSmallIgnoresDialogKeys(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("748392")
	h.press("l")
	h.settle(tea.WindowSizeMsg{Width: 40, Height: 10})
	mustContain(t, h.view(), "terminal too small")
	h.press("y", "enter")
	if countCalls(h.be, "lobby") != 0 {
		t.Fatalf("a key acted on a hidden dialog: %v", h.be.Calls())
	}
	h.settle(tea.WindowSizeMsg{Width: 80, Height: 24})
	if modal(h.m) != modalConfirm {
		t.Fatalf("the question was lost (modal %v)", modal(h.m))
	}
	mustContain(t, h.view(), "Turn the lobby on now")
	h.press("n")

	h.selectRoom("913572")
	h.press("t", "+")
	want := h.m.dialog.(dialog.Picker).DT.Value()
	h.settle(tea.WindowSizeMsg{Width: 40, Height: 10})
	h.press("enter", "+", "x", "esc")
	if countCalls(h.be, "lobby") != 0 {
		t.Fatalf("a key acted on the hidden picker: %v", h.be.Calls())
	}
	h.settle(tea.WindowSizeMsg{Width: 80, Height: 24})
	if modal(h.m) != modalPicker || !h.m.dialog.(dialog.Picker).DT.Value().Equal(want) {
		t.Fatalf("the picker lost its state: modal %v value %v want %v", modal(h.m), h.m.dialog.(dialog.Picker).DT.Value(), want)
	}
	// q still quits (nothing in flight)
	h.settle(tea.WindowSizeMsg{Width: 40, Height: 10})
	h.m.dialog = nil
	if !hasQuit(h.send(keyMsg("q"))) {
		t.Fatal("q does not quit on the too-small screen")
	}
}

// Observation 3: the list is in a stable order: by name (case- and
// accent-insensitive, then token), breakout rooms under their parent; a
// refresh that changes activity moves nothing; o cycles the order.
func TestStableOrder(t *testing.T) {
	at := func(d time.Duration) int64 { return testNow.Add(d).Unix() }
	room := func(tok, name string, act time.Duration) models.Room {
		return models.Room{Token: tok, Type: models.ConversationGroup, DisplayName: name,
			ParticipantType: models.ParticipantOwner, LastActivity: at(act)}
	}
	rooms := []models.Room{
		room("z1", "zeta", -time.Minute),
		room("e2", "Élan", -2*time.Minute),
		room("e1", "eagle", -3*time.Minute),
		room("pw", "Partner Workshop", -4*time.Hour),
		room("a1", "Alpha", -5*time.Minute),
		room("a0", "alpha", -6*time.Minute),
	}
	brk := room("pwb", "Partner Workshop – Breakout Room 1", -time.Second)
	brk.ObjectType, brk.ObjectID = "room", "pw"
	rooms = append(rooms, brk)
	be := &fakeBackend{rooms: rooms, caps: fullCaps()}
	h := newHarnessByName(t, be, 100, 30)
	order := func() string {
		var toks []string
		for _, e := range h.m.table.Visible {
			toks = append(toks, e.Room.Token)
		}
		return strings.Join(toks, " ")
	}
	const byName = "a0 a1 e1 e2 pw pwb z1"
	if got := order(); got != byName {
		t.Fatalf("order %s, want %s", got, byName)
	}
	mustContain(t, h.view(), "by name")
	h.selectRoom("e2")
	row := h.m.table.Cursor - h.m.table.Offset
	// every room's activity changes: nothing moves
	for i := range be.rooms {
		be.rooms[i].LastActivity = at(time.Duration(i) * time.Minute)
	}
	h.press("r")
	if got := order(); got != byName {
		t.Fatalf("a refresh moved rows: %s", got)
	}
	if e := h.m.table.Selected(); e == nil || e.Room.Token != "e2" || h.m.table.Cursor-h.m.table.Offset != row {
		t.Fatalf("the selected row moved: %+v", e)
	}
	h.press("o")
	mustContain(t, h.view(), "by lobby")
	h.press("o")
	mustContain(t, h.view(), "by activity")
	if got := order(); !strings.Contains(got, "pw pwb") {
		t.Errorf("by activity, the breakout room is not under its parent: %s", got)
	}
	if e := h.m.table.Selected(); e == nil || e.Room.Token != "e2" {
		t.Fatalf("o changed the selected room")
	}
	h.press("o")
	if got := order(); got != byName {
		t.Fatalf("o back to name: %s", got)
	}
}

// Observation 4 (403): the room is read again and its role follows
// everywhere; the room leaves the list, named.
func TestForbiddenRereadsTheRoom(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.be.lobbyFn = func(token string, _ models.LobbyState, _ *time.Time) (models.Room, error) {
		r, _ := h.be.find(token)
		r.ParticipantType = models.ParticipantUser
		h.be.put(r)
		return models.Room{}, &client.APIError{HTTPStatus: 403, OCSStatus: 403, Op: "set lobby"}
	}
	h.selectRoom("abcd2xyz")
	h.press("l")
	if got := h.be.Calls(); got[len(got)-1] != "get abcd2xyz" {
		t.Fatalf("no re-read after the 403: %v", got)
	}
	if h.m.table.Selected() != nil {
		t.Fatal("the room stayed selected after it left the list")
	}
	mustContain(t, h.m.flash.text, "Product launch (letters token) is no longer in your list: you are no longer a moderator")
	h.press("a")
	h.selectRoom("abcd2xyz")
	v := h.view()
	mustContain(t, v, "you are a participant")
	if strings.Contains(v, "you are owner") {
		t.Fatalf("the old role is still shown:\n%s", v)
	}
}

// Observation 5: l on a room with a future timer asks before dropping it
// (y only), and u brings lobby and timer back in one request.
func TestLiftingAScheduleAsksAndUndoRestoresIt(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("162534") // lobby on, timer 15:00 UTC
	h.press("l")
	if modal(h.m) != modalConfirm {
		t.Fatal("l did not ask before dropping the timer")
	}
	mustContain(t, h.view(), "Lift the lobby now and drop the timer set for 16:00 CET?")
	h.press("enter")
	if countCalls(h.be, "lobby") != 0 {
		t.Fatalf("enter sent: %v", h.be.Calls())
	}
	h.press("l", "y")
	if got := h.be.Calls(); got[len(got)-1] != "lobby 162534 off nil" {
		t.Fatalf("sent %v", got)
	}
	mustContain(t, h.view(), "u undo")
	h.press("u")
	if got := h.be.Calls(); got[len(got)-1] != "lobby 162534 on 15:00" {
		t.Fatalf("undo sent %v", got)
	}
	if r := h.row("162534"); r.LobbyState != models.LobbyModeratorsOnly || r.LobbyTimer != testNow.Add(25*time.Minute).Unix() {
		t.Fatalf("after undo %+v", r)
	}
	mustContain(t, h.outcome("162534").text, "undone: lobby on until")
	// no undo of an undo
	h.press("u")
	mustContain(t, h.m.flash.text, "nothing to undo")

	// an undo whose timer has passed is refused, and says so
	h.press("l", "y")
	h.clock.Add(30 * time.Minute)
	n := countCalls(h.be, "lobby")
	h.press("u")
	if countCalls(h.be, "lobby") != n {
		t.Fatalf("a past timer was sent: %v", h.be.Calls())
	}
	mustContain(t, h.outcome("162534").text, "not sent: the lobby timer")

	// the server refusing an undo is shown
	h2 := newDemo(t, 80, 24)
	h2.selectRoom("913572")
	h2.press("s", "2", "enter")
	h2.be.sipFn = func(string, models.SIPState) (models.Room, error) {
		return models.Room{}, &client.APIError{HTTPStatus: 403, OCSStatus: 403, Op: "set SIP"}
	}
	h2.press("u")
	mustContain(t, h2.m.flash.text, "undo refused")
}

// Observation 6: q with a change in flight asks (y only), or quits by
// itself once the answer is in.
func TestQuitWaitsForChangesInFlight(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("abcd2xyz")
	inflight := h.send(keyMsg("l"))
	if len(inflight) != 1 {
		t.Fatalf("%d msgs", len(inflight))
	}
	if hasQuit(h.send(keyMsg("q"))) {
		t.Fatal("q quit with a change in flight")
	}
	mustContain(t, h.view(), "1 change is still waiting for the server: quit anyway? y/n")
	if hasQuit(h.send(keyMsg("enter"))) {
		t.Fatal("enter quit")
	}
	if modal(h.m) != modalNone {
		t.Fatal("enter did not close the question")
	}
	if !hasQuit(append(h.send(keyMsg("q")), h.send(keyMsg("y"))...)) {
		t.Fatal("y did not quit")
	}
	// asked, not answered: the answer arrives and the console quits
	h = newDemo(t, 80, 24)
	h.selectRoom("abcd2xyz")
	inflight = h.send(keyMsg("l"))
	h.send(keyMsg("q"))
	if !hasQuit(h.send(inflight[0])) {
		t.Fatal("the console did not quit once the answer arrived")
	}
	if r := h.row("abcd2xyz"); r.LobbyState != models.LobbyModeratorsOnly {
		t.Fatal("the answer was not applied")
	}
}

// The whole last outcome is in the detail pane; a cut status line says
// where to read it.
func TestLongOutcomeWholeInDetail(t *testing.T) {
	h := newDemo(t, 80, 24)
	long := strings.Repeat("the server explains at length ", 5) + "END"
	h.be.lobbyFn = func(string, models.LobbyState, *time.Time) (models.Room, error) {
		return models.Room{}, &client.ResponseError{Op: "set lobby", HTTPStatus: 502, Problem: long}
	}
	h.selectRoom("abcd2xyz")
	h.press("l")
	v := h.view()
	mustContain(t, v, "(whole text: enter, detail)")
	if !strings.Contains(strings.Join(strings.Fields(v), " "), "END") {
		t.Fatalf("the end of the outcome is not in the detail pane:\n%s", v)
	}
}

// A room that answered 404 and then left the list is named with that why.
func TestRoomGoneAfter404IsNamed(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("abcd2xyz")
	h.be.mu.Lock()
	var kept []models.Room
	for _, r := range h.be.rooms {
		if r.Token != "abcd2xyz" {
			kept = append(kept, r)
		}
	}
	h.be.rooms = kept
	h.be.mu.Unlock()
	h.press("l")
	if !h.m.rooms.state("abcd2xyz").gone {
		t.Fatal("the 404 was not noted")
	}
	h.press("r")
	mustContain(t, h.m.flash.text, "Product launch (letters token) is no longer in your list: the server answered 404")
	if _, ok := h.m.rooms["abcd2xyz"]; ok {
		t.Error("the state of a room that left the list was kept")
	}
}

// A dialog open for the selected room closes when that room leaves the
// list: nothing acts on a room the list no longer shows.
func TestDialogOfARoomThatLeftCloses(t *testing.T) {
	for _, key := range []string{"t", "s", "l"} {
		h := newDemo(t, 80, 24)
		tok := "913572"
		if key != "t" {
			tok = "748392" // Town hall: a call runs, so l asks first
		}
		h.selectRoom(tok)
		h.press(key)
		if modal(h.m) == modalNone {
			t.Fatalf("%s opened no dialog", key)
		}
		var kept []models.Room
		for _, r := range h.be.rooms {
			if r.Token != tok {
				kept = append(kept, r)
			}
		}
		h.m.accts[0].Sync.ListSeq++
		h.settle(accounts.ListMsg{Seq: h.m.accts[0].Sync.ListSeq, Full: true, List: &client.RoomList{Rooms: kept}})
		if modal(h.m) != modalNone {
			t.Fatalf("%s: the dialog of a room that left the list is still open", key)
		}
		mustContain(t, h.m.flash.text, "Its dialog was closed: nothing was sent")
		h.press("enter", "y")
		if n := countCalls(h.be, "lobby") + countCalls(h.be, "sip"); n != 0 {
			t.Fatalf("%s: %d changes sent: %v", key, n, h.be.Calls())
		}
	}
}
