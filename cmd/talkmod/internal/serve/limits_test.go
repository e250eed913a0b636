package serve

import (
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/ssh"
)

// addrConn is a net.Conn from a given address.
type addrConn struct {
	net.Conn
	remote net.Addr
	dl     time.Time
}

func (c *addrConn) RemoteAddr() net.Addr          { return c.remote }
func (c *addrConn) SetDeadline(t time.Time) error { c.dl = t; return nil }

func fromAddr(ip string) *addrConn {
	return &addrConn{remote: &net.TCPAddr{IP: net.ParseIP(ip), Port: 40000}}
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
	var log syncBuffer
	h := newHandshakeLimits(3, time.Minute, time.Second, &auditLog{w: &log, now: time.Now})
	for i := 0; i < 3; i++ {
		if c := h.connCallback(testContext(t), fromAddr("127.0.0.9")); c == nil {
			t.Fatalf("connection %d refused before any failure", i+1)
		}
		h.connFailed(fromAddr("127.0.0.9"), errors.New("no auth passed yet"))
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
	h.connFailed(fromAddr("127.0.0.9"), errors.New("x"))
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
