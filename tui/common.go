package tui

import (
	"fmt"
	"time"
)

// zone is one choice of the display time zone.
type zone struct {
	label string // "local", "UTC", "config"
	loc   *time.Location
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
	ReadOnly bool

	zones   []zone
	zoneIdx int
}

// newZones lists the choices of z: local, UTC and the configured zone,
// each once (on a host whose clock is UTC, local and UTC are one choice).
// time.Local is replaced by the same zone under its IANA name when that
// can be known.
func newZones(local, config *time.Location) []zone {
	if local == nil || local == time.Local {
		local = osLocal()
	}
	zs := []zone{{"local", local}}
	if !isUTC(local) {
		zs = append(zs, zone{"UTC", time.UTC})
	}
	if config != nil && !isUTC(config) && config != local &&
		(config.String() != local.String() || config.String() == "Local") {
		zs = append(zs, zone{"config", config})
	}
	return zs
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

// ZoneLabel names the display zone for the header, e.g.
// "local: CET (UTC+01:00)" or "config: America/New_York (EST, UTC-05:00)".
func (c Common) ZoneLabel() string {
	z := c.zones[c.zoneIdx]
	t := c.Now().In(z.loc)
	abbr, _ := t.Zone()
	off := t.Format("-07:00")
	name := z.loc.String()
	switch {
	case z.loc == time.UTC:
		return "UTC"
	case name == "Local" || name == "" || name == abbr:
		return fmt.Sprintf("%s: %s (UTC%s)", z.label, abbr, off)
	case abbr == "UTC" && off == "+00:00", abbr == "" || abbr[0] == '+' || abbr[0] == '-':
		// "local: Etc/UTC (UTC+00:00)", not "(UTC, UTC+00:00)"
		return fmt.Sprintf("%s: %s (UTC%s)", z.label, name, off)
	}
	return fmt.Sprintf("%s: %s (%s, UTC%s)", z.label, name, abbr, off)
}

// ZoneShort is the compact form for narrow terminals: "local CET +01:00".
func (c Common) ZoneShort() string {
	z := c.zones[c.zoneIdx]
	if z.loc == time.UTC {
		return "UTC"
	}
	t := c.Now().In(z.loc)
	abbr, _ := t.Zone()
	off := t.Format("-07:00")
	if abbr == "" || abbr[0] == '+' || abbr[0] == '-' {
		return z.label + " UTC" + off
	}
	return z.label + " " + abbr + " " + off
}

// clock formats t in the display zone as "15:04 CET", with the date in
// front when it is not today there.
func (c Common) clock(t time.Time) string {
	loc := c.Loc()
	lt := t.In(loc)
	now := c.Now().In(loc)
	if lt.YearDay() == now.YearDay() && lt.Year() == now.Year() {
		return lt.Format("15:04 MST")
	}
	if lt.Year() == now.Year() {
		return lt.Format("Mon 2 Jan 15:04 MST")
	}
	return lt.Format("Mon 2 Jan 2006 15:04 MST")
}

// clockUTC formats t in UTC the same way.
func (c Common) clockUTC(t time.Time) string {
	u := t.UTC()
	now := c.Now().UTC()
	if u.YearDay() == now.YearDay() && u.Year() == now.Year() {
		return u.Format("15:04 UTC")
	}
	return u.Format("Mon 2 Jan 2006 15:04 UTC")
}
