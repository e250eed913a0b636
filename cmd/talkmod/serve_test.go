package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
)

// testKey is a client key pair.
type testKey struct {
	priv   ed25519.PrivateKey
	signer gossh.Signer
	line   string // authorized_keys line
	fp     string
}

func newTestKey(t *testing.T) testKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{priv: priv, signer: s, line: string(gossh.MarshalAuthorizedKey(s.PublicKey())), fp: gossh.FingerprintSHA256(s.PublicKey())}
}

func writeKeys(t *testing.T, path string, keys ...testKey) {
	t.Helper()
	var b strings.Builder
	b.WriteString("# talkmod serve test keys\n\n")
	for _, k := range keys {
		b.WriteString(k.line)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// writePrivateKey writes k as an OpenSSH private key file (0600).
func writePrivateKey(t *testing.T, path string, k testKey) {
	t.Helper()
	block, err := gossh.MarshalPrivateKey(k.priv, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
}

// needOpenSSH skips a test where the OpenSSH client is missing, except on
// CI (CI=true), where .ci/run installs it.
func needOpenSSH(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("ssh"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("the OpenSSH client is not installed (.ci/run installs openssh-client)")
		}
		t.Skip("the OpenSSH client is not installed")
	}
}

// storeKeyLogin gives a key a stored Nextcloud login, as a finished
// in-session login does.
func storeKeyLogin(t *testing.T, server string, k testKey, user, pw string) *account.KeyLogins {
	t.Helper()
	st, err := account.OpenKeyLogins(getenv)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Put(account.KeyLogin{Fingerprint: k.fp, Server: server, LoginName: user, UserID: user, AddedAt: time.Now()}, pw); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestServeLoginsSaysWhichKeysAreAuthorized: serve logins lists the keys'
// logins, and with --authorized-keys which keys are still in the file.
func TestServeLoginsSaysWhichKeysAreAuthorized(t *testing.T) {
	isolate(t)
	talk := newServer(t)
	alice, gone := newTestKey(t), newTestKey(t)
	storeKeyLogin(t, talk.URL, alice, "alice", alicePW)
	storeKeyLogin(t, talk.URL, gone, "bob", bobPW)
	keys := filepath.Join(t.TempDir(), "authorized_keys")
	writeKeys(t, keys, alice)
	r := talkmod(t, "", "serve", "logins", "--authorized-keys", keys)
	for _, want := range []string{alice.fp, gone.fp, "authorized", "NOT AUTHORIZED"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("serve logins lacks %q:\n%s", want, r.stdout)
		}
	}
}

// TestServeForgetRevokes: serve forget revokes the key's app password on
// the server and forgets the login.
func TestServeForgetRevokes(t *testing.T) {
	isolate(t)
	talk := newServer(t)
	alice := newTestKey(t)
	pw := talk.AddAppPassword("alice")
	st := storeKeyLogin(t, talk.URL, alice, "alice", pw)
	r := talkmod(t, "", "serve", "logins")
	if r.code != 0 || !strings.Contains(r.stdout, alice.fp) || !strings.Contains(r.stdout, "alice") {
		t.Errorf("serve logins: %d %q", r.code, r.stdout)
	}
	r = talkmod(t, "", "serve", "forget", alice.fp)
	if r.code != 0 || !strings.Contains(r.stdout, "revoked") {
		t.Errorf("serve forget: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if talk.AppPasswordValid("alice", pw) {
		t.Error("serve forget left the app password valid on the server")
	}
	if _, _, ok, _ := st.Get(alice.fp); ok {
		t.Error("serve forget kept the login")
	}
}

// TestServeZoneStoresTheKeysZone: serve zone sets the display zone of a
// key's sessions; a name that is no zone is a usage error.
func TestServeZoneStoresTheKeysZone(t *testing.T) {
	isolate(t)
	talk := newServer(t)
	alice := newTestKey(t)
	st := storeKeyLogin(t, talk.URL, alice, "alice", alicePW)
	if r := talkmod(t, "", "serve", "zone", alice.fp, "Europe/Berlin"); r.code != 0 {
		t.Fatalf("serve zone: %d %s", r.code, r.stderr)
	}
	if l, ok := st.Lookup(alice.fp); !ok || l.Zone != "Europe/Berlin" {
		t.Errorf("stored zone: %+v", l)
	}
	if r := talkmod(t, "", "serve", "zone", alice.fp, "Mars/Olympus"); r.code != exit.Usage {
		t.Errorf("an unknown zone: exit %d", r.code)
	}
}
