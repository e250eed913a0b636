package tui

import (
	"time"

	"github.com/talkmod/talkmod/tui/words"
)

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
		dup := false
		for _, z := range zs {
			if sameZone(z, loc) {
				dup = true
				break
			}
		}
		if !dup {
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
