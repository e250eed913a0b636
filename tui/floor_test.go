package tui

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/accounts"
	"github.com/talkmod/talkmod/tui/floor"
	"github.com/talkmod/talkmod/tui/roomlist"
)

// modalChooser is the permissions chooser, as modal names it.
const modalChooser = "floor.Chooser"

// floorFake is the fake backend with the floor's calls (tui/floor.Backend),
// acting on the fake's rooms and people as the server would.
type floorFake struct {
	*fakeBackend
	csv    []byte
	endErr error
}

var _ floor.Backend = (*floorFake)(nil)

func (f *floorFake) SetDefaultPermissions(ctx context.Context, token string, perms int) (models.Room, error) {
	f.record("default " + token + " " + strconv.Itoa(perms))
	f.fakeBackend.mu.Lock()
	var room models.Room
	for i := range f.rooms {
		if f.rooms[i].Token == token {
			f.rooms[i].DefaultPermissions = models.StoredPermissions(perms)
			room = f.rooms[i]
		}
	}
	f.fakeBackend.mu.Unlock()
	fp := f.pp()
	fp.mu.Lock()
	for i, p := range fp.list[token] {
		p.AttendeePermissions = 0
		p.Permissions = models.EffectivePermissions(p.ParticipantType, 0, room.DefaultPermissions)
		fp.list[token][i] = p
	}
	fp.mu.Unlock()
	return room, nil
}

func (f *floorFake) setType(token string, id int64, t models.ParticipantType) error {
	fp := f.pp()
	fp.mu.Lock()
	defer fp.mu.Unlock()
	for i, p := range fp.list[token] {
		if p.AttendeeID == id {
			p.ParticipantType, p.AttendeePermissions = t, 0
			fp.list[token][i] = p
			return nil
		}
	}
	return &client.APIError{HTTPStatus: 404, DataNull: true, Op: "promote to moderator"}
}

func (f *floorFake) PromoteModerator(ctx context.Context, token string, id int64) error {
	f.record("promote " + token + " #" + strconv.FormatInt(id, 10))
	return f.setType(token, id, models.ParticipantModerator)
}

func (f *floorFake) DemoteModerator(ctx context.Context, token string, id int64) error {
	f.record("demote " + token + " #" + strconv.FormatInt(id, 10))
	return f.setType(token, id, models.ParticipantUser)
}

func (f *floorFake) EndCallForEveryone(ctx context.Context, token string) error {
	f.record("end " + token)
	if f.endErr != nil {
		return f.endErr
	}
	f.fakeBackend.mu.Lock()
	for i := range f.rooms {
		if f.rooms[i].Token == token {
			f.rooms[i].HasCall = false
		}
	}
	f.fakeBackend.mu.Unlock()
	fp := f.pp()
	fp.mu.Lock()
	for i := range fp.list[token] {
		fp.list[token][i].InCall = 0
	}
	fp.mu.Unlock()
	return nil
}

func (f *floorFake) Attendance(ctx context.Context, token string) (client.Attendance, error) {
	f.record("attendance " + token)
	if r, _ := f.find(token); !r.HasCall {
		return client.Attendance{}, &client.APIError{HTTPStatus: 400, Op: "download the attendance list"}
	}
	return client.Attendance{FileName: "Q3-all-hands-webinar 2026-12-01.csv", ContentType: "text/csv;charset=UTF-8", CSV: f.csv}, nil
}

// floorPeople: bob and dave let in (rights of their own), carol in the
// call with audio that her rights no longer allow.
func floorPeople() []models.Participant {
	ps := webinarPeople()
	for i := range ps {
		switch ps[i].AttendeeID {
		case 3, 5:
			ps[i].AttendeePermissions = ps[i].Permissions
		case 4:
			ps[i].Permissions, ps[i].AttendeePermissions = 133, 133
		}
	}
	return ps
}

// newFloorFake: the demo rooms, the webinar with a call and its people.
func newFloorFake() *floorFake {
	be := demoBackend()
	for i := range be.rooms {
		if be.rooms[i].Token == webinarTok {
			be.rooms[i].HasCall = true
		}
	}
	be.setPeople(webinarTok, floorPeople())
	return &floorFake{fakeBackend: be, csv: []byte("name,email,type,identifier\n\"Bob Chen\",bob@example.com,users,bob\n")}
}

