// Package talktest is an in-memory Nextcloud Talk server over real HTTP on
// 127.0.0.1, for talkmod's tests and demo mode.
//
// It answers like the Nextcloud 31.0.6 / Talk 21 server recorded in
// client/testdata/recorded: same paths, OCS envelopes (JSON, or XML where
// the real server picks XML), status codes, error payloads, headers and
// session cookies. Only what a moderator console needs is served: the
// capabilities, the room list and single room, the webinar lobby and SIP
// endpoints, the participant list, the signaling settings (for the SIP
// dial-in text only: no ticket, no signaling), the current user, Login
// Flow v2 and app-password revocation.
//
// The world is changed directly through the Server's methods (AddUser,
// AddRoom, SetSIPConfig, Demote, StartCall, ...) and, at the moment a
// webinar change arrives, through OnAction. Failures are injected with
// FailNext, CutNext, SetDelay, SetMaintenance and the brute-force threshold;
// a server clock that is off (its Date header too) with SetClockSkew, and
// brute-force throttling short of the maximum with SetThrottle (clock.go).
//
// The chat (chat.go) answers as the M recordings show: history, long
// poll, posts, deletions, read-only and the lobby's 412.
//
// Not modelled: room creation and participant management over HTTP,
// calls (other than a hasCall flag), guests, federation beyond the 406
// answer, the per-token brute-force action of GET /room/{token}, and the
// growing delays before the brute-force maximum (talktest never sleeps
// unless SetDelay is used).
package talktest

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/talkmod/talkmod/models"
)

// Option configures a Server in New.
type Option func(*Server)

// WithClock sets the server's clock (default time.Now). Lobby timers,
// lastActivity, X-Nextcloud-Talk-Modified-Before, the brute-force window
// and scheduled events (At) all follow it.
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.now = now
		}
	}
}

// WithListener makes the server accept connections on l instead of a free
// port of 127.0.0.1 (e.g. a demo server on a chosen address). The server
// closes l on Close.
func WithListener(l net.Listener) Option {
	return func(s *Server) { s.listener = l }
}

// Action is a webinar change as it arrives, before it is handled.
type Action struct {
	// User is the authenticated user id.
	User string
	// Token is the room token of the path.
	Token string
	// Kind is "lobby" or "sip".
	Kind string
	// State is the requested state after PHP-style int casting (0 when
	// missing or unreadable).
	State int
	// Timer is the requested lobby timer (0 = none).
	Timer int64
}

// Request is one request as the server saw it (see Requests).
type Request struct {
	Time     time.Time
	Method   string
	Path     string
	RawQuery string
	// Header is a copy of the request headers; Authorization and Cookie
	// values are redacted.
	Header http.Header
	Body   string
	// User is the basic-auth user name sent ("" when none).
	User string
	// HasAuth is true when the request carried an Authorization header;
	// HasCookie when it carried a session cookie.
	HasAuth, HasCookie bool
}

type user struct {
	id, display string
	groups      []string
	passwords   map[string]bool // app passwords
	// login is the login password ("" = none; SetLoginPassword).
	login string
	// email is the account's e-mail (SetEmail; the attendance list).
	email string
}

type failRule struct {
	suffix string
	n      int
	status int
	body   string
	cut    bool
}

type session struct {
	user, password, passphrase string
	// login: logged in with the login password, not an app password;
	// token: that login created a session token (see cookiepitfall.go).
	login, token bool
	// talk maps a room token to the Talk session joinRoom started in
	// this (cookie) session, as spreed keeps spreed-session[token] in the
	// PHP session.
	talk map[string]string
	// guest maps a room token to the guest attendee this (anonymous)
	// session joined as; guest sessions have no user.
	guest map[string]int64
}

type event struct {
	at time.Time
	fn func(*Server)
}

