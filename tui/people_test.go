package tui

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/accounts"
	"github.com/talkmod/talkmod/tui/people"
)

// The fake backend's people: kept beside it (not in its struct, which
// other tests share), by backend.
type fakePeople struct {
	mu     sync.Mutex
	list   map[string][]models.Participant
	reads  int
	readFn func(token string, n int) ([]models.Participant, error)
	permFn func(token string, id int64, method client.PermissionMethod) error
	rmFn   func(token string, id int64) error
}

var fakePeopleOf sync.Map // *fakeBackend → *fakePeople

func (f *fakeBackend) pp() *fakePeople {
	v, _ := fakePeopleOf.LoadOrStore(f, &fakePeople{list: map[string][]models.Participant{}})
	return v.(*fakePeople)
}

func (f *fakeBackend) setPeople(token string, ps []models.Participant) {
	fp := f.pp()
	fp.mu.Lock()
	fp.list[token] = append([]models.Participant(nil), ps...)
	fp.mu.Unlock()
}

func (f *fakeBackend) Participants(ctx context.Context, token string) ([]models.Participant, error) {
	f.record("people " + token)
	fp := f.pp()
	fp.mu.Lock()
	fp.reads++
	n, fn := fp.reads, fp.readFn
	out := append([]models.Participant(nil), fp.list[token]...)
	fp.mu.Unlock()
	if fn != nil {
		return fn(token, n)
	}
	return out, nil
}

func (f *fakeBackend) SetAttendeePermissions(ctx context.Context, token string, id int64, method client.PermissionMethod, perms int) (models.Participant, error) {
	f.record("perm " + token + " #" + strconv.Itoa(int(id)) + " " + string(method) + " " + strconv.Itoa(perms))
	fp := f.pp()
	if fp.permFn != nil {
		if err := fp.permFn(token, id, method); err != nil {
			return models.Participant{}, err
		}
	}
	fp.mu.Lock()
	defer fp.mu.Unlock()
	for i, p := range fp.list[token] {
		if p.AttendeeID != id {
			continue
		}
		if p.IsModerator() {
			return models.Participant{}, &client.APIError{HTTPStatus: 403, Reason: "moderator", Op: "change permissions"}
		}
		if method == client.PermissionAdd {
			p.Permissions |= perms
		} else {
			p.Permissions &^= perms
		}
		fp.list[token][i] = p
		p.InCall, p.SessionIDs = 0, nil
		return p, nil
	}
	return models.Participant{}, &client.APIError{HTTPStatus: 404, Reason: "participant", Op: "change permissions"}
}

func (f *fakeBackend) RemoveAttendee(ctx context.Context, token string, id int64) error {
	f.record("remove " + token + " #" + strconv.Itoa(int(id)))
	fp := f.pp()
	if fp.rmFn != nil {
		if err := fp.rmFn(token, id); err != nil {
			return err
		}
	}
	fp.mu.Lock()
	defer fp.mu.Unlock()
	for i, p := range fp.list[token] {
		if p.AttendeeID == id {
			fp.list[token] = append(fp.list[token][:i], fp.list[token][i+1:]...)
			return nil
		}
	}
	return &client.APIError{HTTPStatus: 404, Reason: "participant", Op: "remove participant"}
}

const webinarTok = "162534" // the public webinar of demoRooms, lobby on, owner