// newFloorHarness starts the console on a floorFake (attendance lists go
// to dir; "" for none), read-only or not.
func newFloorHarness(t *testing.T, ff *floorFake, w, h int, dir string, readOnly bool) *harness {
	t.Helper()
	clock := &fakeClock{t: testNow}
	opts := testOptions(t, ff, clock)
	opts.DownloadDir, opts.ReadOnly = dir, readOnly
	m := newModel(context.Background(), opts)
	m.table.SortBy = roomlist.SortByActivity
	m.c.After = func(d time.Duration, msg tea.Msg) tea.Cmd {
		return func() tea.Msg { return scheduledMsg{d, msg} }
	}
	hs := &harness{t: t, m: m, be: ff.fakeBackend, clock: clock}
	hs.settle(tea.WindowSizeMsg{Width: w, Height: h})
	hs.settleCmd(m.Init())
	return hs
}

func callsWith(be *fakeBackend, prefix string) []string {
	var out []string
	for _, c := range be.Calls() {
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	return out
}

func TestFloorChooserAsksWhoLosesRights(t *testing.T) {
	ff := newFloorFake()
	hs := newFloorHarness(t, ff, 120, 40, "", false)
	hs.selectRoom(webinarTok)
	mustContain(t, hs.view(), "P permissions")
	hs.press("P")
	if modal(hs.m) != modalChooser || len(callsWith(hs.be, "people "+webinarTok)) != 1 {
		t.Fatalf("P: modal %s, calls %v", modal(hs.m), hs.be.Calls())
	}
	v := hs.view()
	for _, want := range []string{"Who may speak · Q3 all-hands webinar", "now: server default", "3 server default (now)", "listen only",
		"3 people lose the rights given to them", "Bob Chen (#3: let in", "Carol Diaz (#4: listens only)", "Dave (speaker) (#5"} {
		mustContain(t, v, want)
	}
	// 1, enter: the question; n keeps everything
	hs.press("1", "enter")
	mustContain(t, hs.view(), "Set listen only and reset their rights? The lobby is on: those let in wait in it again.")
	hs.press("n")
	if modal(hs.m) != modalNone || len(callsWith(hs.be, "default")) != 0 {
		t.Fatalf("n sent %v", callsWith(hs.be, "default"))
	}
	mustContain(t, hs.view(), "default permissions unchanged: nothing was sent")
	// again, y sets it: one request, the room shows it
	hs.press("P", "1", "enter", "y")
	if got := callsWith(hs.be, "default"); len(got) != 1 || got[0] != "default "+webinarTok+" 132" {
		t.Fatalf("y sent %v", got)
	}
	if hs.row(webinarTok).DefaultPermissions != 133 {
		t.Errorf("the room's default is %d", hs.row(webinarTok).DefaultPermissions)
	}
	o := hs.outcome(webinarTok)
	if !o.ok || !strings.Contains(o.text, "who may speak: listen only; the rights given to 3 people were reset") {
		t.Errorf("outcome %+v", o)
	}
	// the same preset again: nothing sent; esc cancels
	hs.press("P", "enter")
	mustContain(t, hs.view(), "the default is already listen only: nothing was sent")
	hs.press("P", "esc")
	if n := len(callsWith(hs.be, "default")); n != 1 {
		t.Errorf("%d default changes sent, want 1", n)
	}
	// nobody holds rights now: everyone is set without a question
	hs.press("P", "2", "enter")
	if got := callsWith(hs.be, "default"); len(got) != 2 || got[1] != "default "+webinarTok+" 246" {
		t.Errorf("everyone sent %v", got)
	}
	// where P cannot act, it says why and sends nothing
	for tok, why := range map[string]string{"bob1": "one-to-one conversation has no floor", "watch1": "not a moderator"} {
		hs.m.table.SetShowAll(true)
		hs.selectRoom(tok)
		before := len(hs.be.Calls())
		hs.press("P")
		if !strings.Contains(hs.m.flash.text, why) && !strings.Contains(hs.m.flash.text, "cannot change") || len(hs.be.Calls()) != before {
			t.Errorf("%s: flash %q", tok, hs.m.flash.text)
		}
	}
}

func TestFloorEndCallAsksYOnly(t *testing.T) {
	ff := newFloorFake()
	hs := newFloorHarness(t, ff, 120, 40, "", false)
	hs.selectRoom(webinarTok)
	hs.press("E")
	v := hs.view()
	mustContain(t, v, "End the call · Q3 all-hands webinar")
	mustContain(t, v, "End the call in Q3 all-hands webinar for everyone? 4 people are in the call.")
	for _, k := range []string{"n", "enter", "esc"} {
		if modal(hs.m) != modalConfirm {
			hs.press("E")
		}
		hs.press(k)
		if len(callsWith(hs.be, "end")) != 0 {
			t.Fatalf("%s ended the call", k)
		}
	}
	mustContain(t, hs.view(), "the call goes on: nothing was sent")
	hs.press("E", "y")
	if got := callsWith(hs.be, "end"); len(got) != 1 {
		t.Fatalf("y sent %v", got)
	}
	if o := hs.outcome(webinarTok); !o.ok || !strings.Contains(o.text, "call ended for everyone") {
		t.Errorf("outcome %+v", o)
	}
	if hs.row(webinarTok).HasCall {
		t.Error("the room still shows a call (no re-read)")
	}
	// no call now: E and d say so
	hs.press("E")
	mustContain(t, hs.m.flash.text, "no call is running in Q3 all-hands webinar")
	// a refused end shows like any change
	ff.endErr = &client.APIError{HTTPStatus: 404, DataNull: true, Op: "end the call for everyone"}
	hs.selectRoom("748392")
	hs.press("E", "y")
	if o := hs.outcome("748392"); o.ok || !strings.Contains(o.text, "call not ended") {
		t.Errorf("refused end: %+v", o)
	}
}

func TestFloorAttendanceFile(t *testing.T) {
	ff := newFloorFake()
	dir := t.TempDir()
	hs := newFloorHarness(t, ff, 120, 40, dir, false)
	hs.selectRoom(webinarTok)
	hs.press("d")
	path := filepath.Join(dir, "Q3-all-hands-webinar 2026-12-01.csv")
	data, err := os.ReadFile(path)
	if err != nil || string(data) != string(ff.csv) {
		t.Fatalf("file: %v %q", err, data)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode())
	}
	mustContain(t, hs.outcome(webinarTok).text, "attendance list (1 person) saved to "+path)
	hs.press("d") // never replaces a file
	if _, err := os.Stat(filepath.Join(dir, "Q3-all-hands-webinar 2026-12-01 (2).csv")); err != nil {
		t.Errorf("second list: %v", err)
	}
	// no download folder (an SSH session): the key says why
	hs2 := newFloorHarness(t, newFloorFake(), 120, 40, "", false)
	hs2.selectRoom(webinarTok)
	hs2.press("d")
	mustContain(t, hs2.m.flash.text, "use talkmod attendance")
	if len(callsWith(hs2.be, "attendance")) != 0 {
		t.Error("d sent a request without a folder")
	}
}

