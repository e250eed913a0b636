package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/checkup"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/output"
	"github.com/talkmod/talkmod/tui/doctor"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// doctorOptions are the argument of talkmod doctor.
type doctorOptions struct {
	// Room is the optional TOKEN_OR_LINK.
	Room string
}

const doctorLong = `Check an account, and a room when one is given, for what stops a webinar:
each check says ok, warning or problem, with what it means and what to do.

The checks:
  server                 status.php answers (Nextcloud version, maintenance mode)
  connection             https, or plain http to this machine only
  certificate            (https) the TLS certificate is valid, and how long until it expires
  login                  the login works (a 401 names the account to log in again), your display name
  talk                   Talk installed, its version, API v4
  capability ...         webinary-lobby, sip-support, sip-support-nopin, conversation-permissions:
                         each present, or what is missing without it
  clock                  this machine's clock against the server's Date header: more than
                         30 s apart is a problem (lobby timers are picked here, applied there)
  sip dial-in            SIP dial-in configured on the server (with a room: its dial-in text)
  sip groups             you are in the groups that may switch dial-in on
  brute-force throttling this address is throttled (every request slow; at the limit, 429)
With TOKEN_OR_LINK, the room:
  room                   found, and you moderate it
  room type              a type that has a lobby and dial-in
  room lobby             on, off, its timer (a timer passed while the lobby still shows on)
  room sip               dial-in on without a dial-in text on the server, or not configured
  room token             letters in the token make phone dial-in impossible
  room people            people waiting in the lobby while a call runs

With --json: {"account", "server", "token", "checks": [{"name", "status", "message",
"action", "details"}], "summary": {"ok", "warning", "problem"}, "exitCode"}; "status" is
"ok", "warning" or "problem". Checks after a server that cannot be reached, or a
login that does not work, are not run (and not listed).

Exit codes:
  0  no check is a problem (warnings do not count)
  1  a check is a problem
  2  usage
  3  the login does not work (401), or no account
  9  the server cannot be reached (network, TLS, 5xx, maintenance)`

func (a *app) doctorCmd() *cobra.Command {
	opts := &doctorOptions{}
	cmd := &cobra.Command{
		Use:   "doctor [TOKEN_OR_LINK]",
		Short: "Check the account, the server and a room for what stops a webinar",
		Long:  doctorLong,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return cmdutil.UsageErrorf("%s takes at most one conversation token or link (usage: %s)", cmd.CommandPath(), cmd.UseLine())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Room = args[0]
			}
			return a.runDoctor(cmd.Context(), opts)
		},
		ValidArgsFunction: a.completeTokens(),
	}
	cmd.Flags().BoolVar(&a.jsonOut, "json", false, `print JSON: {"account", "server", "token", "checks": [{"name", "status", "message", ...}]}`)
	return cmd
}

// runDoctor checks the account (and the room), internal/checkup doing the
// work, and ends with the exit code of what it found.
func (a *app) runDoctor(ctx context.Context, opts *doctorOptions) error {
	// The connection is judged before a client is built: a client refuses
	// plain http to another host, and doctor should say why.
	if s, err := a.resolve(); err == nil {
		if f := doctor.Connection(account.NormalizeServer(s.server)); f.Status == doctor.Problem {
			return a.doctorDone(checkup.Report{Account: a.accountOf(s), Server: sanitize.Line(s.server), Checks: []doctor.Finding{f}}, exit.Failure)
		}
	}
	var (
		c     *client.Client
		s     *resolvedAccount
		token string
		err   error
	)
	if opts.Room != "" {
		c, s, token, err = a.oneRoom(opts.Room)
	} else {
		c, s, err = a.newClient()
	}
	if err != nil {
		return err
	}
	defer c.CloseIdleConnections()
	rep := checkup.Report{Account: a.accountOf(s), Server: sanitize.Line(c.BaseURL()), Token: token}
	code := exit.OK
	switch checkup.Gather(ctx, c, &rep, token, a.now, s.zone) {
	case checkup.HaltUnavailable:
		code = exit.Unavailable
	case checkup.HaltUnauthorized:
		code = exit.Unauthorized
	case checkup.HaltBroken, checkup.HaltLogin:
		code = exit.Failure
	default:
		if doctor.Worst(rep.Checks) == doctor.Problem {
			code = exit.Failure
		}
	}
	return a.doctorDone(rep, code)
}

// accountOf names the account of a session: the stored name, else
// login@host.
func (a *app) accountOf(s *resolvedAccount) string {
	if s == nil {
		return ""
	}
	if s.acct != nil && s.acct.Name != "" {
		return sanitize.Line(s.acct.Name)
	}
	return sanitize.Line(account.Name(account.NormalizeServer(s.server), s.user))
}

// doctorDone prints the report and ends with code.
func (a *app) doctorDone(rep checkup.Report, code int) error {
	rep.ExitCode = code
	rep.Summary = map[string]int{"ok": 0, "warning": 0, "problem": 0}
	for _, f := range rep.Checks {
		rep.Summary[string(f.Status)]++
	}
	if rep.Checks == nil {
		rep.Checks = []doctor.Finding{}
	}
	summary := fmt.Sprintf("%s, %s, %s", words.Count(rep.Summary["problem"], "problem", "problems"),
		words.Count(rep.Summary["warning"], "warning", "warnings"), words.Count(rep.Summary["ok"], "check ok", "checks ok"))
	switch code {
	case exit.Unavailable:
		summary += " (the server cannot be reached: the checks after it were not run)"
	case exit.Unauthorized:
		summary += " (the login does not work: the checks after it were not run)"
	}
	if a.jsonOut {
		if err := output.JSON(a.stdout, rep); err != nil {
			return err
		}
	} else {
		checkup.Print(a.stdout, rep, summary)
	}
	if code == exit.OK {
		return nil
	}
	return &exit.OutcomeError{Code: code, Summary: "doctor: " + summary}
}
