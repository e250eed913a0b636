package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/accounts"
	"github.com/talkmod/talkmod/tui/roomlist"
)

// deskServer is one customer's cloud for the support-desk tests: a real
// talktest server, the moderator alice, and webinars with these names.
type deskServer struct {
	srv    *talktest.Server
	pw     string
	label  string
	tokens map[string]string // name → token
}

func newDeskServer(t *testing.T, label string, rooms ...string) *deskServer {
	t.Helper()
	srv := talktest.New()
	t.Cleanup(srv.Close)
	d := &deskServer{srv: srv, pw: "alice-app-password-" + label, label: label, tokens: map[string]string{}}
	srv.AddUser("alice", d.pw)
	for i, name := range rooms {
		tok := srv.AddRoom(talktest.Room{
			// the same tokens on every server: a room is its account and token
			Token: "1234567" + string(rune('0'+i)), Type: models.ConversationGroup, Name: name,
			Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner},
			LastActivity: int64(1000 + i),
		})
		d.tokens[name] = tok
	}
	return d
}

func (d *deskServer) account(t *testing.T) Account {
	t.Helper()
	c, err := client.New(client.Config{BaseURL: d.srv.URL, User: "alice", AppPassword: d.pw, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return Account{Name: "alice@" + d.label, Label: d.label, Server: d.srv.URL, Backend: c}
}

// changes are the PUT and DELETE requests the server got.
func (d *deskServer) changes() []string {
	var out []string
	for _, r := range d.srv.Requests() {
		if r.Method != "GET" {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

func deskHarness(t *testing.T, servers ...*deskServer) *harness {
	t.Helper()
	return deskHarnessWith(t, nil, servers...)
}

// deskHarnessWith is deskHarness with its options changed by set first.
func deskHarnessWith(t *testing.T, set func(*Options), servers ...*deskServer) *harness {
	t.Helper()
	clock := &fakeClock{t: time.Now()}
	opts := testOptions(t, nil, clock)
	opts.Server, opts.User = "", ""
	for _, d := range servers {
		opts.Accounts = append(opts.Accounts, d.account(t))
	}
	if set != nil {
		set(&opts)
	}
	m := newModel(context.Background(), opts)
	m.c.After = func(d time.Duration, msg tea.Msg) tea.Cmd { return func() tea.Msg { return scheduledMsg{d, msg} } }
	h := &harness{t: t, m: m, clock: clock}
	h.settle(tea.WindowSizeMsg{Width: 120, Height: 30})
	h.settleCmd(h.m.Init())
	for _, d := range servers {
		d.srv.ResetRequests()
	}
	return h
}

// selectID selects the room of server label named name.
func (h *harness) selectOn(d *deskServer, name string) string {
	h.t.Helper()
	id := roomlist.IDOf("alice@"+d.label, d.tokens[name])
	for i, e := range h.m.table.Visible {
		if e.ID == id {
			h.m.table.None, h.m.table.Lost = false, ""
			h.m.table.Cursor = i
			h.m.table.Clamp()
			return id
		}
	}
	h.t.Fatalf("%s on %s not visible", name, d.label)
	return ""
}

// refreshAll fires the poll timers of every account.
func (h *harness) pollAll() {
	h.t.Helper()
	for _, p := range takeSched[accounts.PollMsg](h) {
		h.settle(p)
	}
}

func TestAllAccountsOneList(t *testing.T) {
	a := newDeskServer(t, "acme.example", "Acme town hall", "Acme training")
	b := newDeskServer(t, "globex.example", "Globex town hall")
	h := deskHarness(t, a, b)
	if n := len(h.m.table.All); n != 3 {
		t.Fatalf("%d rooms in the list, want 3 (both servers)", n)
	}
	v := h.view()
	mustContain(t, v, "SERVER")
	mustContain(t, v, "2 servers")
	mustContain(t, v, "by server, then name")
	// a server's rooms stay together, in the accounts' order
	var order []string
	for _, e := range h.m.table.Visible {
		order = append(order, e.Server)
	}
	if strings.Join(order, ",") != "acme.example,acme.example,globex.example" {
		t.Errorf("order %v: a server's rooms together", order)
	}
	// the two town halls have the same token: two rooms, two identities
	if a.tokens["Acme town hall"] != b.tokens["Globex town hall"] {
		t.Fatal("the test wants the same token on both servers")
	}
	h.selectOn(b, "Globex town hall")
	mustContain(t, h.view(), "alice@globex.example · token "+b.tokens["Globex town hall"])
	h.press("?")
	mustContain(t, h.view(), "Several accounts: SERVER says whose each room is")
	h.press("esc")
	// the filter matches the server
	h.press("/")
	for _, r := range "globex" {
		h.press(string(r))
	}
	h.press("enter")
	if len(h.m.table.Visible) != 1 || h.m.table.Visible[0].Server != "globex.example" {
		t.Errorf("filter globex: %d rows", len(h.m.table.Visible))
	}
}

func TestAllAccountsChangeGoesToItsOwnServer(t *testing.T) {
	a := newDeskServer(t, "acme.example", "Acme town hall")
	b := newDeskServer(t, "globex.example", "Globex town hall")
	h := deskHarness(t, a, b)
	id := h.selectOn(b, "Globex town hall")
	h.press("l")
	o, ok := h.outcomeOK(id)
	if !ok || !o.ok {
		t.Fatalf("lobby on Globex: %+v (flash %q)", o, h.m.flash.text)
	}
	if got := a.changes(); len(got) != 0 {
		t.Errorf("acme got %v: the change is Globex's", got)
	}
	if got := b.changes(); len(got) != 1 || !strings.Contains(got[0], "/webinar/lobby") {
		t.Errorf("globex got %v, want the one lobby PUT", got)
	}
	if r, _ := b.srv.Room(b.tokens["Globex town hall"]); r.LobbyState != models.LobbyModeratorsOnly {
		t.Errorf("globex's room: lobby %v", r.LobbyState)
	}
	if r, _ := a.srv.Room(a.tokens["Acme town hall"]); r.LobbyState != models.LobbyNone {
		t.Errorf("acme's room with the same token: lobby %v", r.LobbyState)
	}
	// the undo goes to Globex too
	h.press("u")
	if got := b.changes(); len(got) != 2 || len(a.changes()) != 0 {
		t.Errorf("undo: globex %v, acme %v", got, a.changes())
	}
	// the floor asks the room's own server (TestAllAccountsFloor)
	a.srv.ResetRequests()
	b.srv.ResetRequests()
	h.press("P")
	if modal(h.m) != modalChooser || len(a.srv.Requests()) != 0 || len(b.srv.Requests()) != 1 {
		t.Errorf("P: modal %s, requests acme %d, globex %d", modal(h.m), len(a.srv.Requests()), len(b.srv.Requests()))
	}
	h.press("esc")
	// the people view and the doctor page ask Globex (common.Env)
	a.srv.ResetRequests()
	b.srv.ResetRequests()
	h.press("p")
	mustContain(t, h.view(), "Globex town hall")
	h.press("esc", "D")
	mustContain(t, h.view(), "Doctor · Globex town hall")
	people := 0
	for _, r := range b.srv.Requests() {
		if strings.HasSuffix(r.Path, "/participants") {
			people++
		}
	}
	if people == 0 || len(a.srv.Requests()) != 0 {
		t.Errorf("people reads: globex %d, acme %d requests", people, len(a.srv.Requests()))
	}
}

func TestAllAccountsDeadServerDoesNotHoldUpTheOthers(t *testing.T) {
	a := newDeskServer(t, "acme.example", "Acme town hall")
	b := newDeskServer(t, "globex.example", "Globex town hall")
	c := newDeskServer(t, "initech.example", "Initech all-hands")
	h := deskHarness(t, a, b, c)
	if n := len(h.m.table.All); n != 3 {
		t.Fatalf("%d rooms, want 3", n)
	}
	b.srv.Close() // mid-session
	h.clock.Add(time.Minute)
	h.pollAll()
	v := h.view()
	mustContain(t, v, "globex.example cannot be reached since")
	mustContain(t, v, "3 servers · 2 answering")
	// its room keeps its last state
	if h.m.table.Find(roomlist.IDOf("alice@globex.example", b.tokens["Globex town hall"])) == nil {
		t.Fatal("the dead server's room left the list")
	}
	// its row is greyed, with a mark that shows without colour too
	rows := 0
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "Globex town hall") && strings.Contains(l, "globex.example") {
			rows++
			if !strings.HasPrefix(l, " ·") && !strings.HasPrefix(l, ">·") {
				t.Errorf("the dead server's row is not marked: %q", l)
			}
		}
		if strings.Contains(l, "Acme town hall") && (strings.HasPrefix(l, " ·") || strings.HasPrefix(l, ">·")) {
			t.Errorf("a live server's row is marked: %q", l)
		}
	}
	if rows != 1 {
		t.Errorf("%d rows of the dead server on screen, want 1", rows)
	}
	gid := h.selectOn(b, "Globex town hall")
	mustContain(t, h.view(), "not current: globex.example cannot be reached")
	h.press("l")
	if s := h.m.rooms[gid]; s != nil && s.pending != 0 {
		t.Error("a change was sent to the dead server")
	}
	mustContain(t, h.view(), "not sent: globex.example cannot be reached")
	// the others stay fully usable
	for _, d := range []*deskServer{a, c} {
		for name := range d.tokens {
			id := h.selectOn(d, name)
			h.press("l")
			if o, ok := h.outcomeOK(id); !ok || !o.ok {
				t.Errorf("%s on %s: %+v", name, d.label, o)
			}
			if got := d.changes(); len(got) != 1 {
				t.Errorf("%s got %v", d.label, got)
			}
		}
	}
}

func TestAllAccountsUnauthorizedOnOneAccount(t *testing.T) {
	a := newDeskServer(t, "acme.example", "Acme town hall")
	b := newDeskServer(t, "globex.example", "Globex town hall")
	h := deskHarness(t, a, b)
	a.srv.RevokeAppPassword("alice", a.pw)
	h.press("r")
	v := h.view()
	mustContain(t, v, "the login of alice@acme.example no longer works (401): run talkmod login "+a.srv.URL)
	h.selectOn(a, "Acme town hall")
	h.press("l")
	mustContain(t, h.view(), "alice@acme.example no longer works")
	if got := a.changes(); len(got) != 0 {
		t.Errorf("acme got %v after its 401", got)
	}
	id := h.selectOn(b, "Globex town hall")
	h.press("l")
	if o, ok := h.outcomeOK(id); !ok || !o.ok {
		t.Errorf("globex after acme's 401: %+v", o)
	}
	// acme's polling stopped, globex's goes on
	h.clock.Add(time.Minute)
	a.srv.ResetRequests()
	h.pollAll()
	if n := len(a.srv.Requests()); n != 0 {
		t.Errorf("acme polled %d times after its 401", n)
	}
}

func TestAllAccountsMarksAcrossServers(t *testing.T) {
	names := func(p string) []string {
		var out []string
		for i := 0; i < 6; i++ {
			out = append(out, p+" webinar "+string(rune('A'+i)))
		}
		return out
	}
	a := newDeskServer(t, "acme.example", names("Acme")...)
	b := newDeskServer(t, "globex.example", names("Globex")...)
	h := deskHarness(t, a, b)
	h.press("*")
	if n := h.m.bulk.marks.Count(); n != 12 {
		t.Fatalf("%d marked, want 12", n)
	}
	h.press("l", "enter")
	mustContain(t, h.view(), "Send 12 changes to 2 servers (4 at a time on each)? y/n")
	h.press("y")
	for _, d := range []*deskServer{a, b} {
		if got := d.changes(); len(got) != 6 {
			t.Errorf("%s got %d changes, want its own 6: %v", d.label, len(got), got)
		}
		for name, tok := range d.tokens {
			if r, _ := d.srv.Room(tok); r.LobbyState != models.LobbyModeratorsOnly {
				t.Errorf("%s on %s: lobby %v", name, d.label, r.LobbyState)
			}
		}
	}
	mustContain(t, h.view(), "12 changed")
}

// Two users on one server are two accounts: the room both see shows
// twice, each with its own role, and a change goes with its own login.
func TestAllAccountsTwoUsersOnOneServer(t *testing.T) {
	srv := talktest.New()
	t.Cleanup(srv.Close)
	srv.AddUser("alice", "alice-pw")
	srv.AddUser("bob", "bob-pw")
	tok := srv.AddRoom(talktest.Room{Token: "1234567890", Type: models.ConversationGroup, Name: "Shared town hall",
		Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner, "bob": models.ParticipantModerator}})
	acct := func(user, pw string) Account {
		c, err := client.New(client.Config{BaseURL: srv.URL, User: user, AppPassword: pw, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return Account{Name: user + "@cloud", Label: user + "@cloud", Server: srv.URL, Backend: c}
	}
	clock := &fakeClock{t: time.Now()}
	opts := testOptions(t, nil, clock)
	opts.Accounts = []Account{acct("alice", "alice-pw"), acct("bob", "bob-pw")}
	m := newModel(context.Background(), opts)
	m.c.After = func(d time.Duration, msg tea.Msg) tea.Cmd { return func() tea.Msg { return scheduledMsg{d, msg} } }
	h := &harness{t: t, m: m, clock: clock}
	h.settle(tea.WindowSizeMsg{Width: 120, Height: 30})
	h.settleCmd(h.m.Init())
	if n := len(h.m.table.All); n != 2 {
		t.Fatalf("%d rows, want the shared room twice", n)
	}
	roles := map[string]models.ParticipantType{}
	for _, e := range h.m.table.All {
		roles[e.Server] = e.Room.ParticipantType
	}
	if roles["alice@cloud"] != models.ParticipantOwner || roles["bob@cloud"] != models.ParticipantModerator {
		t.Errorf("roles %v: each account its own", roles)
	}
	srv.ResetRequests()
	for i, e := range h.m.table.Visible {
		if e.Server == "bob@cloud" {
			h.m.table.Cursor = i
			h.m.table.Clamp()
		}
	}
	h.press("l")
	var users []string
	for _, r := range srv.Requests() {
		if r.Method == "PUT" {
			users = append(users, r.User)
		}
	}
	if len(users) != 1 || users[0] != "bob" {
		t.Errorf("the change to bob's row went as %v, want bob", users)
	}
	if o, ok := h.outcomeOK(roomlist.IDOf("bob@cloud", tok)); !ok || !o.ok {
		t.Errorf("bob's outcome: %+v", o)
	}
	if _, ok := h.outcomeOK(roomlist.IDOf("alice@cloud", tok)); ok {
		t.Error("alice's row got bob's outcome")
	}
}

// withCall puts bob in a call in the room named name on d (he joins the
// room and the call with audio); his attendee id.
func (d *deskServer) withCall(t *testing.T, name string) int64 {
	t.Helper()
	tok := d.tokens[name]
	d.srv.AddUser("bob", "bob-password-"+d.label)
	d.srv.SetParticipant(tok, "bob", models.ParticipantUser)
	id, err := d.srv.JoinRoom(tok, "bob")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.srv.JoinCall(tok, id, 3); err != nil {
		t.Fatal(err)
	}
	return id
}

// requests are the requests d got whose path has part, as "METHOD path".
func (d *deskServer) requests(part string) []string {
	var out []string
	for _, r := range d.srv.Requests() {
		if strings.Contains(r.Path, part) {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

// The floor on several accounts: P, d, f in the people view and E go
// to the selected room's own server only, though the other server has a
// room with the same token, a call and the same person.
func TestAllAccountsFloor(t *testing.T) {
	a := newDeskServer(t, "acme.example", "Acme town hall")
	b := newDeskServer(t, "globex.example", "Globex town hall")
	tok := b.tokens["Globex town hall"]
	if a.tokens["Acme town hall"] != tok {
		t.Fatal("the test wants the same token on both servers")
	}
	bobA, bobB := a.withCall(t, "Acme town hall"), b.withCall(t, "Globex town hall")
	dir := t.TempDir()
	h := deskHarnessWith(t, func(o *Options) { o.DownloadDir = dir }, a, b)
	id := h.selectOn(b, "Globex town hall")
	if e := h.m.table.Selected(); e == nil || !e.Room.HasCall {
		t.Fatal("Globex's room shows no call")
	}
	// the key bar offers the floor again
	v := h.view()
	mustContain(t, v, "P permissions")
	if strings.Contains(v, "one account at a time") {
		t.Error("the console still says the floor works on one account at a time")
	}

	// P: the people read and the default set on Globex only
	a.srv.ResetRequests()
	b.srv.ResetRequests()
	h.press("P")
	if modal(h.m) != modalChooser {
		t.Fatalf("P: modal %s (flash %q)", modal(h.m), h.m.flash.text)
	}
	h.press("1", "enter")
	if modal(h.m) == modalConfirm || modal(h.m) == modalChooser {
		h.press("y") // a question about rights given (none here)
	}
	if got := b.requests("/permissions/default"); len(got) != 1 || !strings.HasPrefix(got[0], "PUT ") {
		t.Errorf("globex got %v, want one PUT permissions/default", got)
	}
	if got := a.srv.Requests(); len(got) != 0 {
		t.Errorf("acme got %d requests for Globex's P", len(got))
	}
	if r, _ := b.srv.Room(tok); r.DefaultPermissions == 0 {
		t.Error("globex's default was not set")
	}
	if r, _ := a.srv.Room(tok); r.DefaultPermissions != 0 {
		t.Errorf("acme's room with the same token changed: default %d", r.DefaultPermissions)
	}
	if o, ok := h.outcomeOK(id); !ok || !o.ok || !strings.Contains(o.text, "who may speak: listen only") {
		t.Errorf("outcome on Globex's room: %+v", o)
	}
	if _, ok := h.outcomeOK(roomlist.IDOf("alice@acme.example", tok)); ok {
		t.Error("Acme's room with the same token shows Globex's outcome")
	}

	// d: the attendance list of Globex's call
	a.srv.ResetRequests()
	b.srv.ResetRequests()
	h.press("d")
	if got := b.requests("/download"); len(got) != 1 || len(a.srv.Requests()) != 0 {
		t.Errorf("d: globex %v, acme %d requests", got, len(a.srv.Requests()))
	}
	if o, _ := h.outcomeOK(id); !strings.Contains(o.text, "attendance list") || !strings.Contains(o.text, dir) {
		t.Errorf("d outcome %+v (flash %q)", o, h.m.flash.text)
	}

	// the people view: f gives bob the floor on Globex only, and the
	// attendance list written shows there (by the room's ID)
	h.press("p")
	mustContain(t, h.view(), "Globex town hall")
	mustContain(t, h.view(), "attendance list")
	h.selectPerson(bobB)
	a.srv.ResetRequests()
	b.srv.ResetRequests()
	h.press("f")
	if got := b.requests("/attendees/permissions"); len(got) != 1 || len(a.requests("/attendees/permissions")) != 0 {
		t.Errorf("f: globex %v, acme %v", got, a.requests("/attendees/permissions"))
	}
	mustContain(t, h.view(), "floor given")
	if len(a.srv.Requests()) != 0 {
		t.Errorf("f sent acme %d requests", len(a.srv.Requests()))
	}
	perms := func(d *deskServer, aid int64) int {
		for _, p := range d.srv.Participants(tok) {
			if p.AttendeeID == aid {
				return p.AttendeePermissions
			}
		}
		return -1
	}
	if perms(b, bobB) == 0 || perms(a, bobA) != 0 {
		t.Errorf("bob's own rights: globex %d, acme %d", perms(b, bobB), perms(a, bobA))
	}
	h.press("esc")

	// E: join, end, leave on Globex; Acme's call goes on
	a.srv.ResetRequests()
	b.srv.ResetRequests()
	h.press("E")
	mustContain(t, h.view(), "End the call · Globex town hall")
	h.press("y")
	if r, _ := b.srv.Room(tok); r.HasCall {
		t.Error("globex's call goes on")
	}
	if r, _ := a.srv.Room(tok); !r.HasCall {
		t.Error("acme's call with the same token was ended")
	}
	if got := b.requests("/call/"); len(got) == 0 {
		t.Error("E sent globex nothing")
	}
	if len(a.srv.Requests()) != 0 {
		t.Errorf("E sent acme %d requests", len(a.srv.Requests()))
	}
	if o, _ := h.outcomeOK(id); !o.ok || !strings.Contains(o.text, "call ended") {
		t.Errorf("E outcome %+v", o)
	}

	// Acme's room: P reads Acme only
	h.selectOn(a, "Acme town hall")
	a.srv.ResetRequests()
	b.srv.ResetRequests()
	h.press("P")
	if modal(h.m) != modalChooser || len(b.srv.Requests()) != 0 || len(a.requests("/participants")) != 1 {
		t.Errorf("P on Acme: modal %s, acme %v, globex %d", modal(h.m), a.srv.Requests(), len(b.srv.Requests()))
	}
	h.press("esc")
}

// rowOf is the list's line of the room named name.
func (h *harness) rowOf(name string) string {
	h.t.Helper()
	for _, l := range strings.Split(h.view(), "\n") {
		if strings.Contains(l, name) {
			return l
		}
	}
	h.t.Fatalf("no row of %s in:\n%s", name, h.view())
	return ""
}

// The people view's counts are by room ID: the waiting count read on
// one server's room never shows on another server's room with the same
// token, nor does its line in the detail pane.
func TestAllAccountsWaitingCountByRoom(t *testing.T) {
	a := newDeskServer(t, "acme.example", "Acme town hall")
	b := newDeskServer(t, "globex.example", "Globex town hall")
	tok := b.tokens["Globex town hall"]
	for _, d := range []*deskServer{a, b} {
		d.srv.UpdateRoom(tok, func(r *talktest.Room) { r.LobbyState = models.LobbyModeratorsOnly })
	}
	b.srv.AddUser("bob", "bob-password")
	b.srv.SetParticipant(tok, "bob", models.ParticipantUser)
	if _, err := b.srv.JoinRoom(tok, "bob"); err != nil { // he waits in the lobby
		t.Fatal(err)
	}
	h := deskHarness(t, a, b)
	h.selectOn(b, "Globex town hall")
	h.press("p", "esc")
	if row := h.rowOf("Globex town hall"); !strings.Contains(row, "1 wait") {
		t.Errorf("Globex's row without its waiting count: %q", row)
	}
	if row := h.rowOf("Acme town hall"); strings.Contains(row, "wait") {
		t.Errorf("Acme's row shows Globex's waiting count: %q", row)
	}
	mustContain(t, h.view(), "(p: who)")
	h.selectOn(a, "Acme town hall")
	if v := h.view(); strings.Contains(v, "(p: who)") {
		t.Errorf("Acme's detail shows Globex's counts:\n%s", v)
	}
	// the doctor page takes the people view's read of its own room
	// only: on Acme it reads Acme's people
	a.srv.ResetRequests()
	b.srv.ResetRequests()
	h.press("D")
	mustContain(t, h.view(), "Doctor · Acme town hall")
	if got := a.requests("/participants"); len(got) != 1 || len(b.srv.Requests()) != 0 {
		t.Errorf("D on Acme: acme %v, globex %d requests", got, len(b.srv.Requests()))
	}
}

// The call question counts those it removes from the people view's read
// of that room only: not from a read of another server's room with the
// same token.
func TestAllAccountsCallRemovalsByRoom(t *testing.T) {
	a := newDeskServer(t, "acme.example", "Acme town hall")
	b := newDeskServer(t, "globex.example", "Globex town hall")
	a.withCall(t, "Acme town hall")
	b.withCall(t, "Globex town hall")
	h := deskHarness(t, a, b)
	h.selectOn(b, "Globex town hall")
	h.press("p", "esc", "l")
	mustContain(t, h.view(), "1 person, as the people view read it at")
	h.press("esc")
	h.selectOn(a, "Acme town hall")
	h.press("l")
	v := h.view()
	mustContain(t, v, "A call is running in Acme town hall")
	if strings.Contains(v, "as the people view read it") {
		t.Errorf("Acme's question counts Globex's call:\n%s", v)
	}
	h.press("esc")
	if len(a.changes())+len(b.changes()) != 0 {
		t.Errorf("esc sent: acme %v, globex %v", a.changes(), b.changes())
	}
}

// The summary of a change to rooms on several servers counts each
// server's outcome, named as the SERVER column names it.
func TestAllAccountsBulkSummaryPerServer(t *testing.T) {
	a := newDeskServer(t, "acme.example", "Acme webinar A", "Acme webinar B")
	b := newDeskServer(t, "globex.example", "Globex webinar A", "Globex webinar B", "Globex webinar C")
	h := deskHarness(t, a, b)
	b.srv.FailNext("/room/"+b.tokens["Globex webinar B"]+"/webinar/lobby", 1, 403, `{"ocs":{"meta":{"status":"failure","statuscode":403,"message":""},"data":[]}}`)
	h.press("*", "l", "enter", "y")
	mustContain(t, h.m.flash.text, "4 changed, 1 refused (403) · by server: acme.example 2 changed; globex.example 2 changed, 1 refused (403)")
	if n := len(a.changes()); n != 2 {
		t.Errorf("acme got %d changes", n)
	}
}
