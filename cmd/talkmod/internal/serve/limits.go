package serve

import (
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
)

// handshakeLimits is the part of the server that bounds what a
// connection may cost before it has a session: an address with too many
// failed handshakes within a window is refused (one audit line per
// address and window), and a connection that does not authenticate and
// open a session in time is closed.
type handshakeLimits struct {
	failLimit  int
	failWindow time.Duration
	handshake  time.Duration
	audit      *auditLog

	mu       sync.Mutex
	failures map[string][]time.Time
	// refusedLogged: when a rate-limited address was last written to the
	// audit log
	refusedLogged map[string]time.Time
}

func newHandshakeLimits(failLimit int, failWindow, handshake time.Duration, audit *auditLog) *handshakeLimits {
	return &handshakeLimits{failLimit: failLimit, failWindow: failWindow, handshake: handshake, audit: audit,
		failures: map[string][]time.Time{}, refusedLogged: map[string]time.Time{}}
}

// install sets the server's connection callbacks.
func (h *handshakeLimits) install(s *ssh.Server) {
	s.ConnCallback = h.connCallback
	s.ConnectionFailedCallback = h.connFailed
}

func remoteIP(a net.Addr) string {
	if a == nil {
		return ""
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// connCallback refuses an address with too many failed handshakes.
func (h *handshakeLimits) connCallback(ctx ssh.Context, conn net.Conn) net.Conn {
	ip := remoteIP(conn.RemoteAddr())
	h.mu.Lock()
	n := h.recentFailuresLocked(ip)
	logIt := false
	if n >= h.failLimit {
		// one audit line per address and window, not one per refused
		// connection: a flood must not fill the disk
		if t, ok := h.refusedLogged[ip]; !ok || time.Since(t) > h.failWindow {
			if len(h.refusedLogged) > 100000 {
				clear(h.refusedLogged)
			}
			h.refusedLogged[ip] = time.Now()
			logIt = true
		}
	}
	h.mu.Unlock()
	if n >= h.failLimit {
		if logIt {
			h.audit.log(event{Event: "connection-refused", Remote: conn.RemoteAddr().String(), Outcome: "refused",
				Reason: "rate-limited", Detail: fmt.Sprintf("%d failed handshakes within %s: this address is refused until they age out", n, h.failWindow)})
		}
		return nil
	}
	// a connection that does not authenticate and open a session in
	// time is closed: idle half-open connections cost nothing to make
	hc := &handshakeConn{Conn: conn}
	hc.until.Store(time.Now().Add(h.handshake).UnixNano())
	ctx.SetValue(handshakeKey, hc)
	return hc
}

// release lifts the handshake deadline of a session's connection.
func (h *handshakeLimits) release(ctx ssh.Context) {
	if hc, ok := ctx.Value(handshakeKey).(*handshakeConn); ok {
		hc.release()
	}
}

type handshakeKeyType struct{}

var handshakeKey handshakeKeyType

// handshakeConn caps the connection's deadline until its first session
// starts (the ssh library sets the deadline before every read and write).
type handshakeConn struct {
	net.Conn
	until atomic.Int64 // unix nanoseconds; 0 once released
}

func (c *handshakeConn) SetDeadline(t time.Time) error {
	if u := c.until.Load(); u != 0 && (t.IsZero() || t.UnixNano() > u) {
		t = time.Unix(0, u)
	}
	return c.Conn.SetDeadline(t)
}

func (c *handshakeConn) release() {
	if c.until.Swap(0) != 0 {
		c.Conn.SetDeadline(time.Time{})
	}
}

func (h *handshakeLimits) recentFailuresLocked(ip string) int {
	cut := time.Now().Add(-h.failWindow)
	ts := h.failures[ip]
	i := 0
	for i < len(ts) && ts[i].Before(cut) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(h.failures, ip)
	} else {
		h.failures[ip] = ts
	}
	return len(ts)
}

func (h *handshakeLimits) connFailed(conn net.Conn, err error) {
	ip := remoteIP(conn.RemoteAddr())
	h.mu.Lock()
	h.recentFailuresLocked(ip)
	if len(h.failures) < 100000 { // bounded memory under a flood of addresses
		h.failures[ip] = append(h.failures[ip], time.Now())
	}
	h.mu.Unlock()
	h.audit.log(event{Event: "handshake-failed", Remote: conn.RemoteAddr().String(), Outcome: "refused", Message: err.Error()})
}
