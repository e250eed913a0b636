package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
)

// storeKeyLogin gives a key a stored Nextcloud login, as a finished
// in-session login does.
func storeKeyLogin(t *testing.T, server string, k testenv.Key, user, pw string) *account.KeyLogins {
	t.Helper()
	st, err := account.OpenKeyLogins(getenv)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Put(account.KeyLogin{Fingerprint: k.FP, Server: server, LoginName: user, UserID: user, AddedAt: time.Now()}, pw); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestServeLoginsSaysWhichKeysAreAuthorized: serve logins lists the keys'
// logins, and with --authorized-keys which keys are still in the file.
func TestServeLoginsSaysWhichKeysAreAuthorized(t *testing.T) {
	testenv.Isolate(t)
	talk := testenv.NewServer(t)
	alice, gone := testenv.NewKey(t), testenv.NewKey(t)
	storeKeyLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	storeKeyLogin(t, talk.URL, gone, "bob", testenv.BobPW)
	keys := filepath.Join(t.TempDir(), "authorized_keys")
	testenv.WriteKeys(t, keys, alice)
	r := talkmod(t, "", "serve", "logins", "--authorized-keys", keys)
	for _, want := range []string{alice.FP, gone.FP, "authorized", "NOT AUTHORIZED"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("serve logins lacks %q:\n%s", want, r.stdout)
		}
	}
}

// TestServeForgetRevokes: serve forget revokes the key's app password on
// the server and forgets the login.
func TestServeForgetRevokes(t *testing.T) {
	testenv.Isolate(t)
	talk := testenv.NewServer(t)
	alice := testenv.NewKey(t)
	pw := talk.AddAppPassword("alice")
	st := storeKeyLogin(t, talk.URL, alice, "alice", pw)
	r := talkmod(t, "", "serve", "logins")
	if r.code != 0 || !strings.Contains(r.stdout, alice.FP) || !strings.Contains(r.stdout, "alice") {
		t.Errorf("serve logins: %d %q", r.code, r.stdout)
	}
	r = talkmod(t, "", "serve", "forget", alice.FP)
	if r.code != 0 || !strings.Contains(r.stdout, "revoked") {
		t.Errorf("serve forget: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if talk.AppPasswordValid("alice", pw) {
		t.Error("serve forget left the app password valid on the server")
	}
	if _, _, ok, _ := st.Get(alice.FP); ok {
		t.Error("serve forget kept the login")
	}
}

// TestServeZoneStoresTheKeysZone: serve zone sets the display zone of a
// key's sessions; a name that is no zone is a usage error.
func TestServeZoneStoresTheKeysZone(t *testing.T) {
	testenv.Isolate(t)
	talk := testenv.NewServer(t)
	alice := testenv.NewKey(t)
	st := storeKeyLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	if r := talkmod(t, "", "serve", "zone", alice.FP, "Europe/Berlin"); r.code != 0 {
		t.Fatalf("serve zone: %d %s", r.code, r.stderr)
	}
	if l, ok := st.Lookup(alice.FP); !ok || l.Zone != "Europe/Berlin" {
		t.Errorf("stored zone: %+v", l)
	}
	if r := talkmod(t, "", "serve", "zone", alice.FP, "Mars/Olympus"); r.code != exit.Usage {
		t.Errorf("an unknown zone: exit %d", r.code)
	}
}
