// Package demo starts talkmod's built-in demo servers (client/talktest)
// for talkmod demo-server.
package demo

import (
	"fmt"
	"io"
	"net"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
)

// Start starts the seeded demo server with cfg on listen, a loopback
// address ("" or 127.0.0.1:0: a free port): the demo's app password is
// printed, so it must not be reachable from other hosts.
func Start(listen string, cfg talktest.DemoConfig) (*talktest.Server, talktest.DemoAccount, error) {
	if listen == "" || listen == "127.0.0.1:0" {
		return talktest.StartDemoWith(cfg)
	}
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return nil, talktest.DemoAccount{}, cmdutil.UsageErrorf("--listen %s: want HOST:PORT, e.g. 127.0.0.1:8080", listen)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, talktest.DemoAccount{}, cmdutil.UsageErrorf("--listen %s: the demo server listens on loopback only (127.0.0.1 or [::1])", listen)
	}
	l, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, talktest.DemoAccount{}, fmt.Errorf("cannot listen on %s: %w", listen, err)
	}
	cfg.Options = append(cfg.Options, talktest.WithListener(l))
	return talktest.StartDemoWith(cfg)
}

// StartBranch starts the second built-in demo server and prints to w how
// to log in to it; stop closes it.
func StartBranch(w io.Writer) (stop func(), err error) {
	srv, acct, err := talktest.StartBranchDemo(talktest.DemoConfig{})
	if err != nil {
		return nil, fmt.Errorf("cannot start the second demo server: %w", err)
	}
	fmt.Fprintf(w, "Second demo server (another cloud: no SIP bridge, its clock %s behind)\n\nURL:          %s\nUser:         %s\nApp password: %s\n\n",
		-talktest.DemoBranchSkew, acct.URL, acct.User, acct.AppPassword)
	fmt.Fprintf(w, "Try:\n  TALKMOD_SERVER=%s TALKMOD_USER=%s TALKMOD_APP_PASSWORD=%s talkmod doctor\n\n",
		acct.URL, acct.User, acct.AppPassword)
	fmt.Fprintf(w, "Both servers in one list: store each as an account (paste its app password when asked),\n"+
		"  talkmod login --server URL --user %s --app-password-stdin\nthen: talkmod rooms --all-accounts\n\n", acct.User)
	return srv.Close, nil
}
