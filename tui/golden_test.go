package tui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
)

// goldenStep sends keys, then waits until the output shows wait.
type goldenStep struct {
	keys []string
	wait string
}

var goldenSizes = [][2]int{{80, 24}, {120, 40}}

// runGolden runs the console in a real program (teatest) on be, plays the
// steps and returns the final View. The clock and zones are fixed and the
// renderer is Ascii, so the View is stable.
func runGolden(t *testing.T, be Backend, w, h int, steps ...goldenStep) string {
	t.Helper()
	return runGoldenOpts(t, be, w, h, nil, steps...)
}

// runGoldenOpts is runGolden with the options changed by set (nil: as
// they are).
func runGoldenOpts(t *testing.T, be Backend, w, h int, set func(*Options), steps ...goldenStep) string {
	t.Helper()
	clock := &fakeClock{t: testNow}
	opts := testOptions(t, be, clock)
	if set != nil {
		set(&opts)
	}
	m := newModel(context.Background(), opts)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	wait := func(s string) {
		t.Helper()
		if s == "" {
			return
		}
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
			teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
	}
	if w >= minWidth && h >= minHeight {
		wait("refreshed")
	}
	for _, st := range steps {
		for _, k := range st.keys {
			tm.Send(keyMsg(k))
		}
		wait(st.wait)
	}
	tm.Send(keyMsg("ctrl+c"))
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	return fm.View()
}

func checkGolden(t *testing.T, view string) {
	t.Helper()
	if escapeIn(view) {
		t.Fatalf("the view holds an escape byte:\n%q", view)
	}
	teatest.RequireEqualOutput(t, []byte(view))
}

// escapeIn tells whether s holds ESC or the 8-bit CSI: the rune U+009B,
// not the byte 0x9b, which is also the second byte of UTF-8 letters such
// as the Czech "ě" (C4 9B).
func escapeIn(s string) bool { return strings.ContainsAny(s, "\x1b\u009b") }

func sizeName(sz [2]int) string { return fmt.Sprintf("%dx%d", sz[0], sz[1]) }

func demoBackend() *fakeBackend {
	return &fakeBackend{rooms: demoRooms(), caps: fullCaps(), hash: "h1"}
}

func TestGoldenScreens(t *testing.T) {
	dialIn := func() Backend { return withDialIn(demoBackend(), demoDialIn) }
	dialInFailed := func() Backend {
		be := withDialIn(demoBackend(), "")
		be.set("", &client.APIError{HTTPStatus: 404, OCSStatus: 404, Op: "read dial-in info"})
		return be
	}
	cases := []struct {
		name  string
		steps []goldenStep
		be    func() Backend
	}{
		{"list", nil, nil},
		{"detail", []goldenStep{{keys: []string{"G", "enter"}, wait: "(USA)"}}, dialIn},
		{"dialin", []goldenStep{{keys: []string{"G"}, wait: "(USA)"}}, dialIn},
		{"dialin-failed", []goldenStep{{keys: []string{"G"}, wait: "not available"}}, dialInFailed},
		{"picker", []goldenStep{{keys: []string{"t", "+"}, wait: "15:15 UTC"}}, nil},
		{"picker-past", []goldenStep{{keys: []string{"t", "-", "-", "-", "enter"}, wait: "past"}}, nil},
		{"sip", []goldenStep{{keys: []string{"G", "s"}, wait: "SIP dial-in ·"}}, nil},
		{"sip-letters-token", []goldenStep{{keys: []string{"j", "j", "s"}, wait: "will likely refuse"}}, nil},
		{"confirm", []goldenStep{{keys: []string{"G", "l"}, wait: "Turn the lobby on now"}}, nil},
		{"confirm-drop-timer", []goldenStep{{keys: []string{"j", "j", "j", "l"}, wait: "Lift the lobby now"}}, nil},
		{"sort-lobby", []goldenStep{{keys: []string{"o"}, wait: "by lobby"}}, nil},
		{"undo-offered", []goldenStep{{keys: []string{"l"}, wait: "u undo"}}, nil},
		{"help", []goldenStep{{keys: []string{"?"}, wait: "Keys"}}, nil},
		{"filter", []goldenStep{{keys: []string{"/", "b", "o"}, wait: "/bo"}}, nil},
		{"all-rooms", []goldenStep{{keys: []string{"a", "G"}, wait: "All staff"}}, nil},
		{"zone-utc", []goldenStep{{keys: []string{"z"}, wait: "UTC ·"}}, nil},
		{"lobby-set", []goldenStep{{keys: []string{"t", "+", "enter"}, wait: "lobby on until"}}, nil},
		{"sip-set", []goldenStep{{keys: []string{"s", "2", "enter"}, wait: "SIP dial-in on with PIN"}}, nil},
	}
	for _, sz := range goldenSizes {
		for _, tc := range cases {
			t.Run(sizeName(sz)+"/"+tc.name, func(t *testing.T) {
				var be Backend = demoBackend()
				if tc.be != nil {
					be = tc.be()
				}
				checkGolden(t, runGolden(t, be, sz[0], sz[1], tc.steps...))
			})
		}
	}
}

