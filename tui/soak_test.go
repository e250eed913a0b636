package tui

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"go.uber.org/goleak"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/models"
)

// The soak test drives the console only through its public behaviour: it
// runs tui.New in a real tea.Program (messages in), reads View() after
// every message (screen out), and talks to a talktest server with random
// faults through the real client (the Backend). It reads no field of the
// model.
var (
	soakLong = flag.Bool("soak", false, "run TestSoak for 10 minutes (or -soak.for)")
	soakFor  = flag.Duration("soak.for", 0, "how long TestSoak runs (default 5s, 10m with -soak)")
	soakSeed = flag.Uint64("soak.seed", 1, "the seed of TestSoak's keys and faults")
)

const (
	soakRooms   = 30
	soakTimeout = 1500 * time.Millisecond // the console's and the client's request timeout
)

var soakMarker = regexp.MustCompile(`W[0-9]{2}`)

// confirmedBackend is the real client; it notes every lobby and SIP state
// the server answered with, per room, before the console sees it.
type confirmedBackend struct {
	*client.Client
	mu      sync.Mutex
	lobby   map[string]map[models.LobbyState]bool
	sip     map[string]map[models.SIPState]bool
	actions int
}

func (b *confirmedBackend) note(rooms ...models.Room) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, r := range rooms {
		if b.lobby[r.Token] == nil {
			b.lobby[r.Token] = map[models.LobbyState]bool{}
			b.sip[r.Token] = map[models.SIPState]bool{}
		}
		b.lobby[r.Token][r.LobbyState] = true
		b.sip[r.Token][r.SIPEnabled] = true
	}
}

func (b *confirmedBackend) confirmed(token string, lobby *models.LobbyState, sip *models.SIPState) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if lobby != nil && !b.lobby[token][*lobby] {
		return false
	}
	return sip == nil || b.sip[token][*sip]
}

func (b *confirmedBackend) ListRooms(ctx context.Context, opts client.ListOptions) (*client.RoomList, error) {
	l, err := b.Client.ListRooms(ctx, opts)
	if err == nil {
		b.note(l.Rooms...)
	}
	return l, err
}

func (b *confirmedBackend) GetRoom(ctx context.Context, token string) (models.Room, error) {
	r, err := b.Client.GetRoom(ctx, token)
	if err == nil {
		b.note(r)
	}
	return r, err
}

func (b *confirmedBackend) SetLobby(ctx context.Context, token string, state models.LobbyState, timer *time.Time) (models.Room, error) {
	b.mu.Lock()
	b.actions++
	b.mu.Unlock()
	r, err := b.Client.SetLobby(ctx, token, state, timer)
	if err == nil {
		b.note(r)
	}
	return r, err
}

func (b *confirmedBackend) SetSIP(ctx context.Context, token string, state models.SIPState) (models.Room, error) {
	b.mu.Lock()
	b.actions++
	b.mu.Unlock()
	r, err := b.Client.SetSIP(ctx, token, state)
	if err == nil {
		b.note(r)
	}
	return r, err
}

// soakModel wraps the console: after every message it checks the screen.
type soakModel struct {
	inner tea.Model
	check func(msg tea.Msg, view string)
}

func (s soakModel) Init() tea.Cmd { return s.inner.Init() }

// soakViewMsg asks the wrapper for the current screen.
type soakViewMsg struct{ view *string }

func (s soakModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if v, ok := msg.(soakViewMsg); ok {
		*v.view = s.inner.View()
		return s, nil
	}
	m, cmd := s.inner.Update(msg)
	s.inner = m
	s.check(msg, m.View())
	return s, cmd
}

func (s soakModel) View() string { return s.inner.View() }

// soakChecker holds the invariants' state. check runs on the program's
// goroutine only; the result is read after the program ended.
type soakChecker struct {
	be         *confirmedBackend
	srv        *talktest.Server
	pendingMax time.Duration

	mu         sync.Mutex
	violations []string
	messages   int
	rowsRead   int
	selected   string               // marker of the selected room, "" for none
	spinSince  map[string]time.Time // marker → since when its row shows a spinner
	tokens     map[string]string    // marker → token
}

var (
	// a room row: NAME … TYPE LOBBY … SIP
	rowRE     = regexp.MustCompile(`\b(group|public)\s+(on|off)\b(?:[^│]*?)\s\s+(no PIN|PIN|off|n\.a\.)(?:\s|$)`)
	spinnerRE = regexp.MustCompile(`[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]`)
)

func (c *soakChecker) violate(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.violations) < 20 {
		c.violations = append(c.violations, fmt.Sprintf(format, args...))
	}
}

