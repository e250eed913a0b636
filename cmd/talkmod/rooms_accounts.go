package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/allaccounts"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/output"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// talkmod rooms --all-accounts: the rooms of every stored account, read
// concurrently, each account with its own client and time limit
// (internal/allaccounts reads and prints them), so that a server that does
// not answer holds up only its own line.

// roomsAllAccountsHelp documents --all-accounts in talkmod rooms --help.
const roomsAllAccountsHelp = `With --all-accounts, the rooms of every stored account (talkmod accounts), read
at the same time, each line with its SERVER (the host, or login@host when two
accounts are on one host: they are two accounts, and a room both see shows
twice). A server that does not answer is named on stderr; the others are
listed. With --json: one object per account, {"account", "server", "rooms": [the
room objects as the server sent them]} or {"account", "server", "error": {...}}.
Exit code: 0 when every account answered, else the most severe among them
(the order below). With one stored account it is talkmod rooms.`

// allAccountsJSON is one account in --json: its rooms as the server sent
// them, or the error.
type allAccountsJSON struct {
	Account string              `json:"account"`
	Server  string              `json:"server"`
	Rooms   []json.RawMessage   `json:"rooms,omitempty"`
	Error   *exit.JSONErrorBody `json:"error,omitempty"`
}

// runRoomsAllAccounts lists the rooms of every stored account. With one
// stored account (or none) it is talkmod rooms.
func (a *app) runRoomsAllAccounts(ctx context.Context, opts *roomsOptions) error {
	if a.account != "" || a.server != "" || a.user != "" {
		return cmdutil.UsageErrorf("--all-accounts reads every stored account: leave out --account, --server and --user")
	}
	st, cfg, err := account.Load(getenv)
	if err != nil {
		return err
	}
	if len(cfg.Accounts) <= 1 {
		one := *opts
		one.AllAccounts = false
		return a.runRooms(ctx, &one)
	}
	results := make([]allaccounts.Result, len(cfg.Accounts))
	labels := allaccounts.Labels(cfg.Accounts)
	var wg sync.WaitGroup
	for i, acct := range cfg.Accounts {
		results[i] = allaccounts.Result{Acct: acct, Label: labels[i]}
		wg.Add(1)
		go func(r *allaccounts.Result) {
			defer wg.Done()
			a.readAccountRooms(ctx, st, cfg, r, opts)
		}(&results[i])
	}
	wg.Wait()

	codes := make([]int, len(results))
	var failed []string
	for i, r := range results {
		codes[i] = exit.Code(r.Err)
		if r.Err != nil {
			failed = append(failed, sanitize.Line(r.Acct.Name)+": "+exit.Message(r.Err))
		}
	}
	if a.jsonOut {
		out := make([]allAccountsJSON, len(results))
		for i, r := range results {
			out[i] = allAccountsJSON{Account: r.Acct.Name, Server: r.Acct.Server}
			if r.Err != nil {
				body := exit.JSON(r.Err).Error
				out[i].Error = &body
				continue
			}
			out[i].Rooms = make([]json.RawMessage, 0, len(r.Rooms))
			for _, room := range r.Rooms {
				out[i].Rooms = append(out[i].Rooms, room.Raw)
			}
		}
		if err := output.JSON(a.stdout, out); err != nil {
			return err
		}
	} else {
		allaccounts.Print(a.stdout, results, opts.All, a.now())
		for _, f := range failed {
			fmt.Fprintf(a.stderr, "talkmod: %s\n", f)
		}
	}
	code := exit.Worst(codes...)
	if code == exit.OK {
		return nil
	}
	return &exit.OutcomeError{Code: code, Summary: fmt.Sprintf("%d of %d accounts answered", len(results)-len(failed), len(results))}
}

// readAccountRooms reads one account's rooms (and, for the table, its
// capabilities) with its own client, within allaccounts.Timeout.
func (a *app) readAccountRooms(ctx context.Context, st *account.Store, cfg *account.Config, r *allaccounts.Result, opts *roomsOptions) {
	s, err := a.fromStored(st, &resolvedAccount{cfgZone: cfg.Zone}, r.Acct)
	if err != nil {
		r.Err = err
		return
	}
	if r.Zone, err = a.zoneFor(s); err != nil {
		r.Err = err
		return
	}
	c, err := newAPIClient(client.Config{BaseURL: s.server, User: s.user, AppPassword: s.password, Logger: a.logger, Timeout: allaccounts.Timeout})
	if err != nil {
		r.Err = err
		return
	}
	defer c.CloseIdleConnections()
	allaccounts.Read(ctx, c, r, opts.All, a.jsonOut)
	a.logger.Debug("account rooms", "account", r.Acct.Name, "rooms", len(r.Rooms), "err", errText(r.Err))
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
