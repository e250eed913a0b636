// Package client is talkmod's client of the Nextcloud Talk OCS API v4.
//
// It sends what a real server expects (OCS-APIRequest, Accept: JSON,
// format=json, basic auth with an app password, a cookie jar for the
// session), bounds every call with a deadline and the body with a size cap,
// retries only where that is safe, and turns every answer into a value or a
// typed error (APIError, NetworkError, ResponseError, ValidationError) whose
// words a moderator understands (Message).
package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/talkmod/talkmod/client/internal/printable"
	"github.com/talkmod/talkmod/client/internal/roomjson"
	"github.com/talkmod/talkmod/models"
)

// Defaults.
const (
	// DefaultTimeout bounds one call, retries included. Brute-force
	// throttled answers take up to 25 s on a real server.
	DefaultTimeout = 30 * time.Second
	// MaxBodyBytes caps what is read of an answer (a 10,000-room list is
	// about 15 MB).
	MaxBodyBytes = 32 << 20
	// maxRetries is how often a transport error or 502/503/504 is retried.
	maxRetries = 2
)

const (
	talkAPI      = "/ocs/v2.php/apps/spreed/api/v4"
	signalingAPI = "/ocs/v2.php/apps/spreed/api/v3/signaling/settings"
	capsPath     = "/ocs/v2.php/cloud/capabilities"
	userPath     = "/ocs/v2.php/cloud/user"
	appPassPath  = "/ocs/v2.php/core/apppassword"
	headerHash   = "X-Nextcloud-Talk-Hash"
	headerBefore = "X-Nextcloud-Talk-Modified-Before"
)

// Client talks to one Nextcloud server as one user. It is safe for
// concurrent use.
type Client struct {
	base string
	user string
	http *resty.Client
	cfg  Config
	log  *slog.Logger
}

