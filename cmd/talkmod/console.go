package main

import (
	"context"
	"errors"
	"time"

	"github.com/talkmod/talkmod/tui"
)

// runConsole opens the console on the resolved account.
func (a *app) runConsole(ctx context.Context) error {
	c, s, err := a.newClient()
	if err != nil {
		var nl *notLoggedInError
		if errors.As(err, &nl) {
			// A new user's first try: point at the demo too.
			return &notLoggedInError{msg: nl.msg + "; or try the console on a built-in demo server: talkmod --demo"}
		}
		return err
	}
	local, config, err := a.consoleZones(s)
	if err != nil {
		return err
	}
	return consoleResult(ctx, tui.Run(ctx, tui.Options{
		Backend: c,
		Server:  s.server,
		User:    s.user,
		Local:   local,
		Zone:    config,
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

// consoleZones gives the console its zones: the first ("local") is --tz,
// else TZ, else the local zone; z cycles to UTC and then to the account's
// (or config's) zone, if one is set.
func (a *app) consoleZones(s *session) (local, config *time.Location, err error) {
	local, err = resolveZone(a.tz, getenv("TZ"), "")
	if err != nil {
		return nil, nil, err
	}
	name := ""
	if s != nil {
		name = s.cfgZone
		if s.acct != nil && s.acct.Zone != "" {
			name = s.acct.Zone
		}
	}
	if name != "" {
		if loc, err := loadZone(name); err == nil && loc != local {
			config = loc
		}
	}
	return local, config, nil
}
