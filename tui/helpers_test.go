package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // fixed zones in tests

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/accounts"
	"github.com/talkmod/talkmod/tui/dialog"
	"github.com/talkmod/talkmod/tui/roomlist"
)

// testNow is the fixed clock of the tests: Tuesday 1 December 2026,
// 14:35 UTC (15:35 in Berlin).
var testNow = time.Date(2026, 12, 1, 14, 35, 0, 0, time.UTC)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fakeBackend answers from funcs; nil funcs answer from rooms.
type fakeBackend struct {
	mu    sync.Mutex
	calls []string
	rooms []models.Room
	caps  models.Capabilities
	hash  string

	capsFn  func() (models.Capabilities, error)
	listFn  func(opts client.ListOptions) (*client.RoomList, error)
	getFn   func(token string) (models.Room, error)
	lobbyFn func(token string, state models.LobbyState, timer *time.Time) (models.Room, error)
	sipFn   func(token string, state models.SIPState) (models.Room, error)
}

func (f *fakeBackend) record(s string) {
	f.mu.Lock()
	f.calls = append(f.calls, s)
	f.mu.Unlock()
}

func (f *fakeBackend) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeBackend) find(token string) (models.Room, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.rooms {
		if r.Token == token {
			return r, true
		}
	}
	return models.Room{}, false
}

func (f *fakeBackend) put(r models.Room) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.rooms {
		if f.rooms[i].Token == r.Token {
			f.rooms[i] = r
		}
	}
}

func (f *fakeBackend) Capabilities(ctx context.Context) (models.Capabilities, error) {
	f.record("caps")
	if f.capsFn != nil {
		return f.capsFn()
	}
	return f.caps, nil
}