func TestFloorPeopleView(t *testing.T) {
	ff := newFloorFake()
	hs := newFloorHarness(t, ff, 80, 24, t.TempDir(), false)
	hs.selectRoom(webinarTok)
	hs.press("p")
	v := hs.view()
	// words at 80 columns (no colour in tests either)
	mustContain(t, v, "audio video screen")
	mustContain(t, v, "listens only")
	mustContain(t, v, "f/F floor")
	// carol: in the call with audio her rights do not allow
	hs.selectPerson(4)
	mustContain(t, hs.view(), "taken; applies when their app next updates")
	// f gives her the floor: one request, the people read again
	reads := len(callsWith(hs.be, "people"))
	hs.press("f")
	if got := callsWith(hs.be, "perm"); len(got) != 1 || got[0] != "perm "+webinarTok+" #4 add 112" {
		t.Fatalf("f sent %v", got)
	}
	if len(callsWith(hs.be, "people")) != reads+1 {
		t.Error("no re-read after the floor was given")
	}
	mustContain(t, hs.view(), "floor given: audio, video, screen")
	// F takes it: she still has audio on in the call, so not at once
	hs.press("F")
	mustContain(t, hs.view(), "floor taken; applies when their app next updates")
	// moderators always have the floor: nothing sent
	hs.selectPerson(2)
	n := len(hs.be.Calls())
	hs.press("f")
	mustContain(t, hs.m.flash.text, "moderators always have the floor")
	// m demotes a moderator at once
	hs.press("m")
	if got := callsWith(hs.be, "demote"); len(got) != 1 || got[0] != "demote "+webinarTok+" #2" {
		t.Errorf("m on a moderator sent %v", got)
	}
	// m on bob (rights of his own) asks first; n keeps him
	hs.selectPerson(3)
	hs.press("m")
	mustContain(t, hs.view(), "Promote Bob Chen in Q3 all-hands webinar to moderator?")
	mustContain(t, hs.view(), "(let in, audio, video, screen)")
	mustContain(t, hs.view(), "y promotes · any other key keeps them as they are")
	hs.press("x")
	if len(callsWith(hs.be, "promote")) != 0 || hs.m.people.Confirming() {
		t.Fatal("a key that is not y acted")
	}
	hs.press("m", "y")
	if got := callsWith(hs.be, "promote"); len(got) != 1 {
		t.Errorf("y sent %v", got)
	}
	// yourself: nothing sent
	hs.selectPerson(1)
	before := len(hs.be.Calls())
	hs.press("m")
	mustContain(t, hs.m.flash.text, "that is you")
	if len(hs.be.Calls()) != before {
		t.Error("m on yourself sent a request")
	}
	_ = n
}

