package login

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"rsc.io/qr"

	"github.com/talkmod/talkmod/client"
)

// a real login address is this long: 128 characters of token
var testLoginURL = "https://cloud.example.com/index.php/login/v2/flow/" + strings.Repeat("aB3", 42) + "xy"

// unsextant is the pattern of a sextant character (the inverse of sextant).
func unsextant(t *testing.T, r rune) int {
	t.Helper()
	for v := 0; v < 64; v++ {
		if sextant(v) == r {
			return v
		}
	}
	t.Fatalf("%U is not a sextant", r)
	return 0
}

func TestQRSextantsAndHalfBlocksDrawTheCode(t *testing.T) {
	code, err := qr.Encode(testLoginURL, qr.L)
	if err != nil {
		t.Fatal(err)
	}
	n := code.Size + 2
	for _, invert := range []bool{false, true} {
		lines := sextants(code, invert)
		if len(lines) != (n+2)/3 {
			t.Fatalf("%d sextant lines for %d modules", len(lines), n)
		}
		for cy, l := range lines {
			for cx, r := range []rune(l) {
				v := unsextant(t, r)
				for dy := 0; dy < 3; dy++ {
					for dx := 0; dx < 2; dx++ {
						x, y := cx*2+dx, cy*3+dy
						want := qrDark(code, x, y) != invert
						if got := v&(1<<(dy*2+dx)) != 0; got != want {
							t.Fatalf("invert=%v module (%d,%d): ink %v, want %v", invert, x, y, got, want)
						}
					}
				}
			}
		}
		half := halfBlocks(code, invert)
		for cy, l := range half {
			for x, r := range []rune(l) {
				top, bot := qrDark(code, x, cy*2) != invert, qrDark(code, x, cy*2+1) != invert
				want := map[[2]bool]rune{{true, true}: '█', {true, false}: '▀', {false, true}: '▄', {false, false}: ' '}[[2]bool{top, bot}]
				if r != want {
					t.Fatalf("half block (%d,%d) = %q, want %q", x, cy, r, want)
				}
			}
		}
	}
	// every sextant pattern has its own character
	seen := map[rune]bool{}
	for v := 0; v < 64; v++ {
		seen[sextant(v)] = true
	}
	if len(seen) != 64 {
		t.Errorf("%d distinct sextant characters, want 64", len(seen))
	}
}

type fakeFlow struct {
	polls   int
	grantAt int
	pollErr error
	started int
}

func (f *fakeFlow) opts() Options {
	return Options{
		Server:       "https://cloud.example.com",
		Intro:        "Key SHA256:abc: no Nextcloud login yet",
		PollInterval: time.Millisecond,
		Renderer:     lipgloss.NewRenderer(nil, termenv.WithProfile(termenv.Ascii)),
		Start: func(ctx context.Context) (*client.LoginFlow, error) {
			f.started++
			return &client.LoginFlow{LoginURL: testLoginURL, PollEndpoint: "https://cloud.example.com/poll", PollToken: "secret"}, nil
		},
		Poll: func(ctx context.Context, flow *client.LoginFlow) (*client.LoginResult, error) {
			f.polls++
			if f.pollErr != nil {
				return nil, f.pollErr
			}
			if f.polls < f.grantAt {
				return nil, client.ErrLoginPending
			}
			return &client.LoginResult{Server: "https://cloud.example.com", LoginName: "alice", AppPassword: "pw"}, nil
		},
		Finish: func(ctx context.Context, res *client.LoginResult) (any, error) { return "alice", nil },
	}
}

// drive runs cmds and feeds their messages back until none is left or
// stop accepts one (spinner ticks are dropped).
func drive(t *testing.T, m Model, cmd tea.Cmd, stop func(tea.Msg) bool) (Model, tea.Msg) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0 && steps < 1000; steps++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		if b, ok := msg.(tea.BatchMsg); ok {
			queue = append(queue, b...)
			continue
		}
		if _, ok := msg.(loginSpinMsg); ok {
			continue
		}
		if stop != nil && stop(msg) {
			return m, msg
		}
		nm, next := m.Update(msg)
		m = nm.(Model)
		queue = append(queue, next)
	}
	return m, nil
}