func (c *soakChecker) check(msg tea.Msg, view string) {
	c.mu.Lock()
	c.messages++
	c.mu.Unlock()
	now := time.Now()
	for _, bad := range []string{"\x1b", "\a", "\u009b", "\u202e", "\x00"} {
		if strings.Contains(view, bad) {
			c.violate("after %T: the screen holds %q", msg, bad)
		}
	}
	selected := ""
	onScreen := map[string]bool{}
	spinning := map[string]bool{}
	rows, anySelected := 0, false
	for _, line := range strings.Split(view, "\n") {
		m := rowRE.FindStringSubmatch(line)
		if m == nil {
			continue // not a room row, or cut too narrow to read
		}
		rows++
		isSelected := strings.HasPrefix(line, ">")
		anySelected = anySelected || isSelected
		mk := soakMarker.FindString(line)
		if mk == "" {
			// the name is cut before its marker (an escape-laden rename)
			if isSelected {
				selected = "?"
			}
			continue
		}
		onScreen[mk] = true
		if isSelected {
			selected = mk
		}
		token := c.tokens[mk]
		lobby := models.LobbyNone
		if m[2] == "on" {
			lobby = models.LobbyModeratorsOnly
		}
		var sip *models.SIPState
		switch m[3] {
		case "off":
			s := models.SIPDisabled
			sip = &s
		case "PIN":
			s := models.SIPEnabled
			sip = &s
		case "no PIN":
			s := models.SIPEnabledNoPIN
			sip = &s
		}
		c.mu.Lock()
		c.rowsRead++
		c.mu.Unlock()
		if !c.be.confirmed(token, &lobby, sip) {
			c.violate("after %T: room %s shows lobby %s, SIP %s, which the server never answered: %q", msg, mk, m[2], m[3], line)
		}
		if spinnerRE.MatchString(line) {
			spinning[mk] = true
		}
	}
	// none selected is allowed only when the screen says so: the selected
	// room left the list (nothing is selected until the user moves)
	saidNone := strings.Contains(view, "nothing selected") || strings.Contains(view, "Nothing is selected") ||
		strings.Contains(view, "no longer in your list")
	if rows > 0 && !anySelected && !saidNone {
		c.violate("after %T: rooms are listed but none is marked selected:\n%s", msg, view)
	}
	for mk := range spinning {
		if since, ok := c.spinSince[mk]; !ok {
			c.spinSince[mk] = now
		} else if now.Sub(since) > c.pendingMax {
			c.violate("room %s has shown a spinner for %v (more than %v)", mk, now.Sub(since).Round(time.Millisecond), c.pendingMax)
			c.spinSince[mk] = now
		}
	}
	for mk := range c.spinSince {
		if !spinning[mk] {
			delete(c.spinSince, mk)
		}
	}
	switch msg.(type) {
	case tea.KeyMsg, tea.WindowSizeMsg:
		// the user moves the selection
	default:
		// an answer, a tick: the selection stays on the same room while
		// that room is on the screen
		if c.selected != "" && c.selected != "?" && selected != "?" && selected != c.selected && onScreen[c.selected] {
			c.violate("after %T the selection moved from %s to %q, though %s is still listed", msg, c.selected, selected, c.selected)
		}
	}
	c.selected = selected
}