// webinarPeople: every section, an evil name, a guest without a name, a
// masked phone number, someone in the call but not let in.
func webinarPeople() []models.Participant {
	s := []string{"sess"}
	seen := testNow.Add(-3 * time.Minute).Unix()
	return []models.Participant{
		{AttendeeID: 1, ActorType: "users", ActorID: "alice", DisplayName: "alice", ParticipantType: models.ParticipantOwner, Permissions: 254},
		{AttendeeID: 2, ActorType: "users", ActorID: "mod", DisplayName: "Morgan Lee", ParticipantType: models.ParticipantModerator, Permissions: 254, SessionIDs: s, InCall: 7, LastPing: seen},
		{AttendeeID: 3, ActorType: "users", ActorID: "bob", DisplayName: "Bob Chen", ParticipantType: models.ParticipantUser, Permissions: 254, SessionIDs: s, InCall: 1, LastPing: seen},
		{AttendeeID: 4, ActorType: "users", ActorID: "carol", DisplayName: "Carol Diaz", ParticipantType: models.ParticipantUser, Permissions: 246, SessionIDs: s, InCall: 3, LastPing: seen},
		{AttendeeID: 5, ActorType: "users", ActorID: "dave", DisplayName: "Dave (speaker)", ParticipantType: models.ParticipantUser, Permissions: 254, SessionIDs: s, LastPing: seen},
		{AttendeeID: 6, ActorType: "users", ActorID: "erin", DisplayName: "Erin Walsh", ParticipantType: models.ParticipantUser, Permissions: 246},
		{AttendeeID: 21, ActorType: "guests", ActorID: "0eb20a9b1767fe8116f84c86ac8729dbdd834bf3", DisplayName: "Jordan Smith", ParticipantType: models.ParticipantGuest, Permissions: 246, SessionIDs: s, LastPing: seen},
		{AttendeeID: 22, ActorType: "guests", ActorID: "1eb20a9b1767fe8116f84c86ac8729dbdd834bf3", DisplayName: "", ParticipantType: models.ParticipantGuest, Permissions: 246, SessionIDs: s, LastPing: seen},
		{AttendeeID: 23, ActorType: "guests", ActorID: "2eb20a9b1767fe8116f84c86ac8729dbdd834bf3", DisplayName: "\x1b]0;pwned\a\x1b[2JEvil", ParticipantType: models.ParticipantGuest, Permissions: 246, SessionIDs: s, LastPing: seen},
		{AttendeeID: 24, ActorType: "phones", ActorID: "ph1", DisplayName: "+4915112345678", PhoneNumber: "+4915112345678", ParticipantType: models.ParticipantUser, Permissions: 254, SessionIDs: s, InCall: 9, LastPing: seen},
	}
}

func peopleBackendFake() *fakeBackend {
	be := demoBackend()
	be.setPeople(webinarTok, webinarPeople())
	return be
}

// openPeopleHarness opens the people view of the webinar at w x h.
func openPeopleHarness(t *testing.T, w, h int) *harness {
	t.Helper()
	be := peopleBackendFake()
	hs := newHarness(t, be, w, h)
	hs.selectRoom(webinarTok)
	hs.press("p")
	if !hs.m.people.IsOpen() || !hs.m.people.Loaded() {
		t.Fatalf("people view not open and read: %+v", hs.m.people)
	}
	return hs
}

// selectPerson moves the selection with j/k to the attendee, as a user would.
func (h *harness) selectPerson(id int64) {
	h.t.Helper()
	h.press("g")
	for i := 0; i < 30 && h.m.people.Selected() != id; i++ {
		h.press("j")
	}
	if h.m.people.Selected() != id {
		h.t.Fatalf("attendee %d cannot be selected", id)
	}
}

