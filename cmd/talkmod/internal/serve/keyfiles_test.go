package serve

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
)

// TestKeyFilesCheckedLikeStrictModes (defect 7): a key file reached
// through a symlink in a directory others can write, a file or a
// directory of another user, is refused; a root-owned sticky directory
// (as /tmp) is fine.
func TestKeyFilesCheckedLikeStrictModes(t *testing.T) {
	alice := testenv.NewKey(t)
	base := t.TempDir()

	open := filepath.Join(base, "open")
	os.Mkdir(open, 0o755)
	os.Chmod(open, 0o777) // no sticky bit: anyone may replace what is in it
	testenv.WriteKeys(t, filepath.Join(open, "keys"), alice)
	link := filepath.Join(base, "keys-link")
	if err := os.Symlink(filepath.Join(open, "keys"), link); err != nil {
		t.Fatal(err)
	}
	if _, err := loadKeyFile(link); err == nil || !strings.Contains(err.Error(), "the directory "+open) {
		t.Errorf("a key file in a world-writable directory, through a symlink: %v", err)
	}

	if os.Getuid() != 0 {
		t.Log("not root: the owner checks need chown")
		return
	}
	const other = 12345
	mine := filepath.Join(base, "mine")
	os.Mkdir(mine, 0o755)
	theirs := filepath.Join(mine, "theirs")
	testenv.WriteKeys(t, theirs, alice)
	os.Chown(theirs, other, other)
	if _, err := loadKeyFile(theirs); err == nil || !strings.Contains(err.Error(), "belongs to another user") {
		t.Errorf("a key file of another user: %v", err)
	}
	theirDir := filepath.Join(base, "theirdir")
	os.Mkdir(theirDir, 0o755)
	testenv.WriteKeys(t, filepath.Join(theirDir, "keys"), alice)
	os.Chown(theirDir, other, other)
	if _, err := loadKeyFile(filepath.Join(theirDir, "keys")); err == nil || !strings.Contains(err.Error(), "directory "+theirDir+" belongs to another user") {
		t.Errorf("a key file in another user's directory: %v", err)
	}
	sticky := filepath.Join(base, "sticky")
	os.Mkdir(sticky, 0o755)
	os.Chmod(sticky, 0o777|os.ModeSticky)
	testenv.WriteKeys(t, filepath.Join(sticky, "keys"), alice)
	if keys, err := loadKeyFile(filepath.Join(sticky, "keys")); err != nil || len(keys) != 1 {
		t.Errorf("a key file in a root-owned sticky directory: %v", err)
	}
}

// TestKeyFileCertificateRefused (defect 9): a certificate line is refused,
// naming the line, at start and on a reload.
func TestKeyFileCertificateRefused(t *testing.T) {
	alice, ca := testenv.NewKey(t), testenv.NewKey(t)
	cert := &gossh.Certificate{Key: alice.Signer.PublicKey(), CertType: gossh.UserCert, KeyId: "alice", ValidPrincipals: []string{"support"},
		ValidAfter: 0, ValidBefore: uint64(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Unix()),
		Permissions: gossh.Permissions{CriticalOptions: map[string]string{"source-address": "10.9.9.9/32", "force-command": "/bin/false"}}}
	if err := cert.SignCert(rand.Reader, ca.Signer); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "keys")
	os.WriteFile(path, []byte("# staff\n"+string(gossh.MarshalAuthorizedKey(cert))), 0o600)
	_, err := loadKeyFile(path)
	if err == nil || !strings.Contains(err.Error(), "line 2 is a certificate") {
		t.Errorf("a certificate line: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	err = Run(ctx, Options{Server: "http://127.0.0.1:1", Listen: "127.0.0.1:0", AuthorizedKeys: path, Logins: openLogins(isolatedT(t))},
		IO{Stdout: &testenv.SyncBuffer{}, Stderr: &testenv.SyncBuffer{}})
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("serve with a certificate line: %v", err)
	}
}

func isolatedT(t *testing.T) *testing.T { testenv.Isolate(t); return t }

// TestServeChmodNoticedWithoutSIGHUP (defect 8): a key file made
// group-writable locks its keys out; chmod 600 (mtime and size unchanged)
// lets them in again within a few seconds, without SIGHUP.
func TestServeChmodNoticedWithoutSIGHUP(t *testing.T) {
	talk := serveEnv(t)
	alice := testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	f := startServe(t, talk, []testenv.Key{alice}, nil, func(o *Options) { o.FailLimit = 1000 })
	os.Chmod(f.rwFile, 0o666)
	f.waitEvent("the lock-out", func(ev map[string]any) bool { return ev["event"] == "keys-reloaded" && ev["outcome"] == "error" })
	if c, err := f.dial(gossh.PublicKeys(alice.Signer)); err == nil {
		c.Close()
		t.Fatal("a key of a group-writable file got in")
	}
	os.Chmod(f.rwFile, 0o600)
	f.waitEvent("the reload after chmod", func(ev map[string]any) bool { return ev["event"] == "keys-reloaded" && ev["outcome"] == "ok" })
	c, err := f.dial(gossh.PublicKeys(alice.Signer))
	if err != nil {
		t.Fatalf("after chmod 600: %v", err)
	}
	c.Close()
}

// TestServeRemovedKeyEndsItsSessions (defect 10): removing a key ends its
// open session within a few seconds, saying so on its screen and in the
// audit log; a key moved to the read-only file ends its read-write
// session (a new one is read-only).
func TestServeRemovedKeyEndsItsSessions(t *testing.T) {
	talk := serveEnv(t)
	alice, bob := testenv.NewKey(t), testenv.NewKey(t)
	storeLogin(t, talk.URL, alice, "alice", testenv.AlicePW)
	storeLogin(t, talk.URL, bob, "bob", testenv.BobPW)
	f := startServe(t, talk, []testenv.Key{alice, bob}, nil, nil)
	xa := f.open(alice, 100, 30)
	xb := f.open(bob, 100, 30)
	xa.waitText("Webinar A")
	xb.waitText("Bob's webinar")

	testenv.WriteKeys(t, f.rwFile, bob)
	start := time.Now()
	xa.exit()
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the removed key's session ended after %s", took)
	}
	if !strings.Contains(xa.text(), "your key was removed from the authorized keys") {
		t.Errorf("the session was not told:\n%s", xa.text())
	}
	f.waitEvent("session-revoked", func(ev map[string]any) bool {
		return ev["event"] == "session-revoked" && ev["fingerprint"] == alice.FP
	})

	testenv.WriteKeys(t, f.rwFile)
	testenv.WriteKeys(t, f.roFile, bob)
	xb.exit()
	if !strings.Contains(xb.text(), "read-only") {
		t.Errorf("bob's session was not told:\n%s", xb.text())
	}
	y := f.open(bob, 100, 30)
	y.waitText("Bob's webinar", "(read-only)")
	y.keys("q")
	y.exit()
	if n := changeRequests(talk); n != 0 {
		t.Errorf("%d changes", n)
	}
}
