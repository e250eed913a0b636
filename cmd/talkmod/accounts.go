package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/output"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/timeparse"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// accountsDefaultOptions are the argument of talkmod accounts default.
type accountsDefaultOptions struct{ Name string }

// accountsZoneOptions are the arguments of talkmod accounts zone.
type accountsZoneOptions struct{ Name, Zone string }

func (a *app) accountsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "accounts",
		Short: "List the stored accounts (never their passwords)",
		Long: `List the stored accounts: name, server, login name, user id, display zone,
where the app password is kept (OS keyring or the 0600 credentials file), and
which one is the default. Passwords are never shown.

Accounts live in $XDG_CONFIG_HOME/talkmod/ (config.json; credentials.json when
no OS keyring is available).

` + exit.CodesHelp,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runAccounts()
		},
	}
	a.jsonFlag(cmd)
	cmd.AddCommand(a.accountsDefaultCmd(), a.accountsZoneCmd())
	return cmd
}

func (a *app) accountsDefaultCmd() *cobra.Command {
	opts := &accountsDefaultOptions{}
	return &cobra.Command{
		Use:   "default NAME",
		Short: "Make a stored account the default",
		Args:  exactArgs(1, "an account name (see talkmod accounts)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			return a.runAccountsDefault(opts)
		},
		ValidArgsFunction: a.completeAccounts,
	}
}

// runAccountsDefault makes an account the default.
func (a *app) runAccountsDefault(opts *accountsDefaultOptions) error {
	st, cfg, acct, err := loadAccountArg(opts.Name)
	if err != nil {
		return err
	}
	cfg.SetDefault(acct.Name)
	if err := st.Save(cfg); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s is now the default account.\n", sanitize.Line(acct.Name))
	return nil
}

func (a *app) accountsZoneCmd() *cobra.Command {
	opts := &accountsZoneOptions{}
	return &cobra.Command{
		Use:   "zone NAME ZONE",
		Short: `Set an account's display time zone (an IANA name, UTC, or "local")`,
		Args:  exactArgs(2, "an account name and a time zone"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name, opts.Zone = args[0], args[1]
			return a.runAccountsZone(opts)
		},
		ValidArgsFunction: a.completeAccounts,
	}
}

// runAccountsZone sets an account's display zone.
func (a *app) runAccountsZone(opts *accountsZoneOptions) error {
	st, cfg, acct, err := loadAccountArg(opts.Name)
	if err != nil {
		return err
	}
	zone := opts.Zone
	if _, err := timeparse.LoadZone(zone); err != nil {
		return cmdutil.UsageErrorf("unknown time zone %q (use an IANA name such as Europe/Berlin, or UTC, or local)", zone)
	}
	if strings.EqualFold(zone, "local") {
		zone = ""
	}
	for i := range cfg.Accounts {
		if cfg.Accounts[i].Name == acct.Name {
			cfg.Accounts[i].Zone = zone
		}
	}
	if err := st.Save(cfg); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Display zone of %s: %s\n", sanitize.Line(acct.Name), sanitize.Line(cmp.Or(zone, "local")))
	return nil
}

// runAccounts lists the stored accounts.
func (a *app) runAccounts() error {
	st, cfg, err := account.Load(getenv)
	if err != nil {
		return err
	}
	if a.jsonOut {
		out := cfg.Accounts
		if out == nil {
			out = []account.Account{}
		}
		return output.JSON(a.stdout, out)
	}
	if len(cfg.Accounts) == 0 {
		fmt.Fprintln(a.stdout, "No stored accounts: run talkmod login SERVER_URL")
		return nil
	}
	var rows [][]string
	for _, acct := range cfg.Accounts {
		def := ""
		if acct.Default {
			def = "*"
		}
		zone := acct.Zone
		if zone == "" {
			zone = "local"
		}
		rows = append(rows, []string{def, acct.Name, acct.Server, acct.LoginName, acct.UserID, zone, acct.Secret})
	}
	output.Table(a.stdout, []string{"DEFAULT", "NAME", "SERVER", "LOGIN", "USER ID", "ZONE", "PASSWORD IN"}, rows)
	fmt.Fprintf(a.stdout, "\nStored in %s\n", st.Dir())
	return nil
}