func TestFloorReadOnlySession(t *testing.T) {
	ff := newFloorFake()
	hs := newFloorHarness(t, ff, 200, 40, t.TempDir(), true)
	var refused []string
	hs.m.c.ReadOnlyRefused = func(key string) { refused = append(refused, key) }
	hs.selectRoom(webinarTok)
	// the key bar offers none of the floor's changes (a read-write one
	// does: rw below is the same screen read-write)
	for _, w := range []string{"P permissions", "E end call", "d attendance", "l lobby"} {
		if strings.Contains(hs.m.shortHelpView(), w) {
			t.Errorf("a read-only key bar offers %q:\n%s", w, hs.m.shortHelpView())
		}
	}
	rw := newFloorHarness(t, newFloorFake(), 200, 40, t.TempDir(), false)
	rw.selectRoom(webinarTok)
	for _, w := range []string{"P permissions", "E end call", "d attendance"} {
		mustContain(t, rw.m.shortHelpView(), w)
	}
	for _, k := range []string{"P", "E", "d"} {
		hs.press(k)
		mustContain(t, hs.m.flash.text, "read-only session")
	}
	hs.press("p")
	// nor does the people view's
	line := hs.m.people.HelpLine(hs.m.c)
	for _, w := range []string{"let in", "remove", "floor", "moderator", "attendance"} {
		if strings.Contains(line, w) {
			t.Errorf("a read-only people view offers %q: %s", w, line)
		}
	}
	mustContain(t, line, "read-only session")
	for _, k := range []string{"f", "F", "m", "d", "a", "h", "x", "A"} {
		hs.press(k)
		mustContain(t, hs.m.flash.text, "read-only session")
	}
	if want := "P,E,d,f,F,m,d,a,h,x,A"; strings.Join(refused, ",") != want {
		t.Errorf("refused keys told: %q, want %s", refused, want)
	}
	for _, c := range hs.be.Calls() {
		if !strings.HasPrefix(c, "people") && !strings.HasPrefix(c, "list") && !strings.HasPrefix(c, "caps") && !strings.HasPrefix(c, "get") {
			t.Errorf("a read-only session sent %q", c)
		}
	}
}

// TestGoldenFloor: the chooser's question, the end-call question and the
// people view with rights and a floor outcome, at 80x24 and 120x40.
func TestGoldenFloor(t *testing.T) {
	cases := []struct {
		name  string
		steps []goldenStep
	}{
		{"chooser", []goldenStep{{keys: []string{"/", "Q", "3", "enter", "P"}, wait: "Who may speak"}, {keys: []string{"1", "enter"}, wait: "y sets it"}}},
		{"endcall", []goldenStep{{keys: []string{"/", "Q", "3", "enter", "E"}, wait: "people are in the call"}}},
		{"people", []goldenStep{{keys: []string{"/", "Q", "3", "enter", "p"}, wait: "Not connected"}, {keys: []string{"j", "j", "j", "j", "j", "f"}, wait: "floor given"}}},
	}
	for _, sz := range goldenSizes {
		for _, tc := range cases {
			t.Run(sizeName(sz)+"/"+tc.name, func(t *testing.T) {
				checkGolden(t, runGolden(t, newFloorFake(), sz[0], sz[1], tc.steps...))
			})
		}
	}
}

