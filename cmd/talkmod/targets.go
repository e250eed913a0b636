package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/change"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/roomref"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// yesFlag adds --yes, the confirmation a script gives up front for a change
// that removes people (from a running call, or from a conversation). Every
// command that can do that uses it: lobby, and the people commands.
func yesFlag(cmd *cobra.Command, yes *bool) {
	cmd.Flags().BoolVar(yes, "yes", false, "confirm changes that remove people from a running call (without it such a room is refused, exit 2, and nothing is sent to it)")
}

// dryRunFlag adds --dry-run: say what would be sent, send nothing.
func dryRunFlag(cmd *cobra.Command, dryRun *bool) {
	cmd.Flags().BoolVar(dryRun, "dry-run", false, "print what would be sent to each room and send nothing (the rooms are read for the checks)")
}

// roomArg is one TOKEN_OR_LINK, parsed.
type roomArg struct {
	// arg is what was given, for messages.
	arg   string
	token string
	// host is the link's host ("" for a bare token).
	host string
}

// roomArgs parses the TOKEN_OR_LINK arguments. "-" reads them from stdin,
// one a line; blank lines and "#" comments (a line starting with #, or
// anything after a space and #) are ignored. several is true when more
// than one room, or "-", was given: the output is then one line (or one
// JSON object in an array) per room.
func (a *app) roomArgs(args []string) (rooms []roomArg, several bool, err error) {
	stdinRead := false
	for _, arg := range args {
		if arg != "-" {
			tok, host, err := roomref.Parse(arg)
			if err != nil {
				return nil, false, err
			}
			rooms = append(rooms, roomArg{arg: arg, token: tok, host: host})
			continue
		}
		if stdinRead {
			return nil, false, cmdutil.UsageErrorf(`"-" (read the rooms from stdin) can be given only once`)
		}
		stdinRead, several = true, true
		fromStdin, err := readRoomLines(a.stdin)
		if err != nil {
			return nil, false, err
		}
		if len(fromStdin) == 0 {
			return nil, false, cmdutil.UsageErrorf("no conversation token or link on stdin (one a line; blank lines and # comments are ignored)")
		}
		rooms = append(rooms, fromStdin...)
	}
	if len(rooms) > 1 {
		several = true
	}
	return rooms, several, nil
}

func readRoomLines(r io.Reader) ([]roomArg, error) {
	if r == nil {
		return nil, nil
	}
	var out []roomArg
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, " #"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		} else if i := strings.Index(line, "\t#"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		tok, host, err := roomref.Parse(line)
		if err != nil {
			return nil, cmdutil.UsageErrorf("stdin line %d: %s", n, exit.Message(err))
		}
		out = append(out, roomArg{arg: line, token: tok, host: host})
	}
	if err := sc.Err(); err != nil {
		return nil, cmdutil.UsageErrorf("reading the rooms from stdin: %v", err)
	}
	return out, nil
}

// accountClient is a resolved account and its API client.
type accountClient struct {
	c  *client.Client
	ra *resolvedAccount
}

// target is a room and the account it is changed with.
type target struct {
	roomArg
	ac *accountClient
}

// targets finds the account of every room, before anything is sent. A bare
// token goes to the account in use. A link on another host than that
// account's goes to the one stored account for the link's host; when there
// is none, or several, or the account was chosen with --account or
// --server, the command is refused (exit 2) and nothing is sent to any
// room. The same room named twice is kept once.
func (a *app) targets(rooms []roomArg) ([]target, error) {
	var def *accountClient
	var defErr error
	defDone := false
	getDef := func() (*accountClient, error) {
		if !defDone {
			defDone = true
			c, s, err := a.newClient()
			if err == nil {
				def = &accountClient{c: c, ra: s}
			}
			defErr = err
		}
		return def, defErr
	}
	byHost := map[string]*accountClient{}
	type key struct {
		c     *accountClient
		token string
	}
	seen := map[key]bool{}
	var out []target
	for _, r := range rooms {
		var cn *accountClient
		d, err := getDef()
		switch {
		case r.host == "":
			if err != nil {
				return nil, err
			}
			cn = d
		case err == nil && roomref.SameHost(d.ra.server, r.host):
			cn = d
		default:
			cn, err = a.clientForHost(r, d, byHost)
			if err != nil {
				return nil, err
			}
		}
		k := key{cn, r.token}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, target{roomArg: r, ac: cn})
	}
	return out, nil
}

