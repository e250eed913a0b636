package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/output"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/timeparse"
)

// getenv is os.Getenv; tests set the environment with t.Setenv.
var getenv = os.Getenv

// app holds what every command shares: the streams, the global flags, the
// logger.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer

	// Global flags.
	server  string
	user    string
	account string
	tz      string
	logFile string
	demo    bool
	// the console on every stored account; the demo's servers
	allAccounts bool
	demoServers int
	// downloadDir is where the console writes attendance lists (floor.go).
	downloadDir string

	// jsonOut is set by the --json flag of the command that runs.
	jsonOut bool
	// started is set once flags and arguments were accepted: errors
	// before it are usage errors.
	started bool

	args     []string
	logger   *slog.Logger
	logClose func() error
	now      func() time.Time
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{args: args, stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now,
		logger: slog.New(slog.DiscardHandler)}
	defer func() {
		if a.logClose != nil {
			a.logClose()
		}
	}()
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	strictCompletion(root) // after SetOut: the scripts go to stdout
	addReleaseFilesCmd(root)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exit.OK
	}
	if !a.started {
		var ue *cmdutil.UsageError
		if !errors.As(err, &ue) {
			err = &cmdutil.UsageError{Err: err}
		}
	}
	return a.report(cmd, err)
}

// report prints an error (stderr; with --json also as JSON on stdout) and
// returns the exit code.
func (a *app) report(cmd *cobra.Command, err error) int {
	code := exit.Code(err)
	a.logger.Debug("command failed", "exit", code, "err", err.Error())
	fmt.Fprintf(a.stderr, "talkmod: %s\n", exit.Message(err))
	if code == exit.Usage && cmd != nil && !a.started {
		fmt.Fprintf(a.stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	if (a.jsonOut || wantsJSON(a.args)) && !exit.PrintedOutcome(err) {
		output.JSON(a.stdout, exit.JSON(err))
	}
	return code
}

const rootLong = `talkmod is a terminal moderator console for Nextcloud Talk webinars.

With no command it opens the console on your account: every webinar you
moderate, its lobby, lobby timer and SIP dial-in, and every server answer
beside the conversation it concerns. The other commands do the same from the
shell, for scripts and runbooks.

Start here:
  talkmod --demo                  the console on a built-in demo server
  talkmod login https://cloud.example.com
  talkmod                         the console on your stored account
  talkmod --all-accounts          the console on every stored account (the support desk)
  talkmod rooms                   the webinars you moderate
  talkmod lobby TOKEN on --in 30m lobby on, opening in 30 minutes

Which account: --account NAME, or --server/--user, then the environment
(TALKMOD_SERVER, TALKMOD_USER, TALKMOD_APP_PASSWORD), then the default stored
account (talkmod accounts). An app password is never a flag value, and
TALKMOD_APP_PASSWORD is never sent to another server or user than
TALKMOD_SERVER and TALKMOD_USER name (when they are set).

Environment:
  TALKMOD_SERVER, TALKMOD_USER, TALKMOD_APP_PASSWORD   the account (for CI and scripts)
  TALKMOD_LOG        debug log file (like --log-file)
  TALKMOD_KEYRING    "off" keeps app passwords in a 0600 file instead of the OS keyring
  TZ                 the display time zone when --tz is not given

` + exit.CodesHelp

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "talkmod",
		Short:         "Moderator console for Nextcloud Talk webinars",
		Long:          rootLong,
		Version:       versionLine(),
		SilenceErrors: true,
		SilenceUsage:  true,
		// Arguments other than commands are refused by cobra ("unknown
		// command").
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			// cobra checks the flag groups (MarkFlagsMutuallyExclusive)
			// after this hook: check them here, a usage error (exit 2)
			if err := cmd.ValidateFlagGroups(); err != nil {
				return flagGroupError(err)
			}
			a.started = true
			return a.setupLogging()
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case a.demoServers < 1 || a.demoServers > 2:
				return cmdutil.UsageErrorf("--demo-servers %d: give 1 or 2", a.demoServers)
			case a.demoServers > 1 && !a.demo:
				return cmdutil.UsageErrorf("--demo-servers goes with --demo")
			case a.demo && a.allAccounts:
				return cmdutil.UsageErrorf("--demo uses its own servers: leave out --all-accounts (--demo-servers 2 shows two)")
			case a.demo && a.demoServers > 1:
				if a.server != "" || a.user != "" || a.account != "" {
					return cmdutil.UsageErrorf("--demo uses its own server: leave out --server, --user and --account")
				}
				return a.runDemoConsoles(cmd.Context(), a.demoServers)
			case a.demo:
				return a.runDemoConsole(cmd.Context())
			case a.allAccounts:
				return a.runConsoleAllAccounts(cmd.Context())
			}
			return a.runConsole(cmd.Context())
		},
	}
	root.SetVersionTemplate("talkmod {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &cmdutil.UsageError{Err: err} })
	pf := root.PersistentFlags()
	pf.StringVar(&a.server, "server", "", "Nextcloud server URL (else TALKMOD_SERVER, else the stored account)")
	pf.StringVar(&a.user, "user", "", "login name (else TALKMOD_USER, else the stored account)")
	pf.StringVar(&a.account, "account", "", "stored account to use (see talkmod accounts)")
	pf.StringVar(&a.tz, "tz", "", `display time zone, e.g. Europe/Berlin, UTC, +02:00 or "local" (else TZ, else the account's, else local)`)
	pf.StringVar(&a.logFile, "log-file", "", "write debug logs to this file (else TALKMOD_LOG); secrets are redacted")
	root.Flags().BoolVar(&a.demo, "demo", false, "open the console on a built-in demo server (nothing to install, nothing sent anywhere)")
	root.Flags().IntVar(&a.demoServers, "demo-servers", 1, "with --demo: 2 also starts the second built-in demo server (another cloud), both in one list")
	root.Flags().BoolVar(&a.allAccounts, "all-accounts", false, "open the console on every stored account: one list with a SERVER column, each room changed on its own server")
	root.Flags().StringVar(&a.downloadDir, "download-dir", ".", "folder where the console's d writes attendance lists (the server's file name)")
	root.RegisterFlagCompletionFunc("account", a.completeAccounts)
	root.RegisterFlagCompletionFunc("tz", completeZones)

	root.AddCommand(
		a.demoServerCmd(),
		a.loginCmd(),
		a.logoutCmd(),
		a.accountsCmd(),
		a.roomsCmd(),
		a.roomCmd(),
		a.lobbyCmd(),
		a.sipCmd(),
		a.peopleCmd(),
		a.admitCmd(),
		a.holdCmd(),
		a.removeCmd(),
		a.chatCmd(),
		a.sayCmd(),
		a.deleteMessageCmd(),
		a.readOnlyCmd(),
		a.permissionsCmd(), a.floorCmd(), a.promoteCmd(), a.demoteCmd(), a.endCallCmd(), a.attendanceCmd(),
		a.serveCmd(),
		a.doctorCmd(),
	)
	return root
}