func TestPeopleViewSections(t *testing.T) {
	hs := openPeopleHarness(t, 120, 40)
	v := hs.view()
	for _, want := range []string{
		"People · Q3 all-hands webinar", "3 waiting · 4 in call · 10 people",
		"Waiting in the lobby (3)", "In the call (4)", "Let in (1)", "Moderators (1)", "Not connected (1)",
		"Jordan Smith", "Guest", "^[]0;pwned^G^[[2JEvil", "+491••••••••78", "not let in · audio",
		"audio, video", "phone", "no audio", "Dave (speaker)", "connected", "Erin Walsh",
	} {
		mustContain(t, v, want)
	}
	if strings.Contains(v, "\x1b") || strings.Contains(v, "4915112345678") {
		t.Error("an escape or an unmasked phone number reached the screen")
	}
	// the help line is the view's own
	mustContain(t, v, "a let in · h back to lobby · x remove")
	// sections in order
	order := []string{"Waiting in the lobby", "In the call", "Let in", "Moderators", "Not connected"}
	for i := 1; i < len(order); i++ {
		if strings.Index(v, order[i-1]) > strings.Index(v, order[i]) {
			t.Errorf("%q is not above %q", order[i-1], order[i])
		}
	}
	// ? shows the help; any key brings the view back
	hs.press("?")
	mustContain(t, hs.view(), "In the people view (p)")
	hs.press("j")
	if !hs.m.people.IsOpen() || hs.m.people.Selected() != 23 {
		t.Errorf("the key that closed the help acted on the view: sel %d", hs.m.people.Selected())
	}
	// closing shows the counts in the list row and the detail pane
	hs.press("esc")
	v = hs.view()
	mustContain(t, v, "· 3 wait")
	mustContain(t, v, "Who:   3 waiting · 4 in call · 10 people, read 15:35 CET (p: who)")
	// the lobby goes off: the row drops the waiting count, the detail too
	be := hs.be
	be.mu.Lock()
	for i := range be.rooms {
		if be.rooms[i].Token == webinarTok {
			be.rooms[i].LobbyState, be.rooms[i].LobbyTimer = models.LobbyNone, 0
		}
	}
	be.mu.Unlock()
	list, _ := be.ListRooms(context.Background(), client.ListOptions{})
	hs.settle(accounts.ListMsg{Seq: hs.m.accts[0].Sync.ListSeq, Full: true, List: list})
	v = hs.view()
	if strings.Contains(v, " wait ") || strings.Contains(v, "3 waiting") {
		t.Errorf("a waiting count with the lobby off:\n%s", v)
	}
	mustContain(t, v, "Who:   4 in call · 10 people")
}

func TestPeopleEmptyRoom(t *testing.T) {
	be := demoBackend()
	hs := newHarness(t, be, 80, 24)
	hs.selectRoom(webinarTok)
	hs.press("p")
	v := hs.view()
	mustContain(t, v, "Waiting in the lobby (0)")
	mustContain(t, v, "0 waiting · 0 in call")
	hs.press("a")
	mustContain(t, hs.view(), "nobody is selected")
	if countCalls(be, "perm") != 0 {
		t.Error("an action was sent with nobody selected")
	}
	// not for a one-to-one or a room I do not moderate
	hs.press("esc", "a")
	hs.selectRoom("bob1")
	hs.press("p")
	if hs.m.people.IsOpen() {
		t.Error("people view opened on a one-to-one")
	}
}

func TestPeopleAdmitHoldRemove(t *testing.T) {
	hs := openPeopleHarness(t, 120, 40)
	be := hs.be
	// let Jordan in: one request, the outcome beside them, re-read at once
	hs.selectPerson(21)
	reads := countCalls(be, "people")
	hs.press("a")
	if countCalls(be, "perm "+webinarTok+" #21 add 8") != 1 {
		t.Fatalf("calls %v", be.Calls())
	}
	if countCalls(be, "people") != reads+1 {
		t.Error("no re-read right after the action")
	}
	v := hs.view()
	mustContain(t, v, "Let in (2)")
	mustContain(t, v, "✓ let in: skips the lobby")
	if hs.m.people.Selected() != 21 {
		t.Errorf("selection moved to %d: it follows the person, not the row", hs.m.people.Selected())
	}
	// send Carol back? she is not let in already, but in the call
	hs.selectPerson(3) // Bob, let in and in the call
	hs.press("h")
	mustContain(t, hs.view(), "still in the call, though sent back")
	mustContain(t, hs.view(), "not let in · no audio")

	// x on yourself (alice, the owner) sends nothing: it would mean leaving
	hs.selectPerson(1)
	hs.press("x")
	mustContain(t, hs.view(), "that is you")
	if hs.m.people.Confirming() || countCalls(be, "remove "+webinarTok+" #1") != 0 {
		t.Error("removing yourself was offered or sent")
	}
	// x asks first: any key but y keeps the person
	hs.selectPerson(6)
	hs.press("x")
	v = hs.view()
	mustContain(t, v, "Remove Erin Walsh from Q3 all-hands webinar?")
	mustContain(t, v, "y removes · any other key keeps them")
	hs.press("n")
	if countCalls(be, "remove") != 0 {
		t.Fatal("a removal was sent without y")
	}
	mustContain(t, hs.view(), "kept Erin Walsh")
	hs.press("x", "Y") // shift-y is not y
	if countCalls(be, "remove") != 0 {
		t.Fatal("Y removed")
	}
	hs.press("x", "y")
	if countCalls(be, "remove "+webinarTok+" #6") != 1 {
		t.Fatalf("calls %v", be.Calls())
	}
	v = hs.view()
	mustContain(t, v, "Erin Walsh (#6) is no longer in the conversation")
	if hs.m.people.Selected() != 6 {
		t.Error("the cursor jumped to another person after a removal")
	}
	// a key on someone who left sends nothing and names them
	hs.press("a")
	if countCalls(be, "perm "+webinarTok+" #6") != 0 {
		t.Error("an action was sent for someone who left")
	}
	mustContain(t, hs.view(), "Erin Walsh is no longer in the conversation")
}

