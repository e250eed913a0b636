package main

import (
	"strings"
	"testing"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
)

func TestTZOffsetEndToEnd(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	r := talkmod(t, "", "room", testenv.WebinarA, "--tz", "UTC+2")
	if r.code != 0 || !strings.Contains(r.stdout, "Zone:        UTC+02:00\n") {
		t.Errorf("room --tz UTC+2: %d", r.code)
	}
	r = talkmod(t, "", "lobby", testenv.WebinarA, "on", "--in", "2d")
	if r.code != 0 || !strings.Contains(r.stdout, "in 2d") {
		t.Errorf("lobby on --in 2d: %d", r.code)
	}
}

// completion refuses a shell it has no script for, naming the shells.
func TestCompletionUnknownShell(t *testing.T) {
	testenv.Isolate(t)
	r := talkmod(t, "", "completion", "tcsh")
	if r.code != exit.Usage || !strings.Contains(r.stderr, `no completion for shell "tcsh"`) ||
		!strings.Contains(r.stderr, "bash, zsh, fish or powershell") {
		t.Errorf("completion tcsh: %d", r.code)
	}
	if r := talkmod(t, "", "completion", "bash"); r.code != 0 || !strings.Contains(r.stdout, "bash completion") {
		t.Errorf("completion bash: %d", r.code)
	}
}