// Server is the fake Nextcloud. Create it with New; all methods are safe
// for concurrent use.
type Server struct {
	// URL is the base URL, http://127.0.0.1:PORT, without a trailing slash.
	URL string

	hs *httptest.Server

	mu             sync.Mutex
	now            func() time.Time
	users          map[string]*user
	rooms          map[string]*room
	nextRoomID     int64
	nextAttendee   int64
	nextMessage    int64
	sipConfigured  bool
	sipGroups      []string
	sipDialIn      string
	onAction       func(Action)
	rules          []*failRule
	delay          time.Duration
	bruteThreshold int
	failures       map[string][]time.Time
	maintenance    bool
	requests       []Request
	sessions       map[string]*session
	flows          map[string]*loginFlow // by poll token
	flowsByLogin   map[string]*loginFlow // by login token
	events         []event
	instanceID     string
	listener       net.Listener
	faults         *faultState   // WithFaults (faults.go)
	chatSecond     time.Duration // WithChatSecond (chat.go)
	skew           atomic.Int64  // nanoseconds the clock is off (clock.go)
	throttle       time.Duration

	closeOnce sync.Once
	closing   chan struct{}
	closers   []func()
}

// New starts a server on a free port of 127.0.0.1. It has no users and no
// rooms, SIP is not configured, and the brute-force threshold is 10.
func New(opts ...Option) *Server {
	s := &Server{
		now:            time.Now,
		users:          map[string]*user{},
		rooms:          map[string]*room{},
		nextMessage:    100,
		bruteThreshold: 10,
		failures:       map[string][]time.Time{},
		sessions:       map[string]*session{},
		flows:          map[string]*loginFlow{},
		flowsByLogin:   map[string]*loginFlow{},
		instanceID:     "oc" + randomString(10, lowerDigits),
		sipDialIn:      DefaultSIPDialInInfo,
		closing:        make(chan struct{}),
		chatSecond:     time.Second,
	}
	for _, o := range opts {
		o(s)
	}
	s.skewedLocked(s.now)
	s.hs = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	if s.listener != nil {
		_ = s.hs.Listener.Close()
		s.hs.Listener = s.listener
	}
	// Set before the first request can arrive: handlers read it.
	s.URL = "http://" + s.hs.Listener.Addr().String()
	s.hs.Start()
	return s
}

// Close stops the server, ends any pending delay, and stops the timers of
// the server (e.g. the demo's). It waits for running requests to end.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closing)
		s.mu.Lock()
		closers := s.closers
		s.closers = nil
		s.mu.Unlock()
		for _, c := range closers {
			c()
		}
		s.hs.CloseClientConnections()
		s.hs.Close()
	})
}

// onClose registers a function Close calls.
func (s *Server) onClose(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closers = append(s.closers, fn)
}

// Now is the server clock's current time.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}

// At schedules fn to run, without the server's lock held, before the first
// request handled at or after t by the server clock (and before Room or
// SIPConfigured answer). The demo uses it to switch SIP off.
func (s *Server) At(t time.Time, fn func(*Server)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, event{at: t, fn: fn})
}

// runDue runs the scheduled events that are due.
func (s *Server) runDue() {
	s.mu.Lock()
	now := s.now()
	var due []event
	rest := s.events[:0]
	for _, e := range s.events {
		if !e.at.After(now) {
			due = append(due, e)
		} else {
			rest = append(rest, e)
		}
	}
	s.events = rest
	s.mu.Unlock()
	for _, e := range due {
		e.fn(s)
	}
}

// AddUser adds a user (display name = id) with an app password and groups.
// Calling it again for an existing user adds the password and groups.
func (s *Server) AddUser(id, appPassword string, groups ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[id]
	if u == nil {
		u = &user{id: id, display: id, passwords: map[string]bool{}}
		s.users[id] = u
	}
	if appPassword != "" {
		u.passwords[appPassword] = true
	}
	u.groups = append(u.groups, groups...)
}

// SetDisplayName sets a user's display name.
func (s *Server) SetDisplayName(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.users[id]; u != nil {
		u.display = name
	}
}

// AddAppPassword creates a new random app password for an existing user
// and returns it ("" when the user does not exist).
func (s *Server) AddAppPassword(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[id]
	if u == nil {
		return ""
	}
	pw := randomString(72, alnum)
	u.passwords[pw] = true
	return pw
}