// exclusiveRE reads cobra's message for flags of a mutually exclusive group.
var exclusiveRE = regexp.MustCompile(`^if any flags in the group \[([^\]]*)\] are set none of the others can be; \[([^\]]*)\] were all set$`)

// flagGroupError words cobra's flag group error as a usage error: "use
// only one of --at, --in and --no-timer (given: --at and --in)".
func flagGroupError(err error) error {
	m := exclusiveRE.FindStringSubmatch(err.Error())
	if m == nil {
		return &cmdutil.UsageError{Err: err}
	}
	flags := func(list string) string {
		f := strings.Fields(list)
		for i := range f {
			f[i] = "--" + f[i]
		}
		if len(f) < 2 {
			return strings.Join(f, "")
		}
		return strings.Join(f[:len(f)-1], ", ") + " and " + f[len(f)-1]
	}
	return cmdutil.UsageErrorf("use only one of %s (given: %s)", flags(m[1]), flags(m[2]))
}

// completionShells are the shells cobra's completion command knows.
const completionShells = "bash, zsh, fish or powershell"

// strictCompletion makes "talkmod completion SHELL" refuse a shell it has
// no script for (exit 2, naming the shells) instead of printing its help
// and succeeding.
func strictCompletion(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		c.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return cmdutil.UsageErrorf("no completion for shell %q: talkmod completes %s (talkmod completion SHELL)", args[0], completionShells)
			}
			return nil
		}
		c.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
	}
}

// resolvedAccount is the account a command or the console uses, found
// from the flags, the environment or the store: server, login, password
// and display zone.
type resolvedAccount struct {
	server   string
	user     string
	password string
	// acct is the stored account it came from, if any.
	acct    *account.Account
	zone    *time.Location
	cfgZone string
}

