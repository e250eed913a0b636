package timeparse

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/tui"
	"github.com/talkmod/talkmod/tui/words"
)

// isUsage: the error is the commands' exit 2.
func isUsage(err error) bool {
	var ue *cmdutil.UsageError
	return errors.As(err, &ue)
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

var fuzzZones = []string{"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Apia"}

// plainText: no control or format characters (what a quoted error
// message may hold).
func plainText(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

// --in takes days too: 2d, 1d12h.
func TestParseInDays(t *testing.T) {
	now := time.Date(2026, 12, 1, 14, 35, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"2d":       48 * time.Hour,
		"1d12h":    36 * time.Hour,
		"1d30m":    24*time.Hour + 30*time.Minute,
		"45m":      45 * time.Minute,
		" 3d ":     72 * time.Hour,
		"1h30m":    90 * time.Minute,
		"0d15m":    15 * time.Minute,
		"100d1h1m": 100*24*time.Hour + time.Hour + time.Minute,
	} {
		got, err := ParseIn(in, now)
		if err != nil || got.Sub(now) != want {
			t.Errorf("ParseIn(%q) = %v, %v; want +%v", in, got.Sub(now), err, want)
		}
	}
	for _, bad := range []string{"2", "d", "2dd", "1d-5m", "-1d", "0d", "2 days"} {
		if _, err := ParseIn(bad, now); err == nil {
			t.Errorf("ParseIn(%q) accepted", bad)
		} else if !isUsage(err) {
			t.Errorf("ParseIn(%q): not a usage error: %v", bad, err)
		}
	}
}

// --tz takes a fixed offset, ISO sense: +02:00, UTC+2, GMT-05:30; TZ does
// not (it is POSIX, where UTC+2 means two hours west).
func TestTZOffsets(t *testing.T) {
	at := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]string{
		"+02:00":    "14:00 UTC+02:00",
		"UTC+2":     "14:00 UTC+02:00",
		"utc+02":    "14:00 UTC+02:00",
		"GMT-05:30": "06:30 UTC-05:30",
		"-0330":     "08:30 UTC-03:30",
		"UTC+0":     "12:00 UTC",
	} {
		loc, err := ResolveZone(in, "", "")
		if err != nil {
			t.Errorf("--tz %s: %v", in, err)
			continue
		}
		if got := words.Clock(at, at, loc); got != want {
			t.Errorf("--tz %s: %q, want %q", in, got, want)
		}
	}
	if loc, _ := ResolveZone("+02:00", "", ""); words.ZoneLabel(loc, at) != "UTC+02:00" {
		t.Errorf("zone label %q", words.ZoneLabel(loc, at))
	}
	for _, bad := range []string{"+25", "UTC+2:75", "Mars/Olympus"} {
		if _, err := ResolveZone(bad, "", ""); err == nil || !isUsage(err) {
			t.Errorf("--tz %s: %v", bad, err)
		}
	}
	// TZ=UTC+2 is POSIX: not read as two hours east
	if loc, _ := ResolveZone("", "UTC+2", "Asia/Tokyo"); loc.String() != "Asia/Tokyo" {
		t.Errorf("TZ=UTC+2 gave %v", loc)
	}
}

// Wall times that happen twice (autumn) or never (spring) on a DST day.
func TestParseTimeDSTEdges(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	ny := mustZone(t, "America/New_York")
	for _, c := range []struct {
		name  string
		in    string
		now   time.Time
		loc   *time.Location
		wants []time.Time // any of them (Go picks one in a repeated hour)
	}{
		{"Berlin repeated hour", "2026-10-25 02:30", time.Date(2026, 10, 24, 10, 0, 0, 0, time.UTC), berlin,
			[]time.Time{time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC)}},
		{"New York repeated hour, HH:MM", "01:30", time.Date(2026, 11, 1, 4, 0, 0, 0, time.UTC), ny,
			[]time.Time{time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC), time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC)}},
		{"New York gap, HH:MM moves forward", "02:30", time.Date(2026, 3, 8, 5, 0, 0, 0, time.UTC), ny,
			[]time.Time{time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC)}},
	} {
		got, err := ParseTime(c.in, c.now, c.loc)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		ok := false
		for _, w := range c.wants {
			ok = ok || got.Equal(w)
		}
		if !ok || !got.After(c.now) {
			t.Errorf("%s: ParseTime(%q) = %s, want one of %v", c.name, c.in, got.UTC(), c.wants)
		}
	}
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
		got, err := ParseTime(c.in, c.now, c.loc)
		if err != nil {
			t.Errorf("%s: ParseTime(%q): %v", c.name, c.in, err)
			continue
		}
		if !got.Equal(c.want) {
			t.Errorf("%s: ParseTime(%q in %s) = %s, want %s", c.name, c.in, c.loc, got.UTC(), c.want)
		}
	}
	for _, bad := range []string{"", "tomorrow", "25:00", "12:60", "2026-02-30 10:00", "2027-02-29 10:00", "2026-13-01 10:00", "12", "2026-03-29", "10:00 CET"} {
		if _, err := ParseTime(bad, beforeSpring, berlin); err == nil || !isUsage(err) {
			t.Errorf("ParseTime(%q) accepted or not a usage error: %v", bad, err)
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
		got, err := ParseIn(c.in, now)
		if err != nil || got.Sub(now) != c.want {
			t.Errorf("ParseIn(%q) = %s, %v", c.in, got, err)
		}
	}
	// A duration is elapsed time: 24h across the spring change is 13:00
	// the next day on the wall clock.
	got, _ := ParseIn("24h", now)
	if wall := got.In(berlin).Format("2006-01-02 15:04"); wall != "2026-03-29 13:00" {
		t.Errorf("24h across DST = %s, want 2026-03-29 13:00", wall)
	}
	for _, bad := range []string{"", "30", "soon", "-5m", "0s", "1w"} {
		if _, err := ParseIn(bad, now); err == nil || !isUsage(err) {
			t.Errorf("ParseIn(%q) accepted", bad)
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
		loc, err := ResolveZone(c.flag, c.tz, c.cfg)
		if err != nil || loc.String() != c.want {
			t.Errorf("ResolveZone(%q, %q, %q) = %v, %v; want %s", c.flag, c.tz, c.cfg, loc, err, c.want)
		}
	}
	if _, err := ResolveZone("Mars/Olympus", "", ""); err == nil || !isUsage(err) {
		t.Errorf("unknown --tz accepted: %v", err)
	}
}

// FuzzParseTime: --at never panics; a time it accepts is a real time in
// the zone, the one written (or the first after a DST gap, at most an
// hour later), and "HH:MM" is the next such time within two days; a
// refusal is plain words.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"15:00", "2026-03-29 02:30", "2026-12-31 23:59", "2026-02-29 10:00", "2026-03-29T10:00:00+02:00",
		"24:00", "9:5", " 07:30 ", "2026-13-01 10:00", "0000-01-01 00:00", "9999-12-31 23:59", "2026-10-25 02:30", "\x1b[31m12:00"} {
		f.Add(s, uint8(1), int64(1796178358))
	}
	f.Fuzz(func(t *testing.T, s string, zone uint8, nowUnix int64) {
		loc, err := time.LoadLocation(fuzzZones[int(zone)%len(fuzzZones)])
		if err != nil {
			t.Skip(err)
		}
		now := time.Unix(nowUnix%(1<<36), 0)
		got, err := ParseTime(s, now, loc)
		if err != nil {
			if !plainText(err.Error()) {
				t.Fatalf("error with control characters: %q", err)
			}
			return
		}
		if got.IsZero() {
			t.Fatalf("%q: accepted as the zero time", s)
		}
		in := strings.TrimSpace(s)
		if m := dateTimeRE.FindStringSubmatch(in); m != nil && !strings.Contains(in, "T") {
			want := time.Date(atoi(m[1]), time.Month(atoi(m[2])), atoi(m[3]), atoi(m[4]), atoi(m[5]), 0, 0, time.UTC)
			wall := got.In(loc)
			gotWall := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), 0, 0, time.UTC)
			if d := gotWall.Sub(want); d < 0 || d > time.Hour {
				t.Fatalf("%q in %s: %s (wall %s)", s, loc, got, gotWall)
			}
		}
		if clockRE.MatchString(in) {
			if !got.After(now) || got.Sub(now) > 49*time.Hour {
				t.Fatalf("%q at %s in %s: %s is not the next such time", s, now, loc, got)
			}
		}
	})
}
