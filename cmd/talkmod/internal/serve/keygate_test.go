package serve

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	gossh "golang.org/x/crypto/ssh"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
)

// startParts serves handler behind the given middlewares (the last runs
// first, as in wish) on 127.0.0.1:0, with allow as the public-key handler.
func startParts(t *testing.T, allow ssh.PublicKeyHandler, handler ssh.Handler, mw ...wish.Middleware) string {
	t.Helper()
	srv, err := wish.NewServer(
		wish.WithHostKeyPath(filepath.Join(t.TempDir(), "host_ed25519")),
		wish.WithPublicKeyAuth(allow),
		wish.WithMiddleware(append([]wish.Middleware{func(ssh.Handler) ssh.Handler { return handler }}, mw...)...),
	)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l.Addr().String()
}

func dialKey(addr string, k testenv.Key) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "support", Auth: []gossh.AuthMethod{gossh.PublicKeys(k.Signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: serveWait})
}

// TestKeyGateIdentityAndRole: the key gate lets in the keys of both
// files, with the role of their file and the fingerprint of the key that
// signed; it refuses other keys at authentication, and refuses a session
// of a connection whose key was removed after it authenticated, with an
// audit line.
func TestKeyGateIdentityAndRole(t *testing.T) {
	dir := t.TempDir()
	rw, ro := filepath.Join(dir, "rw"), filepath.Join(dir, "ro")
	alice, bob, stranger := testenv.NewKey(t), testenv.NewKey(t), testenv.NewKey(t)
	testenv.WriteKeys(t, rw, alice)
	testenv.WriteKeys(t, ro, bob)
	keys := &keySet{rwPath: rw, roPath: ro}
	if _, _, err := keys.load(); err != nil {
		t.Fatal(err)
	}
	var log testenv.SyncBuffer
	gate := &keyGate{keys: keys, audit: &auditLog{w: &log, now: time.Now}}
	addr := startParts(t, gate.allow, func(s ssh.Session) {
		id, _ := s.Context().Value(identityKey).(identity)
		fmt.Fprintf(s, "%s %s", id.role, id.fp)
	}, gate.middleware)

	who := func(c *gossh.Client) (string, error) {
		s, err := c.NewSession()
		if err != nil {
			return "", err
		}
		defer s.Close()
		var stderr testenv.SyncBuffer
		s.Stderr = &stderr
		out, err := s.Output("")
		if err != nil {
			return stderr.String(), err
		}
		return string(out), nil
	}
	for _, k := range []struct {
		key  testenv.Key
		want string
	}{{alice, "read-write " + alice.FP}, {bob, "read-only " + bob.FP}} {
		c, err := dialKey(addr, k.key)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := who(c); err != nil || got != k.want {
			t.Errorf("session: %q %v, want %q", got, err, k.want)
		}
		c.Close()
	}
	if c, err := dialKey(addr, stranger); err == nil {
		c.Close()
		t.Error("an unknown key was let in")
	}

	// alice's connection is open; her key goes; her next session is refused
	c, err := dialKey(addr, alice)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	testenv.WriteKeys(t, rw)
	keys.load()
	got, err := who(c)
	var ee *gossh.ExitError
	if !errors.As(err, &ee) || ee.ExitStatus() != 1 || !strings.Contains(got, "no longer) authorized") {
		t.Errorf("a session of a removed key: %q %v", got, err)
	}
	if !strings.Contains(log.String(), `"session-refused"`) || !strings.Contains(log.String(), `"reason":"key"`) ||
		!strings.Contains(log.String(), alice.FP) {
		t.Errorf("no audit line for the refused session:\n%s", log.String())
	}
}