// New checks the configuration and builds a Client. It sends nothing.
func New(cfg Config) (*Client, error) {
	base, err := checkBaseURL(cfg.BaseURL, cfg.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	jar, _ := cookiejar.New(nil)
	r := resty.New().
		SetLogger(restyLogger{logger}).
		SetDisableWarn(true).
		SetDebug(false).
		SetBaseURL(base).
		SetCookieJar(jar).
		// No http.Client timeout: every call has a context deadline
		// (cfg.Timeout; a chat poll's is longer than its wait).
		SetHeader("OCS-APIRequest", "true").
		SetHeader("Accept", "application/json").
		SetHeader("User-Agent", cfg.UserAgent).
		SetQueryParam("format", "json").
		SetRetryCount(maxRetries).
		SetRetryWaitTime(200 * time.Millisecond).
		SetRetryMaxWaitTime(2 * time.Second).
		AddRetryCondition(retrySafe).
		AddRetryHook(keepRetriedBody).
		SetRedirectPolicy(noRedirects)
	if tr, err := r.Transport(); err == nil {
		r.SetTransport(cappedTransport{base: tr, max: MaxBodyBytes})
	} else {
		r.SetResponseBodyLimit(MaxBodyBytes) // slower, but a cap all the same
	}
	if cfg.User != "" || cfg.AppPassword != "" {
		r.SetBasicAuth(cfg.User, cfg.AppPassword)
	}
	return &Client{base: base, user: cfg.User, http: r, cfg: cfg, log: logger}, nil
}

// DefaultUserAgent names talkmod and its version. It becomes the app
// password's name in the user's security settings.
func DefaultUserAgent() string { return "talkmod/" + Version + " (Nextcloud Talk moderator console)" }

// String names the client without its secrets (for %v, %+v and logs: the
// fields hold the app password).
func (c *Client) String() string { return "talk client " + c.user + " at " + c.base }

// GoString is String, for %#v.
func (c *Client) GoString() string { return "&client.Client{" + c.String() + "}" }

// BaseURL is the server's base URL, without a trailing slash.
func (c *Client) BaseURL() string { return c.base }

// CloseIdleConnections closes the connections kept for reuse (and their
// goroutines): for a client that is done.
func (c *Client) CloseIdleConnections() { c.http.GetClient().CloseIdleConnections() }

// User is the login name.
func (c *Client) User() string { return c.user }

// retrySafe retries transport errors and 502/503/504, never 401 or 429,
// and never a body that was too large or a cancelled call.
func retrySafe(resp *resty.Response, err error) bool {
	if notRetried(resp) { // a chat post or deletion (chat.go)
		return false
	}
	if err != nil {
		return !errorsIsAny(err, resty.ErrResponseBodyTooLarge, context.Canceled, context.DeadlineExceeded)
	}
	if resp == nil {
		return false
	}
	return retriedStatus(resp.StatusCode())
}

// retriedStatus: the statuses of a proxy or server that is briefly away.
func retriedStatus(status int) bool {
	switch status {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// noRedirects stops at the first redirect and hands the 3xx answer to the
// decoder, which names it. The Talk API never redirects; following one
// could send the app password to plain http:// on the same host (Go keeps
// the Authorization header for the same domain) or turn a PUT into a GET
// whose room answer would look like success.
var noRedirects = resty.RedirectPolicyFunc(func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
})

// cappedTransport caps what is read of an answer's body at max bytes: a
// body that announces more fails at its first read, one that turns out
// longer fails when it passes the cap, both with
// resty.ErrResponseBodyTooLarge (never retried). It stands in for resty's
// own limit, which reads 512 bytes at a time: slow for a 15 MB room list.
type cappedTransport struct {
	base http.RoundTripper
	max  int64
}

// CloseIdleConnections passes on to the transport beneath (else
// Client.CloseIdleConnections would close nothing).
func (t cappedTransport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

func (t cappedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp.Body == nil {
		return resp, err
	}
	left := t.max
	if resp.ContentLength > t.max {
		left = -1
	}
	resp.Body = &cappedBody{ReadCloser: resp.Body, left: left}
	return resp, nil
}

type cappedBody struct {
	io.ReadCloser
	left int64 // bytes still allowed; negative once over the cap
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, resty.ErrResponseBodyTooLarge
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n + int(b.left), resty.ErrResponseBodyTooLarge
	}
	return n, err
}

// checkBaseURL says what is wrong with a server URL, or returns it cleaned.
func checkBaseURL(raw string, allowHTTP bool) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", &ValidationError{Field: "server", Problem: "no server URL given (e.g. https://cloud.example.com)"}
	}
	if !strings.Contains(raw, "://") {
		return "", &ValidationError{Field: "server", Problem: fmt.Sprintf("server URL %q has no scheme: write https://%s", scrubURL(raw), scrubURL(raw))}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", &ValidationError{Field: "server", Problem: fmt.Sprintf("server URL %q is not a valid URL", scrubURL(raw))}
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return "", &ValidationError{Field: "server", Problem: fmt.Sprintf("server URL scheme %q is not supported: use https://", u.Scheme)}
	}
	if u.Host == "" || u.Hostname() == "" {
		return "", &ValidationError{Field: "server", Problem: fmt.Sprintf("server URL %q has no host name", scrubURL(raw))}
	}
	if u.User != nil {
		return "", &ValidationError{Field: "server", Problem: "server URL must not carry a user or password: give the login separately"}
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", &ValidationError{Field: "server", Problem: "server URL must not have a query or fragment"}
	}
	if u.Scheme == "http" && !allowHTTP && !isLoopback(u.Hostname()) {
		return "", &ValidationError{Field: "server", Problem: fmt.Sprintf("refusing plain http:// to %s: the app password would cross the network unencrypted (use https://, or allow insecure HTTP explicitly)", u.Hostname())}
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	path = strings.TrimSuffix(path, "/index.php")
	return u.Scheme + "://" + u.Host + path, nil
}

// scrubURL hides a user and password written into a URL (user:pw@host),
// for error messages; it works on text that does not parse as a URL too.
func scrubURL(raw string) string {
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 {
		start = i + 3
	}
	end := len(raw)
	if i := strings.IndexAny(raw[start:], "/?#"); i >= 0 {
		end = start + i
	}
	if at := strings.LastIndex(raw[start:end], "@"); at >= 0 {
		return raw[:start] + "…@" + raw[start+at+1:]
	}
	return raw
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// TokenPattern is the one pattern of a conversation token the server's
// routes match: 4 to 30 lowercase letters and digits. TokenRE is it,
// anchored.
const TokenPattern = `[a-z0-9]{4,30}`

// TokenRE matches a whole conversation token.
var TokenRE = regexp.MustCompile(`^` + TokenPattern + `$`)

// checkToken refuses what the server's routes cannot match, before a
// request is sent (unknown tokens count toward brute-force protection).
func checkToken(token string) error {
	if !TokenRE.MatchString(token) {
		return &ValidationError{Field: "token", Problem: fmt.Sprintf("%q is not a conversation token (4 to 30 lowercase letters and digits)", token)}
	}
	return nil
}

// call sends one request with the client's deadline and decodes the OCS
// answer's data into out (nil to ignore it). It returns the response for
// its headers.
func (c *Client) call(ctx context.Context, op, method, path string, form url.Values, out any) (*resty.Response, error) {
	resp, _, err := c.send(ctx, c.cfg.Timeout, op, method, path, form, out, false)
	return resp, err
}

// send sends one request with its own deadline (noRetry: never retried,
// for a change that must not happen twice) and decodes the answer like
// call. A 304 to a chat read or poll is notModified, not an error.
func (c *Client) send(ctx context.Context, timeout time.Duration, op, method, path string, form url.Values, out any, noRetry bool) (resp *resty.Response, notModified bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if noRetry {
		ctx = context.WithValue(ctx, noRetryKey{}, true)
	}
	req := c.http.R().SetContext(ctx)
	if form != nil {
		req.SetFormData(flatten(form))
	}
	start := time.Now()
	resp, err = req.Execute(method, path)
	c.log.Debug("talk request", "op", op, "method", method, "path", path,
		"status", statusOf(resp), "elapsed", time.Since(start).Round(time.Millisecond), "err", errText(err))
	if err != nil {
		if errorsIsAny(err, context.DeadlineExceeded, context.Canceled) && retriedStatus(statusOf(resp)) {
			// The deadline came while waiting to retry a 502/503/504:
			// the server did answer, so say what it answered.
			return resp, false, decodeAnswer(op, resp.StatusCode(), resp.Header(), resp.Body(), out)
		}
		return resp, false, classifyTransport(op, c.base, resp, err)
	}
	if resp.StatusCode() == http.StatusNotModified && (op == opChatPoll || op == opChatRead) {
		// a poll with nothing new; a history page with nothing older
		return resp, true, nil
	}
	return resp, false, decodeAnswer(op, resp.StatusCode(), resp.Header(), resp.Body(), out)
}

func flatten(v url.Values) map[string]string {
	m := make(map[string]string, len(v))
	for k := range v {
		m[k] = v.Get(k)
	}
	return m
}

func statusOf(r *resty.Response) int {
	if r == nil || r.RawResponse == nil {
		return 0
	}
	return r.StatusCode()
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Capabilities reads the server's capabilities.
func (c *Client) Capabilities(ctx context.Context) (models.Capabilities, error) {
	var raw capsData
	if _, err := c.call(ctx, "capabilities", http.MethodGet, capsPath, nil, &raw); err != nil {
		return models.Capabilities{}, err
	}
	return raw.toModel(), nil
}

// ListRooms lists the user's conversations (all of them: filter with
// models.Room.IsWebinarCandidate). The list is decoded while it arrives
// (roomjson.Decoder); an answer that breaks off or goes wrong in the
// middle is an error, never a part of the list.
func (c *Client) ListRooms(ctx context.Context, opts ListOptions) (*RoomList, error) {
	const op = "list rooms"
	path := talkAPI + "/room?noStatusUpdate=1"
	if opts.ModifiedSince > 0 {
		path += "&modifiedSince=" + strconv.FormatInt(opts.ModifiedSince, 10)
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	start := time.Now()
	resp, err := c.http.R().SetContext(ctx).SetDoNotParseResponse(true).Execute(http.MethodGet, path)
	var body io.ReadCloser = http.NoBody
	if resp != nil && resp.RawResponse != nil && resp.RawResponse.Body != nil {
		body = resp.RawResponse.Body
	}
	defer body.Close()
	rooms, err := c.readRoomList(op, resp, err, body, opts)
	c.log.Debug("talk request", "op", op, "method", http.MethodGet, "path", path, "status", statusOf(resp),
		"rooms", len(rooms), "elapsed", time.Since(start).Round(time.Millisecond), "err", errText(err))
	if err != nil {
		return nil, err
	}
	list := &RoomList{Rooms: rooms, TalkHash: resp.Header().Get(headerHash)}
	if v := resp.Header().Get(headerBefore); v != "" {
		list.ModifiedBefore, _ = strconv.ParseInt(v, 10, 64)
	}
	return list, nil
}

// readRoomList turns the list answer into rooms or the error it is.
func (c *Client) readRoomList(op string, resp *resty.Response, err error, body io.Reader, opts ListOptions) ([]models.Room, error) {
	if err != nil {
		if errorsIsAny(err, context.DeadlineExceeded, context.Canceled) && retriedStatus(statusOf(resp)) {
			// The deadline came while waiting to retry a 502/503/504:
			// the server did answer, so say what it answered.
			b, _ := io.ReadAll(io.LimitReader(body, retriedBodyKeep))
			return nil, decodeAnswer(op, resp.StatusCode(), resp.Header(), b, &[]models.Room{})
		}
		return nil, classifyTransport(op, c.base, resp, err)
	}
	status, h := resp.StatusCode(), resp.Header()
	if status < 200 || status > 299 || status == http.StatusNoContent || h.Get("X-Nextcloud-Maintenance-Mode") == "1" {
		// an error answer: small, read whole (the transport caps it)
		b, rerr := io.ReadAll(body)
		if rerr != nil {
			return nil, classifyTransport(op, c.base, resp, rerr)
		}
		var rooms []models.Room
		if err := decodeAnswer(op, status, h, b, &rooms); err != nil {
			return nil, err
		}
		return []models.Room{}, nil
	}
	d := roomjson.NewDecoder(body, roomjson.Options{
		SizeHint: min(max(resp.RawResponse.ContentLength, 0), MaxBodyBytes),
		Lean:     opts.Lean,
		KeepRaw:  opts.KeepRaw,
		Keep:     opts.Keep,
	})
	ans, err := d.Decode()
	ct := h.Get("Content-Type")
	if err != nil {
		if rerr := d.ReadErr(); rerr != nil {
			return nil, classifyTransport(op, c.base, resp, rerr)
		}
		var se *roomjson.Error
		if !errors.As(err, &se) {
			return nil, classifyTransport(op, c.base, resp, err)
		}
		problem := se.Problem
		if se.Room >= 0 {
			problem += fmt.Sprintf(" (room %d of the list)", se.Room+1)
		}
		return nil, &ResponseError{Op: op, HTTPStatus: status, ContentType: ct, Problem: problem, Snippet: printable.Snippet(d.Head()), Err: err}
	}
	if ans.NotObject {
		// not a JSON object: an HTML page, XML, nothing; its start says
		rest, rerr := io.ReadAll(io.LimitReader(body, retriedBodyKeep))
		start := d.Buffered()
		if rerr != nil && len(rest) == 0 && len(start) == 0 {
			return nil, classifyTransport(op, c.base, resp, rerr)
		}
		b := append(append([]byte(nil), start...), rest...)
		var rooms []models.Room
		return nil, decodeAnswer(op, status, h, b, &rooms)
	}
	if !ans.HasOCS || ans.Meta.Status == "" {
		return nil, notOCS(op, status, ct, d.Head(), nil)
	}
	if ans.Meta.Status != "ok" {
		return nil, &APIError{Op: op, HTTPStatus: status, OCSStatus: ans.Meta.StatusCode, Message: ans.Meta.Message}
	}
	if ans.Rooms == nil {
		ans.Rooms = []models.Room{}
	}
	return ans.Rooms, nil
}

// retriedBodyKeep is how much of a retried answer's body is kept for its
// error message.
const retriedBodyKeep = 64 << 10

// keepRetriedBody runs before a retry: an answer read as a stream (the
// room list) still holds its connection, so its body is read (the start
// of it, for the error message should it be the last answer) and closed.
func keepRetriedBody(resp *resty.Response, _ error) {
	if resp == nil || resp.RawResponse == nil || resp.RawResponse.Body == nil || resp.RawResponse.Body == http.NoBody {
		return
	}
	b, _ := io.ReadAll(io.LimitReader(resp.RawResponse.Body, retriedBodyKeep))
	_ = resp.RawResponse.Body.Close()
	resp.RawResponse.Body = io.NopCloser(bytes.NewReader(b))
}

// GetRoom reads one conversation. Reading is also what makes the server
// lift a lobby whose timer has passed.
func (c *Client) GetRoom(ctx context.Context, token string) (models.Room, error) {
	if err := checkToken(token); err != nil {
		return models.Room{}, err
	}
	var room maybeRoom
	if _, err := c.call(ctx, "get room", http.MethodGet, talkAPI+"/room/"+token, nil, &room); err != nil {
		return models.Room{}, err
	}
	if room.Room == nil {
		return models.Room{}, &ResponseError{Op: "get room", HTTPStatus: 200, Problem: "the answer holds no conversation"}
	}
	return *room.Room, nil
}

// ValidateLobbyTimer refuses a lobby timer the server would misread: one
// not after now (the server would lift the lobby at once) or more than a
// year ahead.
func ValidateLobbyTimer(now, t time.Time) error {
	switch {
	case t.Unix() <= now.Unix(): // the server reads whole seconds
		return &ValidationError{Field: "timer", Problem: "the lobby timer is in the past: the server would lift the lobby at once; pick a later time"}
	case t.After(now.AddDate(1, 0, 0)):
		return &ValidationError{Field: "timer", Problem: "the lobby timer is more than a year ahead: pick an earlier time"}
	}
	return nil
}

// SetLobby sets the lobby state and timer together (the server clears the
// timer on any change without one). A nil timer means no timer. A timer
// needs state LobbyModeratorsOnly, and must lie within the next year.
func (c *Client) SetLobby(ctx context.Context, token string, state models.LobbyState, timer *time.Time) (models.Room, error) {
	if err := checkToken(token); err != nil {
		return models.Room{}, err
	}
	if !state.Valid() {
		return models.Room{}, &ValidationError{Field: "state", Problem: fmt.Sprintf("lobby state %d is not valid: use 0 (off) or 1 (on)", int(state))}
	}
	form := url.Values{"state": {strconv.Itoa(int(state))}}
	if timer != nil {
		if state != models.LobbyModeratorsOnly {
			return models.Room{}, &ValidationError{Field: "timer", Problem: "a lobby timer needs the lobby on"}
		}
		if err := ValidateLobbyTimer(c.cfg.Now(), *timer); err != nil {
			return models.Room{}, err
		}
		form.Set("timer", strconv.FormatInt(timer.Unix(), 10))
	}
	return c.putRoom(ctx, "set lobby", token, "/webinar/lobby", form)
}

// SetSIP switches SIP dial-in: off, on with PIN, on without PIN.
func (c *Client) SetSIP(ctx context.Context, token string, state models.SIPState) (models.Room, error) {
	if err := checkToken(token); err != nil {
		return models.Room{}, err
	}
	if !state.Valid() {
		return models.Room{}, &ValidationError{Field: "state", Problem: fmt.Sprintf("SIP state %d is not valid: use 0 (off), 1 (on with PIN) or 2 (on without PIN)", int(state))}
	}
	form := url.Values{"state": {strconv.Itoa(int(state))}}
	return c.putRoom(ctx, "set SIP", token, "/webinar/sip", form)
}

// putRoom sends a webinar PUT and returns the room the server answered
// with; some early v4 servers answer with empty data, then it re-reads.
func (c *Client) putRoom(ctx context.Context, op, token, suffix string, form url.Values) (models.Room, error) {
	var room maybeRoom
	if _, err := c.call(ctx, op, http.MethodPut, talkAPI+"/room/"+token+suffix, form, &room); err != nil {
		return models.Room{}, err
	}
	if room.Room == nil || room.Room.Token == "" {
		return c.GetRoom(ctx, token)
	}
	return *room.Room, nil
}

// Participants lists a room's attendees (moderators see everyone; others
// get 412 while the lobby holds them). Each keeps its raw JSON in Raw.
func (c *Client) Participants(ctx context.Context, token string) ([]models.Participant, error) {
	if err := checkToken(token); err != nil {
		return nil, err
	}
	var ps []models.Participant
	if _, err := c.call(ctx, opParticipants, http.MethodGet, talkAPI+"/room/"+token+"/participants", nil, &ps); err != nil {
		return nil, err
	}
	return ps, nil
}

// DialInInfo reads the SIP dial-in text the administrator typed (usually
// the phone numbers to call), from the signaling settings of a room the
// user can see (GET api/v3/signaling/settings?token=TOKEN). The text is
// the same for every room of the server; it is "" when SIP is not
// configured, or when the answer has no such field (old servers). It is
// untrusted text: sanitize it before showing it. An unknown room, or one
// the user is not in (unless it is public), is a 404.
func (c *Client) DialInInfo(ctx context.Context, token string) (string, error) {
	if err := checkToken(token); err != nil {
		return "", err
	}
	var data signalingSettings
	if _, err := c.call(ctx, opDialIn, http.MethodGet, signalingAPI+"?token="+token, nil, &data); err != nil {
		return "", err
	}
	return data.SIPDialinInfo, nil
}

// CurrentUser reads the logged-in user: a cheap check of the login.
func (c *Client) CurrentUser(ctx context.Context) (models.User, error) {
	var u models.User
	if _, err := c.call(ctx, "current user", http.MethodGet, userPath, nil, &u); err != nil {
		return models.User{}, err
	}
	if u.ID == "" {
		return models.User{}, &ResponseError{Op: "current user", HTTPStatus: 200, Problem: "the answer holds no user id"}
	}
	return u, nil
}

// RevokeAppPassword deletes the app password this client logs in with, on
// the server. The client cannot be used after it.
func (c *Client) RevokeAppPassword(ctx context.Context) error {
	_, err := c.call(ctx, opRevoke, http.MethodDelete, appPassPath, nil, nil)
	return err
}

// restyLogger sends resty's own messages to the debug log, never to the
// terminal. resty's debug dumps are never enabled, so no header reaches it.
type restyLogger struct{ l *slog.Logger }

func (r restyLogger) Errorf(format string, v ...any) {
	r.l.Debug("resty error", "msg", redact(fmt.Sprintf(format, v...)))
}
func (r restyLogger) Warnf(format string, v ...any) {
	r.l.Debug("resty warning", "msg", redact(fmt.Sprintf(format, v...)))
}
func (r restyLogger) Debugf(format string, v ...any) {
	r.l.Debug("resty", "msg", redact(fmt.Sprintf(format, v...)))
}

var authHeaderRE = regexp.MustCompile(`(?i)(authorization:?\s*)(basic|bearer)\s+[^\s,"]+`)

// redact removes Authorization values from a text, in case one gets there.
func redact(s string) string { return authHeaderRE.ReplaceAllString(s, "${1}${2} [REDACTED]") }
