// Package allaccounts does the work of talkmod rooms --all-accounts: the
// rooms of every stored account, each read with its own client and time
// limit, so that a server that does not answer holds up only its own line.
package allaccounts

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/output"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/roomref"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/roomview"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/words"
)

// Timeout bounds the reading of one account (its room list and,
// for the table, its capabilities).
var Timeout = 45 * time.Second

// Result is what one account answered.
type Result struct {
	Acct  account.Account
	Label string // the SERVER column: the host, or the account name when two accounts share the host
	Zone  *time.Location
	Rooms []models.Room
	Caps  models.Capabilities
	Err   error
}

// Read reads one account's rooms (all: every conversation, else the
// webinar candidates; raw: as the server sent them, for --json) and, for
// the table, its capabilities, within Timeout. A failure is r.Err.
func Read(ctx context.Context, c *client.Client, r *Result, all, raw bool) {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	lo := client.ListOptions{KeepRaw: raw, Lean: raw}
	if !all {
		lo.Keep = models.Room.IsWebinarCandidate
	}
	list, err := c.ListRooms(ctx, lo)
	if err != nil {
		r.Err = err
		return
	}
	rooms := list.Rooms
	roomview.NewestFirst(rooms)
	r.Rooms = rooms
	if !raw && (all || len(rooms) > 0) {
		if cp, err := c.Capabilities(ctx); err == nil {
			r.Caps = cp
		} else if client.KindOf(err) == client.KindUnauthorized {
			r.Err = err
		}
	}
}

// Labels are the SERVER column of each account: its host, or its
// name (login@host) when another stored account is on the same host.
func Labels(accts []account.Account) []string {
	hosts := make([]string, len(accts))
	count := map[string]int{}
	for i, acct := range accts {
		h := acct.Server
		if u, err := url.Parse(acct.Server); err == nil && u.Host != "" {
			h = u.Host + strings.TrimRight(u.Path, "/")
		}
		hosts[i] = h
		count[roomref.HostKey(h)]++
	}
	out := make([]string, len(accts))
	for i, h := range hosts {
		out[i] = h
		if count[roomref.HostKey(h)] > 1 {
			out[i] = accts[i].Name
		}
	}
	return out
}

// Print prints one table: the SERVER column first, each
// account's rooms together in the stored order of the accounts, each
// account's rooms by last activity.
func Print(w io.Writer, results []Result, all bool, now time.Time) {
	header := []string{"SERVER", "NAME", "TOKEN", "TYPE", "LOBBY", "TIMER", "SIP", "CALL"}
	if all {
		header = append(header, "CAN'T CHANGE")
	}
	var rows [][]string
	for _, res := range results {
		if res.Err != nil {
			continue
		}
		for _, r := range res.Rooms {
			timer := ""
			if t, ok := r.LobbyTimerTime(); ok {
				timer = words.Clock(t, now, res.Zone)
			}
			row := []string{res.Label, r.Label(), r.Token, words.TypeShort(r.Type), words.LobbyCell(r, now), timer, words.SIPCell(r), words.CallCell(r.HasCall)}
			if all {
				row = append(row, words.CantChange(r, res.Caps))
			}
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		what := "group or public conversations where you are owner or moderator"
		if all {
			what = "conversations"
		}
		fmt.Fprintf(w, "No %s on the accounts that answered.\n", what)
		return
	}
	output.Table(w, header, rows)
}
