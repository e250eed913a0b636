package main

import (
	"fmt"

	"github.com/talkmod/talkmod/client/talktest"
)

// startBranchDemo starts the second built-in demo server and prints how to
// log in to it; stop closes it.
func (a *app) startBranchDemo() (stop func(), err error) {
	srv, acct, err := talktest.StartBranchDemo(talktest.DemoConfig{})
	if err != nil {
		return nil, fmt.Errorf("cannot start the second demo server: %w", err)
	}
	fmt.Fprintf(a.stdout, "Second demo server (another cloud: no SIP bridge, its clock %s behind)\n\nURL:          %s\nUser:         %s\nApp password: %s\n\n",
		-talktest.DemoBranchSkew, acct.URL, acct.User, acct.AppPassword)
	fmt.Fprintf(a.stdout, "Try:\n  TALKMOD_SERVER=%s TALKMOD_USER=%s TALKMOD_APP_PASSWORD=%s talkmod doctor\n\n",
		acct.URL, acct.User, acct.AppPassword)
	fmt.Fprintf(a.stdout, "Both servers in one list: store each as an account (paste its app password when asked),\n"+
		"  talkmod login --server URL --user %s --app-password-stdin\nthen: talkmod rooms --all-accounts\n\n", acct.User)
	return srv.Close, nil
}