func (f *fakeBackend) ListRooms(ctx context.Context, opts client.ListOptions) (*client.RoomList, error) {
	if opts.ModifiedSince > 0 {
		f.record("list since")
	} else {
		f.record("list")
	}
	if f.listFn != nil {
		return f.listFn(opts)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return &client.RoomList{Rooms: append([]models.Room(nil), f.rooms...), ModifiedBefore: testNow.Unix(), TalkHash: f.hash}, nil
}

func (f *fakeBackend) GetRoom(ctx context.Context, token string) (models.Room, error) {
	f.record("get " + token)
	if f.getFn != nil {
		return f.getFn(token)
	}
	if r, ok := f.find(token); ok {
		return r, nil
	}
	return models.Room{}, &client.APIError{HTTPStatus: 404, Op: "get room"}
}

func (f *fakeBackend) SetLobby(ctx context.Context, token string, state models.LobbyState, timer *time.Time) (models.Room, error) {
	ts := "nil"
	if timer != nil {
		ts = timer.UTC().Format("15:04")
	}
	f.record("lobby " + token + " " + state.String() + " " + ts)
	if f.lobbyFn != nil {
		return f.lobbyFn(token, state, timer)
	}
	r, ok := f.find(token)
	if !ok {
		return models.Room{}, &client.APIError{HTTPStatus: 404, Op: "set lobby"}
	}
	r.LobbyState = state
	r.LobbyTimer = 0
	if timer != nil {
		r.LobbyTimer = timer.Unix()
	}
	f.put(r)
	return r, nil
}

func (f *fakeBackend) SetSIP(ctx context.Context, token string, state models.SIPState) (models.Room, error) {
	f.record("sip " + token + " " + state.String())
	if f.sipFn != nil {
		return f.sipFn(token, state)
	}
	r, ok := f.find(token)
	if !ok {
		return models.Room{}, &client.APIError{HTTPStatus: 404, Op: "set SIP"}
	}
	r.SIPEnabled = state
	f.put(r)
	return r, nil
}

func boolp(b bool) *bool { return &b }

func fullCaps() models.Capabilities {
	return models.Capabilities{
		Known: true, HasTalk: true, ServerVersion: "31.0.6", TalkVersion: "21.0.0",
		Features: map[string]bool{
			models.FeatureConversationV4: true, models.FeatureLobby: true,
			models.FeatureSIP: true, models.FeatureSIPNoPIN: true,
		},
		SIPConfigured: boolp(true), CanEnableSIP: boolp(true),
	}
}

// demoRooms are the rooms of most tests.
func demoRooms() []models.Room {
	at := func(d time.Duration) int64 { return testNow.Add(d).Unix() }
	return []models.Room{
		{Token: "162534", Type: models.ConversationPublic, DisplayName: "Q3 all-hands webinar", Description: "Quarterly results\nand questions",
			ParticipantType: models.ParticipantOwner, LobbyState: models.LobbyModeratorsOnly, LobbyTimer: at(25 * time.Minute),
			CanEnableSIP: true, LastActivity: at(-time.Minute)},
		{Token: "748392", Type: models.ConversationGroup, DisplayName: "Town hall", ParticipantType: models.ParticipantModerator,
			HasCall: true, CallStartTime: at(-10 * time.Minute), SIPEnabled: models.SIPEnabled, AttendeePin: "846213",
			CanEnableSIP: true, LastActivity: at(-2 * time.Minute)},
		{Token: "abcd2xyz", Type: models.ConversationPublic, DisplayName: "Product launch (letters token)",
			ParticipantType: models.ParticipantOwner, LastActivity: at(-time.Hour)},
		{Token: "brk1", Type: models.ConversationGroup, DisplayName: "Breakout room 1", ObjectType: "room",
			ParticipantType: models.ParticipantOwner, LastActivity: at(-2 * time.Hour)},
		{Token: "913572", Type: models.ConversationGroup, DisplayName: "Board meeting", ParticipantType: models.ParticipantOwner,
			LobbyState: models.LobbyModeratorsOnly, CanEnableSIP: true, LastActivity: at(-3 * time.Hour)},
		{Token: "bob1", Type: models.ConversationOneToOne, DisplayName: "Bob", ParticipantType: models.ParticipantOwner,
			LastActivity: at(-30 * time.Minute)},
		{Token: "watch1", Type: models.ConversationGroup, DisplayName: "All staff (I only watch)", ParticipantType: models.ParticipantUser,
			LastActivity: at(-4 * time.Hour)},
	}
}

// scheduledMsg stands for a timer: tests deliver it when they want.
type scheduledMsg struct {
	d   time.Duration
	msg tea.Msg
}

type harness struct {
	t     testing.TB
	m     Model
	be    *fakeBackend
	clock *fakeClock
	sched []scheduledMsg
}

func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.Ascii))
	r.SetColorProfile(termenv.Ascii)
	r.SetHasDarkBackground(true)
	return r
}

func testOptions(t testing.TB, be Backend, clock *fakeClock) Options {
	return Options{
		Backend:  be,
		Server:   "cloud.example.com",
		User:     "alice",
		Local:    mustZone(t, "Europe/Berlin"),
		Zone:     mustZone(t, "America/New_York"),
		Now:      clock.Now,
		Renderer: asciiRenderer(),
	}
}

// newHarness starts a console on be at w x h and loads the list. The
// list is ordered by last activity (o's third order), the order the
// tests written before the name order place their rooms by (with j and
// k); newHarnessByName keeps the default order.
func newHarness(t testing.TB, be *fakeBackend, w, h int) *harness {
	t.Helper()
	return newHarnessSorted(t, be, w, h, roomlist.SortByActivity)
}

func newHarnessByName(t testing.TB, be *fakeBackend, w, h int) *harness {
	t.Helper()
	return newHarnessSorted(t, be, w, h, roomlist.SortByName)
}

func newHarnessSorted(t testing.TB, be *fakeBackend, w, h int, by roomlist.SortMode) *harness {
	t.Helper()
	clock := &fakeClock{t: testNow}
	m := newModel(context.Background(), testOptions(t, be, clock))
	m.table.SortBy = by
	m.c.After = func(d time.Duration, msg tea.Msg) tea.Cmd {
		return func() tea.Msg { return scheduledMsg{d, msg} }
	}
	hs := &harness{t: t, m: m, be: be, clock: clock}
	hs.settle(tea.WindowSizeMsg{Width: w, Height: h})
	hs.settleCmd(m.Init())
	return hs
}

