package tui

import (
	"os"
	"slices"
	"strings"
	"time"

	"github.com/talkmod/talkmod/tui/words"
)

// namedLocal returns the local zone under its IANA name when that can be
// known, so that the header and the picker say "Europe/Berlin" or
// "Etc/UTC" rather than Go's "Local": from TZ (":Europe/Berlin",
// "Europe/Berlin", or a path into a zoneinfo directory), else from the
// target of the /etc/localtime link. A name that does not load, or that
// disagrees with time.Local, gives time.Local back.
func namedLocal(lookupEnv func(string) (string, bool), readlink func(string) (string, error)) *time.Location {
	name := ""
	if tz, ok := lookupEnv("TZ"); ok {
		tz = strings.TrimPrefix(tz, ":")
		switch {
		case tz == "":
			return time.UTC // Go's rule: TZ set but empty is UTC
		case strings.HasPrefix(tz, "/"):
			name = zoneinfoName(tz)
		default:
			name = tz
		}
	} else if target, err := readlink("/etc/localtime"); err == nil {
		name = zoneinfoName(target)
	}
	if name == "" || name == "Local" || name == "localtime" {
		return time.Local
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.Local
	}
	// the name must describe the zone Go actually uses
	for _, t := range []time.Time{time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)} {
		a1, o1 := t.In(loc).Zone()
		a2, o2 := t.In(time.Local).Zone()
		if a1 != a2 || o1 != o2 {
			return time.Local
		}
	}
	return loc
}

// zoneinfoName is the IANA name in a path into a zoneinfo directory
// ("/usr/share/zoneinfo/Europe/Berlin" → "Europe/Berlin"), or "".
func zoneinfoName(path string) string {
	const dir = "zoneinfo/"
	i := strings.LastIndex(path, dir)
	if i < 0 {
		return ""
	}
	return strings.TrimPrefix(path[i+len(dir):], "posix/")
}

// LocalZone is the local zone under its IANA name when that can be known
// (TZ, or the /etc/localtime link), else time.Local: "Europe/Berlin"
// reads better than Go's "Local".
func LocalZone() *time.Location { return namedLocal(os.LookupEnv, os.Readlink) }

// newZones lists the display zone choices: local, UTC and the configured
// (account's) zone, each once (on a host whose clock is UTC, local and UTC
// are one choice). time.Local is replaced by the same zone under its IANA
// name when that can be known.
func newZones(local, config *time.Location) []*time.Location { return newZonesOpen(nil, local, config) }

// newZonesOpen is newZones with the zone the console opens in first (nil:
// local): z then cycles through local, UTC and the configured zone.
func newZonesOpen(open, local, config *time.Location) []*time.Location {
	if local == nil || local == time.Local {
		local = LocalZone()
	}
	if open == time.Local {
		open = LocalZone()
	}
	var zs []*time.Location
	for _, loc := range []*time.Location{open, local, time.UTC, config} {
		if loc == nil {
			continue
		}
		if !slices.ContainsFunc(zs, func(z *time.Location) bool { return sameZone(z, loc) }) {
			zs = append(zs, loc)
		}
	}
	return zs
}

// sameZone tells whether two choices would show the same clock under the
// same name: one pointer, one IANA name, or UTC under two names.
func sameZone(a, b *time.Location) bool {
	switch {
	case a == b:
		return true
	case words.IsUTC(a) && words.IsUTC(b):
		return true
	}
	return a.String() == b.String() && a.String() != "Local"
}
