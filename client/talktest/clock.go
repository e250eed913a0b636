package talktest

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// The server's clock as the client sees it, and brute-force throttling as
// the client notices it.
//
// A real server's Date header comes from the same clock PHP reads for lobby
// timers: a server whose clock is off sends a Date header off by as much,
// and lifts lobby timers by its own clock. WithClockSkew and SetClockSkew
// model that: the skew is added to the server's clock (WithClock, default
// time.Now), so the Date header of every answer, lobby timers,
// lastActivity and scheduled events (At) all follow the skewed clock.
//
// Brute-force throttling (Nextcloud's Throttler) delays every request from
// an address with failed attempts. The client notices it in two places:
// the core capability bruteforce.delay (the delay for this address in
// milliseconds, over all actions) and the header
// X-Nextcloud-Bruteforce-Throttled: "<N>ms" on the answers of endpoints
// protected by BruteForceProtection (of those talktest serves: GET
// /room/{token}). talktest computes the delay from the failed logins as the
// Throttler does (0.1 s × 2^attempts, at most 25 s) or takes the one set
// with SetThrottle; it never sleeps.

// WithClockSkew makes the server's clock run d ahead (negative: behind) of
// the clock it would otherwise have: the Date header of every answer and
// everything the server clock decides follow it.
func WithClockSkew(d time.Duration) Option {
	return func(s *Server) { s.skew.Store(int64(d)) }
}

// SetClockSkew changes the skew of the server's clock (see WithClockSkew).
func (s *Server) SetClockSkew(d time.Duration) { s.skew.Store(int64(d)) }

// skewedLocked sets s.now to base plus the skew (read at every call, so
// SetClockSkew takes effect at once).
func (s *Server) skewedLocked(base func() time.Time) {
	s.now = func() time.Time { return base().Add(time.Duration(s.skew.Load())) }
}

// setDateHeader sets the Date header from the server's clock, as a real
// server's web server does from the machine's clock.
func (s *Server) setDateHeader(w http.ResponseWriter) {
	w.Header().Set("Date", s.Now().UTC().Format(http.TimeFormat))
}

// SetThrottle makes the server throttle every address by d, as the
// brute-force protection does after failed attempts (0: only the failed
// logins count): capabilities' bruteforce.delay says d in milliseconds,
// and GET /room/{token} answers carry X-Nextcloud-Bruteforce-Throttled.
// talktest does not sleep.
func (s *Server) SetThrottle(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttle = d
}

// Throttler constants of Nextcloud (lib/private/Security/Bruteforce/Throttler.php).
const (
	bruteFirstDelay  = 0.1 // seconds
	bruteMaxDelayMS  = 25000
	bruteMaxAttempts = 10
)

// bruteDelayMS is the Throttler's delay for a number of failed attempts,
// in milliseconds.
func bruteDelayMS(attempts int) int {
	if attempts <= 0 {
		return 0
	}
	if attempts > bruteMaxAttempts {
		return bruteMaxDelayMS
	}
	d := bruteFirstDelay * math.Pow(2, float64(attempts))
	if d*1000 > bruteMaxDelayMS {
		return bruteMaxDelayMS
	}
	return int(math.Ceil(d * 1000))
}

// throttleMSLocked is the delay of an address in milliseconds.
func (s *Server) throttleMSLocked(ip string) int {
	return max(int(s.throttle/time.Millisecond), bruteDelayMS(s.failuresLocked(ip)))
}

// bruteForceHeader adds X-Nextcloud-Bruteforce-Throttled to the answer of
// a brute-force protected endpoint while the address is throttled.
func (s *Server) bruteForceHeader(rw *respWriter, routeName string) {
	if routeName != "room" {
		return
	}
	s.mu.Lock()
	ms := s.throttleMSLocked(clientIP(rw.r))
	s.mu.Unlock()
	if ms > 0 {
		rw.w.Header().Set("X-Nextcloud-Bruteforce-Throttled", strconv.Itoa(ms)+"ms")
	}
}