// AppPasswordValid reports whether pw is a valid app password of user.
func (s *Server) AppPasswordValid(user, pw string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[user]
	return u != nil && u.passwords[pw]
}

// RevokeAppPassword invalidates an app password (and the sessions opened
// with it).
func (s *Server) RevokeAppPassword(user, pw string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revokeLocked(user, pw)
}

func (s *Server) revokeLocked(user, pw string) {
	if u := s.users[user]; u != nil {
		delete(u.passwords, pw)
	}
	for id, se := range s.sessions {
		if se.user == user && se.password == pw {
			delete(s.sessions, id)
		}
	}
}

// OnAction sets a function called before each webinar PUT (lobby or SIP)
// of an authenticated user is handled, without the server's lock held: it
// may change the world (Demote, SetSIPConfig, ...) "as another moderator
// would" at that moment. nil removes it.
func (s *Server) OnAction(fn func(a Action)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onAction = fn
}

// FailNext makes the next n requests whose path ends with path get status
// and body instead of the real answer (before any other check). The body's
// content type is guessed: JSON for {…} or […], XML for <?xml, HTML for
// other <…, else plain text.
func (s *Server) FailNext(path string, n, status int, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = append(s.rules, &failRule{suffix: path, n: n, status: status, body: body})
}

// CutNext makes the next n requests whose path ends with path get no answer
// at all: the connection is closed. Note that Go's http.Transport silently
// retries an idempotent request (GET, or one with an Idempotency-Key) once
// when a reused keep-alive connection closes without an answer: to make a
// GET fail through such a client, cut 2.
func (s *Server) CutNext(path string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = append(s.rules, &failRule{suffix: path, n: n, cut: true})
}

// SetDelay delays every answer by d (0 = none). Close ends pending delays.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// SetBruteForceThreshold sets after how many failed logins (within 30
// minutes) every request from the address gets 429 "Reached maximum delay",
// even with the right password. Default 10; 0 or less disables it.
func (s *Server) SetBruteForceThreshold(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bruteThreshold = n
}

// ResetBruteForce forgets all failed logins.
func (s *Server) ResetBruteForce() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = map[string][]time.Time{}
}

// FailedLogins is the number of failed logins counted (all addresses,
// within the last 30 minutes).
func (s *Server) FailedLogins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for ip := range s.failures {
		n += s.failuresLocked(ip)
	}
	return n
}

// SetMaintenance switches maintenance mode: every request gets 503 with
// X-Nextcloud-Maintenance-Mode: 1.
func (s *Server) SetMaintenance(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maintenance = on
}

// maxRequestLog bounds the request log, so that a long-running demo
// server does not grow without end.
const maxRequestLog = 10000

// Requests is the log of the requests received, oldest first (the last
// 10,000: older ones are dropped).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	copy(out, s.requests)
	return out
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// SetSIPConfig says whether the SIP bridge is configured (shared secret and
// dial-in info set by the admin), and which groups may enable SIP (none =
// everyone).
func (s *Server) SetSIPConfig(configured bool, groups ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sipConfigured = configured
	s.sipGroups = append([]string(nil), groups...)
}

// DefaultSIPDialInInfo is the dial-in text of a new Server.
const DefaultSIPDialInInfo = "+1 555 0100"

// SetSIPDialInInfo sets the dial-in text the administrator typed (Talk's
// sip_bridge_dialin_info, usually the phone numbers to call). It is served
// as sipDialinInfo by the signaling settings while SIP is configured (""
// otherwise) and, like on a real server, it is part of the
// X-Nextcloud-Talk-Hash. A real server counts SIP as configured only when
// this text is non-empty; talktest leaves that switch to SetSIPConfig.
func (s *Server) SetSIPDialInInfo(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sipDialIn = text
}

// SIPConfigured reports whether the SIP bridge is configured.
func (s *Server) SIPConfigured() bool {
	s.runDue()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sipConfigured
}

// talkHash is X-Nextcloud-Talk-Hash: it changes with the SIP config.
func (s *Server) talkHashLocked() string {
	return sha1Hex(fmt.Sprintf("talk21|sip=%v|groups=%s|dialin=%s", s.sipConfigured, strings.Join(s.sipGroups, ","), s.sipDialIn))
}