// findAccountArg finds the account an argument names. An unknown name is
// a usage error (exit 2): the user mistyped, nothing is wrong with the
// login.
func findAccountArg(cfg *account.Config, name string) (account.Account, error) {
	acct, err := cfg.Find(name)
	if exit.FindNotLoggedIn(err) != nil {
		var names []string
		for _, a := range cfg.Accounts {
			names = append(names, a.Name)
		}
		if len(names) == 0 {
			return account.Account{}, cmdutil.UsageErrorf("no stored account %q: there are none (talkmod login SERVER_URL stores one)", name)
		}
		return account.Account{}, cmdutil.UsageErrorf("no stored account %q (stored: %s)", name, strings.Join(names, ", "))
	}
	return acct, err
}

// loadAccountArg loads the store and finds the account an argument names.
func loadAccountArg(name string) (*account.Store, *account.Config, account.Account, error) {
	st, cfg, err := account.Load(getenv)
	if err != nil {
		return nil, nil, account.Account{}, err
	}
	acct, err := findAccountArg(cfg, name)
	return st, cfg, acct, err
}

// revokeTimeout bounds the revocation at logout: an unreachable server must
// not keep the user waiting long.
var revokeTimeout = 15 * time.Second

// logoutOptions say which account talkmod logout works on.
type logoutOptions struct {
	// Account is the stored account (--account); "" = the default one.
	Account string
}

func (a *app) logoutCmd() *cobra.Command {
	opts := &logoutOptions{}
	cmd := &cobra.Command{
		Use:   "logout [--account NAME]",
		Short: "Revoke the app password on the server and forget the account",
		Long: `Revoke the account's app password on the server (DELETE
/ocs/v2.php/core/apppassword), then forget it locally. If the server can't be
reached, the account is forgotten anyway and talkmod says where to revoke the
app password by hand (exit 9).

Without --account, the default account is logged out.

` + exit.CodesHelp,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if a.server != "" || a.user != "" {
				return cmdutil.UsageErrorf("logout works on stored accounts: use --account NAME (see talkmod accounts)")
			}
			opts.Account = a.account
			return a.runLogout(cmd.Context(), opts)
		},
	}
	return cmd
}

// runLogout revokes the app password and forgets the account.
func (a *app) runLogout(ctx context.Context, opts *logoutOptions) error {
	st, cfg, err := account.Load(getenv)
	if err != nil {
		return err
	}
	var acct account.Account
	if opts.Account != "" {
		acct, err = cfg.Find(opts.Account)
		if err != nil {
			return err
		}
	} else {
		var ok bool
		acct, ok = cfg.Default()
		if !ok {
			if len(cfg.Accounts) == 0 {
				return &exit.NotLoggedInError{Msg: "no stored account: nothing to log out"}
			}
			return cmdutil.UsageErrorf("several accounts are stored and none is the default: pick one with --account (see talkmod accounts)")
		}
	}
	pw, perr := st.Password(acct)
	var revokeErr error
	if perr != nil {
		var pe *account.PermissionError
		if errors.As(perr, &pe) {
			return perr
		}
		revokeErr = perr
	} else {
		c, err := newAPIClient(client.Config{BaseURL: acct.Server, User: acct.LoginName, AppPassword: pw, Logger: a.logger})
		if err != nil {
			revokeErr = err
		} else {
			ctx, cancel := context.WithTimeout(ctx, revokeTimeout)
			revokeErr = c.RevokeAppPassword(ctx)
			cancel()
		}
	}
	// Forget it locally in every case (the documented advice).
	if err := st.DeletePassword(acct); err != nil {
		return fmt.Errorf("could not remove the app password of %s from local storage: %w", acct.Name, err)
	}
	cfg.Remove(acct.Name)
	if err := st.Save(cfg); err != nil {
		return err
	}
	name := sanitize.Line(acct.Name)
	where := sanitize.Line(strings.TrimRight(acct.Server, "/") + "/index.php/settings/user/security")
	switch k := client.KindOf(revokeErr); {
	case revokeErr == nil:
		fmt.Fprintf(a.stdout, "Logged out: the app password of %s was revoked on the server and forgotten here.\n", name)
		return nil
	case k == client.KindUnauthorized:
		fmt.Fprintf(a.stdout, "Logged out: %s forgotten here (the server no longer accepted its app password: it was already revoked).\n", name)
		return nil
	default:
		fmt.Fprintf(a.stdout, "Forgot %s here.\n", name)
		return &exit.Error{Code: exit.Code(revokeErr), Err: fmt.Errorf(
			"could not revoke the app password on the server (%s): it is STILL VALID there. "+
				"Revoke it under Settings → Security → Devices & sessions: %s",
			exit.Message(revokeErr), where)}
	}
}
