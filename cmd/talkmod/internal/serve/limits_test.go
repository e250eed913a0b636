package serve

import (
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
)

// addrConn is a net.Conn from a given address.
type addrConn struct {
	net.Conn
	remote net.Addr
	dl     time.Time
}

func (c *addrConn) RemoteAddr() net.Addr          { return c.remote }
func (c *addrConn) SetDeadline(t time.Time) error { c.dl = t; return nil }

func fromAddr(ip string) *addrConn { return fromPort(ip, 40000) }

func fromPort(ip string, port int) *addrConn {
	return &addrConn{remote: &net.TCPAddr{IP: net.ParseIP(ip), Port: port}}
}

// connMeta is the part of gossh.ConnMetadata the callbacks use.
type connMeta struct {
	gossh.ConnMetadata
	remote net.Addr
}

func (c connMeta) RemoteAddr() net.Addr { return c.remote }

// failedHandshake is a connection that offers a key, is refused and gives
// up, as the ssh library reports it.
func failedHandshake(t *testing.T, h *handshakeLimits, ip string, port int) {
	t.Helper()
	c := fromPort(ip, port)
	if h.connCallback(testContext(t), c) == nil {
		t.Fatalf("connection from %s refused", ip)
	}
	h.authLog(connMeta{remote: c.remote}, "none", errors.New("no auth passed yet"))
	h.authLog(connMeta{remote: c.remote}, "publickey", errors.New("refused"))
	h.connFailed(c, &gossh.ServerAuthError{})
	h.done(h.pending[c.remote.String()])
}

// valuesContext is the part of an ssh.Context the callbacks use: values.
type valuesContext struct {
	ssh.Context
	values map[any]any
}

func (c *valuesContext) Value(k any) any   { return c.values[k] }
func (c *valuesContext) SetValue(k, v any) { c.values[k] = v }

func testContext(t *testing.T) ssh.Context {
	t.Helper()
	return &valuesContext{values: map[any]any{}}
}

// TestHandshakeLimitsRefuseAnAddressAfterFailures: failLimit failed
// handshakes within the window refuse the address (with one audit line
// however many connections follow); other addresses are not affected.
func TestHandshakeLimitsRefuseAnAddressAfterFailures(t *testing.T) {
	var log testenv.SyncBuffer
	h := newHandshakeLimits(3, time.Minute, time.Second, &auditLog{w: &log, now: time.Now})
	for i := 0; i < 3; i++ {
		failedHandshake(t, h, "127.0.0.9", 40000+i)
	}
	for i := 0; i < 5; i++ {
		if c := h.connCallback(testContext(t), fromAddr("127.0.0.9")); c != nil {
			t.Fatal("an address with 3 failures in the window was let in")
		}
	}
	if c := h.connCallback(testContext(t), fromAddr("127.0.0.10")); c == nil {
		t.Error("another address was refused")
	}
	if n := strings.Count(log.String(), `"rate-limited"`); n != 1 {
		t.Errorf("%d rate-limited lines, want 1:\n%s", n, log.String())
	}
	if n := strings.Count(log.String(), `"handshake-failed"`); n != 3 {
		t.Errorf("%d handshake-failed lines, want 3", n)
	}
}

// TestHandshakeLimitsAgeOut: failures older than the window no longer
// count.
func TestHandshakeLimitsAgeOut(t *testing.T) {
	h := newHandshakeLimits(1, 50*time.Millisecond, time.Second, &auditLog{w: io.Discard, now: time.Now})
	failedHandshake(t, h, "127.0.0.9", 40000)
	if h.connCallback(testContext(t), fromAddr("127.0.0.9")) != nil {
		t.Fatal("not refused within the window")
	}
	time.Sleep(100 * time.Millisecond)
	if h.connCallback(testContext(t), fromAddr("127.0.0.9")) == nil {
		t.Error("still refused after the window")
	}
}

// TestHandshakeDeadlineCapsUntilReleased: until release, no deadline the
// ssh library sets may pass the handshake limit (and "none" becomes the
// limit); after release, deadlines are the library's again.
func TestHandshakeDeadlineCapsUntilReleased(t *testing.T) {
	h := newHandshakeLimits(10, time.Minute, time.Second, &auditLog{w: io.Discard, now: time.Now})
	ctx := testContext(t)
	raw := fromAddr("127.0.0.9")
	c := h.connCallback(ctx, raw)
	limit := time.Now().Add(time.Second)
	c.SetDeadline(time.Time{})
	if raw.dl.IsZero() || raw.dl.After(limit.Add(50*time.Millisecond)) {
		t.Errorf("no deadline became %v, want about %v", raw.dl, limit)
	}
	c.SetDeadline(time.Now().Add(time.Hour))
	if raw.dl.After(limit.Add(50 * time.Millisecond)) {
		t.Errorf("an hour's deadline was not capped: %v", raw.dl)
	}
	h.release(ctx)
	if !raw.dl.IsZero() {
		t.Errorf("release left a deadline: %v", raw.dl)
	}
	later := time.Now().Add(time.Hour)
	c.SetDeadline(later)
	if !raw.dl.Equal(later) {
		t.Errorf("after release a deadline was changed: %v", raw.dl)
	}
}
