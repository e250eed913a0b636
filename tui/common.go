package tui

import (
	"time"

	"github.com/talkmod/talkmod/tui/words"
)

// zone is one choice of the display time zone. Every choice is named the
// same way everywhere (words.ZoneLabel), whatever its source.
type zone struct {
	loc *time.Location
}

// Common is what every component of the console shares: styles, keys,
// the clock, the display zones and the terminal size. It is per program
// (per SSH session): nothing in tui is a package global.
type Common struct {
	Styles *Styles
	Keys   *KeyMap
	Width  int
	Height int
	Now    func() time.Time
	// ReadOnly: no action key works (a read-only SSH session).
	ReadOnly        bool
	readOnlyRefused func(key string)

	zones   []zone
	zoneIdx int
}

// newZones lists the choices of z: local, UTC and the configured
// (account's) zone, each once (on a host whose clock is UTC, local and UTC
// are one choice). time.Local is replaced by the same zone under its IANA
// name when that can be known.
func newZones(local, config *time.Location) []zone { return newZonesOpen(nil, local, config) }

// newZonesOpen is newZones with the zone the console opens in first (nil:
// local): z then cycles through local, UTC and the configured zone.
func newZonesOpen(open, local, config *time.Location) []zone {
	if local == nil || local == time.Local {
		local = osLocal()
	}
	if open == time.Local {
		open = osLocal()
	}
	var zs []zone
	for _, loc := range []*time.Location{open, local, time.UTC, config} {
		if loc == nil {
			continue
		}
		dup := false
		for _, z := range zs {
			if sameZone(z.loc, loc) {
				dup = true
				break
			}
		}
		if !dup {
			zs = append(zs, zone{loc})
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
	case isUTC(a) && isUTC(b):
		return true
	}
	return a.String() == b.String() && a.String() != "Local"
}

// zoneBlocked says why z does nothing, or "".
func (c Common) zoneBlocked() string {
	if len(c.zones) > 1 {
		return ""
	}
	return "UTC only: the local zone is UTC and no other zone is configured"
}

// Loc is the display zone.
func (c Common) Loc() *time.Location { return c.zones[c.zoneIdx].loc }

// nextZone cycles the display zone.
func (c *Common) nextZone() { c.zoneIdx = (c.zoneIdx + 1) % len(c.zones) }

// ZoneLabel names the display zone for the header (words.ZoneLabel):
// "Europe/Berlin (CET, UTC+01:00)".
func (c Common) ZoneLabel() string { return words.ZoneLabel(c.Loc(), c.Now()) }

// ZoneShort is the compact form for narrow terminals (words.ZoneShort):
// "CET, UTC+01:00".
func (c Common) ZoneShort() string { return words.ZoneShort(c.Loc(), c.Now()) }

// clock formats t in the display zone (words.Clock): "15:04 CET", with the
// date in front when it is not today there.
func (c Common) clock(t time.Time) string { return words.Clock(t, c.Now(), c.Loc()) }
