package accounts

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/roomlist"
)

var testNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// timer is what common.After returned: the message and its delay.
type timer struct {
	d   time.Duration
	msg tea.Msg
}

func testCommon() common.Common {
	return common.Common{
		Now:     func() time.Time { return testNow },
		Zones:   []*time.Location{time.UTC},
		Ctx:     context.Background(),
		Timeout: time.Second,
		After: func(d time.Duration, msg tea.Msg) tea.Cmd {
			return func() tea.Msg { return timer{d, msg} }
		},
	}
}

// fake answers every call of common.Backend and reads the dial-in text.
type fake struct {
	common.Backend
	dialIn string
	asked  int
}

func (f *fake) DialInInfo(context.Context, string) (string, error) {
	f.asked++
	return f.dialIn, nil
}

func newAccount() *Account {
	return &Account{Backend: &fake{dialIn: "+1 555 0100\n\n +49 30 1234567 "},
		Sync: Sync{RefreshEvery: 30 * time.Second, FullEvery: 5 * time.Minute}}
}

func status(code int) error { return &client.APIError{HTTPStatus: code, OCSStatus: code} }

// A failed list backs off 5 s, doubling to 5 min; a 429 pauses the
// polling; a 401 stops it; a good list ends the failures.
func TestListFailedBacksOffPausesAndStops(t *testing.T) {
	c := testCommon()
	a := newAccount()
	down := &client.NetworkError{Op: "list", Cause: "refused", Err: errors.New("refused")}
	var waits []time.Duration
	for range 8 {
		waits = append(waits, a.ListFailed(c, down, testNow)().(timer).d)
	}
	if waits[0] != BackoffMin || waits[1] != 2*BackoffMin || waits[7] != BackoffMax {
		t.Fatalf("back-off %v", waits)
	}
	if !a.DownSince.Equal(testNow) || !a.Stale() || !strings.Contains(a.Sync.ListErrNote, "retrying at") {
		t.Fatalf("down since %v, note %q", a.DownSince, a.Sync.ListErrNote)
	}
	a.ListRead(ListMsg{Full: true, List: &client.RoomList{ModifiedBefore: 42}}, testNow)
	if a.Stale() || a.Sync.ListErr != nil || a.Sync.Backoff != 0 || a.Sync.ModifiedSince != 42 || !a.Sync.LastFull.Equal(testNow) {
		t.Fatalf("after a good list: %+v", a.Sync)
	}

	poll := a.ListFailed(c, status(429), testNow)().(timer)
	if poll.d != common.ThrottlePause || !a.Held(testNow) || a.Stale() {
		t.Fatalf("429: next poll in %v, held %v", poll.d, a.Held(testNow))
	}
	if why := a.RefreshBlocked(c); !strings.Contains(why, "(429)") {
		t.Fatalf("429: r says %q", why)
	}

	if cmd := a.ListFailed(c, status(401), testNow); cmd != nil || !a.Sync.Unauthorized || a.Sync.ListErrNote != "polling stopped" {
		t.Fatalf("401: cmd %v, %+v", cmd, a.Sync)
	}
	if cmd, asked := a.Poll(c, poll.msg.(PollMsg)); cmd != nil || asked {
		t.Fatal("a logged-out account polled")
	}
}

// A poll asks for changes, in full when one is due, and only with the
// timer armed last.
func TestPoll(t *testing.T) {
	c := testCommon()
	a := newAccount()
	a.Sync.ModifiedSince, a.Sync.LastFull = 7, testNow
	next := a.ListMerged(c, ListMsg{List: &client.RoomList{}})().(timer)
	if next.d != 30*time.Second {
		t.Fatalf("next poll in %v", next.d)
	}
	old := next.msg.(PollMsg)
	old.Gen--
	if cmd, asked := a.Poll(c, old); cmd != nil || asked {
		t.Fatal("an out-of-date timer asked")
	}
	if _, asked := a.Poll(c, next.msg.(PollMsg)); !asked || !a.Sync.ListInflight {
		t.Fatal("the poll did not ask")
	}
	if _, asked := a.Poll(c, PollMsg{Gen: a.Sync.PollGen}); asked {
		t.Fatal("asked while a list is on its way")
	}
	be := &listFake{since: -1}
	a.Backend = be
	a.Sync.ListInflight = false
	if msg := poll(t, c, a); msg.Full || be.since != 7 || msg.Seq != a.Sync.ListSeq {
		t.Fatalf("changes: %+v, since %d", msg, be.since)
	}
	a.Sync.ListInflight = false
	a.Sync.NeedFull = true // a room went (404)
	if msg := poll(t, c, a); !msg.Full || be.since != 0 {
		t.Fatalf("full: %+v, since %d", msg, be.since)
	}
}

