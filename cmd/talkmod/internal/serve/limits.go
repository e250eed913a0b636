package serve

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// handshakeLimits is the part of the server that bounds what a connection
// may cost before it has a console (as OpenSSH's MaxStartups and
// LoginGraceTime do):
//   - at most maxPendingPerAddr connections without a console from one
//     address; more are closed at once, before the SSH version exchange;
//   - at most maxPending connections without a console in all: a new one
//     beyond closes the oldest of the address with the most, so that
//     silent connections from many addresses cannot lock a client out;
//   - a connection without a console after the handshake limit (30 s) is
//     closed;
//   - an address whose clients failed to authenticate failLimit times
//     within failWindow is refused until the failures age out. Only real
//     failures count (a key or a password tried and refused): a bare TCP
//     connect, a port scan, a health check or a silent connection does not,
//     so they cannot lock out everyone behind a shared address.
type handshakeLimits struct {
	failLimit         int
	failWindow        time.Duration
	handshake         time.Duration
	maxPending        int
	maxPendingPerAddr int
	audit             *auditLog

	mu       sync.Mutex
	failures map[string][]time.Time
	pending  map[string]*handshakeConn // by remote address (ip:port)
	perAddr  map[string]int            // pending connections by ip
	// failing: connections closed before they authenticated, kept for
	// connFailed (the ssh library closes a connection before it reports
	// the failure)
	failing map[string]*handshakeConn
	// refusedLogged: when a refused address was last written to the
	// audit log (one line per address and window, not one per connection)
	refusedLogged map[string]time.Time
}

func newHandshakeLimits(failLimit int, failWindow, handshake time.Duration, audit *auditLog) *handshakeLimits {
	return &handshakeLimits{failLimit: failLimit, failWindow: failWindow, handshake: handshake, audit: audit,
		maxPending: 100, maxPendingPerAddr: 10,
		failures: map[string][]time.Time{}, pending: map[string]*handshakeConn{}, perAddr: map[string]int{}, failing: map[string]*handshakeConn{},
		refusedLogged: map[string]time.Time{}}
}

