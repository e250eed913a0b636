package checkup

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/tui/doctor"
)

// Against the demo server every check runs; against a port nobody listens
// on, the checks stop after the server's with HaltUnavailable.
func TestGather(t *testing.T) {
	srv, acct, err := talktest.StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, err := client.New(client.Config{BaseURL: acct.URL, User: acct.User, AppPassword: acct.AppPassword, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	rep := Report{Account: acct.User}
	if halt := Gather(context.Background(), c, &rep, "", time.Now, time.UTC); halt != HaltNone {
		t.Fatalf("demo server: halted %q: %+v", halt, rep.Checks)
	}
	if len(rep.Checks) < 5 {
		t.Errorf("only %d checks: %+v", len(rep.Checks), rep.Checks)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	l.Close()
	c, err = client.New(client.Config{BaseURL: dead, User: "alice", AppPassword: "x", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	rep = Report{Account: "alice"}
	if halt := Gather(context.Background(), c, &rep, "", time.Now, time.UTC); halt != HaltUnavailable {
		t.Errorf("dead server: halted %q, want %q", halt, HaltUnavailable)
	}
	if len(rep.Checks) == 0 || rep.Checks[0].Status != doctor.Problem || strings.TrimSpace(rep.Checks[0].Message) == "" {
		t.Errorf("dead server: first finding %+v", rep.Checks)
	}
}