// inSIPGroupsLocked: the user may enable SIP by the admin's group setting.
func (s *Server) inSIPGroupsLocked(uid string) bool {
	if len(s.sipGroups) == 0 {
		return true
	}
	u := s.users[uid]
	if u == nil {
		return false
	}
	for _, g := range u.groups {
		for _, sg := range s.sipGroups {
			if g == sg {
				return true
			}
		}
	}
	return false
}

const bruteWindow = 30 * time.Minute

func (s *Server) failuresLocked(ip string) int {
	now := s.now()
	list := s.failures[ip]
	kept := list[:0]
	for _, t := range list {
		if now.Sub(t) < bruteWindow {
			kept = append(kept, t)
		}
	}
	s.failures[ip] = kept
	return len(kept)
}

// ---- HTTP plumbing ----

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	_ = r.Body.Close()

	s.mu.Lock()
	s.logLocked(r, body)
	delay := s.delay
	fs := s.faults
	var rule *failRule
	for i, fr := range s.rules {
		if strings.HasSuffix(r.URL.Path, fr.suffix) {
			rule = fr
			fr.n--
			if fr.n <= 0 {
				s.rules = append(s.rules[:i], s.rules[i+1:]...)
			}
			break
		}
	}
	s.mu.Unlock()
	var fp plan
	if fs != nil {
		fp = fs.draw(r)
		delay += fp.delay
	}

	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-s.closing:
			t.Stop()
			return
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	s.setDateHeader(w)
	if rule != nil && rule.cut {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	if fs != nil && rule == nil && s.serveFault(fs, fp, w, r, body) {
		return
	}
	s.runDue()
	rw := &respWriter{s: s, w: w, r: r}
	if rule != nil {
		rw.sessionCookies()
		w.Header().Set("Content-Type", guessContentType(rule.body))
		w.WriteHeader(rule.status)
		_, _ = io.WriteString(w, rule.body)
		return
	}
	s.handle(rw, r, body)
}

func (s *Server) logLocked(r *http.Request, body []byte) {
	h := r.Header.Clone()
	if h.Get("Authorization") != "" {
		h.Set("Authorization", "[redacted]")
	}
	if h.Get("Cookie") != "" {
		h.Set("Cookie", "[redacted]")
	}
	u, _, hasAuth := r.BasicAuth()
	_, cerr := r.Cookie(s.instanceID)
	if len(s.requests) >= maxRequestLog {
		n := copy(s.requests, s.requests[len(s.requests)-maxRequestLog/2:])
		clear(s.requests[n:])
		s.requests = s.requests[:n]
	}
	s.requests = append(s.requests, Request{
		Time: s.now(), Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Header: h, Body: string(body), User: u,
		HasAuth: hasAuth || r.Header.Get("Authorization") != "", HasCookie: cerr == nil,
	})
}

func guessContentType(body string) string {
	b := strings.TrimSpace(body)
	switch {
	case strings.HasPrefix(b, "{") || strings.HasPrefix(b, "["):
		return "application/json; charset=utf-8"
	case strings.HasPrefix(b, "<?xml"):
		return "text/xml; charset=UTF-8"
	case strings.HasPrefix(b, "<"):
		return "text/html; charset=UTF-8"
	}
	return "text/plain; charset=utf-8"
}

// respWriter writes answers in the shapes the real server uses.
type respWriter struct {
	s *Server
	w http.ResponseWriter
	r *http.Request
	// sess is the session to keep (nil = a fresh anonymous one).
	sessID string
	sess   *session
}

