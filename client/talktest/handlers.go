package talktest

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/talkmod/talkmod/models"
)

const invalidQuery = "Invalid query, please check the syntax. API specifications are here: http://www.freedesktop.org/wiki/Specifications/open-collaboration-services.\n"

var tokenRe = regexp.MustCompile(`^[a-z0-9]{4,30}$`)

// route is a matched OCS route.
type route struct {
	name   string // capabilities, user, apppassword, rooms, room, lobby, sip, participants
	method string
	token  string
	public bool
	// anon404: without a login the controller answers 404 [] (Talk's
	// public pages that look the participant up).
	anon404 bool
	// msgID is the message id of chat/{token}/{id} (chat.go).
	msgID string
}

func matchOCS(rest string) (route, bool) {
	if tok, ok := strings.CutPrefix(rest, "/apps/spreed/api/v1/guest/"); ok {
		if tok, ok = strings.CutSuffix(tok, "/name"); ok && tokenRe.MatchString(tok) {
			return route{name: "guestname", method: http.MethodPost, token: tok, public: true}, true
		}
		return route{}, false
	}
	switch rest {
	case "/cloud/capabilities":
		return route{name: "capabilities", method: http.MethodGet, public: true}, true
	case "/cloud/user":
		return route{name: "user", method: http.MethodGet}, true
	case "/core/apppassword":
		return route{name: "apppassword", method: http.MethodDelete}, true
	case "/apps/spreed/api/v4/room":
		return route{name: "rooms", method: http.MethodGet}, true
	case "/apps/spreed/api/v3/signaling/settings":
		// #[PublicPage]: anonymous requests reach the controller
		return route{name: "signaling", method: http.MethodGet, public: true}, true
	}
	if rt, ok := matchChat(rest); ok {
		return rt, true
	}
	if tok, ok := strings.CutPrefix(rest, "/apps/spreed/api/v4/call/"); ok {
		if rt, ok := matchFloor(tok); ok {
			return rt, true
		}
		if tokenRe.MatchString(tok) {
			return route{name: "call", method: methodCall, token: tok, anon404: true}, true
		}
	}
	const prefix = "/apps/spreed/api/v4/room/"
	if !strings.HasPrefix(rest, prefix) {
		return route{}, false
	}
	parts := strings.Split(strings.TrimPrefix(rest, prefix), "/")
	if !tokenRe.MatchString(parts[0]) {
		return route{}, false
	}
	tok := parts[0]
	switch strings.Join(parts[1:], "/") {
	case "":
		return route{name: "room", method: http.MethodGet, token: tok}, true
	case "webinar/lobby":
		return route{name: "lobby", method: http.MethodPut, token: tok}, true
	case "webinar/sip":
		return route{name: "sip", method: http.MethodPut, token: tok}, true
	case "participants":
		return route{name: "participants", method: http.MethodGet, token: tok, anon404: true}, true
	case "attendees/permissions":
		return route{name: "permissions", method: http.MethodPut, token: tok, anon404: true}, true
	case "attendees":
		return route{name: "attendees", method: http.MethodDelete, token: tok, anon404: true}, true
	case "read-only":
		return route{name: "readonly", method: http.MethodPut, token: tok, anon404: true}, true
	case "participants/active":
		return route{name: "active", method: methodPostOrDelete, token: tok, public: true}, true
	case "permissions/default", "permissions/call":
		return route{name: parts[2] + "perms", method: http.MethodPut, token: tok, anon404: true}, true
	case "moderators":
		return route{name: "moderators", method: methodPostOrDelete, token: tok, anon404: true}, true
	}
	return route{}, false
}

