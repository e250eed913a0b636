package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/output"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/serve"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/timeparse"
	"github.com/talkmod/talkmod/tui/sanitize"
)

const serveLong = `Serve the console over SSH: support staff run "ssh -p 2222 HOST" and get
the console, with nothing to install. Each SSH key signs in to its own
Nextcloud account (Login Flow v2 inside the SSH session, the first time),
and every change is written to an audit log.

  talkmod serve --server https://cloud.example.com --authorized-keys ~/talkmod_keys

Only public keys are accepted (no passwords). --authorized-keys lists the keys
that may change things, --readonly-keys those that may only look; both are
OpenSSH authorized_keys files, checked like sshd's StrictModes (the file and
every directory above it: the serving user's or root's, writable by nobody
else), re-read when they change (or on SIGHUP). Removing a key ends its open
sessions. The host key (--host-key) is created
when missing; its fingerprint is printed at start so users can check it.

A key's app password is kept in the OS keyring, else in a 0600 file under
$XDG_CONFIG_HOME/talkmod/serve/. See talkmod serve logins and talkmod serve forget.

SIGTERM or SIGINT tells the sessions "the server is shutting down", gives
changes in flight up to 5 s, and exits 0.

` + exit.CodesHelp

func (a *app) serveCmd() *cobra.Command {
	o := serve.Options{}
	cmd := &cobra.Command{
		Use:   "serve --server URL --authorized-keys FILE [flags]",
		Short: "Serve the console over SSH to a support team (one key, one login, an audit log)",
		Long:  serveLong,
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if a.user != "" || a.account != "" {
				return cmdutil.UsageErrorf("serve signs each SSH key in to its own account: leave out --user and --account")
			}
			o.Server = cmp.Or(o.Server, a.server)
			return a.runServe(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Listen, "listen", "127.0.0.1:2222", "address to listen on (an address other than loopback is your explicit choice)")
	f.StringVar(&o.HostKey, "host-key", "", "host key path (default: serve/host_ed25519 in talkmod's config directory; created when missing)")
	f.StringVar(&o.AuthorizedKeys, "authorized-keys", "", "OpenSSH authorized_keys file of the keys that may change things (required)")
	f.StringVar(&o.ReadOnlyKeys, "readonly-keys", "", "OpenSSH authorized_keys file of the keys that may only look")
	f.DurationVar(&o.IdleTimeout, "idle-timeout", 30*time.Minute, "close a session with no input for this long (0: never)")
	f.IntVar(&o.MaxSessions, "max-sessions", 32, "most sessions at once (0: no limit)")
	f.StringVar(&o.AuditLog, "audit-log", "", "audit log file, JSON lines, mode 0600 (default: standard error)")
	cmd.AddCommand(a.serveLoginsCmd(), a.serveForgetCmd(), a.serveZoneCmd())
	return cmd
}

// runServe checks serve's options and runs the server until ctx ends
// (SIGTERM, SIGINT).
func (a *app) runServe(ctx context.Context, o serve.Options) error {
	o.Server = account.NormalizeServer(cmp.Or(o.Server, getenv("TALKMOD_SERVER")))
	if o.Server == "" {
		return cmdutil.UsageErrorf("which Nextcloud do the sessions sign in to? give --server https://cloud.example.com")
	}
	if _, err := newAPIClient(client.Config{BaseURL: o.Server}); err != nil {
		return err
	}
	if o.AuthorizedKeys == "" {
		return cmdutil.UsageErrorf("--authorized-keys FILE is required: the OpenSSH public keys that may use the console")
	}
	if o.MaxSessions < 0 || o.IdleTimeout < 0 {
		return cmdutil.UsageErrorf("--max-sessions and --idle-timeout cannot be negative")
	}
	logins, err := account.OpenKeyLogins(getenv)
	if err != nil {
		return err
	}
	o.Logins, o.LoadZone = logins, timeparse.LoadZone
	o.ErrorFields = func(err error) (int, string, string) {
		je := exit.JSON(err).Error
		return je.Status, cmp.Or(je.Reason, je.Kind), je.Message
	}
	err = serve.Run(ctx, o, serve.IO{Stdout: a.stdout, Stderr: a.stderr, Now: a.now})
	var ue *serve.UsageError
	if errors.As(err, &ue) {
		return &cmdutil.UsageError{Err: ue.Err}
	}
	return err
}

func (a *app) serveLoginsCmd() *cobra.Command {
	var authorized, readonly string
	cmd := &cobra.Command{
		Use:   "logins",
		Short: "List the Nextcloud logins of the SSH keys: fingerprint, user, last seen",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := account.OpenKeyLogins(getenv)
			if err != nil {
				return err
			}
			logins, err := st.List()
			if err != nil {
				return err
			}
			var fps map[string]bool
			if authorized != "" {
				if fps, err = serve.Fingerprints(authorized, readonly); err != nil {
					return err
				}
			}
			if a.jsonOut {
				return output.JSON(a.stdout, logins)
			}
			if len(logins) == 0 {
				fmt.Fprintln(a.stderr, "talkmod: no key has signed in yet")
				return nil
			}
			sort.Slice(logins, func(i, j int) bool { return logins[i].LastSeen.After(logins[j].LastSeen) })
			header := []string{"FINGERPRINT", "USER", "SERVER", "LAST SEEN"}
			if fps != nil {
				header = append(header, "KEY")
			}
			var rows [][]string
			for _, l := range logins {
				seen := "never"
				if !l.LastSeen.IsZero() {
					seen = l.LastSeen.UTC().Format("2006-01-02 15:04 UTC")
				}
				row := []string{l.Fingerprint, sanitize.Line(cmp.Or(l.UserID, l.LoginName)), sanitize.Line(l.Server), seen}
				if fps != nil {
					if fps[l.Fingerprint] {
						row = append(row, "authorized")
					} else {
						row = append(row, "NOT AUTHORIZED")
					}
				}
				rows = append(rows, row)
			}
			output.Table(a.stdout, header, rows)
			return nil
		},
	}
	a.jsonFlag(cmd)
	cmd.Flags().StringVar(&authorized, "authorized-keys", "", "also say which logins' keys are still in this file (and --readonly-keys)")
	cmd.Flags().StringVar(&readonly, "readonly-keys", "", "the read-only keys file")
	return cmd
}

