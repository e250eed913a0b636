// Package common is what every part of the console shares: the styles,
// the one key map, the terminal size, the clock, the display zones, the
// request context and the help renderer (as soft-serve's common.Common
// and gh-dash's ProgramContext). It is per program (per SSH session):
// nothing here is a package global. The root model owns the one Common
// and passes it to each component's Update and View, so no component
// holds a stale copy of the size or the zone.
package common

import (
	"context"
	"errors"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/tui/words"
)

// Common is the console's shared context.
type Common struct {
	Styles *Styles
	Keys   *KeyMap
	Help   help.Model
	Width  int
	Height int
	Now    func() time.Time
	// ReadOnly: no action key works (a read-only SSH session).
	ReadOnly bool
	// ReadOnlyRefused, if set, is told each key a read-only console
	// refuses (talkmod serve writes it to the audit log).
	ReadOnlyRefused func(key string)

	// Ctx and Timeout bound every request (Request).
	Ctx     context.Context
	Timeout time.Duration
	// After schedules msg after d (tea.Tick; tests replace it).
	After func(d time.Duration, msg tea.Msg) tea.Cmd

	// Zones are the display zone choices z cycles through (at least
	// one); Zone is the index of the one shown.
	Zones []*time.Location
	Zone  int
}

// Request runs do in a command with the console's context and the
// request timeout: every backend call goes through it.
func (c Common) Request(do func(ctx context.Context) tea.Msg) tea.Cmd {
	ctx, timeout := c.Ctx, c.Timeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		return do(ctx)
	}
}

// ZoneBlocked says why z does nothing, or "".
func (c Common) ZoneBlocked() string {
	if len(c.Zones) > 1 {
		return ""
	}
	return "UTC only: the local zone is UTC and no other zone is configured"
}

// Loc is the display zone.
func (c Common) Loc() *time.Location { return c.Zones[c.Zone] }

// NextZone is the same Common showing the next zone.
func (c Common) NextZone() Common {
	c.Zone = (c.Zone + 1) % len(c.Zones)
	return c
}

// ZoneLabel names the display zone for the header (words.ZoneLabel):
// "Europe/Berlin (CET, UTC+01:00)".
func (c Common) ZoneLabel() string { return words.ZoneLabel(c.Loc(), c.Now()) }

// ZoneShort is the compact form for narrow terminals (words.ZoneShort):
// "CET, UTC+01:00".
func (c Common) ZoneShort() string { return words.ZoneShort(c.Loc(), c.Now()) }

// Clock formats t in the display zone (words.Clock): "15:04 CET", with the
// date in front when it is not today there.
func (c Common) Clock(t time.Time) string { return words.Clock(t, c.Now(), c.Loc()) }

// Level is how a status message is shown and how long it stays.
type Level int

// The levels of a status message.
const (
	LevelInfo Level = iota // clears itself after a while
	LevelWarn              // stays until the next key
	LevelErr               // stays until the next key
	LevelOK                // a confirmed change (clears itself like info)
)

// Note is a status message a component asks the root to show (the zero
// Note: none).
type Note struct {
	Text  string
	Level Level
}

// ThrottlePause is how long the console waits after a 429 at least.
const ThrottlePause = 5 * time.Minute

// ThrottledUntil is when to ask again after a 429: the server's
// Retry-After, or ThrottlePause if that is longer.
func ThrottledUntil(err error, now time.Time) time.Time {
	d := ThrottlePause
	var ae *client.APIError
	if errors.As(err, &ae) && ae.RetryAfter > d {
		d = ae.RetryAfter
	}
	return now.Add(d)
}

// ReadOnlyNote is what every action key says in a read-only session.
const ReadOnlyNote = "read-only session: this key may look but not change anything"

// Refused tells ReadOnlyRefused that a read-only console refused key, and
// gives the words for the status line (ReadOnlyNote). Every refusal goes
// through it: the root's and the pages' (Page.Changes).
func (c Common) Refused(key string) string {
	if c.ReadOnlyRefused != nil {
		c.ReadOnlyRefused(key)
	}
	return ReadOnlyNote
}