// install sets the server's connection callbacks.
func (h *handshakeLimits) install(s *ssh.Server) {
	s.ConnCallback = h.connCallback
	s.ConnectionFailedCallback = h.connFailed
	s.ServerConfigCallback = func(ssh.Context) *gossh.ServerConfig {
		return &gossh.ServerConfig{MaxAuthTries: 6, AuthLogCallback: h.authLog}
	}
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

// connCallback refuses an address with too many failed handshakes or too
// many connections without a console, and caps the deadline of the
// others.
func (h *handshakeLimits) connCallback(ctx ssh.Context, conn net.Conn) net.Conn {
	ip := remoteIP(conn.RemoteAddr())
	h.mu.Lock()
	n := h.recentFailuresLocked(ip)
	reason, detail := "", ""
	switch {
	case n >= h.failLimit:
		reason, detail = "rate-limited", fmt.Sprintf("%d failed handshakes within %s: this address is refused until they age out", n, h.failWindow)
	case h.perAddr[ip] >= h.maxPendingPerAddr:
		reason, detail = "too-many-unauthenticated", fmt.Sprintf("%d connections from this address without a console yet: more are refused until they finish", h.perAddr[ip])
	}
	var evicted *handshakeConn
	if reason == "" && len(h.pending) >= h.maxPending {
		// full: the oldest connection of the address with the most
		// makes room, so that silent connections from many addresses
		// cannot keep a new client (who needs a moment) out
		evicted = h.victimLocked()
	}
	logIt := false
	if reason != "" {
		if t, ok := h.refusedLogged[ip+reason]; !ok || time.Since(t) > h.failWindow {
			if len(h.refusedLogged) > 100000 {
				clear(h.refusedLogged)
			}
			h.refusedLogged[ip+reason] = time.Now()
			logIt = true
		}
		h.mu.Unlock()
		if logIt {
			h.audit.log(event{Event: "connection-refused", Remote: conn.RemoteAddr().String(), Outcome: "refused", Reason: reason, Detail: detail})
		}
		return nil
	}
	hc := &handshakeConn{Conn: conn, limits: h, ip: ip, key: conn.RemoteAddr().String(), since: time.Now()}
	hc.until.Store(time.Now().Add(h.handshake).UnixNano())
	h.pending[hc.key] = hc
	h.perAddr[ip]++
	h.mu.Unlock()
	if evicted != nil {
		evicted.Conn.Close()
	}
	ctx.SetValue(handshakeKey, hc)
	return hc
}

// victimLocked takes the connection to close off the pending ones: the
// oldest of the address with the most pending connections.
func (h *handshakeLimits) victimLocked() *handshakeConn {
	most := 0
	for _, n := range h.perAddr {
		most = max(most, n)
	}
	var v *handshakeConn
	for _, hc := range h.pending {
		if h.perAddr[hc.ip] == most && (v == nil || hc.since.Before(v.since)) {
			v = hc
		}
	}
	if v != nil {
		h.doneLocked(v)
	}
	return v
}

// done takes a connection off the pending ones (once).
func (h *handshakeLimits) done(hc *handshakeConn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.doneLocked(hc)
}

func (h *handshakeLimits) doneLocked(hc *handshakeConn) {
	if h.pending[hc.key] != hc {
		return
	}
	delete(h.pending, hc.key)
	if h.perAddr[hc.ip]--; h.perAddr[hc.ip] <= 0 {
		delete(h.perAddr, hc.ip)
	}
	if !hc.authed.Load() && hc.until.Load() != 0 {
		if len(h.failing) > 10000 {
			clear(h.failing)
		}
		h.failing[hc.key] = hc
	}
}

// release: the session has its console; the connection's deadline is
// lifted and it no longer counts as pending.
func (h *handshakeLimits) release(ctx ssh.Context) {
	if hc, ok := ctx.Value(handshakeKey).(*handshakeConn); ok {
		hc.release()
		h.done(hc)
	}
}

// authLog counts a connection's refused authentication attempts.
func (h *handshakeLimits) authLog(conn gossh.ConnMetadata, method string, err error) {
	if method == "none" {
		return
	}
	h.mu.Lock()
	hc := h.pending[conn.RemoteAddr().String()]
	h.mu.Unlock()
	switch {
	case hc == nil:
	case err == nil:
		hc.authed.Store(true)
	default:
		hc.refused.Add(1)
	}
}

type handshakeKeyType struct{}

var handshakeKey handshakeKeyType

// noteOffered records a key the client offered (for the audit line of a
// failed handshake).
func noteOffered(ctx ssh.Context, key ssh.PublicKey) {
	hc, ok := ctx.Value(handshakeKey).(*handshakeConn)
	if !ok || key == nil {
		return
	}
	fp := gossh.FingerprintSHA256(key)
	hc.mu.Lock()
	defer hc.mu.Unlock()
	for _, o := range hc.offered {
		if o == fp {
			return
		}
	}
	if len(hc.offered) < 8 {
		hc.offered = append(hc.offered, fp)
	}
}

// handshakeConn caps the connection's deadline until its session has a
// console (the ssh library sets the deadline before every read and write).
type handshakeConn struct {
	net.Conn
	limits  *handshakeLimits
	ip, key string
	since   time.Time
	until   atomic.Int64 // unix nanoseconds; 0 once released
	refused atomic.Int32 // refused authentication attempts
	authed  atomic.Bool
	closed  sync.Once

	mu      sync.Mutex
	offered []string // fingerprints of the keys offered
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

func (c *handshakeConn) Close() error {
	c.closed.Do(func() { c.limits.done(c) })
	return c.Conn.Close()
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

// connFailed is called when a connection ends without a working SSH
// connection. It counts (and writes to the audit log) only a failed
// authentication: keys or passwords tried and refused.
func (h *handshakeLimits) connFailed(conn net.Conn, err error) {
	key := conn.RemoteAddr().String()
	h.mu.Lock()
	hc := h.failing[key]
	delete(h.failing, key)
	if hc == nil {
		hc = h.pending[key]
	}
	h.mu.Unlock()
	var ae *gossh.ServerAuthError
	if hc == nil || !errors.As(err, &ae) || hc.refused.Load() == 0 {
		return
	}
	ip := remoteIP(conn.RemoteAddr())
	h.mu.Lock()
	h.recentFailuresLocked(ip)
	if len(h.failures) < 100000 { // bounded memory under a flood of addresses
		h.failures[ip] = append(h.failures[ip], time.Now())
	}
	h.mu.Unlock()
	hc.mu.Lock()
	offered := strings.Join(hc.offered, " ")
	hc.mu.Unlock()
	h.audit.log(event{Event: "handshake-failed", Remote: key, Outcome: "refused", Message: err.Error(),
		Detail: fmt.Sprintf("%d refused attempts; keys offered: %s", hc.refused.Load(), cmp.Or(offered, "none"))})
}