func (a *app) serveForgetCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "forget FINGERPRINT",
		Short: "Revoke a key's app password on the server and forget its login",
		Args:  exactArgs(1, "FINGERPRINT (see talkmod serve logins)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, fp, err := account.FindKeyLogin(getenv, args[0])
			if err != nil {
				return err
			}
			l, pw, err := st.Forget(fp)
			if err != nil {
				return err
			}
			who := sanitize.Line(cmp.Or(l.UserID, l.LoginName)) + " on " + sanitize.Line(l.Server)
			revoked := false
			if pw != "" {
				if c, err := newAPIClient(client.Config{BaseURL: l.Server, User: l.LoginName, AppPassword: pw, Logger: a.logger}); err == nil {
					ctx, cancel := context.WithTimeout(cmd.Context(), 15*time.Second)
					err = c.RevokeAppPassword(ctx)
					cancel()
					if err == nil || client.KindOf(err) == client.KindUnauthorized {
						revoked = true // a 401: it was revoked already
					} else {
						fmt.Fprintf(a.stderr, "talkmod: warning: could not revoke the app password on the server (%s): "+
							"revoke it under Settings → Security → Devices & sessions\n", sanitize.Line(client.Message(err)))
					}
				}
			}
			if revoked {
				fmt.Fprintf(a.stdout, "Forgot the login of key %s (%s); its app password is revoked.\n", fp, who)
			} else {
				fmt.Fprintf(a.stdout, "Forgot the login of key %s (%s).\n", fp, who)
			}
			return nil
		},
	}
}

func (a *app) serveZoneCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "zone FINGERPRINT ZONE",
		Short: "Set the display time zone of a key's sessions (IANA name, e.g. Europe/Berlin; UTC to reset)",
		Args:  exactArgs(2, "FINGERPRINT and ZONE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			loc, err := timeparse.LoadZone(args[1])
			if err != nil || strings.EqualFold(args[1], "local") {
				return cmdutil.UsageErrorf("%q is not a time zone name (e.g. Europe/Berlin, UTC)", sanitize.Line(args[1]))
			}
			st, fp, err := account.FindKeyLogin(getenv, args[0])
			if err != nil {
				return err
			}
			name := loc.String()
			if name == "UTC" {
				name = ""
			}
			if err := st.SetZone(fp, name); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Sessions of key %s show times in %s (z switches to UTC and back); it applies to new sessions.\n", fp, cmp.Or(name, "UTC"))
			return nil
		},
	}
}
