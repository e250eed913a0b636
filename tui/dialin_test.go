package tui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/tui/accounts"
	"github.com/talkmod/talkmod/tui/roomlist"
)

// dialInFake is a fakeBackend that can also read the dial-in text.
type dialInFake struct {
	*fakeBackend
	mu   sync.Mutex
	text string
	err  error
}

func (d *dialInFake) DialInInfo(ctx context.Context, token string) (string, error) {
	d.record("dialin " + token)
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.text, d.err
}

func (d *dialInFake) set(text string, err error) {
	d.mu.Lock()
	d.text, d.err = text, err
	d.mu.Unlock()
}

const demoDialIn = "+49 30 1234567 (Germany)\n+1 555 0100 (USA)"

func withDialIn(be *fakeBackend, text string) *dialInFake {
	return &dialInFake{fakeBackend: be, text: text}
}

// newDialInHarness is newHarness on a backend that reads the dial-in text.
func newDialInHarness(t *testing.T, be *dialInFake, w, h int) *harness {
	t.Helper()
	clock := &fakeClock{t: testNow}
	m := newModel(context.Background(), testOptions(t, be, clock))
	m.table.SortBy = roomlist.SortByActivity // the rooms are placed by last activity
	m.c.After = func(d time.Duration, msg tea.Msg) tea.Cmd {
		return func() tea.Msg { return scheduledMsg{d, msg} }
	}
	hs := &harness{t: t, m: m, be: be.fakeBackend, clock: clock}
	hs.settle(tea.WindowSizeMsg{Width: w, Height: h})
	hs.settleCmd(m.Init())
	return hs
}

func TestDialInReadOnceForTheFirstSIPRoom(t *testing.T) {
	be := withDialIn(&fakeBackend{rooms: demoRooms(), caps: fullCaps(), hash: "h1"}, demoDialIn)
	h := newDialInHarness(t, be, 80, 24)
	// the first row has SIP off: nothing is asked
	if n := countCalls(h.be, "dialin"); n != 0 {
		t.Fatalf("%d dial-in reads before a room with SIP on was selected", n)
	}
	if strings.Contains(h.view(), "Dial:") {
		t.Errorf("a Dial line for a room with SIP off:\n%s", h.view())
	}
	h.press("j") // Town hall: SIP on with PIN
	if got := h.be.Calls(); got[len(got)-1] != "dialin 748392" {
		t.Fatalf("calls %v, want a dial-in read with the selected room's token", got)
	}
	v := h.view()
	mustContain(t, v, "Dial:  +49 30 1234567 (Germany) · +1 555 0100 (USA)")
	mustContain(t, v, "meeting ID 748392, your PIN 846213")

	// moving around, opening the detail, polling: never asked again
	h.press("j", "k", "enter", "esc", "k", "j", "j", "k")
	for i := 0; i < 3; i++ {
		p, _, _ := h.lastPoll()
		h.settle(p)
	}
	if n := countCalls(h.be, "dialin"); n != 1 {
		t.Errorf("%d dial-in reads, want 1 (the text is server-wide)", n)
	}
	// the full detail shows one number a line
	h.selectRoom("748392")
	h.press("enter")
	v = h.view()
	mustContain(t, v, "Dial:  +49 30 1234567 (Germany)\n       +1 555 0100 (USA)")
}

func TestDialInReadAgainWhenTheTalkHashChanges(t *testing.T) {
	be := withDialIn(&fakeBackend{rooms: demoRooms(), caps: fullCaps(), hash: "h1"}, demoDialIn)
	h := newDialInHarness(t, be, 80, 24)
	h.selectRoom("748392")
	h.press("j", "k")
	if n := countCalls(h.be, "dialin"); n != 1 {
		t.Fatalf("%d reads", n)
	}
	// the admin changes the numbers: the hash changes
	be.set("+44 20 7946 0000 (UK)", nil)
	be.mu.Lock()
	be.fakeBackend.mu.Lock()
	be.fakeBackend.hash = "h2"
	be.fakeBackend.mu.Unlock()
	be.mu.Unlock()
	p, _, _ := h.lastPoll()
	h.settle(p)
	if n := countCalls(h.be, "dialin"); n != 2 {
		t.Fatalf("%d reads after the hash changed with a SIP room selected, want 2", n)
	}
	mustContain(t, h.view(), "Dial:  +44 20 7946 0000 (UK)")
	// the same hash again: nothing more
	p, _, _ = h.lastPoll()
	h.settle(p)
	h.press("j", "k")
	if n := countCalls(h.be, "dialin"); n != 2 {
		t.Errorf("%d reads, want 2", n)
	}
}

func TestDialInHashChangeWhileNoSIPRoomSelected(t *testing.T) {
	be := withDialIn(&fakeBackend{rooms: demoRooms(), caps: fullCaps(), hash: "h1"}, demoDialIn)
	h := newDialInHarness(t, be, 80, 24)
	h.selectRoom("748392")
	h.press("j", "k")
	h.press("k") // the first row: SIP off
	be.fakeBackend.mu.Lock()
	be.fakeBackend.hash = "h2"
	be.fakeBackend.mu.Unlock()
	p, _, _ := h.lastPoll()
	h.settle(p)
	if n := countCalls(h.be, "dialin"); n != 1 {
		t.Fatalf("%d reads: asked again with no SIP room in view", n)
	}
	h.press("j")
	if n := countCalls(h.be, "dialin"); n != 2 {
		t.Errorf("%d reads, want 2 once a SIP room is selected", n)
	}
}