// TestFloorAttendanceInPeopleView: d in the people view writes the list,
// and the view shows it (how many, where, when).
func TestFloorAttendanceInPeopleView(t *testing.T) {
	ff := newFloorFake()
	dir := t.TempDir()
	hs := newFloorHarness(t, ff, 120, 40, dir, false)
	hs.selectRoom(webinarTok)
	hs.press("p", "d")
	squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
	mustContain(t, squeeze(hs.view()), squeeze("✓ attendance list (1 person) saved to "+filepath.Join(dir, "Q3-all-hands-webinar 2026-12-01.csv")+" at 15:35 CET"))
}

// TestFloorDialogsThroughTheRoot: P and E open their dialogs through the
// root only while the list still shows the room they were pressed on; the
// chooser is an ordinary dialog (it closes when its room leaves the list)
// and a change on its way holds q like the console's own.
func TestFloorDialogsThroughTheRoot(t *testing.T) {
	ff := newFloorFake()
	hs := newFloorHarness(t, ff, 120, 40, "", false)
	hs.selectRoom(webinarTok)
	// P pressed, then the people view opened before the read answered:
	// nothing opens unseen
	read := hs.send(keyMsg("P"))
	hs.press("p")
	hs.deliver(read)
	if modal(hs.m) != modalNone {
		t.Fatalf("a dialog opened over the people view: %s", modal(hs.m))
	}
	mustContain(t, hs.m.flash.text, "the question was not opened, as the screen changed")
	hs.press("esc")
	// E pressed, then another room selected: the same
	read = hs.send(keyMsg("E"))
	hs.selectRoom("748392")
	hs.deliver(read)
	if modal(hs.m) != modalNone {
		t.Fatalf("the end-call question opened on another room: %s", modal(hs.m))
	}
	// the chooser closes when its room leaves the list: nothing sent
	hs.selectRoom(webinarTok)
	hs.press("P")
	if modal(hs.m) != modalChooser || hs.m.dialog.Token() != webinarTok {
		t.Fatalf("P: %s", modal(hs.m))
	}
	var kept []models.Room
	for _, r := range demoRooms() {
		if r.Token != webinarTok {
			kept = append(kept, r)
		}
	}
	hs.m.accts[0].Sync.ListSeq++
	hs.settle(accounts.ListMsg{Seq: hs.m.accts[0].Sync.ListSeq, Full: true, List: &client.RoomList{Rooms: kept}})
	if modal(hs.m) != modalNone || len(callsWith(hs.be, "default")) != 0 {
		t.Fatalf("the chooser of a room that left: %s, %v", modal(hs.m), callsWith(hs.be, "default"))
	}
	mustContain(t, hs.m.flash.text, "Its dialog was closed: nothing was sent.")

	// a change on its way: q asks first, the answer quits
	hs2 := newFloorHarness(t, newFloorFake(), 120, 40, "", false)
	hs2.selectRoom(webinarTok)
	hs2.press("E")
	sent := hs2.send(keyMsg("y"))
	if !hs2.m.rooms.isPending(webinarTok) {
		t.Fatal("the room is not pending while its call ends")
	}
	hs2.press("q")
	if modal(hs2.m) != modalConfirm || !hs2.m.quitting {
		t.Fatalf("q with the end on its way: %s", modal(hs2.m))
	}
	quit := false
	for _, msg := range sent {
		nm, cmd := hs2.m.Update(msg)
		hs2.m = nm.(Model)
		for _, m := range hs2.run(cmd) {
			if _, ok := m.(tea.QuitMsg); ok {
				quit = true
			}
		}
	}
	if !quit {
		t.Error("the last answer did not quit")
	}
}

// attendanceCSV is a list of n people after an evil name (terminal
// escapes: a title change, a colour, a clear screen).
func attendanceCSV(n int) []byte {
	var b strings.Builder
	b.WriteString("name,email,type,identifier\n")
	b.WriteString("\"\x1b]0;pwned\x07Eve\x1b[31m Evil\x1b[2J\",eve@example.com,guests,abc123\n")
	for i := 1; i < n; i++ {
		b.WriteString("\"Person " + strconv.Itoa(i) + "\",p" + strconv.Itoa(i) + "@example.com,users,p" + strconv.Itoa(i) + "\n")
	}
	return []byte(b.String())
}