func TestPeopleErrors403And404(t *testing.T) {
	hs := openPeopleHarness(t, 120, 40)
	be := hs.be
	// a moderator: the server's 403 moderator
	hs.selectPerson(2)
	hs.press("a")
	mustContain(t, hs.view(), "✗ not let in: this person is a moderator")
	// gone meanwhile: 404 participant
	be.pp().permFn = func(token string, id int64, method client.PermissionMethod) error {
		return &client.APIError{HTTPStatus: 404, Reason: "participant", Op: "change permissions"}
	}
	hs.selectPerson(21)
	hs.press("a")
	mustContain(t, hs.view(), "✗ not let in: this person is no longer in the conversation")
	// not a moderator any more: 403 []
	be.pp().permFn = func(token string, id int64, method client.PermissionMethod) error {
		return &client.APIError{HTTPStatus: 403, Op: "change permissions"}
	}
	hs.selectPerson(22)
	hs.press("h")
	mustContain(t, hs.view(), "✗ not sent back: you are not a moderator of this conversation")
}

func TestPeopleAdmitAllWaiting(t *testing.T) {
	hs := openPeopleHarness(t, 120, 40)
	be := hs.be
	hs.press("A")
	for _, id := range []string{"#21", "#22", "#23"} {
		if countCalls(be, "perm "+webinarTok+" "+id+" add 8") != 1 {
			t.Errorf("%s not let in: %v", id, be.Calls())
		}
	}
	if countCalls(be, "perm") != 3 || countCalls(be, "lobby") != 0 {
		t.Errorf("A sent more than one request per waiting person, or touched the lobby: %v", be.Calls())
	}
	v := hs.view()
	mustContain(t, v, "Waiting in the lobby (0)")
	mustContain(t, v, "Let in (4)")
	hs.press("A")
	mustContain(t, hs.view(), "nobody is waiting in the lobby")
}

func TestPeopleRereadEvery5sAndStaleDrop(t *testing.T) {
	hs := openPeopleHarness(t, 80, 24)
	be := hs.be
	ticks := takeSched[people.TickMsg](hs)
	if len(ticks) != 1 {
		t.Fatalf("ticks %v", ticks)
	}
	reads := countCalls(be, "people")
	// someone joins the lobby; the 5 s tick re-reads
	ps := webinarPeople()
	ps = append(ps, models.Participant{AttendeeID: 30, ActorType: "guests", ActorID: "x", DisplayName: "New Guest", ParticipantType: models.ParticipantGuest, Permissions: 246, SessionIDs: []string{"s"}})
	be.setPeople(webinarTok, ps)
	hs.settle(ticks[0])
	if countCalls(be, "people") != reads+1 {
		t.Fatal("the tick did not re-read")
	}
	mustContain(t, hs.view(), "New Guest")
	next := takeSched[people.TickMsg](hs)
	if len(next) != 1 || next[0].Gen != ticks[0].Gen {
		t.Fatalf("next tick %v", next)
	}
	// an answer older than the newest is dropped
	seq := hs.m.people.LastSeq()
	hs.settle(people.ReadMsg{Token: webinarTok, Seq: seq + 2, People: webinarPeople()[:2]})
	hs.settle(people.ReadMsg{Token: webinarTok, Seq: seq + 1, People: webinarPeople()})
	if n := len(hs.m.people.People()); n != 2 {
		t.Errorf("%d people: the stale answer was applied", n)
	}
	// closing stops polling: the old tick reads nothing
	hs.press("esc")
	reads = countCalls(be, "people")
	hs.settle(next[0])
	if countCalls(be, "people") != reads || len(takeSched[people.TickMsg](hs)) != 0 {
		t.Error("polling went on after the view closed")
	}
	// an answer arriving after the view closed is dropped
	hs.settle(people.ReadMsg{Token: webinarTok, Seq: seq + 9, People: nil})
	if len(hs.m.people.People()) != 2 {
		t.Error("an answer after closing changed the view")
	}
}

