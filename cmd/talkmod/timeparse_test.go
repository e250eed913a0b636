package main

import (
	"testing"
	"time"

	"github.com/talkmod/talkmod/tui"
	"github.com/talkmod/talkmod/tui/words"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParseTime(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	ny := mustZone(t, "America/New_York")
	kolkata := mustZone(t, "Asia/Kolkata")
	auckland := mustZone(t, "Pacific/Auckland")
	utc := time.UTC
	// now values, in UTC.
	beforeSpring := time.Date(2026, 3, 28, 11, 0, 0, 0, utc) // Sat 12:00 CET; DST starts Sun 29 Mar 02:00 in Berlin
	beforeAutumn := time.Date(2026, 10, 24, 10, 0, 0, 0, utc)
	nyBeforeSpring := time.Date(2026, 3, 7, 17, 0, 0, 0, utc) // Sat 12:00 EST; DST starts Sun 8 Mar 02:00
	cases := []struct {
		name string
		in   string
		now  time.Time
		loc  *time.Location
		want time.Time // in UTC
	}{
		{"RFC 3339 keeps its offset", "2026-03-29T10:00:00+02:00", beforeSpring, ny, time.Date(2026, 3, 29, 8, 0, 0, 0, utc)},
		{"RFC 3339 Z", "2026-12-01T15:00:00Z", beforeSpring, berlin, time.Date(2026, 12, 1, 15, 0, 0, 0, utc)},
		{"date time, winter (CET +1)", "2026-03-28 15:00", beforeSpring, berlin, time.Date(2026, 3, 28, 14, 0, 0, 0, utc)},
		{"date time, after the DST change (CEST +2)", "2026-03-29 15:00", beforeSpring, berlin, time.Date(2026, 3, 29, 13, 0, 0, 0, utc)},
		{"date time in the spring gap moves forward", "2026-03-29 02:30", beforeSpring, berlin, time.Date(2026, 3, 29, 1, 30, 0, 0, utc)},
		{"date time, UTC", "2026-03-29 15:00", beforeSpring, utc, time.Date(2026, 3, 29, 15, 0, 0, 0, utc)},
		{"date time, half-hour zone", "2026-03-29 15:00", beforeSpring, kolkata, time.Date(2026, 3, 29, 9, 30, 0, 0, utc)},
		{"date time with T", "2026-03-29T15:00", beforeSpring, utc, time.Date(2026, 3, 29, 15, 0, 0, 0, utc)},
		{"HH:MM later today", "15:00", beforeSpring, berlin, time.Date(2026, 3, 28, 14, 0, 0, 0, utc)},
		{"HH:MM passed today = tomorrow, across the DST change", "10:00", beforeSpring, berlin, time.Date(2026, 3, 29, 8, 0, 0, 0, utc)},
		{"HH:MM equal to now = tomorrow", "12:00", beforeSpring, berlin, time.Date(2026, 3, 29, 10, 0, 0, 0, utc)},
		{"HH:MM tomorrow across the autumn change", "09:00", beforeAutumn, berlin, time.Date(2026, 10, 25, 8, 0, 0, 0, utc)},
		{"HH:MM tomorrow, New York DST", "11:00", nyBeforeSpring, ny, time.Date(2026, 3, 8, 15, 0, 0, 0, utc)},
		{"HH:MM in another day there", "08:00", beforeSpring, auckland, time.Date(2026, 3, 28, 19, 0, 0, 0, utc)},
		{"H:MM", "9:05", beforeSpring, utc, time.Date(2026, 3, 29, 9, 5, 0, 0, utc)},
		{"month end at new year", "23:30", time.Date(2026, 12, 31, 23, 45, 0, 0, utc), utc, time.Date(2027, 1, 1, 23, 30, 0, 0, utc)},
		{"leap day", "2028-02-29 10:00", beforeSpring, utc, time.Date(2028, 2, 29, 10, 0, 0, 0, utc)},
	}
	for _, c := range cases {
		got, err := parseTime(c.in, c.now, c.loc)
		if err != nil {
			t.Errorf("%s: parseTime(%q): %v", c.name, c.in, err)
			continue
		}
		if !got.Equal(c.want) {
			t.Errorf("%s: parseTime(%q in %s) = %s, want %s", c.name, c.in, c.loc, got.UTC(), c.want)
		}
	}
	for _, bad := range []string{"", "tomorrow", "25:00", "12:60", "2026-02-30 10:00", "2027-02-29 10:00", "2026-13-01 10:00", "12", "2026-03-29", "10:00 CET"} {
		if _, err := parseTime(bad, beforeSpring, berlin); err == nil || exitCode(err) != 2 {
			t.Errorf("parseTime(%q) accepted or not a usage error: %v", bad, err)
		}
	}
}

func TestParseIn(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	now := time.Date(2026, 3, 28, 12, 0, 0, 0, berlin)
	for _, c := range []struct {
		in   string
		want time.Duration
	}{{"45m", 45 * time.Minute}, {"1h30m", 90 * time.Minute}, {"90s", 90 * time.Second}, {"24h", 24 * time.Hour}} {
		got, err := parseIn(c.in, now)
		if err != nil || got.Sub(now) != c.want {
			t.Errorf("parseIn(%q) = %s, %v", c.in, got, err)
		}
	}
	// A duration is elapsed time: 24h across the spring change is 13:00
	// the next day on the wall clock.
	got, _ := parseIn("24h", now)
	if wall := got.In(berlin).Format("2006-01-02 15:04"); wall != "2026-03-29 13:00" {
		t.Errorf("24h across DST = %s, want 2026-03-29 13:00", wall)
	}
	for _, bad := range []string{"", "30", "soon", "-5m", "0s", "1w"} {
		if _, err := parseIn(bad, now); err == nil || exitCode(err) != 2 {
			t.Errorf("parseIn(%q) accepted", bad)
		}
	}
}

func TestResolveZone(t *testing.T) {
	for _, c := range []struct {
		flag, tz, cfg, want string
	}{
		{"Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/Berlin"},
		{"", "America/New_York", "Asia/Tokyo", "America/New_York"},
		{"", ":America/New_York", "", "America/New_York"},
		{"", "", "Asia/Tokyo", "Asia/Tokyo"},
		{"", "Not/AZone", "Asia/Tokyo", "Asia/Tokyo"},
		{"utc", "", "", "UTC"},
		{"", "", "", tui.LocalZone().String()},
		{"local", "UTC", "", tui.LocalZone().String()},
	} {
		loc, err := resolveZone(c.flag, c.tz, c.cfg)
		if err != nil || loc.String() != c.want {
			t.Errorf("resolveZone(%q, %q, %q) = %v, %v; want %s", c.flag, c.tz, c.cfg, loc, err, c.want)
		}
	}
	if _, err := resolveZone("Mars/Olympus", "", ""); err == nil || exitCode(err) != 2 {
		t.Errorf("unknown --tz accepted: %v", err)
	}
}

func TestRelative(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{25 * time.Minute, "in 25m"},
		{2*time.Hour + 15*time.Minute, "in 2h 15m"},
		{3 * time.Hour, "in 3h"},
		{50*time.Hour + 10*time.Minute, "in 2d 3h"}, // rounded up (tui/words)
		{-10 * time.Minute, "10m ago"},
		{20 * time.Second, "in 1m"},
	} {
		if got := words.Relative(vocabNow, vocabNow.Add(c.d)); got != c.want {
			t.Errorf("relative(%s) = %q, want %q", c.d, got, c.want)
		}
	}
}
