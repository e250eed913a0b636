package main

import (
	"context"
	"time"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/timeparse"
	"github.com/talkmod/talkmod/tui"
)

// runConsole opens the console on the resolved account.
func (a *app) runConsole(ctx context.Context) error {
	c, s, err := a.newClient()
	if err != nil {
		if nl := exit.FindNotLoggedIn(err); nl != nil {
			// A new user's first try: point at the demo too.
			return &exit.NotLoggedInError{Msg: nl.Msg + "; or try the console on a built-in demo server: talkmod --demo"}
		}
		return err
	}
	open, local, account, err := a.consoleZoneSet(s)
	if err != nil {
		return err
	}
	return consoleResult(ctx, tui.Run(ctx, tui.Options{
		Backend: c,
		Server:  s.server,
		User:    s.user,
		Open:    open,
		Local:   local,
		Zone:    account,

		DownloadDir: a.consoleDownloadDir(),
	}))
}

// consoleResult treats the end of the console by SIGTERM or SIGINT as a
// normal quit.
func consoleResult(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil {
		return nil
	}
	return err
}

// consoleZones gives a console without an account (the demo) its zones:
// the first is --tz, else TZ, else the account's, else local; the second
// is the account's (or config's) zone, if one is set.
func (a *app) consoleZones(s *resolvedAccount) (first, config *time.Location, err error) {
	open, _, account, err := a.consoleZoneSet(s)
	return open, account, err
}

// consoleZoneSet gives the console its zones. It opens in the zone every
// command shows (zoneFor: --tz, else TZ, else the account's or config's,
// else local), and z cycles through the local zone, UTC and the account's
// zone.
func (a *app) consoleZoneSet(s *resolvedAccount) (open, local, account *time.Location, err error) {
	open, err = a.zoneFor(s)
	if err != nil {
		return nil, nil, nil, err
	}
	name := ""
	if s != nil {
		name = s.cfgZone
		if s.acct != nil && s.acct.Zone != "" {
			name = s.acct.Zone
		}
	}
	if name != "" {
		if loc, err := timeparse.LoadZone(name); err == nil {
			account = loc
		}
	}
	return open, tui.LocalZone(), account, nil
}