func TestPeoplePollingStopsWhenTheRoomLeavesAnd429Pauses(t *testing.T) {
	hs := openPeopleHarness(t, 80, 24)
	be := hs.be
	tick := takeSched[people.TickMsg](hs)[0]
	// 429: no reads until the pause ends
	be.pp().readFn = func(token string, n int) ([]models.Participant, error) {
		return nil, &client.APIError{HTTPStatus: 429, Op: "list participants"}
	}
	hs.press("r")
	mustContain(t, hs.view(), "throttling")
	reads := countCalls(be, "people")
	hs.settle(tick)
	if countCalls(be, "people") != reads {
		t.Error("a 429 did not pause the re-reads")
	}
	if len(hs.sched) == 0 || hs.sched[len(hs.sched)-1].d < time.Minute {
		t.Errorf("the next tick is not at the end of the pause: %v", hs.sched)
	}
	mustContain(t, hs.view(), "Jordan Smith") // the last list stays
	be.pp().readFn = nil
	tick = takeSched[people.TickMsg](hs)[0]
	hs.clock.Add(10 * time.Minute)

	// the room leaves the list: polling stops
	be.mu.Lock()
	var keep []models.Room
	for _, r := range be.rooms {
		if r.Token != webinarTok {
			keep = append(keep, r)
		}
	}
	be.rooms = keep
	be.mu.Unlock()
	list, _ := be.ListRooms(context.Background(), client.ListOptions{})
	hs.settle(accounts.ListMsg{Seq: hs.m.accts[0].Sync.ListSeq, Full: true, List: list})
	reads = countCalls(be, "people")
	hs.settle(tick)
	if countCalls(be, "people") != reads || len(takeSched[people.TickMsg](hs)) != 0 {
		t.Error("polling went on after the room left the list")
	}
	mustContain(t, hs.view(), "left the list")
}

func TestPeopleReadErrorsHaltOrPause(t *testing.T) {
	hs := openPeopleHarness(t, 80, 24)
	be := hs.be
	tick := takeSched[people.TickMsg](hs)[0]
	// 403: not a moderator any more. Re-reading every 5 s would only
	// repeat it: the ticks stop, r tries again, a good answer resumes.
	be.pp().readFn = func(token string, n int) ([]models.Participant, error) {
		return nil, &client.APIError{HTTPStatus: 403, Op: "list participants"}
	}
	hs.press("r")
	v := hs.view()
	mustContain(t, v, "could not re-read (stopped; r tries again): you are not a moderator")
	mustContain(t, v, "Jordan Smith") // the last list stays
	reads := countCalls(be, "people")
	hs.settle(tick)
	if countCalls(be, "people") != reads || len(takeSched[people.TickMsg](hs)) != 0 {
		t.Fatal("re-reads went on after a 403")
	}
	be.pp().readFn = nil
	hs.press("r")
	if countCalls(be, "people") != reads+1 || len(takeSched[people.TickMsg](hs)) != 1 {
		t.Fatal("a good answer did not resume the re-reads")
	}
	mustContain(t, hs.view(), "again every 5 s")

	// a 429 on an action pauses the re-reads too, and is not re-read into
	be.pp().permFn = func(token string, id int64, method client.PermissionMethod) error {
		return &client.APIError{HTTPStatus: 429, Op: "change permissions"}
	}
	reads = countCalls(be, "people")
	hs.selectPerson(21)
	hs.press("a")
	if countCalls(be, "people") != reads {
		t.Error("re-read right after a 429")
	}
	v = hs.view()
	mustContain(t, v, "throttling")
	if !hs.m.c.Now().Before(hs.m.people.PausedUntil()) {
		t.Error("a 429 on an action did not pause the re-reads")
	}
}