// TestFloorAttendanceRowsInPeopleView: d in the people view shows the
// rows of the list it read (every field sanitized), in place of the
// people, scrolled with the view's keys; v and esc hide it, v shows it
// again; no request beyond d's one GET; person keys do nothing unseen.
func TestFloorAttendanceRowsInPeopleView(t *testing.T) {
	ff := newFloorFake()
	ff.csv = attendanceCSV(30)
	hs := newFloorHarness(t, ff, 80, 24, t.TempDir(), false)
	hs.selectRoom(webinarTok)
	hs.press("p")
	mustNotContain(t, hs.view(), "Attendance ·")
	hs.press("v") // nothing read yet: says why
	mustContain(t, hs.m.flash.text, "no attendance list read here yet")
	hs.press("d")
	v := hs.view()
	if escapeIn(v) {
		t.Fatalf("escape in the view:\n%q", v)
	}
	mustContain(t, v, "Attendance · 30 people, read 15:35 CET")
	mustContain(t, v, "^[]0;pwned^GEve") // the escapes shown, not obeyed
	mustContain(t, v, "eve@example.com")
	mustContain(t, v, "guests")
	mustContain(t, v, "Person 1 ")
	mustNotContain(t, v, "Person 29")
	mustNotContain(t, v, "Waiting in the lobby") // the people make room
	mustContain(t, hs.m.people.HelpLine(hs.m.c), "v/esc hide the list")
	// scrolling: G to the last row, g back
	hs.press("G")
	mustContain(t, hs.view(), "Person 29")
	mustNotContain(t, hs.view(), "eve@example.com")
	hs.press("g", "j")
	mustNotContain(t, hs.view(), "eve@example.com")
	mustContain(t, hs.view(), "Person 1 ")
	// a person key does nothing while the people are not on screen
	before := len(hs.be.Calls())
	for _, k := range []string{"a", "x", "f", "m"} {
		hs.press(k)
		mustContain(t, hs.m.flash.text, "the attendance list is on screen")
	}
	if len(hs.be.Calls()) != before || hs.m.people.Confirming() {
		t.Fatalf("a person key acted unseen: %v", hs.be.Calls()[before:])
	}
	// esc hides it (the view stays open), v shows it again, v hides it
	hs.press("esc")
	if !hs.m.people.IsOpen() {
		t.Fatal("esc closed the view, not the list")
	}
	mustNotContain(t, hs.view(), "Attendance ·")
	hs.press("v")
	mustContain(t, hs.view(), "eve@example.com")
	hs.press("v")
	mustNotContain(t, hs.view(), "eve@example.com")
	mustContain(t, hs.view(), "Waiting in the lobby")
	if got := callsWith(hs.be, "attendance"); len(got) != 1 {
		t.Errorf("requests for the list: %v", got)
	}
}

func mustNotContain(t testing.TB, s, unwanted string) {
	t.Helper()
	if strings.Contains(s, unwanted) {
		t.Errorf("%q shown in:\n%s", unwanted, s)
	}
}

// TestGoldenFloorAttendance: d in the people view, the attendance list in
// place of the people (an evil name shown safely), at 80x24 and 120x40.
// The list is written to the current folder (a temporary one while the
// program runs), so that the path on screen is the same on every machine.
func TestGoldenFloorAttendance(t *testing.T) {
	for _, sz := range goldenSizes {
		t.Run(sizeName(sz), func(t *testing.T) {
			ff := newFloorFake()
			ff.csv = attendanceCSV(45)
			wd, err := os.Getwd()
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Chdir(t.TempDir()); err != nil {
				t.Fatal(err)
			}
			view := runGoldenOpts(t, ff, sz[0], sz[1], func(o *Options) { o.DownloadDir = "." },
				goldenStep{keys: []string{"/", "Q", "3", "enter", "p"}, wait: "Not connected"},
				goldenStep{keys: []string{"d"}, wait: "Attendance ·"})
			if err := os.Chdir(wd); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, view)
		})
	}
}

// TestFloorAttendanceRowsNotWritten: a list read but not written to a
// file still shows, and says the file was not written.
func TestFloorAttendanceRowsNotWritten(t *testing.T) {
	ff := newFloorFake()
	ff.csv = attendanceCSV(3)
	notDir := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	hs := newFloorHarness(t, ff, 120, 40, notDir, false)
	hs.selectRoom(webinarTok)
	hs.press("p", "d")
	v := hs.view()
	mustContain(t, v, "✗ attendance list read but not written to a file")
	mustContain(t, v, "Attendance · 3 people")
	mustContain(t, v, "p2@example.com")
}
