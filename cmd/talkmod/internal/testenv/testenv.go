// Package testenv is what the tests of talkmod's commands and of serve
// share: an isolated account store, a talktest server with alice, bob and
// a few rooms, SSH keys, a buffer two goroutines may use. Tests only.
package testenv

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/models"
)

// SyncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Isolate gives the test its own config directory, the file backend for
// app passwords, and no account in the environment. It returns the
// talkmod config directory.
func Isolate(t *testing.T) string {
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

// The users and rooms of NewServer.
const (
	AlicePW    = "alice-app-password-1"
	BobPW      = "bob-app-password-1"
	WebinarA   = "1234567890" // SIP-compatible token
	WebinarB   = "2345678901"
	LettersTok = "abcd1234"
	OneToOne   = "9876543210"
	NotModTok  = "3456789012"
)

// NewServer starts talktest with alice, bob and a few rooms.
func NewServer(t *testing.T) *talktest.Server {
	t.Helper()
	s := talktest.New()
	t.Cleanup(s.Close)
	s.AddUser("alice", AlicePW)
	s.AddUser("bob", BobPW)
	s.SetSIPConfig(true)
	s.AddRoom(talktest.Room{Token: WebinarA, Type: models.ConversationPublic, Name: "Webinar A",
		Description: "The first webinar", Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner}, LastActivity: 2000})
	s.AddRoom(talktest.Room{Token: WebinarB, Type: models.ConversationGroup, Name: "Webinar \x1b]0;pwned\a B",
		Participants: map[string]models.ParticipantType{"alice": models.ParticipantModerator, "bob": models.ParticipantOwner}, HasCall: true, LastActivity: 1000})
	s.AddRoom(talktest.Room{Token: LettersTok, Type: models.ConversationGroup, Name: "Letters",
		Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner}, LastActivity: 500})
	s.AddRoom(talktest.Room{Token: OneToOne, Type: models.ConversationOneToOne, Name: "bob",
		Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner, "bob": models.ParticipantOwner}, LastActivity: 400})
	s.AddRoom(talktest.Room{Token: NotModTok, Type: models.ConversationGroup, Name: "Bob's webinar",
		Participants: map[string]models.ParticipantType{"alice": models.ParticipantUser, "bob": models.ParticipantOwner}, LastActivity: 300})
	return s
}

// DeadURL is a loopback URL where nothing listens.
func DeadURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// Key is an SSH key of a test.
type Key struct {
	Priv   ed25519.PrivateKey
	Signer gossh.Signer
	Line   string // authorized_keys line
	FP     string
}

// NewKey makes an ed25519 key.
func NewKey(t *testing.T) Key {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return Key{Priv: priv, Signer: s, Line: string(gossh.MarshalAuthorizedKey(s.PublicKey())), FP: gossh.FingerprintSHA256(s.PublicKey())}
}

// WriteKeys writes an authorized_keys file of keys (0600).
func WriteKeys(t *testing.T, path string, keys ...Key) {
	t.Helper()
	var b strings.Builder
	b.WriteString("# talkmod serve test keys\n\n")
	for _, k := range keys {
		b.WriteString(k.Line)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// WritePrivateKey writes k as an OpenSSH private key file (0600).
func WritePrivateKey(t *testing.T, path string, k Key) {
	t.Helper()
	block, err := gossh.MarshalPrivateKey(k.Priv, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
}

// NeedOpenSSH skips a test where the OpenSSH client is missing, except on
// CI (CI=true), where .ci/run installs it.
func NeedOpenSSH(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("ssh"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("the OpenSSH client is not installed (.ci/run installs openssh-client)")
		}
		t.Skip("the OpenSSH client is not installed")
	}
}