// poll fires a's poll timer and runs the list request it sends.
func poll(t *testing.T, c common.Common, a *Account) ListMsg {
	t.Helper()
	cmd, asked := a.Poll(c, PollMsg{Gen: a.Sync.PollGen})
	if !asked {
		t.Fatal("the poll did not ask")
	}
	return cmd().(ListMsg)
}

type listFake struct {
	common.Backend
	since int64
}

func (f *listFake) ListRooms(_ context.Context, o client.ListOptions) (*client.RoomList, error) {
	f.since = o.ModifiedSince
	return nil, nil
}

// The dial-in text is asked once; an answer that a hash change overtook
// is dropped, and the numbers known stay until the new ones come.
func TestDialIn(t *testing.T) {
	c := testCommon()
	a := newAccount()
	be := a.Backend.(*fake)
	if got := a.DialInText(c, false); got[0] != "numbers: asking the server…" {
		t.Fatalf("unread: %q", got)
	}
	a.DialIn.Apply(a.AskDialIn(c, "tok")().(DialInMsg))
	if a.AskDialIn(c, "tok") != nil || be.asked != 1 {
		t.Fatalf("asked %d times", be.asked)
	}
	if got := a.DialInText(c, false); got[0] != "+1 555 0100 · +49 30 1234567" {
		t.Fatalf("known: %q", got)
	}
	if text, _ := a.DialIn.Read(); text == nil || *text != "+1 555 0100\n+49 30 1234567" {
		t.Fatalf("read %v", text)
	}
	be.dialIn = "+33 1 2345"
	stale := a.AskDialIn(c, "tok") // nothing: the text is known
	a.ListMerged(c, ListMsg{List: &client.RoomList{TalkHash: "h1"}})
	a.ListMerged(c, ListMsg{List: &client.RoomList{TalkHash: "h2"}})
	if stale != nil {
		t.Fatal("asked again before the hash changed")
	}
	answer := a.AskDialIn(c, "tok")().(DialInMsg)
	a.DialIn.HashChanged()
	a.DialIn.Apply(answer)
	if got := a.DialInText(c, true); len(got) != 2 || got[0] != "+1 555 0100" {
		t.Fatalf("a stale answer was kept: %q", got)
	}
	if text, _ := a.DialIn.Read(); text != nil {
		t.Fatalf("read %q after a hash change", *text)
	}
}

// Several accounts: the status line names the first that needs
// attention and counts the others; the header counts those answering.
func TestListWords(t *testing.T) {
	c := testCommon()
	acme, globex, initech := newAccount(), newAccount(), newAccount()
	acme.Account = roomlist.Account{Index: 0, Name: "ann@acme.example", Label: "acme.example"}
	globex.Account = roomlist.Account{Index: 1, Name: "bob@globex.example", Label: "globex.example"}
	initech.Account = roomlist.Account{Index: 2, Name: "cy@initech.example", Label: "initech.example"}
	as := List{acme, globex, initech}
	for _, a := range as {
		a.Sync.Loaded = true
	}
	if got := as.HeaderWords(); got != "3 servers" {
		t.Fatalf("header %q", got)
	}
	globex.ListFailed(c, &client.NetworkError{Op: "list", Cause: "timeout", Err: errors.New("timeout")}, testNow.Add(-time.Minute))
	initech.LoggedOut()
	table := &roomlist.Table{All: []*roomlist.Entry{{Acct: 1, Room: models.Room{Token: "a"}}, {Acct: 1, Room: models.Room{Token: "b"}}}}
	got := as.Trouble(c, table)
	if !strings.HasPrefix(got, "globex.example cannot be reached since") || !strings.HasSuffix(got, "(and 1 more: enter on their rooms says)") {
		t.Fatalf("trouble %q", got)
	}
	if h := as.HeaderWords(); h != "3 servers · 1 answering" {
		t.Fatalf("header %q", h)
	}
	if as.Of(roomlist.IDOf("cy@initech.example", "x")) != initech || as.At(nil) != acme || !as.Multi() {
		t.Fatal("Of / At")
	}
	if s := as.Summary(); !s.Loaded || s.ListErr == nil {
		t.Fatalf("summary %+v", s)
	}
}
