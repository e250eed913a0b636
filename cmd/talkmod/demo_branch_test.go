package main

import (
	"strings"
	"testing"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
)

// TestTwoDemoServersAtTheDesk: both built-in demo servers stored as
// accounts, one list with each room's server; doctor finds the second
// server's clock and missing SIP bridge.
func TestTwoDemoServersAtTheDesk(t *testing.T) {
	testenv.Isolate(t)
	servers, accts, err := talktest.StartDemos(2, talktest.DemoConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range servers {
		t.Cleanup(s.Close)
	}
	first := storeAccount(t, accts[0].URL, accts[0].User, accts[0].AppPassword, true)
	second := storeAccount(t, accts[1].URL, accts[1].User, accts[1].AppPassword, false)
	r := talkmod(t, "", "rooms", "--all-accounts")
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	var hosts []string
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.Contains(line, talktest.DemoTownHall) {
			hosts = append(hosts, strings.Fields(line)[0])
		}
	}
	h1, h2 := strings.TrimPrefix(accts[0].URL, "http://"), strings.TrimPrefix(accts[1].URL, "http://")
	if len(hosts) != 2 || hosts[0] != h1 || hosts[1] != h2 {
		t.Errorf("the town hall of each server, with its server: %v (want %s, %s)\n%s", hosts, h1, h2, r.stdout)
	}
	if !strings.Contains(r.stdout, talktest.DemoBranchKickoff) || !strings.Contains(r.stdout, talktest.DemoLaunch) {
		t.Errorf("both servers' rooms:\n%s", r.stdout)
	}

	d, res := doctorJSON(t, "--account", second)
	if res.code != exit.Failure {
		t.Fatalf("doctor on the second demo server: exit %d", res.code)
	}
	d.check(t, "clock", "problem", "1m 35s ahead of the server's")
	d.check(t, "sip dial-in", "warning", "not configured")
	d, res = doctorJSON(t, "--account", first)
	if res.code != 0 {
		t.Errorf("doctor on the first demo server: exit %d", res.code)
	}
	d.check(t, "clock", "ok")
}

func TestDemoServerCount(t *testing.T) {
	testenv.Isolate(t)
	if r := talkmod(t, "", "demo-server", "--servers", "3"); r.code != exit.Usage {
		t.Errorf("--servers 3: exit %d", r.code)
	}
}
