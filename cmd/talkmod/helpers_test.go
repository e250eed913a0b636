package main

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/models"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type result struct {
	code           int
	stdout, stderr string
}

// talkmod runs the command in-process. Its output is checked for app
// passwords (none may appear) and logged with any that did redacted.
func talkmod(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb syncBuffer
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
	add(alicePW)
	add(bobPW)
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

// isolate gives the test its own config directory, the file backend for
// app passwords, and no account in the environment. It returns the
// talkmod config directory.
func isolate(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("TALKMOD_KEYRING", "off")
	for _, k := range []string{"TALKMOD_SERVER", "TALKMOD_USER", "TALKMOD_APP_PASSWORD", "TALKMOD_LOG", "TZ"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	base, err := os.UserConfigDir()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(base, "talkmod")
}

const (
	alicePW    = "alice-app-password-1"
	bobPW      = "bob-app-password-1"
	webinarA   = "1234567890" // SIP-compatible token
	webinarB   = "2345678901"
	lettersTok = "abcd1234"
	oneToOne   = "9876543210"
	notModTok  = "3456789012"
)

// newServer starts talktest with alice and a few rooms.
func newServer(t *testing.T) *talktest.Server {
	t.Helper()
	s := talktest.New()
	t.Cleanup(s.Close)
	s.AddUser("alice", alicePW)
	s.AddUser("bob", bobPW)
	s.SetSIPConfig(true)
	s.AddRoom(talktest.Room{Token: webinarA, Type: models.ConversationPublic, Name: "Webinar A",
		Description: "The first webinar", Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner}, LastActivity: 2000})
	s.AddRoom(talktest.Room{Token: webinarB, Type: models.ConversationGroup, Name: "Webinar \x1b]0;pwned\a B",
		Participants: map[string]models.ParticipantType{"alice": models.ParticipantModerator, "bob": models.ParticipantOwner}, HasCall: true, LastActivity: 1000})
	s.AddRoom(talktest.Room{Token: lettersTok, Type: models.ConversationGroup, Name: "Letters",
		Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner}, LastActivity: 500})
	s.AddRoom(talktest.Room{Token: oneToOne, Type: models.ConversationOneToOne, Name: "bob",
		Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner, "bob": models.ParticipantOwner}, LastActivity: 400})
	s.AddRoom(talktest.Room{Token: notModTok, Type: models.ConversationGroup, Name: "Bob's webinar",
		Participants: map[string]models.ParticipantType{"alice": models.ParticipantUser, "bob": models.ParticipantOwner}, LastActivity: 300})
	return s
}

// useEnv points the environment at the server as alice.
func useEnv(t *testing.T, s *talktest.Server) {
	t.Setenv("TALKMOD_SERVER", s.URL)
	t.Setenv("TALKMOD_USER", "alice")
	t.Setenv("TALKMOD_APP_PASSWORD", alicePW)
}

// deadURL is a loopback URL where nothing listens.
func deadURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}
