package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/loginflow"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/timeparse"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// Login Flow v2 timing; tests shorten them.
var (
	loginPollInterval = 2 * time.Second
	loginTimeLimit    = 20 * time.Minute
)

// loginOptions are the argument and flags of talkmod login.
type loginOptions struct {
	// Server is SERVER_URL ("" when not given).
	Server string
	// PasswordStdin reads an app password from stdin instead of the flow.
	PasswordStdin bool
	// Default makes the account the default; NoQR prints no QR code.
	Default, NoQR bool
	// Zone is the display zone to store with the account.
	Zone string
}

func (a *app) loginCmd() *cobra.Command {
	opts := &loginOptions{}
	cmd := &cobra.Command{
		Use:   "login [SERVER_URL]",
		Short: "Sign in to a Nextcloud server (Login Flow v2, or an app password from stdin)",
		Long: `Sign in with Nextcloud's Login Flow v2: talkmod prints a login URL and a QR
code of it; open it in any browser (on this machine or your phone: it works
over SSH) and grant access. talkmod polls the server every 2 s until you do
(ctrl+c cancels; the flow ends after 20 minutes), checks the new app password
by reading your user and the server's capabilities, and stores the account.

With --app-password-stdin, use an app password made by hand in Nextcloud
(Settings → Security → Devices & sessions), read from stdin:
  talkmod login --server https://cloud.example.com --user alice --app-password-stdin < pw.txt
A password is never a flag value: command lines leak into shell history and ps.

The app password goes to the OS keyring where one is available, else to
$XDG_CONFIG_HOME/talkmod/credentials.json (mode 0600). The first account is the
default; --default makes this one the default.

` + exit.CodesHelp,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return cmdutil.UsageErrorf("login takes at most one SERVER_URL")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Server = args[0]
			}
			return a.runLogin(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.PasswordStdin, "app-password-stdin", false, "read an app password from stdin instead of the browser flow (needs --server and --user)")
	f.BoolVar(&opts.Default, "default", false, "make this account the default")
	f.BoolVar(&opts.NoQR, "no-qr", false, "do not print the QR code")
	f.StringVar(&opts.Zone, "zone", "", "display time zone to store for this account (IANA name)")
	return cmd
}

// runLogin signs in and stores the account.
func (a *app) runLogin(ctx context.Context, opts *loginOptions) error {
	server := a.server
	if opts.Server != "" {
		if server != "" && !account.SameServer(server, opts.Server) {
			return cmdutil.UsageErrorf("give the server once: as SERVER_URL or with --server")
		}
		server = opts.Server
	}
	typed := cmp.Or(server, getenv("TALKMOD_SERVER"))
	server = account.NormalizeServer(typed)
	if plain := strings.TrimSuffix(strings.TrimRight(strings.TrimSpace(typed), "/"), "/index.php"); server != "" && !strings.HasSuffix(plain, strings.TrimPrefix(server, "https://")) {
		// a link pasted from the browser
		fmt.Fprintf(a.stderr, "talkmod: note: using the server %s (from the link)\n", sanitize.Line(server))
	}
	if server == "" {
		// Logging in again: the default account's server.
		if _, cfg, err := account.Load(getenv); err == nil {
			if acct, ok := cfg.Default(); ok {
				server = acct.Server
			}
		}
	}
	if server == "" {
		return cmdutil.UsageErrorf("which server? talkmod login https://cloud.example.com")
	}
	if opts.Zone != "" {
		if _, err := timeparse.LoadZone(opts.Zone); err != nil {
			return cmdutil.UsageErrorf("--zone %q: unknown time zone", opts.Zone)
		}
	}
	var res *client.LoginResult
	if opts.PasswordStdin {
		user := cmp.Or(a.user, getenv("TALKMOD_USER"))
		if user == "" {
			return cmdutil.UsageErrorf("--app-password-stdin needs --user NAME (the login name)")
		}
		pw, err := a.readPassword()
		if err != nil {
			return err
		}
		res = &client.LoginResult{Server: server, LoginName: user, AppPassword: pw}
	} else {
		if a.user != "" {
			fmt.Fprintln(a.stderr, "talkmod: note: --user is ignored by the browser login; you pick the user in the browser")
		}
		var err error
		res, err = a.loginFlow(ctx, server, opts.NoQR)
		if err != nil {
			return err
		}
	}
	return a.finishLogin(ctx, res, opts.Zone, opts.Default, !opts.PasswordStdin)
}

