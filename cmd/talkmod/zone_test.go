package main

import (
	"bytes"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
	"github.com/talkmod/talkmod/tui"
	"github.com/talkmod/talkmod/tui/words"
)

// The console opens in the zone the README states — --tz, then TZ, then
// the account's stored zone, then local — the zone talkmod rooms shows:
// "talkmod accounts zone NAME Europe/Berlin" changes both.
func TestConsoleOpensInTheAccountsZone(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	if r := loginAs(t, s, "alice"); r.code != 0 {
		t.Fatalf("login: %d", r.code)
	}
	newApp := func(tz string) *app {
		return &app{stdout: io.Discard, stderr: io.Discard, now: time.Now, logger: slog.New(slog.DiscardHandler), tz: tz}
	}
	sess, err := newApp("").resolve()
	if err != nil {
		t.Fatal(err)
	}
	if r := talkmod(t, "", "accounts", "zone", sess.acct.Name, "Europe/Berlin"); r.code != 0 {
		t.Fatalf("accounts zone: %d", r.code)
	}
	for _, tc := range []struct {
		name, flag, env string
		want            string
	}{
		{"the account's zone", "", "", "Europe/Berlin"},
		{"TZ before the account's", "", "Asia/Tokyo", "Asia/Tokyo"},
		{"--tz before TZ", "UTC", "Asia/Tokyo", "UTC"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env != "" {
				t.Setenv("TZ", tc.env)
			}
			a := newApp(tc.flag)
			sess, err := a.resolve()
			if err != nil {
				t.Fatal(err)
			}
			open, _, account, err := a.consoleZoneSet(sess)
			if err != nil {
				t.Fatal(err)
			}
			rooms, err := a.zoneFor(sess)
			if err != nil {
				t.Fatal(err)
			}
			if open.String() != tc.want || rooms.String() != tc.want {
				t.Errorf("console opens in %v, talkmod rooms shows %v; want %s", open, rooms, tc.want)
			}
			if account == nil || account.String() != "Europe/Berlin" {
				t.Errorf("the account's zone is not a choice of z: %v", account)
			}
		})
	}
}

// z cycles through the zone the console opened in, local, UTC and the
// account's zone, each named the same way as everywhere else.
func TestZCyclesLocalUTCAndAccount(t *testing.T) {
	now := time.Date(2026, 12, 1, 14, 35, 0, 0, time.UTC)
	berlin, tokyo := mustZone(t, "Europe/Berlin"), mustZone(t, "Asia/Tokyo")
	r := lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.Ascii))
	m := tui.New(tui.Options{Server: "cloud", User: "alice", Open: berlin, Local: tokyo, Zone: berlin,
		Now: func() time.Time { return now }, Renderer: r})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(140, 30))
	var labels []string
	for _, loc := range []*time.Location{berlin, tokyo, time.UTC, berlin} {
		label := words.ZoneLabel(loc, now)
		labels = append(labels, label)
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(label)) },
			teatest.WithDuration(3*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
		tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("z")})
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))
	if strings.Join(labels, "|") != "Europe/Berlin (CET, UTC+01:00)|Asia/Tokyo (JST, UTC+09:00)|UTC|Europe/Berlin (CET, UTC+01:00)" {
		t.Errorf("labels %q", labels)
	}
}
