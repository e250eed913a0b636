package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/demo"
	"github.com/talkmod/talkmod/tui"
)

// runDemoConsole starts the demo server in this process and opens the
// console on it.
func (a *app) runDemoConsole(ctx context.Context) error {
	if a.server != "" || a.user != "" || a.account != "" {
		return cmdutil.UsageErrorf("--demo uses its own server: leave out --server, --user and --account")
	}
	srv, acct, err := talktest.StartDemo()
	if err != nil {
		return fmt.Errorf("cannot start the demo server: %w", err)
	}
	defer srv.Close()
	c, err := client.New(client.Config{BaseURL: acct.URL, User: acct.User, AppPassword: acct.AppPassword, Logger: a.logger})
	if err != nil {
		return err
	}
	local, _, err := a.consoleZones(nil)
	if err != nil {
		return err
	}
	return consoleResult(ctx, tui.Run(ctx, tui.Options{
		Backend: c,
		Server:  acct.URL,
		User:    acct.User,
		Local:   local,

		DownloadDir: a.consoleDownloadDir(),
	}))
}

func (a *app) demoServerCmd() *cobra.Command {
	var listen string
	var rooms int
	var faults string
	var servers int
	cmd := &cobra.Command{
		Use:   "demo-server [--listen 127.0.0.1:0] [--rooms N] [--faults SPEC] [--servers 2]",
		Short: "Run the demo Talk server alone (for tests, curl and other clients)",
		Long: `Run the seeded in-memory Talk server that talkmod --demo uses, alone, and print
its URL, user and app password (a demo secret, for this server only). It
serves until ctrl+c or SIGTERM.

--faults makes it misbehave, seeded and reproducible, for trying talkmod on a
hostile network: comma-separated key=value pairs, e.g.
  --faults seed=7,rate=0.3,latency=80ms,jitter=60ms,kinds=all
Keys: seed, rate (the share of requests that get a fault, 0 to 1), latency,
jitter, kinds (+-separated: reset, reset-body, truncated, 502, 504,
maintenance, 429, 429-retry-after, drip, huge, wrong-types, vanish,
evil-rename; or all), drip (pause between bytes of a slow drip, default
100ms), dripmax.

--servers 2 also starts the second built-in demo server (another customer's
cloud, on a free loopback port, without faults): the same moderator, no SIP
bridge, a clock 95 s behind, and a room named like one of the first server's.
For the support desk: talkmod rooms --all-accounts, talkmod doctor.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if rooms < 0 || rooms > 100_000 {
				return cmdutil.UsageErrorf("--rooms %d: give 0 to 100000", rooms)
			}
			plan, err := talktest.ParseFaults(faults)
			if err != nil {
				return cmdutil.UsageErrorf("--faults: %v", err)
			}
			cfg := talktest.DemoConfig{Rooms: rooms}
			if plan != nil {
				cfg.Options = append(cfg.Options, talktest.WithFaults(*plan))
			}
			if servers < 1 || servers > 2 {
				return cmdutil.UsageErrorf("--servers %d: give 1 or 2", servers)
			}
			srv, acct, err := demo.Start(listen, cfg)
			if err != nil {
				return fmt.Errorf("cannot start the demo server: %w", err)
			}
			defer srv.Close()
			fmt.Fprintf(a.stdout, "talkmod demo server\n\nURL:          %s\nUser:         %s\nApp password: %s\n\n", acct.URL, acct.User, acct.AppPassword)
			fmt.Fprintf(a.stdout, "Try:\n  TALKMOD_SERVER=%s TALKMOD_USER=%s TALKMOD_APP_PASSWORD=%s talkmod\n\n",
				acct.URL, acct.User, acct.AppPassword)
			if servers == 2 {
				stop, err := demo.StartBranch(a.stdout)
				if err != nil {
					return err
				}
				defer stop()
			}
			fmt.Fprintln(a.stdout, "Serving until ctrl+c.")
			<-cmd.Context().Done()
			fmt.Fprintln(a.stderr, "demo server stopped")
			return nil
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:0", "address to listen on (loopback only; port 0 picks a free one)")
	cmd.Flags().IntVar(&rooms, "rooms", 0, "fill the list up to N rooms in all with generated webinars (for benchmarks)")
	cmd.Flags().StringVar(&faults, "faults", "", "inject seeded faults (e.g. seed=7,rate=0.3,latency=80ms,kinds=all; see above)")
	cmd.Flags().IntVar(&servers, "servers", 1, "1, or 2 to also start the second built-in demo server (another cloud)")
	return cmd
}