func TestGoldenTooSmall(t *testing.T) {
	checkGolden(t, runGolden(t, demoBackend(), 50, 12))
}

func TestGoldenErrors(t *testing.T) {
	for _, sz := range goldenSizes {
		for _, tc := range errorCases() {
			t.Run(sizeName(sz)+"/"+tc.name, func(t *testing.T) {
				be := demoBackend()
				err := tc.err
				be.lobbyFn = func(string, models.LobbyState, *time.Time) (models.Room, error) { return models.Room{}, err }
				be.sipFn = func(string, models.SIPState) (models.Room, error) { return models.Room{}, err }
				keys := []string{tc.op}
				if tc.op == "s" {
					keys = append(keys, "2", "enter")
				}
				checkGolden(t, runGolden(t, be, sz[0], sz[1], goldenStep{keys: keys, wait: "✗ Board meeting"}))
			})
		}
	}
}

func TestGoldenRefreshFailed(t *testing.T) {
	for _, sz := range goldenSizes {
		t.Run(sizeName(sz), func(t *testing.T) {
			be := demoBackend()
			be.listFn = func(client.ListOptions) (*client.RoomList, error) {
				return nil, &client.NetworkError{Op: "list rooms", Host: "cloud.example.com", Cause: "refused", Err: errBoom}
			}
			clock := &fakeClock{t: testNow}
			m := newModel(context.Background(), testOptions(t, be, clock))
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(sz[0], sz[1]))
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("retrying")) },
				teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
			tm.Send(keyMsg("ctrl+c"))
			checkGolden(t, tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View())
		})
	}
}

// evil is text a server (anyone who can rename a conversation) controls.
var evil = []string{"\x1b]0;pwned\a", "\x1b[2J", "\u009b31m", "a\rb", "\u202eevil"}

func evilBackend() *fakeBackend {
	be := demoBackend()
	for i, s := range evil {
		be.rooms = append(be.rooms, models.Room{
			Token: fmt.Sprintf("5%d1%d3", i, i+1), Type: models.ConversationGroup, DisplayName: s,
			Description:     "desc " + s + "\nline 2 " + s,
			ParticipantType: models.ParticipantOwner, AttendeePin: s, SIPEnabled: models.SIPEnabled,
			LastActivity: testNow.Add(time.Duration(i) * time.Minute).Unix(),
		})
	}
	be.lobbyFn = func(string, models.LobbyState, *time.Time) (models.Room, error) {
		return models.Room{}, errors.New("server said: " + strings.Join(evil, " | "))
	}
	be.sipFn = func(string, models.SIPState) (models.Room, error) {
		return models.Room{}, &client.ResponseError{Op: "set SIP", HTTPStatus: 502, Problem: "not JSON " + evil[0] + evil[2], Snippet: evil[1]}
	}
	return be
}

func TestGoldenEvilNames(t *testing.T) {
	for _, sz := range goldenSizes {
		t.Run(sizeName(sz), func(t *testing.T) {
			be := evilBackend()
			// the evil rooms are the newest: first rows
			view := runGolden(t, be, sz[0], sz[1], goldenStep{keys: []string{"l"}, wait: "✗"})
			checkGolden(t, view)
			for _, want := range []string{"^[]0;pwned^G", "^[[2J", "\\u009b31m", "\\u202eevil"} {
				mustContain(t, view, want)
			}
		})
	}
	t.Run("detail", func(t *testing.T) {
		view := runGolden(t, evilBackend(), 120, 40,
			goldenStep{keys: []string{"j", "s", "1", "enter"}, wait: "✗"},
			goldenStep{keys: []string{"enter"}, wait: "line 2"})
		checkGolden(t, view)
	})
}

// TestEvilEverywhere checks every screen with evil names, zones and a
// hostile server name and filter for escape bytes.
func TestEvilEverywhere(t *testing.T) {
	be := evilBackend()
	clock := &fakeClock{t: testNow}
	opts := testOptions(t, be, clock)
	opts.Server = "evil\x1b[31m.example\u009b"
	opts.User = "\x1b]2;x\a"
	h := &harness{t: t, m: newModel(context.Background(), opts), be: be, clock: clock}
	h.m.c.After = func(d time.Duration, msg tea.Msg) tea.Cmd { return func() tea.Msg { return scheduledMsg{d, msg} } }
	h.settle(tea.WindowSizeMsg{Width: 120, Height: 40})
	h.settleCmd(h.m.Init())
	check := func(what string) {
		t.Helper()
		v := h.view()
		if escapeIn(v) || strings.Contains(v, "\u202e") || strings.Contains(v, "\r") {
			t.Fatalf("%s: unsafe bytes in view:\n%q", what, v)
		}
	}
	for i := range h.m.table.Visible {
		h.m.table.Cursor = i
		check("row")
		h.press("enter")
		check("detail")
		h.press("esc", "l")
		check("lobby error")
		h.press("s", "2", "enter")
		check("sip error")
		h.press("t")
		check("picker")
		h.press("esc", "a")
		check("all")
		h.press("a")
	}
	h.press("/")
	h.settle(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(evil[0] + evil[2])})
	check("filter")
}