// resolve finds the account: flags, then the environment, then the stored
// default account.
func (a *app) resolve() (*resolvedAccount, error) {
	st, cfg, err := account.Load(getenv)
	if err != nil {
		return nil, err
	}
	s := &resolvedAccount{cfgZone: cfg.Zone}
	if a.account != "" {
		if a.server != "" || a.user != "" {
			return nil, cmdutil.UsageErrorf("--account cannot be combined with --server or --user")
		}
		acct, err := cfg.Find(a.account)
		if err != nil {
			return nil, err
		}
		return a.fromStored(st, s, acct)
	}
	envServer, envUser := getenv("TALKMOD_SERVER"), getenv("TALKMOD_USER")
	server := cmp.Or(a.server, envServer)
	user := cmp.Or(a.user, envUser)
	password := getenv("TALKMOD_APP_PASSWORD")
	// TALKMOD_APP_PASSWORD belongs to TALKMOD_SERVER and TALKMOD_USER: when
	// a flag names another server or user, it is not sent there (it would
	// leak to that server, or count as a failed login).
	envPasswordDropped := false
	if password != "" && ((a.server != "" && envServer != "" && !account.SameServer(a.server, envServer)) ||
		(a.user != "" && envUser != "" && a.user != envUser)) {
		password = ""
		envPasswordDropped = true
		a.logger.Debug("TALKMOD_APP_PASSWORD not used: --server or --user names another account than TALKMOD_SERVER/TALKMOD_USER")
	}
	if server != "" {
		server = account.NormalizeServer(server)
	}
	var match *account.Account
	if server == "" && user == "" {
		if acct, ok := cfg.Default(); ok {
			match = &acct
		}
	} else {
		var hits []account.Account
		for _, acct := range cfg.Accounts {
			if (server == "" || account.SameServer(acct.Server, server)) &&
				(user == "" || acct.LoginName == user || acct.UserID == user) {
				hits = append(hits, acct)
			}
		}
		for _, h := range hits {
			if h.Default {
				match = &h
				break
			}
		}
		if match == nil && len(hits) == 1 {
			match = &hits[0]
		}
	}
	if match != nil && password == "" {
		return a.fromStored(st, s, *match)
	}
	if match != nil {
		server = cmp.Or(server, match.Server)
		user = cmp.Or(user, match.LoginName)
		s.acct = match
	}
	switch {
	case server == "" && user == "" && password == "":
		if len(cfg.Accounts) > 1 {
			return nil, exit.NotLoggedIn("several accounts are stored and none is the default: pick one with --account (see talkmod accounts), or")
		}
		return nil, exit.NotLoggedIn("")
	case server == "":
		return nil, exit.NotLoggedIn("no server given (--server or TALKMOD_SERVER)")
	case user == "":
		return nil, exit.NotLoggedIn("no login name given (--user or TALKMOD_USER)")
	case password == "" && envPasswordDropped:
		return nil, exit.NotLoggedIn(fmt.Sprintf("no stored app password for %s on %s (TALKMOD_APP_PASSWORD is for %s on %s, so it is not sent)",
			user, server, cmp.Or(envUser, user), cmp.Or(envServer, server)))
	case password == "":
		return nil, exit.NotLoggedIn(fmt.Sprintf("no stored app password for %s on %s (TALKMOD_APP_PASSWORD is not set)", user, server))
	}
	s.server, s.user, s.password = server, user, password
	return s, nil
}

func (a *app) fromStored(st *account.Store, s *resolvedAccount, acct account.Account) (*resolvedAccount, error) {
	pw, err := st.Password(acct)
	if err != nil {
		return nil, err
	}
	s.server, s.user, s.password, s.acct = acct.Server, acct.LoginName, pw, &acct
	return s, nil
}

// zoneFor picks the display zone: --tz, else TZ, else the account's or the
// config's, else local.
func (a *app) zoneFor(s *resolvedAccount) (*time.Location, error) {
	acctZone := ""
	if s != nil {
		acctZone = s.cfgZone
		if s.acct != nil && s.acct.Zone != "" {
			acctZone = s.acct.Zone
		}
	}
	return timeparse.ResolveZone(a.tz, getenv("TZ"), acctZone)
}

// newClient resolves the account and builds a client for it.
func (a *app) newClient() (*client.Client, *resolvedAccount, error) {
	s, err := a.resolve()
	if err != nil {
		return nil, nil, err
	}
	zone, err := a.zoneFor(s)
	if err != nil {
		return nil, nil, err
	}
	s.zone = zone
	c, err := newAPIClient(client.Config{
		BaseURL:     s.server,
		User:        s.user,
		AppPassword: s.password,
		Logger:      a.logger,
	})
	if err != nil {
		return nil, nil, err
	}
	a.logger.Debug("account", "server", s.server, "user", s.user, "zone", zone.String())
	return c, s, nil
}

// newAPIClient is client.New, with the words of a refused server URL fitted
// to this binary (it has no switch to allow plain http:// to another host).
func newAPIClient(cfg client.Config) (*client.Client, error) {
	c, err := client.New(cfg)
	if err != nil {
		return nil, fitServerError(err)
	}
	return c, nil
}

// fitServerError words a refused server URL for this binary: it has no
// switch to allow plain http:// to another host, so it names none.
func fitServerError(err error) error {
	var ve *client.ValidationError
	if errors.As(err, &ve) && ve.Field == "server" {
		return cmdutil.UsageErrorf("%s", strings.Replace(ve.Problem,
			"(use https://, or allow insecure HTTP explicitly)",
			"(use https://; talkmod allows plain http:// only to this machine: localhost, 127.0.0.1, ::1)", 1))
	}
	return err
}

func (a *app) completeAccounts(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	_, cfg, err := account.Load(getenv)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, acct := range cfg.Accounts {
		out = append(out, acct.Name)
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// wantsJSON finds --json on a command line whose flags could not be parsed.
func wantsJSON(args []string) bool {
	for _, arg := range args {
		if arg == "--" {
			return false
		}
		if arg == "--json" || arg == "--json=true" {
			return true
		}
	}
	return false
}

// completeZones offers time zone names for --tz (and never file names):
// local, UTC and the IANA names of the system's zoneinfo (ZONEINFO, else
// /usr/share/zoneinfo), else a few common ones.
func completeZones(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return timeparse.Zones(cmp.Or(getenv("ZONEINFO"), "/usr/share/zoneinfo"), toComplete), cobra.ShellCompDirectiveNoFileComp
}