func TestDialInFailureIsShownOnceInPlainWords(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"404", &client.APIError{HTTPStatus: 404, OCSStatus: 404, Op: "read dial-in info"}, "numbers: not available (the conversation is gone, or you were removed from it)"},
		{"network", &client.NetworkError{Op: "read dial-in info", Host: "cloud.example.com", Cause: "refused", Err: errBoom}, "numbers: not available ("},
		{"429", &client.APIError{HTTPStatus: 429, OCSStatus: 429, Op: "read dial-in info"}, "numbers: not available (the server is throttling"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			be := withDialIn(&fakeBackend{rooms: demoRooms(), caps: fullCaps(), hash: "h1"}, "")
			be.set("", tc.err)
			h := newDialInHarness(t, be, 120, 40)
			h.selectRoom("748392")
			h.press("j", "k")
			v := h.view()
			mustContain(t, v, "Dial:  "+tc.want)
			mustContain(t, v, "meeting ID 748392")
			if strings.Contains(v, "✗") || strings.Contains(h.m.flash.text, "dial") {
				t.Errorf("the failure leaked out of the card:\n%s", v)
			}
			// no retry loop: keys and polls do not ask again
			h.press("j", "k", "j", "k")
			p, _, _ := h.lastPoll()
			h.settle(p)
			if n := countCalls(h.be, "dialin"); n != 1 {
				t.Errorf("%d reads after a failure, want 1", n)
			}
			// r (refresh) tries once more
			be.set(demoDialIn, nil)
			h.press("r")
			if n := countCalls(h.be, "dialin"); n != 2 {
				t.Errorf("%d reads after r, want 2", n)
			}
			mustContain(t, h.view(), "+1 555 0100 (USA)")
		})
	}
}

func TestDialInNotConfigured(t *testing.T) {
	be := withDialIn(&fakeBackend{rooms: demoRooms(), caps: fullCaps(), hash: "h1"}, "")
	h := newDialInHarness(t, be, 120, 40)
	h.selectRoom("748392")
	h.press("j", "k")
	mustContain(t, h.view(), "Dial:  numbers: not available (the server has no dial-in text: SIP dial-in is not configured on it)")
}

func TestDialInEvilText(t *testing.T) {
	evil := "\x1b[2J\x1b]0;pwned\x07+1 555\r\n0100\u202e\x9b31m\n\n\x00 end"
	be := withDialIn(&fakeBackend{rooms: demoRooms(), caps: fullCaps(), hash: "h1"}, evil)
	for _, full := range []bool{false, true} {
		h := newDialInHarness(t, be, 120, 40)
		h.selectRoom("748392")
		h.press("j", "k")
		if full {
			h.press("enter")
		}
		v := h.view()
		if strings.ContainsAny(v, "\x1b\x07\x00\r\u202e\u009b") {
			t.Fatalf("full=%v: a control character reached the screen:\n%q", full, v)
		}
		mustContain(t, v, "^[[2J^[]0;pwned^G+1 555")
		mustContain(t, v, `0100\u202e`)
	}
}

func TestDialInWhileAskingAndWithoutSupport(t *testing.T) {
	// a backend without DialInInfo: no Dial line at all
	h := newDemo(t, 80, 24)
	h.selectRoom("748392")
	h.press("j", "k")
	if strings.Contains(h.view(), "Dial:") {
		t.Errorf("Dial line without a backend that reads it:\n%s", h.view())
	}
	// an answer still on its way
	be := withDialIn(&fakeBackend{rooms: demoRooms(), caps: fullCaps(), hash: "h1"}, demoDialIn)
	h = newDialInHarness(t, be, 80, 24)
	h.selectRoom("748392")
	msgs := h.send(keyMsg("j"))
	msgs = append(msgs, h.send(keyMsg("k"))...)
	mustContain(t, h.view(), "Dial:  numbers: asking the server…")
	h.deliver(msgs)
	mustContain(t, h.view(), "+1 555 0100 (USA)")
	// an answer that a hash change overtook is dropped
	h2 := newDialInHarness(t, be, 80, 24)
	h2.selectRoom("748392")
	pending := h2.send(keyMsg("k"))
	pending = append(pending, h2.send(keyMsg("j"))...)
	h2.m.accts[0].DialIn.HashChanged()
	for _, msg := range pending {
		if dm, ok := msg.(accounts.DialInMsg); ok {
			nm, _ := h2.m.Update(dm)
			h2.m = nm.(Model)
		}
	}
	if v := h2.view(); strings.Contains(v, "+1 555 0100 (USA)") || !strings.Contains(v, "Dial:  numbers: asking the server…") {
		t.Errorf("a stale answer was kept:\n%s", v)
	}
}

func TestDialInNotAskedWhenLoggedOutOrThrottled(t *testing.T) {
	be := withDialIn(&fakeBackend{rooms: demoRooms(), caps: fullCaps(), hash: "h1"}, demoDialIn)
	h := newDialInHarness(t, be, 120, 40)
	h.m.accts[0].Sync.PausedUntil = testNow.Add(5 * time.Minute)
	h.selectRoom("748392")
	h.press("j", "k")
	mustContain(t, h.view(), "numbers: not read yet (the server is throttling this address")
	h.m.accts[0].Sync.PausedUntil = time.Time{}
	h.m.accts[0].Sync.Unauthorized = true
	h.press("j", "k")
	mustContain(t, h.view(), "numbers: not available (the server refused the login)")
	if n := countCalls(h.be, "dialin"); n != 0 {
		t.Errorf("%d dial-in reads while throttled or logged out", n)
	}
}
