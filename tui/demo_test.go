package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
)

// TestAgainstDemoServer drives the console with the real client against
// the in-process demo server: the outcomes a new user meets in the demo
// show inline, in the client's words.
func TestAgainstDemoServer(t *testing.T) {
	h, srv := demoServerHarness(t)
	if !h.m.accts[0].Sync.Loaded || len(h.m.table.Visible) < 8 {
		t.Fatalf("loaded %v, %d rooms", h.m.accts[0].Sync.Loaded, len(h.m.table.Visible))
	}
	mustContain(t, h.view(), "on · opens in ")

	byName := func(name string) string {
		t.Helper()
		for _, e := range h.m.table.Visible {
			if e.Room.DisplayName == name || e.Room.Name == name {
				return e.Room.Token
			}
		}
		t.Fatalf("no room %q", name)
		return ""
	}
	act := func(name string, keys ...string) outcome {
		t.Helper()
		tok := byName(name)
		h.selectRoom(tok)
		h.press(keys...)
		o, ok := h.outcomeOK(tok)
		if !ok {
			t.Fatalf("%s: no outcome (flash %q)", name, h.m.flash.text)
		}
		return o
	}
	if o := act(talktest.DemoBreakout, "l"); o.ok || o.kind != client.KindBadRequest || !strings.Contains(o.text, "breakout room") {
		t.Errorf("breakout: %+v", o)
	}
	if o := act(talktest.DemoAdvisoryBoard, "l"); o.ok || o.kind != client.KindForbidden {
		t.Errorf("advisory board: %+v", o)
	}
	if o := act(talktest.DemoHotline, "s", "1", "enter"); o.ok || !strings.Contains(o.text, "forced") {
		t.Errorf("hotline: %+v", o)
	}
	// the next try is warned, from the server's own 400 forced answer
	h.press("s")
	mustContain(t, h.view(), "the last try was refused: an administrator fixed SIP dial-in")
	h.press("esc")
	if o := act(talktest.DemoOnboarding, "s", "2", "enter"); o.ok || !strings.Contains(o.text, "letters") {
		t.Errorf("onboarding: %+v", o)
	}
	if o := act(talktest.DemoTownHall, "t", "+", "enter"); !o.ok || !strings.Contains(o.text, "lobby on until") {
		t.Errorf("town hall timer: %+v", o)
	}
	if o := act(talktest.DemoTownHall, "s", "3", "enter"); !o.ok || o.text != "SIP dial-in on without PIN" {
		t.Errorf("town hall SIP: %+v", o)
	}
	// the card shows the demo's numbers, read once from the server
	mustContain(t, h.view(), "Dial:  +49 30 1234567 (Germany) · +1 555 0100 (USA)")
	asked := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/signaling/settings") {
			asked++
		}
	}
	if asked != 1 {
		t.Errorf("the dial-in text was asked %d times, want once", asked)
	}
	if o := act(talktest.DemoLaunch, "l", "y"); !o.ok {
		t.Errorf("launch lobby with call: %+v", o)
	}
	v := h.view()
	if strings.IndexByte(v, 0x1b) >= 0 {
		t.Error("escape in view")
	}
}

// demoServerHarness is the console at 120x40 on the real client against
// an in-process demo server of the test's own (SIP never switched off),
// after its first list.
func demoServerHarness(t *testing.T) (*harness, *talktest.Server) {
	t.Helper()
	srv, acct, err := talktest.StartDemoWith(talktest.DemoConfig{SIPOffAfter: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{BaseURL: acct.URL, User: acct.User, AppPassword: acct.AppPassword})
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{t: time.Now()}
	m := newModel(context.Background(), testOptions(t, c, clock))
	m.c.After = func(d time.Duration, msg tea.Msg) tea.Cmd { return func() tea.Msg { return scheduledMsg{d, msg} } }
	h := &harness{t: t, m: m, clock: clock}
	h.settle(tea.WindowSizeMsg{Width: 120, Height: 40})
	h.settleCmd(h.m.Init())
	return h, srv
}
