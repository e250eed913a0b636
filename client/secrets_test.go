package client

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// TestPrintingHoldsNoSecret: printing a Client, its Config or a login's
// flow or result, in any verb or through slog, shows no secret.
func TestPrintingHoldsNoSecret(t *testing.T) {
	cfg := Config{BaseURL: "https://cloud.example.com", User: "alice", AppPassword: "SECRETPW"}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	flow := &LoginFlow{LoginURL: "https://cloud.example.com/login/v2/flow/x", PollEndpoint: "https://cloud.example.com/login/v2/poll", PollToken: "SECRETTOKEN"}
	res := &LoginResult{Server: "https://cloud.example.com", LoginName: "alice", AppPassword: "SECRETPW"}
	var logged strings.Builder
	log := slog.New(slog.NewTextHandler(&logged, nil))
	for _, v := range []any{c, cfg, &cfg, flow, *flow, res, *res} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			if s := fmt.Sprintf(verb, v); strings.Contains(s, "SECRET") {
				t.Errorf("%s of %T: %s", verb, v, s)
			}
		}
		log.Info("value", "v", v)
	}
	if strings.Contains(logged.String(), "SECRET") {
		t.Errorf("slog: %s", logged.String())
	}
	if !strings.Contains(fmt.Sprint(cfg), "AppPassword:[redacted]") || !strings.Contains(fmt.Sprint(c), "alice at https://cloud.example.com") {
		t.Errorf("printed as %v / %v", cfg, c)
	}
}

// TestBadServerURLsHideTheirPassword: a password typed into the server URL
// never comes back in the error that refuses the URL.
func TestBadServerURLsHideTheirPassword(t *testing.T) {
	for _, raw := range []string{
		"alice:s3cret@cloud.example.com",
		"https://alice:s3cret@",
		"https://alice:s3cret@cloud.example.com:99999999/%zz",
		"https://alice:s3cret@cloud.example.com",
		"ftp://alice:s3cret@cloud.example.com/x@y",
	} {
		_, err := New(Config{BaseURL: raw})
		if err == nil || KindOf(err) != KindInvalidInput {
			t.Errorf("%q: %v", raw, err)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") || strings.Contains(Message(err), "s3cret") {
			t.Errorf("%q: the password reached the error: %v", raw, err)
		}
	}
	if got := scrubURL("https://cloud.example.com/a@b"); got != "https://cloud.example.com/a@b" {
		t.Errorf("scrubURL changed a URL without a user: %q", got)
	}
}
