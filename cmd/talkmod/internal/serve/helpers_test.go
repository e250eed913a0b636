package serve

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"unicode"

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

// isolate gives the test its own config directory, the file backend for
// app passwords, and no account in the environment.
func isolate(t *testing.T) {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("TALKMOD_KEYRING", "off")
	for _, k := range []string{"TALKMOD_SERVER", "TALKMOD_USER", "TALKMOD_APP_PASSWORD", "TALKMOD_LOG", "TZ"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

// openLogins opens the (isolated) store of the keys' logins.
func openLogins(t *testing.T) *account.KeyLogins {
	t.Helper()
	st, err := account.OpenKeyLogins(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

const (
	alicePW  = "alice-app-password-1"
	bobPW    = "bob-app-password-1"
	webinarA = "1234567890"
	webinarB = "2345678901"
)

// newServer starts talktest with alice, bob and a few rooms (as the
// command's tests do).
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
	s.AddRoom(talktest.Room{Token: "abcd1234", Type: models.ConversationGroup, Name: "Letters",
		Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner}, LastActivity: 500})
	s.AddRoom(talktest.Room{Token: "9876543210", Type: models.ConversationOneToOne, Name: "bob",
		Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner, "bob": models.ParticipantOwner}, LastActivity: 400})
	s.AddRoom(talktest.Room{Token: "3456789012", Type: models.ConversationGroup, Name: "Bob's webinar",
		Participants: map[string]models.ParticipantType{"alice": models.ParticipantUser, "bob": models.ParticipantOwner}, LastActivity: 300})
	return s
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

// plainText: no control or format characters (what a quoted error
// message may hold).
func plainText(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}
