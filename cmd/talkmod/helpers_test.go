package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
)

type result struct {
	code           int
	stdout, stderr string
}

// talkmod runs the command in-process. Its output is checked for app
// passwords (none may appear) and logged with any that did redacted.
func talkmod(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb testenv.SyncBuffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	r := result{code: code, stdout: out.String(), stderr: errb.String()}
	logResult(t, "talkmod "+strings.Join(args, " "), r)
	return r
}

// logResult logs a run's output for a failing test, and fails the test
// when the output holds a known app password (never printing it).
func logResult(t *testing.T, what string, r result) {
	t.Helper()
	secrets := knownSecrets()
	for _, sec := range secrets {
		if strings.Contains(r.stdout, sec) || strings.Contains(r.stderr, sec) || strings.Contains(what, sec) {
			t.Errorf("%s: an app password appears in its command line or output", redactSecrets(what, secrets))
		}
	}
	t.Logf("%s → %d\nstdout:\n%s\nstderr:\n%s", redactSecrets(what, secrets), r.code,
		redactSecrets(r.stdout, secrets), redactSecrets(r.stderr, secrets))
}

// knownSecrets lists the app passwords a test may hold: the fixed ones,
// TALKMOD_APP_PASSWORD, and every one stored in the test's credentials
// file. Short values ("wrong") are not secrets worth hiding.
func knownSecrets() []string {
	var out []string
	add := func(s string) {
		if len(s) >= 8 && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	add(testenv.AlicePW)
	add(testenv.BobPW)
	add(os.Getenv("TALKMOD_APP_PASSWORD"))
	if base, err := os.UserConfigDir(); err == nil {
		if data, err := os.ReadFile(filepath.Join(base, "talkmod", account.CredentialsFile)); err == nil {
			var c account.Credentials
			if json.Unmarshal(data, &c) == nil {
				for _, pw := range c.AppPasswords {
					add(pw)
				}
			}
		}
	}
	return out
}

func redactSecrets(s string, secrets []string) string {
	for _, sec := range secrets {
		s = strings.ReplaceAll(s, sec, "[APP PASSWORD]")
	}
	return s
}

// useEnv points the environment at the server as alice.
func useEnv(t *testing.T, s *talktest.Server) {
	t.Setenv("TALKMOD_SERVER", s.URL)
	t.Setenv("TALKMOD_USER", "alice")
	t.Setenv("TALKMOD_APP_PASSWORD", testenv.AlicePW)
}