// soakKeys are what the driver types: the console's keys, digits and
// letters for the picker and the filter (q only at the end).
var soakKeys = func() []tea.KeyMsg {
	var out []tea.KeyMsg
	for _, t := range []tea.KeyType{tea.KeyUp, tea.KeyDown, tea.KeyLeft, tea.KeyRight, tea.KeyEnter, tea.KeyEsc,
		tea.KeyTab, tea.KeyShiftTab, tea.KeyBackspace, tea.KeyPgUp, tea.KeyPgDown, tea.KeyHome, tea.KeyEnd, tea.KeySpace} {
		out = append(out, tea.KeyMsg{Type: t})
	}
	for _, r := range "jkjkjkjjjkkkllllllllssssssssttyyyyyyyyyyynnxaarrrz/?gGhp0123456789-:+W" {
		out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return out
}()

var soakPastes = []string{"2026-12-24 18:30", "W07", "\x1b]0;x\a\u009b31m\u202e", "99:99", "tomorrow 9:00", strings.Repeat("ä", 200)}

// TestSoak drives the console with random keys, fast typing, pastes and
// resizes while the server injects random faults, and checks the
// invariants after every message: no panic; no escape bytes on the
// screen; every lobby and SIP state shown is one the server answered; no
// spinner outlives the request timeout (twice: an action may be followed
// by a re-read) plus a tick; a listed room is always marked selected, and
// a refresh never moves the selection to another room while the selected
// one is still listed; quit works; no goroutine is left. Short by default; -soak runs 10 minutes:
//
//	go test -race ./tui -run TestSoak -soak -timeout 15m -v
func TestSoak(t *testing.T) {
	dur := 5 * time.Second
	if *soakLong {
		dur = 10 * time.Minute
	}
	if *soakFor > 0 {
		dur = *soakFor
	}
	if testing.Short() && !*soakLong && *soakFor == 0 {
		dur = 2 * time.Second
	}
	if deadline, ok := t.Deadline(); ok && time.Until(deadline)-30*time.Second < dur {
		// go test's -timeout (10m by default) would kill the run: use
		// -timeout 15m with -soak
		dur = max(time.Until(deadline)-30*time.Second, time.Second)
		t.Logf("soak: cut to %v by go test's -timeout", dur.Round(time.Second))
	}
	seed := *soakSeed
	t.Logf("soak: %v, seed %d (reproduce with -run TestSoak -soak.seed %d -soak.for %v)", dur, seed, seed, dur)
	leakOpts := []goleak.Option{goleak.IgnoreCurrent(),
		// bubbletea v1's Tick waits on its timer even after the program
		// ended (it has no way to cancel), and so does the batch that
		// started it; such goroutines end when the timer fires. A stuck
		// backend call would still show (its own goroutine is not ignored).
		goleak.IgnoreTopFunction("github.com/charmbracelet/bubbletea.Tick.func1"),
		goleak.IgnoreAnyFunction("github.com/charmbracelet/bubbletea.(*Program).execBatchMsg"),
		goleak.IgnoreAnyFunction("github.com/charmbracelet/bubbletea.(*Program).execSequenceMsg")}
	defer func() {
		// New's requests run on context.Background (tui.Run cancels its
		// own at quit): one still on its way ends within its timeout
		deadline := time.Now().Add(soakTimeout + time.Second)
		for goleak.Find(leakOpts...) != nil && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		goleak.VerifyNone(t, leakOpts...)
	}()

	rnd := rand.New(rand.NewPCG(seed, 99))
	// the first phase has no faults: the list loads once
	srv := talktest.New()
	defer srv.Close()
	kinds := map[talktest.Fault]int{}
	noteFaults := func() {
		for _, e := range srv.FaultLog() {
			kinds[e.Fault]++
		}
	}
	srv.AddUser("alice", "alice-app-password", "sip")
	srv.SetSIPConfig(true, "sip")
	tokens := map[string]string{}
	rooms := map[string]talktest.Room{}
	for i := range soakRooms {
		r := talktest.Room{Name: fmt.Sprintf("Webinar W%02d", i), Type: models.ConversationGroup,
			LastActivity: time.Now().Unix() - int64(i*60),
			Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner}}
		if i%3 == 0 {
			r.Type = models.ConversationPublic
		}
		if i%4 == 1 {
			r.LobbyState = models.LobbyModeratorsOnly
		}
		r.Token = srv.AddRoom(r)
		tokens[fmt.Sprintf("W%02d", i)] = r.Token
		rooms[r.Token] = r
	}
	cl, err := client.New(client.Config{BaseURL: srv.URL, User: "alice", AppPassword: "alice-app-password", Timeout: soakTimeout})
	if err != nil {
		t.Fatal(err)
	}
	be := &confirmedBackend{Client: cl, lobby: map[string]map[models.LobbyState]bool{}, sip: map[string]map[models.SIPState]bool{}}
	for _, r := range rooms {
		be.note(models.Room{Token: r.Token, LobbyState: r.LobbyState, SIPEnabled: r.SIPEnabled})
	}
	chk := &soakChecker{be: be, srv: srv, tokens: tokens, spinSince: map[string]time.Time{},
		pendingMax: 2*soakTimeout + time.Second + time.Second}

	renderer := lipgloss.NewRenderer(io.Discard)
	renderer.SetColorProfile(termenv.Ascii)
	console := New(Options{Backend: be, Server: srv.URL, User: "alice", Renderer: renderer,
		RefreshInterval: 300 * time.Millisecond, FullRefreshInterval: time.Second, RequestTimeout: soakTimeout})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := tea.NewProgram(soakModel{inner: console, check: chk.check},
		tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithoutRenderer(), tea.WithoutSignalHandler())
	done := make(chan error, 1)
	go func() {
		_, err := p.Run()
		done <- err
	}()
	p.Send(tea.WindowSizeMsg{Width: 120, Height: 40})

	end := time.Now().Add(dur)
	phaseEvery := max(dur/5, time.Second)
	nextPhase := time.Now().Add(time.Second)
	phase := 0
	sent := 0
	for time.Now().Before(end) {
		select {
		case err := <-done:
			t.Fatalf("the console ended early: %v", err)
		default:
		}
		if time.Now().After(nextPhase) {
			phase++
			nextPhase = time.Now().Add(phaseEvery)
			last := time.Now().Add(phaseEvery).After(end)
			noteFaults()
			srv.SetFaults(&talktest.Faults{Seed: seed + uint64(phase), Rate: 0.25, Kinds: soakFaultPhase(rnd, last),
				Latency: 3 * time.Millisecond, Jitter: 3 * time.Millisecond, Drip: 30 * time.Millisecond})
			// rooms that vanished come back (as new rooms of the same token)
			for tok, r := range rooms {
				if _, ok := srv.Room(tok); !ok {
					srv.AddRoom(r)
					be.note(models.Room{Token: r.Token, LobbyState: r.LobbyState, SIPEnabled: r.SIPEnabled})
				}
			}
		}
		switch x := rnd.IntN(100); {
		case x < 25: // the moderator's moves: out of any dialog, down, lobby or SIP, confirm
			p.Send(tea.KeyMsg{Type: tea.KeyEsc})
			p.Send(tea.KeyMsg{Type: tea.KeyEsc})
			for _, k := range []string{"j", "l", "y", "j", "s", "2", "enter", "y", "k", "t", "enter", "y"}[rnd.IntN(9):] {
				if k == "enter" {
					p.Send(tea.KeyMsg{Type: tea.KeyEnter})
				} else {
					p.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
				}
				sent++
			}
		case x < 60: // fast typing: a burst of keys
			for range 1 + rnd.IntN(20) {
				p.Send(soakKeys[rnd.IntN(len(soakKeys))])
				sent++
			}
		case x < 70:
			p.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(soakPastes[rnd.IntN(len(soakPastes))]), Paste: true})
			sent++
		case x < 78:
			p.Send(tea.WindowSizeMsg{Width: 40 + rnd.IntN(180), Height: 10 + rnd.IntN(50)})
			sent++
		case x < 85:
			p.Send(tea.WindowSizeMsg{Width: 120, Height: 40})
			sent++
		}
		time.Sleep(time.Duration(rnd.IntN(20)) * time.Millisecond)
		if rnd.IntN(80) == 0 {
			time.Sleep(time.Duration(rnd.IntN(int(soakTimeout/time.Millisecond))) * time.Millisecond)
		}
	}

	// quit as a person would: close what is open, then q (ctrl+c if a
	// text field took the q)
	noteFaults()
	srv.SetFaults(nil)
	var lastView string
	p.Send(soakViewMsg{&lastView})
	for _, k := range []tea.KeyMsg{{Type: tea.KeyEsc}, {Type: tea.KeyEsc}, {Type: tea.KeyEsc}, {Type: tea.KeyRunes, Runes: []rune{'q'}}} {
		p.Send(k)
	}
	select {
	case err = <-done:
	case <-time.After(3 * time.Second):
		p.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
		select {
		case err = <-done:
		case <-time.After(3 * time.Second):
			p.Kill()
			<-done
			t.Fatal("neither q nor ctrl+c ended the console")
		}
	}
	if err != nil {
		t.Fatalf("the console ended with %v", err)
	}
	cancel()
	srv.Close()
	cl.CloseIdleConnections()

	chk.mu.Lock()
	defer chk.mu.Unlock()
	be.mu.Lock()
	actions := be.actions
	be.mu.Unlock()
	t.Logf("soak: %d messages, %d inputs sent, %d rows checked, %d actions sent, faults injected: %v\nlast screen:\n%s",
		chk.messages, sent, chk.rowsRead, actions, kinds, lastView)
	for _, v := range chk.violations {
		t.Error(v)
	}
	if chk.rowsRead < 100 || chk.messages < 100 {
		t.Errorf("the soak checked too little: %d rows in %d messages (did the screen change its words?)", chk.rowsRead, chk.messages)
	}
	if actions == 0 {
		t.Error("no lobby or SIP change was ever sent")
	}
}

// soakFaultPhase picks the faults of one phase: a random half of them.
// 429 pauses polling for minutes (as it should), so it comes only in the
// last phase.
func soakFaultPhase(rnd *rand.Rand, last bool) []talktest.Fault {
	var out []talktest.Fault
	for _, f := range talktest.AllFaults {
		if (f == talktest.Fault429 || f == talktest.Fault429RetryAfter) && !last {
			continue
		}
		if rnd.IntN(2) == 0 {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		out = append(out, talktest.FaultProxy502)
	}
	return out
}