// run executes cmd (flattening batches); timers are kept aside.
func (h *harness) run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	switch msg := msg.(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, h.run(c)...)
		}
		return out
	case scheduledMsg:
		h.sched = append(h.sched, msg)
		return nil
	}
	return []tea.Msg{msg}
}

// send updates the model with msg and returns the messages its commands
// produce, without delivering them.
func (h *harness) send(msg tea.Msg) []tea.Msg {
	h.t.Helper()
	nm, cmd := h.m.Update(msg)
	h.m = nm.(Model)
	return h.run(cmd)
}

// settle delivers msg and everything that follows from it (not timers).
func (h *harness) settle(msg tea.Msg) {
	h.t.Helper()
	h.deliver(h.send(msg))
}

func (h *harness) settleCmd(cmd tea.Cmd) { h.deliver(h.run(cmd)) }

func (h *harness) deliver(msgs []tea.Msg) {
	h.t.Helper()
	for len(msgs) > 0 {
		msg := msgs[0]
		msgs = msgs[1:]
		if _, quit := msg.(tea.QuitMsg); quit {
			continue
		}
		msgs = append(msgs, h.send(msg)...)
	}
}

// takeSched removes and returns the scheduled messages of type T.
func takeSched[T any](h *harness) []T {
	var out []T
	var keep []scheduledMsg
	for _, s := range h.sched {
		if v, ok := s.msg.(T); ok {
			out = append(out, v)
			continue
		}
		keep = append(keep, s)
	}
	h.sched = keep
	return out
}

// lastPoll is the newest poll timer and its delay.
func (h *harness) lastPoll() (accounts.PollMsg, time.Duration, bool) {
	for i := len(h.sched) - 1; i >= 0; i-- {
		if p, ok := h.sched[i].msg.(accounts.PollMsg); ok {
			return p, h.sched[i].d, true
		}
	}
	return accounts.PollMsg{}, 0, false
}

func keyMsg(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// press delivers keys one by one, settling each.
func (h *harness) press(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.settle(keyMsg(k))
	}
}

// selectRoom moves the cursor to the room with token.
func (h *harness) selectRoom(token string) {
	h.t.Helper()
	for i, e := range h.m.table.Visible {
		if e.Room.Token == token {
			h.m.table.None, h.m.table.Lost = false, ""
			h.m.table.Cursor = i
			h.m.table.Clamp()
			return
		}
	}
	h.t.Fatalf("room %s not visible", token)
}

func (h *harness) row(token string) models.Room {
	h.t.Helper()
	e := h.m.table.Find(token)
	if e == nil {
		h.t.Fatalf("room %s not in the list", token)
	}
	return e.Room
}

func (h *harness) view() string { return h.m.View() }

func mustContain(t testing.TB, s, want string) {
	t.Helper()
	if !strings.Contains(s, want) {
		t.Errorf("missing %q in:\n%s", want, s)
	}
}

var errBoom = errors.New("boom")

// outcome is the last outcome of a room (zero if none).
func (h *harness) outcome(token string) outcome {
	o, _ := h.outcomeOK(token)
	return o
}

func (h *harness) outcomeOK(token string) (outcome, bool) {
	if s := h.m.rooms[token]; s != nil && s.outcome != nil {
		return *s.outcome, true
	}
	return outcome{}, false
}

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

// The kinds of dialog, as modal names them.
const (
	modalNone      = "none"
	modalConfirm   = "dialog.Confirm"
	modalPicker    = "dialog.Picker"
	modalSIP       = "dialog.SIP"
	modalBulkLobby = "dialog.BulkLobby"
)

// modal names the open dialog's kind.
func modal(m Model) string {
	if m.dialog == nil {
		return modalNone
	}
	return fmt.Sprintf("%T", m.dialog)
}

// confirmOf is the open question (zero if none is open).
func confirmOf(m Model) dialog.Confirm {
	d, _ := m.dialog.(dialog.Confirm)
	return d
}
