package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/output"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// talkmod rooms --all-accounts: the rooms of every stored account, read
// concurrently, each account with its own client and time limit, so that a
// server that does not answer holds up only its own line.
//
// The account store is used through its functions (loadStore, fromStored,
// zoneFor) only: it is moving to cmd/talkmod/internal/account.

// roomsAllAccountsHelp documents --all-accounts in talkmod rooms --help.
const roomsAllAccountsHelp = `With --all-accounts, the rooms of every stored account (talkmod accounts), read
at the same time, each line with its SERVER (the host, or login@host when two
accounts are on one host: they are two accounts, and a room both see shows
twice). A server that does not answer is named on stderr; the others are
listed. With --json: one object per account, {"account", "server", "rooms": [the
room objects as the server sent them]} or {"account", "server", "error": {...}}.
Exit code: 0 when every account answered, else the most severe among them
(the order below). With one stored account it is talkmod rooms.`

// accountTimeout bounds the reading of one account (its room list and,
// for the table, its capabilities).
var accountTimeout = 45 * time.Second

// accountRooms is what one account answered.
type accountRooms struct {
	acct  account.Account
	label string // the SERVER column: the host, or the account name when two accounts share the host
	zone  *time.Location
	rooms []models.Room
	caps  models.Capabilities
	err   error
}

// allAccountsJSON is one account in --json: its rooms as the server sent
// them, or the error.
type allAccountsJSON struct {
	Account string            `json:"account"`
	Server  string            `json:"server"`
	Rooms   []json.RawMessage `json:"rooms,omitempty"`
	Error   *jsonErrorBody    `json:"error,omitempty"`
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
	results := make([]accountRooms, len(cfg.Accounts))
	labels := serverLabels(cfg.Accounts)
	var wg sync.WaitGroup
	for i, acct := range cfg.Accounts {
		results[i] = accountRooms{acct: acct, label: labels[i]}
		wg.Add(1)
		go func(r *accountRooms) {
			defer wg.Done()
			a.readAccountRooms(ctx, st, cfg, r, opts)
		}(&results[i])
	}
	wg.Wait()

	codes := make([]int, len(results))
	var failed []string
	for i, r := range results {
		codes[i] = exitCode(r.err)
		if r.err != nil {
			failed = append(failed, sanitize.Line(r.acct.Name)+": "+errorMessage(r.err))
		}
	}
	if a.jsonOut {
		out := make([]allAccountsJSON, len(results))
		for i, r := range results {
			out[i] = allAccountsJSON{Account: r.acct.Name, Server: r.acct.Server}
			if r.err != nil {
				body := errorJSON(r.err).Error
				out[i].Error = &body
				continue
			}
			out[i].Rooms = make([]json.RawMessage, 0, len(r.rooms))
			for _, room := range r.rooms {
				out[i].Rooms = append(out[i].Rooms, room.Raw)
			}
		}
		if err := output.JSON(a.stdout, out); err != nil {
			return err
		}
	} else {
		a.printAllAccounts(results, opts.All)
		for _, f := range failed {
			fmt.Fprintf(a.stderr, "talkmod: %s\n", f)
		}
	}
	code := worstExit(codes...)
	if code == exitOK {
		return nil
	}
	return &outcomeError{code: code, summary: fmt.Sprintf("%d of %d accounts answered", len(results)-len(failed), len(results))}
}

// readAccountRooms reads one account's rooms (and, for the table, its
// capabilities) with its own client, within accountTimeout.
func (a *app) readAccountRooms(ctx context.Context, st *account.Store, cfg *account.Config, r *accountRooms, opts *roomsOptions) {
	s, err := a.fromStored(st, &resolvedAccount{cfgZone: cfg.Zone}, r.acct)
	if err != nil {
		r.err = err
		return
	}
	if r.zone, err = a.zoneFor(s); err != nil {
		r.err = err
		return
	}
	c, err := newAPIClient(client.Config{BaseURL: s.server, User: s.user, AppPassword: s.password, Logger: a.logger, Timeout: accountTimeout})
	if err != nil {
		r.err = err
		return
	}
	defer c.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(ctx, accountTimeout)
	defer cancel()
	lo := client.ListOptions{KeepRaw: a.jsonOut, Lean: a.jsonOut}
	if !opts.All {
		lo.Keep = models.Room.IsWebinarCandidate
	}
	list, err := c.ListRooms(ctx, lo)
	if err != nil {
		r.err = err
		return
	}
	rooms := list.Rooms
	sort.SliceStable(rooms, func(i, j int) bool { return rooms[i].LastActivity > rooms[j].LastActivity })
	r.rooms = rooms
	if !a.jsonOut && (opts.All || len(rooms) > 0) {
		if cp, err := c.Capabilities(ctx); err == nil {
			r.caps = cp
		} else if client.KindOf(err) == client.KindUnauthorized {
			r.err = err
		}
	}
	a.logger.Debug("account rooms", "account", r.acct.Name, "rooms", len(r.rooms), "err", errText(r.err))
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// serverLabels are the SERVER column of each account: its host, or its
// name (login@host) when another stored account is on the same host.
func serverLabels(accts []account.Account) []string {
	hosts := make([]string, len(accts))
	count := map[string]int{}
	for i, acct := range accts {
		h := acct.Server
		if u, err := url.Parse(acct.Server); err == nil && u.Host != "" {
			h = u.Host + strings.TrimRight(u.Path, "/")
		}
		hosts[i] = h
		count[hostKey(h)]++
	}
	out := make([]string, len(accts))
	for i, h := range hosts {
		out[i] = h
		if count[hostKey(h)] > 1 {
			out[i] = accts[i].Name
		}
	}
	return out
}

// printAllAccounts prints one table: the SERVER column first, each
// account's rooms together in the stored order of the accounts, each
// account's rooms by last activity.
func (a *app) printAllAccounts(results []accountRooms, all bool) {
	now := a.now()
	header := []string{"SERVER", "NAME", "TOKEN", "TYPE", "LOBBY", "TIMER", "SIP", "CALL"}
	if all {
		header = append(header, "CAN'T CHANGE")
	}
	var rows [][]string
	for _, res := range results {
		if res.err != nil {
			continue
		}
		for _, r := range res.rooms {
			timer := ""
			if t, ok := r.LobbyTimerTime(); ok {
				timer = words.Clock(t, now, res.zone)
			}
			row := []string{res.label, r.Label(), r.Token, words.TypeShort(r.Type), words.LobbyCell(r, now), timer, words.SIPCell(r), words.CallCell(r.HasCall)}
			if all {
				row = append(row, words.CantChange(r, res.caps))
			}
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		what := "group or public conversations where you are owner or moderator"
		if all {
			what = "conversations"
		}
		fmt.Fprintf(a.stdout, "No %s on the accounts that answered.\n", what)
		return
	}
	output.Table(a.stdout, header, rows)
}