// sessionCookies sets the cookies every Nextcloud answer sets.
func (rw *respWriter) sessionCookies() {
	h := rw.w.Header()
	id, pass := rw.sessID, ""
	if rw.sess != nil {
		pass = rw.sess.passphrase
	}
	if id == "" {
		id = randomString(26, lowerDigits)
	}
	if pass == "" {
		pass = randomString(128, alnum)
	}
	h.Add("Set-Cookie", "oc_sessionPassphrase="+pass+"; path=/; HttpOnly; SameSite=Lax")
	h.Add("Set-Cookie", "nc_sameSiteCookielax=true; path=/; httponly;expires=Fri, 31-Dec-2100 23:59:59 GMT; SameSite=lax")
	h.Add("Set-Cookie", "nc_sameSiteCookiestrict=true; path=/; httponly;expires=Fri, 31-Dec-2100 23:59:59 GMT; SameSite=strict")
	h.Add("Set-Cookie", rw.s.instanceID+"="+id+"; path=/; HttpOnly; SameSite=Lax")
}

func (rw *respWriter) commonHeaders() {
	h := rw.w.Header()
	rw.sessionCookies()
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("X-Permitted-Cross-Domain-Policies", "none")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("X-XSS-Protection", "1; mode=block")
	h.Set("X-Request-Id", randomString(20, alnum))
	h.Set("Cache-Control", "no-cache, no-store, must-revalidate")
	h.Set("Content-Security-Policy", "default-src 'none';base-uri 'none';manifest-src 'self';frame-ancestors 'none'")
}

// formatParam is the format the server-level (ocs/v1.php) answers use:
// only the format query parameter counts, XML by default.
func formatParam(r *http.Request) string {
	if strings.EqualFold(r.URL.Query().Get("format"), "json") {
		return "json"
	}
	return "xml"
}

// controllerFormat is the format of Talk's own (AppFramework) answers: the
// format parameter, else the Accept header, else XML.
func controllerFormat(r *http.Request) string {
	if f := r.URL.Query().Get("format"); f != "" {
		if strings.EqualFold(f, "json") {
			return "json"
		}
		return "xml"
	}
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		return "json"
	}
	return "xml"
}

var emptyArray = json.RawMessage(`[]`)

type ocsMeta struct {
	Status     string `json:"status"`
	StatusCode int    `json:"statuscode"`
	Message    string `json:"message"`
}

type ocsBody struct {
	OCS struct {
		Meta ocsMeta `json:"meta"`
		Data any     `json:"data"`
	} `json:"ocs"`
}

// ocs writes an OCS v2 envelope in format ("json" or "xml"). data nil is
// written as [] (PHP's empty array); use json.RawMessage("null") for null.
func (rw *respWriter) ocs(format string, httpStatus, ocsStatus int, message string, data any) {
	if data == nil {
		data = emptyArray
	}
	status := "ok"
	if ocsStatus < 200 || ocsStatus > 299 {
		status = "failure"
	}
	rw.commonHeaders()
	if format == "xml" {
		rw.w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
		rw.w.WriteHeader(httpStatus)
		_, _ = rw.w.Write(ocsXML(status, ocsStatus, message, data))
		return
	}
	var b ocsBody
	b.OCS.Meta = ocsMeta{Status: status, StatusCode: ocsStatus, Message: message}
	b.OCS.Data = data
	rw.writeJSON(httpStatus, b)
}

// json writes a plain JSON answer (no OCS envelope).
func (rw *respWriter) json(status int, v any) {
	rw.commonHeaders()
	rw.writeJSON(status, v)
}

func (rw *respWriter) writeJSON(status int, v any) {
	rw.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	b := marshal(v)
	rw.w.Header().Set("Content-Length", fmt.Sprint(len(b)))
	rw.w.WriteHeader(status)
	_, _ = rw.w.Write(b)
}

func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// ---- random ----

const (
	lowerDigits = "abcdefghijklmnopqrstuvwxyz0123456789"
	alnum       = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	digits      = "0123456789"
)

func randomString(n int, alphabet string) string {
	out := make([]byte, 0, n)
	limit := 256 - 256%len(alphabet) // rejection sampling: no modulo bias
	buf := make([]byte, n+n/2+8)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			panic(err)
		}
		for _, b := range buf {
			if int(b) < limit {
				out = append(out, alphabet[int(b)%len(alphabet)])
				if len(out) == n {
					break
				}
			}
		}
	}
	return string(out)
}

// isModerator: owner, moderator or guest moderator.
func isModerator(t models.ParticipantType) bool { return t.IsModerator() }