func TestLoginFlowGrantedAndFits80x24(t *testing.T) {
	f := &fakeFlow{grantAt: 3}
	m := New(context.Background(), f.opts())
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = nm.(Model)
	// up to the first poll: the address is on screen
	m, _ = drive(t, m, m.Init(), func(msg tea.Msg) bool { _, ok := msg.(loginPollTickMsg); return ok })
	v := m.View()
	lines := strings.Split(v, "\n")
	if len(lines) > 24 {
		t.Errorf("%d lines at 80x24:\n%s", len(lines), v)
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line of %d cells: %q", w, l)
		}
	}
	joined := ""
	for i, l := range lines {
		if strings.HasPrefix(l, "Open this address") {
			for _, u := range lines[i+1:] {
				if u == "" {
					break
				}
				joined += u
			}
		}
	}
	if joined != testLoginURL {
		t.Errorf("the address on screen is %q", joined)
	}
	if !strings.Contains(v, "q gives up") || !strings.Contains(v, "waiting for access") {
		t.Errorf("no state or q:\n%s", v)
	}
	if !strings.ContainsRune(v, sextant(1)) && !strings.ContainsRune(v, '▀') {
		t.Errorf("no QR code at 80x24:\n%s", v)
	}
	if strings.Contains(v, "secret") || strings.Contains(v, "\x1b") {
		t.Error("the poll token or an escape on screen")
	}
	// then polls until granted
	_, msg := drive(t, m, func() tea.Msg { return loginPollTickMsg{gen: m.gen} }, func(msg tea.Msg) bool { _, ok := msg.(DoneMsg); return ok })
	done, ok := msg.(DoneMsg)
	if !ok || done.Cancelled || done.Value != "alice" {
		t.Fatalf("end: %#v", msg)
	}
	if f.polls != 3 {
		t.Errorf("%d polls, want 3", f.polls)
	}

	// a tall terminal gets square modules (half blocks)
	nm, _ = m.Update(tea.WindowSizeMsg{Width: 100, Height: 45})
	if v := nm.(Model).View(); !strings.ContainsAny(v, "▀▄") || strings.ContainsRune(v, sextant(1)) {
		t.Errorf("not half blocks at 100x45:\n%s", v)
	}
	// a tiny one none, and says so
	nm, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 12})
	if v := nm.(Model).View(); !strings.Contains(v, "larger window") {
		t.Errorf("at 80x12:\n%s", v)
	}
}

func TestLoginGiveUpAndRetry(t *testing.T) {
	f := &fakeFlow{grantAt: 1 << 30}
	m := New(context.Background(), f.opts())
	m, _ = drive(t, m, m.Init(), func(msg tea.Msg) bool { _, ok := msg.(loginPollTickMsg); return ok })
	nm, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'q'}})
	if msg := cmd(); msg != (DoneMsg{Cancelled: true}) {
		t.Fatalf("q: %#v", msg)
	}
	// a late poll answer after q does nothing
	if _, cmd := nm.Update(loginPolledMsg{gen: m.gen, res: &client.LoginResult{}}); cmd != nil {
		t.Error("a poll answer after q was acted on")
	}

	// a refused poll: the error and r
	f = &fakeFlow{pollErr: &client.APIError{HTTPStatus: 403, Op: "poll login"}}
	m = New(context.Background(), f.opts())
	m, _ = drive(t, m, m.Init(), nil)
	if m.phase != loginFailed || !strings.Contains(m.View(), "r starts again") {
		t.Fatalf("after a refused poll: phase %v\n%s", m.phase, m.View())
	}
	f.pollErr = nil
	f.grantAt = 1
	nm, cmd = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'r'}})
	_, msg := drive(t, nm.(Model), cmd, func(msg tea.Msg) bool { _, ok := msg.(DoneMsg); return ok })
	if done, ok := msg.(DoneMsg); !ok || done.Value != "alice" || f.started != 2 {
		t.Errorf("after r: %#v, %d starts", msg, f.started)
	}

	// network hiccups while waiting are retried
	f = &fakeFlow{pollErr: &client.NetworkError{Op: "poll login", Err: errors.New("reset")}}
	m = New(context.Background(), f.opts())
	m, _ = drive(t, m, m.Init(), nil)
	if f.polls != 6 || m.phase != loginFailed {
		t.Errorf("network errors: %d polls, phase %v", f.polls, m.phase)
	}
}