func TestGoldenPeople(t *testing.T) {
	admitted := func() Backend {
		be := peopleBackendFake()
		be.pp().permFn = func(token string, id int64, method client.PermissionMethod) error {
			if id == 22 {
				return &client.APIError{HTTPStatus: 404, Reason: "participant", Op: "change permissions"}
			}
			return nil
		}
		return be
	}
	// the webinar is found by its name, as a person would (the list is in
	// name order, so it is not the first row)
	cases := []struct {
		name  string
		steps []goldenStep
		be    func() Backend
	}{
		{"sections", []goldenStep{{keys: []string{"/", "Q", "3", "enter", "p"}, wait: "Not connected"}}, nil},
		// Jordan let in, the nameless guest gone (404), alice a moderator (403)
		{"outcomes", []goldenStep{
			{keys: []string{"/", "Q", "3", "enter", "p"}, wait: "Not connected"},
			{keys: []string{"j", "j", "a"}, wait: "skips the lobby"},
			{keys: []string{"g", "j", "a"}, wait: "no longer in"},
			{keys: []string{"G", "k", "a"}, wait: "is a moderator"},
		}, admitted},
		{"confirm", []goldenStep{{keys: []string{"/", "Q", "3", "enter", "p"}, wait: "Not connected"}, {keys: []string{"G", "x"}, wait: "y removes"}}, nil},
		// Bob sent back while in the call, then Erin removed (y)
		{"hold-remove", []goldenStep{
			{keys: []string{"/", "Q", "3", "enter", "p"}, wait: "Not connected"},
			{keys: []string{"j", "j", "j", "j", "h"}, wait: "still in the call"},
			{keys: []string{"G", "x"}, wait: "y removes"},
			{keys: []string{"y"}, wait: "no longer in the conversation"},
		}, nil},
	}
	for _, sz := range goldenSizes {
		for _, tc := range cases {
			t.Run(sizeName(sz)+"/"+tc.name, func(t *testing.T) {
				var be Backend = peopleBackendFake()
				if tc.be != nil {
					be = tc.be()
				}
				checkGolden(t, runGolden(t, be, sz[0], sz[1], tc.steps...))
			})
		}
	}
}

// BenchmarkPeopleView reads (sorts, counts) and renders a webinar of 2000
// people at 120x40, as every 5 s re-read does.
func BenchmarkPeopleView(b *testing.B) {
	be := demoBackend()
	var ps []models.Participant
	for i := 0; i < 2000; i++ {
		p := models.Participant{AttendeeID: int64(100 + i), ActorType: "guests", ActorID: "g" + strconv.Itoa(i),
			DisplayName: "Guest number " + strconv.Itoa(i), ParticipantType: models.ParticipantGuest, Permissions: 246,
			SessionIDs: []string{"s"}, LastPing: testNow.Unix()}
		if i%3 == 0 {
			p.Permissions, p.InCall = 254, 3
		}
		ps = append(ps, p)
	}
	be.setPeople(webinarTok, ps)
	hs := newHarness(b, be, 120, 40)
	hs.selectRoom(webinarTok)
	hs.press("p")
	seq := hs.m.people.LastSeq()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		seq++
		nm, _ := hs.m.Update(people.ReadMsg{Token: webinarTok, Seq: seq, People: ps})
		hs.m = nm.(Model)
		_ = hs.m.View()
	}
}

