// Package timeparse reads the times, durations and zones talkmod takes on
// its command line (--at, --in, --tz and the stored zone).
package timeparse

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/tui"
	"github.com/talkmod/talkmod/tui/datetime"
	"github.com/talkmod/talkmod/tui/words"
)

// ResolveZone picks the display zone: the --tz flag, else TZ, else the
// configured zone, else the local zone.
func ResolveZone(flag, tzEnv, configured string) (*time.Location, error) {
	if flag != "" {
		loc, err := LoadZone(flag)
		if err != nil {
			return nil, cmdutil.UsageErrorf("--tz %q: unknown time zone (use an IANA name such as Europe/Berlin, UTC, an offset such as +02:00 or UTC+2, or local)", flag)
		}
		return loc, nil
	}
	if tz := strings.TrimPrefix(tzEnv, ":"); tz != "" {
		// TZ is POSIX: "UTC+2" there means two hours west, so offsets are
		// read only from --tz and the stored zone (ISO sense), not here.
		if _, isOffset := offsetZone(tz); !isOffset {
			if loc, err := LoadZone(tz); err == nil {
				return loc, nil
			}
		}
	}
	if configured != "" {
		if loc, err := LoadZone(configured); err == nil {
			return loc, nil
		}
	}
	return tui.LocalZone(), nil
}

func LoadZone(name string) (*time.Location, error) {
	switch strings.ToLower(name) {
	case "local":
		return tui.LocalZone(), nil
	case "utc", "z":
		return time.UTC, nil
	}
	if loc, ok := offsetZone(name); ok {
		return loc, nil
	}
	return time.LoadLocation(name)
}

// offsetRE is a fixed UTC offset: "+02:00", "-0530", "+2", "UTC+2",
// "UTC-05:30", "GMT+1".
var offsetRE = regexp.MustCompile(`^(?i:utc|gmt)?([+-])(\d{1,2})(?::?(\d{2}))?$`)

// offsetZone reads a fixed UTC offset as a zone named like the offset
// ("UTC+02:00"), in the ISO sense: UTC+2 is two hours ahead of UTC (unlike
// the POSIX names Etc/GMT-2).
func offsetZone(s string) (*time.Location, bool) {
	m := offsetRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return nil, false
	}
	h, mi := atoi(m[2]), atoi(m[3])
	if h > 14 || mi > 59 {
		return nil, false
	}
	off := h*3600 + mi*60
	if m[1] == "-" {
		off = -off
	}
	if off == 0 {
		return time.UTC, true
	}
	return time.FixedZone(words.Offset(off), off), true
}

var (
	clockRE    = regexp.MustCompile(`^(\d{1,2}):(\d{2})$`)
	dateTimeRE = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$`)
)

// ParseTime reads a TIME: RFC 3339 ("2026-03-29T10:00:00+02:00"),
// "YYYY-MM-DD HH:MM" in loc, or "HH:MM" in loc: the next such time after
// now (today, else tomorrow). A wall time in a DST gap moves forward by the
// gap (02:30 on the spring-forward night is 03:30), in every zone; in a
// repeated hour, Go's time.Date picks one of the two.
func ParseTime(s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if m := dateTimeRE.FindStringSubmatch(s); m != nil {
		y, mo, d, h, mi := atoi(m[1]), atoi(m[2]), atoi(m[3]), atoi(m[4]), atoi(m[5])
		if mo < 1 || mo > 12 || d < 1 || d > daysIn(y, time.Month(mo)) || h > 23 || mi > 59 {
			return time.Time{}, cmdutil.UsageErrorf("%q is not a valid date and time", s)
		}
		return datetime.WallTime(y, time.Month(mo), d, h, mi, loc), nil
	}
	if m := clockRE.FindStringSubmatch(s); m != nil {
		h, mi := atoi(m[1]), atoi(m[2])
		if h > 23 || mi > 59 {
			return time.Time{}, cmdutil.UsageErrorf("%q is not a valid time of day", s)
		}
		n := now.In(loc)
		t := datetime.WallTime(n.Year(), n.Month(), n.Day(), h, mi, loc)
		if !t.After(now) {
			t = datetime.WallTime(n.Year(), n.Month(), n.Day()+1, h, mi, loc)
		}
		return t, nil
	}
	return time.Time{}, cmdutil.UsageErrorf("%q is not a time: use RFC 3339 (2026-03-29T10:00:00+02:00), \"YYYY-MM-DD HH:MM\" or \"HH:MM\" (in %s)", s, loc)
}

// daysRE splits whole days off the front of a duration: "2d", "1d12h".
var daysRE = regexp.MustCompile(`^(\d{1,3})d(.*)$`)

// ParseIn reads a DURATION (Go syntax: 45m, 1h30m, plus days: 2d, 1d12h)
// and returns now plus it. A day is 24 hours.
func ParseIn(s string, now time.Time) (time.Time, error) {
	d, err := parseDuration(strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, cmdutil.UsageErrorf("%q is not a duration: use e.g. 45m, 1h30m, 90s or 2d", s)
	}
	if d <= 0 {
		return time.Time{}, cmdutil.UsageErrorf("--in %s: the duration must be positive", s)
	}
	return now.Add(d), nil
}

func parseDuration(s string) (time.Duration, error) {
	m := daysRE.FindStringSubmatch(s)
	if m == nil {
		return time.ParseDuration(s)
	}
	d := time.Duration(atoi(m[1])) * 24 * time.Hour
	if m[2] != "" {
		rest, err := time.ParseDuration(m[2])
		if err != nil || rest < 0 {
			return 0, fmt.Errorf("bad duration %q", s)
		}
		d += rest
	}
	return d, nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Zones are the zone names starting with prefix (any case) for completing
// --tz: local, UTC and the IANA names under dir (the zoneinfo directory),
// else a few common ones when dir has none.
func Zones(dir, prefix string) []string {
	names := []string{"local", "UTC"}
	found := 0
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		name := filepath.ToSlash(rel)
		if d.IsDir() {
			if name != "." && (name == "posix" || name == "right" || name == "Etc" || !unicode.IsUpper(rune(name[0]))) {
				return filepath.SkipDir
			}
			return nil
		}
		if !unicode.IsUpper(rune(name[0])) || strings.ContainsAny(name, ".") || !strings.Contains(name, "/") {
			return nil // zone.tab, leapseconds, posixrules, and the old single names (CET, EST5EDT)
		}
		names = append(names, name)
		found++
		return nil
	})
	if found == 0 {
		names = append(names, "Europe/Berlin", "Europe/London", "Europe/Paris", "America/New_York",
			"America/Chicago", "America/Los_Angeles", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney")
	}
	var out []string
	for _, n := range names {
		if strings.HasPrefix(strings.ToLower(n), strings.ToLower(prefix)) {
			out = append(out, n)
		}
	}
	return out
}
