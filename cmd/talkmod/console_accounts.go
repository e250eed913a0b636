package main

import (
	"context"
	"fmt"
	"net/url"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/allaccounts"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/tui"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// runConsoleAllAccounts opens the console on every stored account (talkmod
// --all-accounts): one client per account, each polled on its own by the
// console. With one stored account (or none) it is the console as always.
func (a *app) runConsoleAllAccounts(ctx context.Context) error {
	if a.account != "" || a.server != "" || a.user != "" {
		return cmdutil.UsageErrorf("--all-accounts opens every stored account: leave out --account, --server and --user")
	}
	opts, done, err := a.consoleAccounts()
	if err != nil {
		return err
	}
	if opts == nil {
		return a.runConsole(ctx)
	}
	defer done()
	return consoleResult(ctx, tui.Run(ctx, *opts))
}

// consoleAccounts builds the console's options on every stored account,
// one client each (done lets their connections go); nil with one stored
// account or none.
func (a *app) consoleAccounts() (opts *tui.Options, done func(), err error) {
	st, cfg, err := account.Load(getenv)
	if err != nil {
		return nil, nil, err
	}
	if len(cfg.Accounts) <= 1 {
		return nil, nil, nil
	}
	labels := allaccounts.Labels(cfg.Accounts)
	accts := make([]tui.Account, 0, len(cfg.Accounts))
	var clients []*client.Client
	done = func() {
		for _, c := range clients {
			c.CloseIdleConnections()
		}
	}
	for i, acct := range cfg.Accounts {
		s, err := a.fromStored(st, &resolvedAccount{cfgZone: cfg.Zone}, acct)
		if err != nil {
			done()
			return nil, nil, fmt.Errorf("account %s: %w", sanitize.Line(acct.Name), err)
		}
		c, err := newAPIClient(client.Config{BaseURL: s.server, User: s.user, AppPassword: s.password, Logger: a.logger})
		if err != nil {
			done()
			return nil, nil, fmt.Errorf("account %s: %w", sanitize.Line(acct.Name), err)
		}
		clients = append(clients, c)
		accts = append(accts, tui.Account{Name: acct.Name, Label: labels[i], Server: acct.Server, Backend: c})
	}
	open, local, zone, err := a.consoleZoneSet(&resolvedAccount{cfgZone: cfg.Zone})
	if err != nil {
		done()
		return nil, nil, err
	}
	return &tui.Options{Accounts: accts, Open: open, Local: local, Zone: zone}, done, nil
}

// runDemoConsoles opens the console on the two built-in demo servers
// (talkmod --demo --demo-servers 2): the SERVER column within a minute.
func (a *app) runDemoConsoles(ctx context.Context, n int) error {
	servers, demo, err := talktest.StartDemos(n, talktest.DemoConfig{})
	if err != nil {
		return fmt.Errorf("cannot start the demo servers: %w", err)
	}
	defer func() {
		for _, s := range servers {
			s.Close()
		}
	}()
	accts := make([]tui.Account, len(demo))
	for i, d := range demo {
		c, err := client.New(client.Config{BaseURL: d.URL, User: d.User, AppPassword: d.AppPassword, Logger: a.logger})
		if err != nil {
			return err
		}
		// both are on 127.0.0.1: the label says which demo and its port
		label := fmt.Sprintf("demo%d", i+1)
		if u, err := url.Parse(d.URL); err == nil && u.Port() != "" {
			label += " :" + u.Port()
		}
		accts[i] = tui.Account{Name: d.User + "@" + label, Label: label, Server: d.URL, Backend: c}
	}
	local, _, err := a.consoleZones(nil)
	if err != nil {
		return err
	}
	return consoleResult(ctx, tui.Run(ctx, tui.Options{Accounts: accts, Local: local}))
}