// readPassword reads an app password from stdin: one line (a terminal
// does not echo it).
func (a *app) readPassword() (string, error) {
	var pw string
	if f, ok := a.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(a.stderr, "App password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.stderr)
		if err != nil {
			return "", err
		}
		pw = string(b)
	} else {
		line, err := bufio.NewReader(io.LimitReader(a.stdin, 4096)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		pw = line
	}
	pw = strings.TrimSpace(pw)
	if pw == "" {
		return "", cmdutil.UsageErrorf("no app password on stdin")
	}
	return pw, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// loginFlow runs Login Flow v2 until the user grants access.
func (a *app) loginFlow(ctx context.Context, server string, noQR bool) (*client.LoginResult, error) {
	flow, err := client.StartLogin(ctx, server, client.LoginUserAgent(loginUserAgent()))
	if err != nil {
		return nil, fitServerError(err)
	}
	a.logger.Debug("login flow started", "server", server)
	return loginflow.Wait(ctx, flow, loginflow.Options{
		Stdout: a.stdout, Stderr: a.stderr, NoQR: noQR, Spin: isTerminal(a.stderr),
		TimeLimit: loginTimeLimit, PollInterval: loginPollInterval, Logger: a.logger,
	})
}

func loginUserAgent() string {
	host, _ := os.Hostname()
	if host == "" {
		return client.DefaultUserAgent()
	}
	return "talkmod/" + client.Version + " (" + host + ")"
}

// finishLogin checks the new app password and stores the account.
func (a *app) finishLogin(ctx context.Context, res *client.LoginResult, zone string, makeDefault, fromFlow bool) error {
	c, err := newAPIClient(client.Config{BaseURL: res.Server, User: res.LoginName, AppPassword: res.AppPassword, Logger: a.logger})
	if err != nil {
		return err
	}
	u, err := c.CurrentUser(ctx)
	if err != nil {
		// A refused password here is this login's own answer: the client's
		// words ("run talkmod login") would send the user in a circle.
		unauthorized := client.KindOf(err) == client.KindUnauthorized
		switch {
		case fromFlow && unauthorized:
			return &exit.Error{Code: exit.Unauthorized, Err: &exit.WordedError{Msg: "the server granted access, but then refused " +
				"the new app password (401): try again; if it happens again, ask the administrator", Err: err}}
		case fromFlow:
			return &exit.ContextError{Msg: "the server granted access, but the new app password could not be checked", Err: err}
		case unauthorized:
			return &exit.Error{Code: exit.Unauthorized, Err: &exit.WordedError{Msg: fmt.Sprintf("the server refused login name %q with this app password "+
				"(401): check both; an app password is made under Settings → Security → Devices & sessions", res.LoginName), Err: err}}
		}
		return &exit.ContextError{Msg: "could not check the login", Err: err}
	}
	caps, err := c.Capabilities(ctx)
	if err != nil {
		return &exit.ContextError{Msg: "could not check the login (capabilities)", Err: err}
	}
	st, cfg, err := account.Load(getenv)
	if err != nil {
		return err
	}
	name := account.Name(c.BaseURL(), res.LoginName)
	// The app password this login replaces would outlive it on the server.
	var oldPW string
	for _, old := range cfg.Accounts {
		if old.Name == name {
			if pw, err := st.Password(old); err == nil && pw != res.AppPassword {
				oldPW = pw
			}
		}
	}
	where, err := st.SetPassword(name, res.AppPassword)
	if err != nil {
		return err
	}
	acct := cfg.Put(account.Account{
		Name:        name,
		Server:      c.BaseURL(),
		LoginName:   res.LoginName,
		UserID:      u.ID,
		DisplayName: u.DisplayName,
		Zone:        zone,
		Secret:      where,
		AddedAt:     time.Now().UTC().Truncate(time.Second),
	}, makeDefault)
	if err := st.Save(cfg); err != nil {
		return err
	}
	if oldPW != "" {
		if oc, err := newAPIClient(client.Config{BaseURL: res.Server, User: res.LoginName, AppPassword: oldPW, Logger: a.logger}); err == nil {
			rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			if err := oc.RevokeAppPassword(rctx); err == nil {
				a.logger.Debug("revoked the replaced app password", "account", name)
			}
			cancel()
		}
	}
	display := u.ID
	if u.DisplayName != "" && u.DisplayName != u.ID {
		display = u.DisplayName + " (" + u.ID + ")"
	}
	fmt.Fprintf(a.stdout, "Logged in to %s as %s.\n", sanitize.Line(c.BaseURL()), sanitize.Line(display))
	storedIn := "the OS keyring"
	if where == account.SecretFile {
		storedIn = st.CredentialsPath() + " (mode 0600)"
	}
	def := ""
	if acct.Default {
		def = ", the default"
	}
	fmt.Fprintf(a.stdout, "Account %s%s; app password stored in %s.\n", sanitize.Line(name), def, storedIn)
	warnCaps(a.stderr, caps)
	return nil
}

// warnCaps says when the server lacks what talkmod needs.
func warnCaps(w io.Writer, caps models.Capabilities) {
	switch {
	case caps.Known && !caps.HasTalk:
		fmt.Fprintln(w, "talkmod: warning: Talk is not installed on this server, or your account may not use it")
	case caps.Known && !caps.Has(models.FeatureLobby):
		fmt.Fprintln(w, "talkmod: warning: this Talk server has no webinar lobby support")
	}
}