// handle answers a request after the injected failures.
func (s *Server) handle(rw *respWriter, r *http.Request, body []byte) {
	path := r.URL.Path
	isOCS := strings.HasPrefix(path, "/ocs/v2.php/")
	loginPath := strings.TrimPrefix(path, "/index.php")
	isLogin := strings.HasPrefix(loginPath, "/login/v2")

	if path == "/status.php" {
		s.mu.Lock()
		maint := s.maintenance
		s.mu.Unlock()
		rw.json(http.StatusOK, statusJSON{Installed: true, Maintenance: maint, Version: "31.0.6.2",
			VersionString: "31.0.6", ProductName: "Nextcloud"})
		return
	}

	s.mu.Lock()
	maint := s.maintenance
	ip := clientIP(r)
	throttled := s.bruteThreshold > 0 && s.failuresLocked(ip) >= s.bruteThreshold
	s.mu.Unlock()

	if maint {
		rw.w.Header().Set("X-Nextcloud-Maintenance-Mode", "1")
		if isOCS {
			rw.ocs(formatParam(r), http.StatusServiceUnavailable, 503, "Service unavailable", nil)
			return
		}
		rw.html(http.StatusServiceUnavailable, "<!DOCTYPE html><html><head><title>Nextcloud</title></head><body><h2>Maintenance mode</h2><p>This Nextcloud instance is currently in maintenance mode, which may take a while.</p></body></html>")
		return
	}
	if throttled {
		if isLogin && !isOCS {
			rw.html(http.StatusTooManyRequests, "<!DOCTYPE html><html><body><h2>Too many requests</h2></body></html>")
			return
		}
		rw.ocs(formatParam(r), http.StatusTooManyRequests, 429, "Reached maximum delay", nil)
		return
	}

	if isLogin {
		s.handleLogin(rw, r, body, loginPath)
		return
	}
	if !isOCS {
		rw.html(http.StatusNotFound, "<!DOCTYPE html><html><head><title>Nextcloud</title></head><body><h2>Page not found</h2></body></html>")
		return
	}

	uid, pw, ok := s.authenticate(rw, r, ip)
	if !ok {
		rw.w.Header().Set("WWW-Authenticate", `Basic realm="Authorisation Required"`)
		rw.ocs(formatParam(r), http.StatusUnauthorized, 997, "Unauthorised", nil)
		return
	}

	rt, found := matchOCS(strings.TrimPrefix(path, "/ocs/v2.php"))
	if !found {
		rw.ocs(formatParam(r), http.StatusNotFound, 998, invalidQuery, nil)
		return
	}
	if r.Method != rt.method && rt.method != methodChat && !(rt.method == methodPostOrDelete && (r.Method == http.MethodPost || r.Method == http.MethodDelete)) &&
		!(rt.method == methodCall && (r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodDelete)) {
		rw.commonHeaders()
		rw.w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
		rw.w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if !rt.public {
		if uid == "" && rt.anon404 && !rw.isGuest() {
			rw.ocs(controllerFormat(r), http.StatusNotFound, 404, "", nil)
			return
		}
		if uid == "" && !(rt.anon404 && rw.isGuest()) {
			rw.ocs(controllerFormat(r), http.StatusUnauthorized, 997, "Current user is not logged in", nil)
			return
		}
		if r.Header.Get("OCS-APIRequest") != "true" {
			rw.json(http.StatusPreconditionFailed, map[string]string{"message": "CSRF check failed"})
			return
		}
	}
	s.bruteForceHeader(rw, rt.name)
	switch rt.name {
	case "capabilities":
		s.handleCapabilities(rw, r, uid)
	case "user":
		s.handleUser(rw, r, uid)
	case "apppassword":
		s.mu.Lock()
		s.revokeLocked(uid, pw)
		s.mu.Unlock()
		rw.ocs(controllerFormat(r), http.StatusOK, 200, "OK", nil)
	case "rooms":
		s.handleRooms(rw, r, uid)
	case "room":
		s.handleRoom(rw, r, uid, rt.token)
	case "participants":
		s.handleParticipants(rw, r, uid, rt.token)
	case "permissions":
		s.handlePermissions(rw, r, body, uid, rt.token)
	case "attendees":
		s.handleRemoveAttendee(rw, r, body, uid, rt.token)
	case "active":
		s.handleActive(rw, r, uid, rt.token)
	case "guestname":
		s.handleGuestName(rw, r, body, rt.token)
	case "call":
		s.handleCall(rw, r, body, uid, rt.token)
	case "chat":
		s.handleChat(rw, r, body, uid, rt.token, rt.msgID)
	case "readonly":
		s.handleReadOnly(rw, r, body, uid, rt.token)
	case "lobby", "sip":
		s.handleWebinar(rw, r, body, uid, rt.token, rt.name)
	case "signaling":
		s.handleSignalingSettings(rw, r, uid)
	case "defaultperms", "callperms", "moderators", "download":
		s.handleFloor(rw, r, body, uid, rt)
	}
}

// statusJSON is /status.php.
type statusJSON struct {
	Installed       bool   `json:"installed"`
	Maintenance     bool   `json:"maintenance"`
	NeedsDBUpgrade  bool   `json:"needsDbUpgrade"`
	Version         string `json:"version"`
	VersionString   string `json:"versionstring"`
	Edition         string `json:"edition"`
	ProductName     string `json:"productname"`
	ExtendedSupport bool   `json:"extendedSupport"`
}

func (rw *respWriter) html(status int, body string) {
	rw.commonHeaders()
	rw.w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	rw.w.WriteHeader(status)
	_, _ = rw.w.Write([]byte(body))
}

// authenticate checks basic auth (recording failed logins) and the session
// cookie. ok is false only for a failed basic-auth login; uid is "" for an
// anonymous request. It also sets which session cookies the answer carries.
func (s *Server) authenticate(rw *respWriter, r *http.Request, ip string) (uid, pw string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var cur *session
	curID := ""
	if c, err := r.Cookie(s.instanceID); err == nil {
		if se := s.sessions[c.Value]; se != nil {
			if pc, err := r.Cookie("oc_sessionPassphrase"); err == nil {
				if v, err := url.QueryUnescape(pc.Value); err == nil && v == se.passphrase {
					cur, curID = se, c.Value
				}
			}
		}
	}
	if cur != nil && cur.login && !cur.token {
		// a login-password session without a token: logged out (cookiepitfall.go)
		s.logoutLocked(rw, cur, curID)
		cur, curID = nil, ""
	}
	if r.Header.Get("Authorization") != "" {
		name, pass, _ := r.BasicAuth()
		ok, login := passwordOK(s.users[name], pass)
		if !ok {
			s.failures[ip] = append(s.failures[ip], s.now())
			return "", "", false
		}
		if cur == nil || cur.user != name || cur.password != pass {
			cur = &session{user: name, password: pass, passphrase: randomString(128, alnum), login: login}
			curID = randomString(26, lowerDigits)
			if len(s.sessions) > 20000 {
				s.sessions = map[string]*session{}
			}
			s.sessions[curID] = cur
			s.loginCookieLocked(rw, r, cur)
		}
		rw.sess, rw.sessID = cur, curID
		return name, pass, true
	}
	if cur != nil && cur.user == "" && cur.guest != nil {
		// a guest's session (joined a public room without an account)
		rw.sess, rw.sessID = cur, curID
		return "", "", true
	}
	if cur != nil {
		if ok, _ := passwordOK(s.users[cur.user], cur.password); ok {
			rw.sess, rw.sessID = cur, curID
			return cur.user, cur.password, true
		}
		delete(s.sessions, curID)
	}
	return "", "", true
}

// ---- rooms ----

// userRoomsLocked lists the rooms of a user, ordered by their attendee id.
func (s *Server) userRoomsLocked(uid string) []*room {
	var list []*room
	for _, rm := range s.rooms {
		if _, ok := rm.Participants[uid]; ok {
			s.attendeeLocked(rm, uid)
			list = append(list, rm)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		return list[i].attendees[uid].id < list[j].attendees[uid].id
	})
	return list
}

func (s *Server) handleRooms(rw *respWriter, r *http.Request, uid string) {
	since := phpIntString(r.URL.Query().Get("modifiedSince"))
	s.mu.Lock()
	before := s.now().Unix()
	out := []roomJSON{}
	for _, rm := range s.userRoomsLocked(uid) {
		if since > 0 && rm.LastActivity < since && !rm.HasCall && rm.attendees[uid].modified < since {
			continue
		}
		s.checkTimerLocked(rm)
		out = append(out, s.formatLocked(rm, uid))
	}
	hash := s.talkHashLocked()
	s.mu.Unlock()
	rw.w.Header().Set("X-Nextcloud-Talk-Hash", hash)
	rw.w.Header().Set("X-Nextcloud-Talk-Modified-Before", strconv.FormatInt(before, 10))
	rw.ocs(controllerFormat(r), http.StatusOK, 200, "OK", out)
}

// memberLocked returns the room and the user's type, or nil when the room
// is unknown or the user is not in it.
func (s *Server) memberLocked(token, uid string) (*room, models.ParticipantType) {
	rm := s.rooms[token]
	if rm == nil {
		return nil, 0
	}
	t, ok := rm.Participants[uid]
	if !ok {
		return nil, 0
	}
	return rm, t
}

func (s *Server) handleRoom(rw *respWriter, r *http.Request, uid, token string) {
	s.mu.Lock()
	rm, _ := s.memberLocked(token, uid)
	if rm == nil {
		s.mu.Unlock()
		rw.ocs(controllerFormat(r), http.StatusNotFound, 404, "", nil)
		return
	}
	s.checkTimerLocked(rm)
	j := s.formatLocked(rm, uid)
	if sid := talkSessionLocked(rw, token); sid != "" && slices.Contains(s.attendeeLocked(rm, uid).sessions, sid) {
		j.SessionID = sid
	}
	hash := s.talkHashLocked()
	s.mu.Unlock()
	rw.w.Header().Set("X-Nextcloud-Talk-Hash", hash)
	rw.ocs(controllerFormat(r), http.StatusOK, 200, "OK", j)
}

// signalingSettingsJSON is the part of TalkSignalingSettings talktest
// models: internal signaling, the default STUN server, no TURN server, no
// federation. The signaling ticket and helloAuthParams are left out
// (talktest has no signaling).
type signalingSettingsJSON struct {
	SignalingMode string            `json:"signalingMode"`
	UserID        *string           `json:"userId"`
	HideWarning   bool              `json:"hideWarning"`
	Server        string            `json:"server"`
	Federation    json.RawMessage   `json:"federation"`
	StunServers   []stunServerJSON  `json:"stunservers"`
	TurnServers   []json.RawMessage `json:"turnservers"`
	SIPDialinInfo string            `json:"sipDialinInfo"`
}

type stunServerJSON struct {
	URLs []string `json:"urls"`
}

// handleSignalingSettings is GET api/v3/signaling/settings?token=: like
// SignalingController::getSettings, the room is looked up with
// getRoomForUserByToken (a participant's room, or any public room; a
// listable room is not modelled), an unknown room or one the user may not
// see is 404 with data null, no token at all is a 200 (legacy soft-fail),
// and sipDialinInfo is the admin's text while SIP is configured, else "".
// The per-token brute-force throttling of a 404 is not modelled.
func (s *Server) handleSignalingSettings(rw *respWriter, r *http.Request, uid string) {
	if r.Header.Get("OCS-APIRequest") != "true" {
		// a #[PublicPage] still has the CSRF check
		rw.json(http.StatusPreconditionFailed, map[string]string{"message": "CSRF check failed"})
		return
	}
	token := r.URL.Query().Get("token")
	s.mu.Lock()
	if token != "" {
		rm := s.rooms[token]
		visible := false
		if rm != nil {
			_, member := rm.Participants[uid]
			visible = (uid != "" && member) || rm.Type == models.ConversationPublic
		}
		if !visible {
			s.mu.Unlock()
			rw.ocs(controllerFormat(r), http.StatusNotFound, 404, "", json.RawMessage("null"))
			return
		}
	}
	out := signalingSettingsJSON{
		SignalingMode: "internal",
		Federation:    json.RawMessage("null"),
		StunServers:   []stunServerJSON{{URLs: []string{"stun:stun.nextcloud.com:443"}}},
		TurnServers:   []json.RawMessage{},
	}
	if uid != "" {
		id := uid
		out.UserID = &id
	}
	if s.sipConfigured {
		out.SIPDialinInfo = s.sipDialIn
	}
	s.mu.Unlock()
	rw.ocs(controllerFormat(r), http.StatusOK, 200, "OK", out)
}

// errWord is a Talk error payload {"error": word}.
func errWord(w string) map[string]any { return map[string]any{"error": w} }

var lobbyObjectTypes = map[string]bool{
	"": true, "room": true, "email": true, "event": true,
	"extended_conversation": true, "instant_meeting": true,
}

// handleWebinar serves PUT webinar/lobby and webinar/sip.
func (s *Server) handleWebinar(rw *respWriter, r *http.Request, body []byte, uid, token, kind string) {
	params := readParams(r, body)
	stateP, hasState := params["state"]
	hasState = hasState && !stateP.null
	state := stateP.int()
	var timer int64
	if tp, ok := params["timer"]; ok && !tp.null {
		timer = tp.int()
	}
	s.mu.Lock()
	hook := s.onAction
	s.mu.Unlock()
	if hook != nil {
		a := Action{User: uid, Token: token, Kind: kind, State: int(state)}
		if kind == "lobby" {
			a.Timer = timer
		}
		hook(a)
	}
	f := controllerFormat(r)

	s.mu.Lock()
	rm, t := s.memberLocked(token, uid)
	if rm == nil {
		s.mu.Unlock()
		rw.ocs(f, http.StatusNotFound, 404, "", nil)
		return
	}
	fail := func(status int, data any) {
		s.mu.Unlock()
		rw.ocs(f, status, status, "", data)
	}
	switch {
	case !isModerator(t):
		fail(http.StatusForbidden, nil)
		return
	case rm.RemoteServer != "":
		fail(http.StatusNotAcceptable, nil)
		return
	case !hasState:
		s.mu.Unlock()
		rw.ocs(formatParam(r), http.StatusInternalServerError, 996, "Internal Server Error\n", nil)
		return
	}
	if kind == "lobby" {
		switch {
		case rm.ObjectType == "room":
			fail(http.StatusBadRequest, errWord("breakout-room"))
			return
		case rm.ForcedLobby != nil && int64(*rm.ForcedLobby) != state:
			fail(http.StatusBadRequest, map[string]any{"error": "forced", "forced": *rm.ForcedLobby})
			return
		case rm.Type != models.ConversationGroup && rm.Type != models.ConversationPublic:
			fail(http.StatusBadRequest, errWord("type"))
			return
		case !lobbyObjectTypes[rm.ObjectType]:
			fail(http.StatusBadRequest, errWord("object"))
			return
		case state != 0 && state != 1:
			fail(http.StatusBadRequest, errWord("value"))
			return
		}
		if timer < 0 {
			timer = 0
		}
		changed := int64(rm.LobbyState) != state
		rm.LobbyState, rm.LobbyTimer = models.LobbyState(state), timer
		if changed {
			if state == 1 {
				s.postLocked(rm, uid, "lobby_non_moderators", "You restricted the conversation to moderators", "{actor} restricted the conversation to moderators")
			} else {
				s.postLocked(rm, uid, "lobby_none", "You opened the conversation to everyone", "{actor} opened the conversation to everyone")
			}
		}
	} else {
		switch {
		case !s.inSIPGroupsLocked(uid):
			fail(http.StatusForbidden, errWord("config"))
			return
		case !s.sipConfigured:
			fail(http.StatusPreconditionFailed, errWord("config"))
			return
		case rm.ForcedSIP != nil && int64(*rm.ForcedSIP) != state:
			fail(http.StatusBadRequest, map[string]any{"error": "forced", "forced": *rm.ForcedSIP})
			return
		case int64(rm.SIPEnabled) == state:
			// same state: 200, nothing changes
		case rm.ObjectType == "room":
			fail(http.StatusBadRequest, errWord("breakout-room"))
			return
		case rm.Type != models.ConversationGroup && rm.Type != models.ConversationPublic:
			fail(http.StatusBadRequest, errWord("type"))
			return
		case state < 0 || state > 2:
			fail(http.StatusBadRequest, errWord("value"))
			return
		case !models.SIPCompatibleToken(rm.Token):
			fail(http.StatusBadRequest, errWord("token"))
			return
		default:
			rm.SIPEnabled = models.SIPState(state)
		}
	}
	s.checkTimerLocked(rm)
	j := s.formatLocked(rm, uid)
	s.mu.Unlock()
	rw.ocs(f, http.StatusOK, 200, "OK", j)
}

// ---- parameters ----

// param is one request parameter as PHP would see it.
type param struct {
	str   string
	num   *float64 // JSON number
	isInt bool     // JSON number without fraction/exponent
	ival  int64
	null  bool
}

func (p param) int() int64 {
	if p.num != nil {
		if p.isInt {
			return p.ival
		}
		return floatToInt(*p.num, false)
	}
	return phpIntString(p.str)
}

// readParams merges query and body parameters (body wins), like
// Nextcloud's Request.
func readParams(r *http.Request, body []byte) map[string]param {
	out := map[string]param{}
	for k, v := range r.URL.Query() {
		out[k] = param{str: v[len(v)-1]}
	}
	ct := r.Header.Get("Content-Type")
	switch {
	case strings.Contains(ct, "json"):
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		var m map[string]any
		if dec.Decode(&m) == nil {
			for k, v := range m {
				out[k] = jsonParam(v)
			}
		}
	case len(body) > 0:
		if vals, err := url.ParseQuery(string(body)); err == nil {
			for k, v := range vals {
				out[k] = param{str: v[len(v)-1]}
			}
		}
	}
	return out
}

func jsonParam(v any) param {
	switch t := v.(type) {
	case nil:
		return param{null: true}
	case bool:
		if t {
			return param{str: "1"}
		}
		return param{str: "0"}
	case string:
		return param{str: t}
	case json.Number:
		if i, err := strconv.ParseInt(t.String(), 10, 64); err == nil {
			return param{num: new(float64), isInt: true, ival: i}
		}
		f, _ := strconv.ParseFloat(t.String(), 64)
		return param{num: &f}
	}
	return param{str: ""}
}

// phpIntString casts a string to int like PHP's settype($v, 'int'): the
// leading numeric part counts ("2030-01-01" → 2030, "1893456000.5" →
// 1893456000), anything else is 0, and overflow saturates.
func phpIntString(s string) int64 {
	s = strings.TrimLeft(s, " \t\n\r\v\f")
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intDigits := i - start
	isFloat := false
	if i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i-1 > 0 || intDigits > 0 {
			isFloat = true
			i = j
		}
	}
	if intDigits == 0 && !isFloat {
		return 0
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k > j {
			isFloat = true
			i = k
		}
	}
	num := s[:i]
	if !isFloat {
		v, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			if strings.HasPrefix(num, "-") {
				return math.MinInt64
			}
			return math.MaxInt64
		}
		return v
	}
	f, _ := strconv.ParseFloat(num, 64)
	return floatToInt(f, true)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// floatToInt is PHP's float to int: saturating for numeric strings
// (capped), 0 out of range for real floats.
func floatToInt(f float64, capped bool) int64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	if f >= 9.223372036854775807e18 || f < -9.223372036854775808e18 {
		if !capped {
			return 0
		}
		if f > 0 {
			return math.MaxInt64
		}
		return math.MinInt64
	}
	return int64(f)
}