// clientForHost finds the one stored account for a link's host.
func (a *app) clientForHost(r roomArg, def *accountClient, byHost map[string]*accountClient) (*accountClient, error) {
	host := roomref.HostKey(r.host)
	if c, ok := byHost[host]; ok {
		return c, nil
	}
	where := ""
	if def != nil {
		if u, err := url.Parse(def.ra.server); err == nil {
			where = fmt.Sprintf(", but the account in use is on %s", sanitize.Line(u.Host))
		}
	}
	if a.account != "" || a.server != "" {
		return nil, cmdutil.UsageErrorf("the link %s is on %s%s (chosen with --account or --server): nothing was sent (give the link's token instead, or the account for %s)",
			sanitize.Line(r.arg), sanitize.Line(r.host), where, sanitize.Line(r.host))
	}
	st, cfg, err := account.Load(getenv)
	if err != nil {
		return nil, err
	}
	var hits []account.Account
	for _, acct := range cfg.Accounts {
		if roomref.SameHost(acct.Server, r.host) && (a.user == "" || acct.LoginName == a.user || acct.UserID == a.user) {
			hits = append(hits, acct)
		}
	}
	switch len(hits) {
	case 0:
		return nil, cmdutil.UsageErrorf("the link %s is on %s%s, and no account for %s is stored: nothing was sent (run talkmod login https://%s first)",
			sanitize.Line(r.arg), sanitize.Line(r.host), where, sanitize.Line(r.host), sanitize.Line(r.host))
	case 1:
	default:
		names := make([]string, len(hits))
		for i, h := range hits {
			names[i] = h.Name
		}
		return nil, cmdutil.UsageErrorf("the link %s is on %s%s, where %d accounts are stored (%s): nothing was sent (choose one with --account NAME)",
			sanitize.Line(r.arg), sanitize.Line(r.host), where, len(hits), sanitize.Line(strings.Join(names, ", ")))
	}
	s := &resolvedAccount{cfgZone: cfg.Zone}
	if s, err = a.fromStored(st, s, hits[0]); err != nil {
		return nil, err
	}
	if s.zone, err = a.zoneFor(s); err != nil {
		return nil, err
	}
	c, err := newAPIClient(client.Config{BaseURL: s.server, User: s.user, AppPassword: s.password, Logger: a.logger})
	if err != nil {
		return nil, err
	}
	a.logger.Debug("link on another host: its stored account", "host", host, "account", hits[0].Name)
	cn := &accountClient{c: c, ra: s}
	byHost[host] = cn
	return cn, nil
}

// roomTargets is the one "parse the TOKEN_OR_LINKs → find each room's
// account and client" step of every command that works on rooms: roomArgs
// then targets. Nothing is sent.
func (a *app) roomTargets(args []string) (targets []target, several bool, err error) {
	rooms, several, err := a.roomArgs(args)
	if err != nil {
		return nil, false, err
	}
	targets, err = a.targets(rooms)
	return targets, several, err
}

// oneRoom is the client and token of a command that takes one
// TOKEN_OR_LINK (and its resolved account), with the same host rules as targets.
func (a *app) oneRoom(arg string) (*client.Client, *resolvedAccount, string, error) {
	if strings.TrimSpace(arg) == "-" {
		return nil, nil, "", cmdutil.UsageErrorf("give one conversation token or link, not -")
	}
	targets, _, err := a.roomTargets([]string{arg})
	if err != nil {
		return nil, nil, "", err
	}
	return targets[0].ac.c, targets[0].ac.ra, targets[0].token, nil
}

// runChange applies a room change (lobby, sip) to the targets, printing
// to this command's streams (change.Run).
func (a *app) runChange(ctx context.Context, targets []target, several bool, opts change.Options, spec change.Spec) error {
	ts := make([]change.Target, len(targets))
	for i, t := range targets {
		ts[i] = change.Target{Token: t.token, Client: t.ac.c, Zone: t.ac.ra.zone}
	}
	return change.Run(ctx, ts, several, opts, spec, change.IO{Stdout: a.stdout, Stderr: a.stderr, JSON: a.jsonOut, Now: a.now})
}