// admitHeld presses a on the attendee with the server's answer held
// back: it returns the answer, undelivered, and delivers everything else.
func (h *harness) admitHeld(id int64) people.ActMsg {
	h.t.Helper()
	h.selectPerson(id)
	var held []people.ActMsg
	var rest []tea.Msg
	for _, msg := range h.send(keyMsg("a")) {
		if act, ok := msg.(people.ActMsg); ok {
			held = append(held, act)
			continue
		}
		rest = append(rest, msg)
	}
	h.deliver(rest)
	if len(held) != 1 || held[0].Before.AttendeeID != id || held[0].Act != people.ActAdmit {
		h.t.Fatalf("a sent %d answers for attendee %d: %+v", len(held), id, held)
	}
	return held[0]
}

// Issue 7's quit rule covers the people view: with a person's change on
// its way, q (and ctrl+c) asks "quit anyway? y/n" (y only) and nothing
// quits; answered no, the console stays when the answer arrives; asked
// and not answered, it quits by itself once the answer is in.
func TestPeopleQuitWaitsForChangeInFlight(t *testing.T) {
	const question = "1 change is still waiting for the server: quit anyway? y/n"

	// answered no: the answer arrives and the console stays
	hs := openPeopleHarness(t, 120, 40)
	answer := hs.admitHeld(21) // Jordan Smith, waiting
	if hasQuit(hs.send(keyMsg("q"))) {
		t.Fatal("q quit with a person's change in flight")
	}
	v := hs.view()
	mustContain(t, v, question)
	mustContain(t, v, "Waiting in the lobby") // asked over the people view
	if hasQuit(hs.send(keyMsg("enter"))) {
		t.Fatal("enter answered yes")
	}
	if modal(hs.m) != modalNone || strings.Contains(hs.view(), question) {
		t.Fatal("enter did not close the question")
	}
	mustContain(t, hs.view(), "not quitting")
	if !hs.m.people.IsOpen() {
		t.Fatal("the question closed the people view")
	}
	if msgs := hs.send(answer); hasQuit(msgs) {
		t.Fatal("the console quit after the moderator said not to")
	} else {
		hs.deliver(msgs)
	}
	if p, ok := hs.m.people.Find(21); !ok || !p.LetIn() {
		t.Fatalf("the answer was not applied: %+v", p)
	}
	// nothing on its way any more: q quits at once
	if !hasQuit(hs.send(keyMsg("q"))) {
		t.Fatal("q did not quit with nothing in flight")
	}

	// asked and not answered (ctrl+c): the console quits once the answer is in
	hs = openPeopleHarness(t, 120, 40)
	answer = hs.admitHeld(21)
	if hasQuit(hs.send(keyMsg("ctrl+c"))) {
		t.Fatal("ctrl+c quit with a person's change in flight")
	}
	mustContain(t, hs.view(), question)
	if !hasQuit(hs.send(answer)) {
		t.Fatal("the console did not quit by itself once the answer arrived")
	}

	// y quits at once, the answer still on its way
	hs = openPeopleHarness(t, 120, 40)
	hs.admitHeld(21)
	hs.send(keyMsg("q"))
	if !hasQuit(hs.send(keyMsg("y"))) {
		t.Fatal("y did not quit")
	}
}

// The question before turning the lobby on during a call says how many
// people it takes out of the call, when the people view has read the room:
// Carol Diaz (in the call, not let in); Morgan Lee is a moderator, Bob Chen
// and the phone are let in.
func TestCallQuestionCountsPeopleWhenKnown(t *testing.T) {
	be := demoBackend()
	be.setPeople("748392", webinarPeople())
	h := newHarness(t, be, 120, 40)
	h.selectRoom("748392")
	h.press("l")
	mustContain(t, h.view(), "Turn the lobby on now")
	if strings.Contains(h.view(), "as the people view read it") {
		t.Fatal("a count before the people were read")
	}
	h.press("n", "p", "esc", "l")
	mustContain(t, h.view(), "from the call (1 person, as the people view read it at 15:35 CET)")
}