// --tz completes zone names, never files.
func TestCompleteTZ(t *testing.T) {
	testenv.Isolate(t)
	r := talkmod(t, "", "__complete", "rooms", "--tz", "")
	if !strings.Contains(r.stdout, "\nlocal\n") && !strings.HasPrefix(r.stdout, "local\n") || !strings.Contains(r.stdout, "\nUTC\n") {
		t.Errorf("no local/UTC in:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "\n:4\n") {
		t.Errorf("file completion not turned off:\n%s", r.stdout)
	}
	r = talkmod(t, "", "__complete", "--tz", "europe/ber")
	if !strings.Contains(r.stdout, "Europe/Berlin\n") {
		t.Errorf("no Europe/Berlin in:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "UTC") {
		t.Errorf("completions not filtered:\n%s", r.stdout)
	}
}

// An unknown account name is a usage error (2), not "not logged in" (3).
func TestAccountsUnknownNameIsUsage(t *testing.T) {
	testenv.Isolate(t)
	for _, args := range [][]string{{"accounts", "default", "nosuch"}, {"accounts", "zone", "nosuch", "UTC"}} {
		r := talkmod(t, "", args...)
		if r.code != exit.Usage || !strings.Contains(r.stderr, `no stored account "nosuch"`) {
			t.Errorf("%v: %d", args, r.code)
		}
	}
	s := testenv.NewServer(t)
	if r := loginAs(t, s, "alice"); r.code != 0 {
		t.Fatal("login")
	}
	r := talkmod(t, "", "accounts", "default", "nosuch")
	if r.code != exit.Usage || !strings.Contains(r.stderr, "(stored: alice@") {
		t.Errorf("with one account: %d", r.code)
	}
}

// cobra's suggestion keeps its lines.
func TestDidYouMeanKeepsLines(t *testing.T) {
	testenv.Isolate(t)
	r := talkmod(t, "", "romos")
	if r.code != exit.Usage || !strings.Contains(r.stderr, "\n\nDid you mean this?\n  room\n  rooms\n") {
		t.Errorf("romos: %d %q", r.code, r.stderr)
	}
}

// login http://host names the real way to allow plain HTTP: there is
// none but this machine.
func TestLoginPlainHTTPNamesTheRule(t *testing.T) {
	testenv.Isolate(t)
	r := talkmod(t, "", "login", "http://cloud.example.com", "--no-qr")
	if r.code != exit.Usage || strings.Contains(r.stderr, "allow insecure HTTP explicitly") ||
		!strings.Contains(r.stderr, "talkmod allows plain http:// only to this machine") {
		t.Errorf("login http://: %d", r.code)
	}
}

// A wrong app password during login says so, and does not send the user
// to "run talkmod login", which they are doing.
func TestLoginWrongPasswordDoesNotSayRunLogin(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	r := talkmod(t, "wrong-app-password\n", "login", "--server", s.URL, "--user", "alice", "--app-password-stdin")
	if r.code != exit.Unauthorized || strings.Contains(r.stderr, "run talkmod login") ||
		!strings.Contains(r.stderr, `the server refused login name "alice" with this app password`) {
		t.Errorf("wrong password: %d", r.code)
	}
	// the cause stays for the exit code and --json
	if j := exit.JSON(&exit.Error{Code: exit.Unauthorized, Err: &exit.WordedError{Msg: "x", Err: &client.APIError{HTTPStatus: 401}}}); j.Error.Status != 401 || j.Error.Message != "x" {
		t.Errorf("exit.JSON: %+v", j)
	}
}

// A URL pasted from the browser is reduced to the server.
func TestNormalizeServerPastedLinks(t *testing.T) {
	for in, want := range map[string]string{
		"https://cloud.example.com/index.php/apps/spreed/":           "https://cloud.example.com",
		"https://cloud.example.com/index.php/apps/spreed/?callTab=1": "https://cloud.example.com",
		"https://cloud.example.com/call/abc123xyz":                   "https://cloud.example.com",
		"https://cloud.example.com/call/abc123xyz#message_12":        "https://cloud.example.com",
		"https://cloud.example.com/apps/spreed":                      "https://cloud.example.com",
		"https://example.org/nextcloud/index.php/call/abc":           "https://example.org/nextcloud",
		"https://example.org/nextcloud/":                             "https://example.org/nextcloud",
		"https://cloud.example.com/login?redirect_url=/apps/spreed":  "https://cloud.example.com",
		"cloud.example.com":                                          "https://cloud.example.com",
		"  https://cloud.example.com/index.php  ":                    "https://cloud.example.com",
		"http://127.0.0.1:8080/index.php/call/x":                     "http://127.0.0.1:8080",
		"https://cloud.example.com/loginpage":                        "https://cloud.example.com/loginpage",
	} {
		if got := account.NormalizeServer(in); got != want {
			t.Errorf("account.NormalizeServer(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLoginPastedLinkEndToEnd(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	r := talkmod(t, testenv.AlicePW+"\n", "login", "--server", s.URL+"/index.php/call/"+testenv.WebinarA, "--user", "alice", "--app-password-stdin")
	if r.code != 0 || !strings.Contains(r.stderr, "using the server "+s.URL+" (from the link)") {
		t.Errorf("login with a pasted link: %d", r.code)
	}
}

// --at, --in and --no-timer exclude each other (a flag group): exit 2,
// nothing sent.
func TestLobbyTimerFlagsExclusive(t *testing.T) {
	testenv.Isolate(t)
	s := testenv.NewServer(t)
	useEnv(t, s)
	for _, args := range [][]string{
		{"lobby", testenv.WebinarA, "on", "--at", "10:00", "--in", "30m"},
		{"lobby", testenv.WebinarA, "on", "--in", "30m", "--no-timer"},
	} {
		s.ResetRequests()
		r := talkmod(t, "", args...)
		if r.code != 2 || !strings.Contains(r.stderr, "use only one of --at, --in and --no-timer (given: ") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
		if n := len(s.Requests()); n != 0 {
			t.Errorf("%v: %d requests sent", args, n)
		}
	}
}

// The lobby's --in takes days, and its help says so.
func TestLobbyInHelpNamesDays(t *testing.T) {
	testenv.Isolate(t)
	r := talkmod(t, "", "lobby", "--help")
	if r.code != 0 || !strings.Contains(r.stdout, "2d") || !strings.Contains(r.stdout, "(45m, 1h30m, 2d, 1d12h)") {
		t.Errorf("lobby --help: exit %d, no days in:\n%s", r.code, r.stdout)
	}
}
