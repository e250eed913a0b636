package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/talkmod/talkmod/tui/roomlist"
)

func TestZoneCycles(t *testing.T) {
	h := newDemo(t, 120, 40)
	mustContain(t, h.view(), "Europe/Berlin (CET, UTC+01:00)")
	mustContain(t, h.view(), "until 16:00 CET = 15:00 UTC, in 25m")
	h.press("z")
	mustContain(t, h.view(), "UTC · refreshed 14:35:00")
	mustContain(t, h.view(), "until 15:00 UTC, in 25m")
	h.press("z")
	mustContain(t, h.view(), "America/New_York (EST, UTC-05:00)")
	mustContain(t, h.view(), "until 10:00 EST = 15:00 UTC, in 25m")
	h.press("z")
	mustContain(t, h.view(), "Europe/Berlin (CET, UTC+01:00)")
}

func TestZoneWithoutConfig(t *testing.T) {
	clock := &fakeClock{t: testNow}
	opts := testOptions(t, &fakeBackend{}, clock)
	opts.Zone = nil
	m := newModel(context.TODO(), opts)
	if len(m.c.Zones) != 2 {
		t.Fatalf("zones %d", len(m.c.Zones))
	}
}

// A support person on a host whose clock is UTC: the local zone is
// named, shown once (no "04:11 UTC = 04:11 UTC"), and z, having nothing
// to cycle to, says why.
func TestUTCHost(t *testing.T) {
	for _, tc := range []struct {
		name   string
		local  *time.Location
		header string
	}{
		{"Etc/UTC", mustZone(t, "Etc/UTC"), "UTC · refreshed"},
		{"time.UTC", time.UTC, "UTC · refreshed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			be := demoBackend()
			clock := &fakeClock{t: testNow}
			opts := testOptions(t, be, clock)
			opts.Local, opts.Zone = tc.local, nil
			m := newModel(context.Background(), opts)
			m.table.SortBy = roomlist.SortByActivity
			m.c.After = func(d time.Duration, msg tea.Msg) tea.Cmd {
				return func() tea.Msg { return scheduledMsg{d, msg} }
			}
			h := &harness{t: t, m: m, be: be, clock: clock}
			h.settle(tea.WindowSizeMsg{Width: 120, Height: 40})
			h.settleCmd(m.Init())
			if len(h.m.c.Zones) != 1 {
				t.Fatalf("zones %v", h.m.c.Zones)
			}
			v := h.view()
			mustContain(t, v, tc.header)
			mustContain(t, v, "until 15:00 UTC, in 25m")
			if strings.Contains(v, "UTC = ") {
				t.Errorf("the UTC time is shown twice:\n%s", v)
			}
			h.press("z")
			mustContain(t, h.view(), "! UTC only: the local zone is UTC and no other zone is configured")
			h.press("?")
			mustContain(t, h.view(), "z  UTC only: the local zone is UTC")
			h.press("esc", "t")
			v = h.view()
			mustContain(t, v, "UTC · in 25m")
			if strings.Contains(v, "Local") || strings.Contains(v, "z changes") {
				t.Errorf("picker:\n%s", v)
			}
		})
	}
}

func TestConfigZoneNotTwice(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	for _, tc := range []struct {
		local, config *time.Location
		want          int
	}{
		{berlin, mustZone(t, "Europe/Berlin"), 2}, // same zone, another pointer
		{berlin, mustZone(t, "Etc/UTC"), 2},       // UTC is a choice already
		{berlin, mustZone(t, "America/New_York"), 3},
		{mustZone(t, "Etc/UTC"), time.UTC, 1},
	} {
		if got := newZones(tc.local, tc.config); len(got) != tc.want {
			t.Errorf("newZones(%v, %v) = %v, want %d zones", tc.local, tc.config, got, tc.want)
		}
	}
}

func TestNamedLocal(t *testing.T) {
	env := func(v string, set bool) func(string) (string, bool) {
		return func(string) (string, bool) { return v, set }
	}
	link := func(target string) func(string) (string, error) {
		return func(string) (string, error) {
			if target == "" {
				return "", errBoom
			}
			return target, nil
		}
	}
	// what time.Local is decides what may be named: use its own rules
	localName := ""
	for _, n := range []string{"Etc/UTC", "Europe/Berlin", "America/New_York"} {
		if loc, err := time.LoadLocation(n); err == nil && sameRules(loc, time.Local) {
			localName = n
			break
		}
	}
	if localName == "" {
		t.Skip("time.Local is none of the zones this test knows")
	}
	cases := []struct {
		name   string
		lookup func(string) (string, bool)
		read   func(string) (string, error)
		want   string
	}{
		{"TZ name", env(localName, true), link(""), localName},
		{"TZ with colon", env(":"+localName, true), link(""), localName},
		{"TZ path", env("/usr/share/zoneinfo/"+localName, true), link(""), localName},
		{"TZ empty is UTC", env("", true), link(""), "UTC"},
		{"link target", env("", false), link("/usr/share/zoneinfo/" + localName), localName},
		{"relative link", env("", false), link("../usr/share/zoneinfo/" + localName), localName},
		{"no link", env("", false), link(""), "Local"},
		{"unknown name", env("Nowhere/Atlantis", true), link(""), "Local"},
		{"a zone that is not the local one", env("Asia/Kathmandu", true), link(""), "Local"},
	}
	for _, tc := range cases {
		if got := namedLocal(tc.lookup, tc.read).String(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func sameRules(a, b *time.Location) bool {
	for _, t := range []time.Time{time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)} {
		a1, o1 := t.In(a).Zone()
		a2, o2 := t.In(b).Zone()
		if a1 != a2 || o1 != o2 {
			return false
		}
	}
	return true
}
