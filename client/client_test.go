package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/talkmod/talkmod/models"
)

const okRoom = `{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":{"token":"3759050267","type":2,"name":"Webinar","displayName":"Webinar","participantType":1,"lobbyState":1,"lobbyTimer":1796178358,"sipEnabled":1,"canEnableSIP":true,"attendeePin":"123456","hasCall":true}}}`

func TestNewValidatesServerURL(t *testing.T) {
	cases := []struct {
		url, wantErr string
		insecure     bool
		base         string
	}{
		{url: "", wantErr: "no server URL"},
		{url: "cloud.example.com", wantErr: "no scheme"},
		{url: "ftp://cloud.example.com", wantErr: "not supported"},
		{url: "https://", wantErr: "no host"},
		{url: "https://user:pw@cloud.example.com", wantErr: "must not carry"},
		{url: "https://cloud.example.com/?x=1", wantErr: "query"},
		{url: "http://cloud.example.com", wantErr: "refusing plain http"},
		{url: "http://cloud.example.com", insecure: true, base: "http://cloud.example.com"},
		{url: "http://127.0.0.1:8080/", base: "http://127.0.0.1:8080"},
		{url: "http://[::1]:8080", base: "http://[::1]:8080"},
		{url: "http://localhost", base: "http://localhost"},
		{url: "https://example.com/nextcloud/index.php/", base: "https://example.com/nextcloud"},
		{url: " https://cloud.example.com/ ", base: "https://cloud.example.com"},
	}
	for _, c := range cases {
		cl, err := New(Config{BaseURL: c.url, AllowInsecureHTTP: c.insecure, User: "u", AppPassword: "p"})
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) || KindOf(err) != KindInvalidInput {
				t.Errorf("New(%q) err = %v, want %q", c.url, err, c.wantErr)
			}
			continue
		}
		if err != nil || cl.BaseURL() != c.base {
			t.Errorf("New(%q) = %v, %v; want base %q", c.url, cl, err, c.base)
		}
	}
}

// TestEveryRequestCarriesTheHeaders checks what a real server requires.
func TestEveryRequestCarriesTheHeaders(t *testing.T) {
	var seen []*http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		seen = append(seen, r)
		http.SetCookie(w, &http.Cookie{Name: "oc_session", Value: "abc", Path: "/"})
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprint(w, okRoom)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, time.Unix(1796091958, 0))
	ctx := context.Background()
	if _, err := c.GetRoom(ctx, "3759050267"); err != nil {
		t.Fatal(err)
	}
	timer := time.Unix(1796178358, 0)
	if _, err := c.SetLobby(ctx, "3759050267", models.LobbyModeratorsOnly, &timer); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 {
		t.Fatalf("%d requests", len(seen))
	}
	for i, r := range seen {
		u, p, ok := r.BasicAuth()
		switch {
		case r.Header.Get("OCS-APIRequest") != "true":
			t.Errorf("request %d: no OCS-APIRequest", i)
		case r.Header.Get("Accept") != "application/json":
			t.Errorf("request %d: Accept %q", i, r.Header.Get("Accept"))
		case r.URL.Query().Get("format") != "json":
			t.Errorf("request %d: no format=json: %s", i, r.URL.RawQuery)
		case !ok || u != "admin" || p != "secret-app-password":
			t.Errorf("request %d: basic auth %q", i, u)
		case !strings.HasPrefix(r.Header.Get("User-Agent"), "talkmod/"+Version):
			t.Errorf("request %d: User-Agent %q", i, r.Header.Get("User-Agent"))
		}
	}
	if _, err := seen[1].Cookie("oc_session"); err != nil {
		t.Error("the session cookie of the first answer was not sent back")
	}
	if seen[1].Method != http.MethodPut || seen[1].URL.Path != "/ocs/v2.php/apps/spreed/api/v4/room/3759050267/webinar/lobby" {
		t.Errorf("lobby sent as %s %s", seen[1].Method, seen[1].URL.Path)
	}
	if seen[1].PostForm.Get("state") != "1" || seen[1].PostForm.Get("timer") != "1796178358" {
		t.Errorf("lobby form = %v", seen[1].PostForm)
	}
}

func TestRetriesOnlyWhereSafe(t *testing.T) {
	cases := []struct {
		status int
		want   int32
	}{
		{502, 3}, {503, 3}, {504, 3},
		{500, 1}, {401, 1}, {429, 1}, {403, 1}, {404, 1}, {412, 1}, {400, 1},
	}
	for _, c := range cases {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(c.status)
			fmt.Fprintf(w, `{"ocs":{"meta":{"status":"failure","statuscode":%d,"message":""},"data":[]}}`, c.status)
		}))
		cl := newTestClient(t, srv.URL, time.Now())
		_, err := cl.ListRooms(context.Background(), ListOptions{})
		srv.Close()
		if err == nil || n.Load() != c.want {
			t.Errorf("HTTP %d: %d attempts (want %d), err %v", c.status, n.Load(), c.want, err)
		}
	}
}

func TestRetryRecoversFromA502(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.WriteHeader(502)
			fmt.Fprint(w, "<html><body>Bad Gateway</body></html>")
			return
		}
		fmt.Fprint(w, okRoom)
	}))
	defer srv.Close()
	room, err := newTestClient(t, srv.URL, time.Now()).GetRoom(context.Background(), "3759050267")
	if err != nil || room.Token != "3759050267" || n.Load() != 2 {
		t.Fatalf("room %q err %v after %d attempts", room.Token, err, n.Load())
	}
}

func TestDeadlineBoundsTheWholeCall(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c, _ := New(Config{BaseURL: srv.URL, User: "u", AppPassword: "p", Timeout: 150 * time.Millisecond})
	start := time.Now()
	_, err := c.ListRooms(context.Background(), ListOptions{})
	var ne *NetworkError
	if !errors.As(err, &ne) || ne.Cause != "timeout" || !errors.Is(err, ErrNetwork) {
		t.Fatalf("err = %v, want a timeout NetworkError", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v: the deadline did not bound the retries", el)
	}
}

func TestNetworkFailuresAreNamed(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c, _ := New(Config{BaseURL: "http://" + addr, User: "u", AppPassword: "p", Timeout: 2 * time.Second})
	c.http.SetRetryWaitTime(time.Millisecond)
	_, err := c.ListRooms(context.Background(), ListOptions{})
	var ne *NetworkError
	if !errors.As(err, &ne) || ne.Cause != "refused" || !strings.Contains(Message(err), "refused") {
		t.Errorf("refused: %v / %s", err, Message(err))
	}

	c, _ = New(Config{BaseURL: "https://nonexistent.invalid", User: "u", AppPassword: "p", Timeout: 5 * time.Second})
	c.http.SetRetryCount(0)
	_, err = c.ListRooms(context.Background(), ListOptions{})
	if !errors.As(err, &ne) || (ne.Cause != "dns" && ne.Cause != "timeout") || KindOf(err) != KindNetwork {
		t.Errorf("dns: %v (%s)", err, Message(err))
	}

	tls := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tls.Config.ErrorLog = log.New(io.Discard, "", 0)
	tls.StartTLS()
	defer tls.Close()
	c, _ = New(Config{BaseURL: tls.URL, User: "u", AppPassword: "p", Timeout: 2 * time.Second})
	c.http.SetRetryCount(0)
	_, err = c.ListRooms(context.Background(), ListOptions{})
	if !errors.As(err, &ne) || ne.Cause != "tls" {
		t.Errorf("tls: %v", err)
	}

	cut := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	defer cut.Close()
	c = newTestClient(t, cut.URL, time.Now())
	_, err = c.ListRooms(context.Background(), ListOptions{})
	if !errors.As(err, &ne) || ne.Cause != "reset" {
		t.Errorf("cut: %v", err)
	}
}

// TestBadAnswersAreOneClearError feeds the client what a broken server,
// proxy or captive portal sends: one clear error each, never a panic.
func TestBadAnswersAreOneClearError(t *testing.T) {
	huge := `{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":[` + strings.Repeat(`{"token":"abcdefgh","name":"`+strings.Repeat("x", 1000)+`"},`, 50_000) + `{}]}}`
	cases := []struct {
		name, ct, body string
		status         int
		want           string
		kind           Kind
	}{
		{"html", "text/html", "<!DOCTYPE html><html><body>Welcome to nginx</body></html>", 200, "HTML page", KindBadResponse},
		{"truncated", "application/json", `{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":[{"token":"ab`, 200, "truncated", KindBadResponse},
		{"wrong type", "application/json", `{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":[{"token":"abcd","lobbyState":"on"}]}}`, 200, "lobbyState has the wrong type", KindBadResponse},
		{"data not a list", "application/json", `{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":"nope"}}`, 200, "wrong type", KindBadResponse},
		{"empty", "application/json", ``, 200, "empty body", KindBadResponse},
		{"no envelope", "application/json", `{"rooms":[]}`, 200, "without the OCS envelope", KindBadResponse},
		{"xml ok", "text/xml", `<?xml version="1.0"?><ocs><meta><status>ok</status></meta></ocs>`, 200, "XML", KindBadResponse},
		{"50 MB", "application/json", huge, 200, "larger than", KindBadResponse},
		{"html 502", "text/html", "<html>Bad Gateway</html>", 502, "HTTP 502", KindUnavailable},
		{"csrf", "application/json", `{"message":"CSRF check failed"}`, 412, "CSRF", KindPrecondition},
		{"xml 401", "text/xml", "<?xml version=\"1.0\"?>\n<ocs>\n <meta>\n  <status>failure</status>\n  <statuscode>997</statuscode>\n  <message>Unauthorised</message>\n </meta>\n <data/>\n</ocs>\n", 401, "talkmod login", KindUnauthorized},
		{"maintenance", "application/json", `{"ocs":{"meta":{"status":"failure","statuscode":503,"message":""},"data":[]}}`, 503, "maintenance", KindUnavailable},
		{"escape in message", "application/json", `{"ocs":{"meta":{"status":"failure","statuscode":400,"message":"\u001b]0;pwned\u0007"},"data":{"error":"value"}}}`, 400, "value sent", KindBadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", c.ct)
				if c.name == "maintenance" {
					w.Header().Set("X-Nextcloud-Maintenance-Mode", "1")
				}
				w.WriteHeader(c.status)
				_, _ = io.WriteString(w, c.body) // not fmt: it would copy the 50 MB body first
			}))
			defer srv.Close()
			cl := newTestClient(t, srv.URL, time.Now())
			if c.name == "50 MB" {
				// reading 32 MB under -race on a loaded 2-core machine can
				// take longer than the 5 s of the other cases
				cl.cfg.Timeout = 2 * time.Minute
				cl.http.SetTimeout(2 * time.Minute)
			}
			_, err := cl.ListRooms(context.Background(), ListOptions{})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error() + " | " + Message(err)
			if !strings.Contains(msg, c.want) || KindOf(err) != c.kind {
				t.Errorf("got %q kind %v, want %q kind %v", msg, KindOf(err), c.want, c.kind)
			}
			if strings.ContainsAny(msg, "\x1b\x07\u009b") {
				t.Errorf("control characters reached the error text: %q", msg)
			}
			if len(msg) > 600 {
				t.Errorf("error text is %d bytes long", len(msg))
			}
		})
	}
}

func TestSetLobbyRefusesBeforeSending(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) }))
	defer srv.Close()
	now := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	c := newTestClient(t, srv.URL, now)
	ctx := context.Background()
	past, far, soon := now.Add(-time.Minute), now.AddDate(1, 0, 1), now.Add(time.Hour)
	cases := []struct {
		name  string
		token string
		state models.LobbyState
		timer *time.Time
		want  string
	}{
		{"past", "abcdefgh", 1, &past, "in the past"},
		{"now", "abcdefgh", 1, &now, "in the past"},
		{"far", "abcdefgh", 1, &far, "more than a year"},
		{"state 5", "abcdefgh", 5, nil, "not valid"},
		{"state -1", "abcdefgh", -1, nil, "not valid"},
		{"timer with lobby off", "abcdefgh", 0, &soon, "needs the lobby on"},
		{"bad token", "ABC/../x", 1, nil, "not a conversation token"},
	}
	for _, cs := range cases {
		_, err := c.SetLobby(ctx, cs.token, cs.state, cs.timer)
		if !errors.Is(err, ErrInvalidInput) || !strings.Contains(Message(err), cs.want) {
			t.Errorf("%s: err %v, want %q", cs.name, err, cs.want)
		}
	}
	if _, err := c.SetSIP(ctx, "3759050267", 7); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("SIP 7: %v", err)
	}
	if n.Load() != 0 {
		t.Errorf("%d requests sent for refused input", n.Load())
	}
}

// TestMessages: every error kind has its plain words.
func TestMessages(t *testing.T) {
	two := 2
	cases := []struct {
		err  error
		kind Kind
		want string
	}{
		{&APIError{HTTPStatus: 400, Reason: "type"}, KindBadRequest, "only group and public"},
		{&APIError{HTTPStatus: 400, Reason: "value"}, KindBadRequest, "invalid state or timer"},
		{&APIError{HTTPStatus: 400, Reason: "token"}, KindBadRequest, "ID has letters"},
		{&APIError{HTTPStatus: 400, Reason: "breakout-room"}, KindBadRequest, "breakout room"},
		{&APIError{HTTPStatus: 400, Reason: "object"}, KindBadRequest, "file, share"},
		{&APIError{HTTPStatus: 400, Reason: "forced", Forced: &two}, KindBadRequest, "forced on without PIN"},
		{&APIError{HTTPStatus: 400, Reason: "weird"}, KindBadRequest, `reason "weird"`},
		{&APIError{HTTPStatus: 400}, KindBadRequest, "older server"},
		{&APIError{HTTPStatus: 401, OCSStatus: 997}, KindUnauthorized, "run talkmod login"},
		{&APIError{HTTPStatus: 403, Op: "set lobby"}, KindForbidden, "not a moderator of this conversation (any more)"},
		{&APIError{HTTPStatus: 403, Op: "set SIP", Reason: "config"}, KindForbidden, "not in the groups the administrator allowed to enable SIP"},
		{&APIError{HTTPStatus: 404, Op: "set lobby"}, KindNotFound, "gone, or you were removed"},
		{&APIError{HTTPStatus: 404, OCSStatus: 998}, KindNotFound, "not a Talk API path"},
		{&APIError{HTTPStatus: 406}, KindNotAcceptable, "federated"},
		{&APIError{HTTPStatus: 412, Reason: "config"}, KindPrecondition, "SIP dial-in is not configured on this server"},
		{&APIError{HTTPStatus: 412, CSRF: true}, KindPrecondition, "CSRF"},
		{&APIError{HTTPStatus: 429}, KindThrottled, "throttling this address"},
		{&APIError{HTTPStatus: 500, OCSStatus: 996}, KindUnavailable, "internal error"},
		{&APIError{HTTPStatus: 503, Maintenance: true}, KindUnavailable, "maintenance"},
		{&NetworkError{Host: "cloud.example.com", Cause: "dns"}, KindNetwork, "cannot find the server cloud.example.com"},
		{&NetworkError{Host: "h", Cause: "refused"}, KindNetwork, "refused the connection"},
		{&NetworkError{Host: "h", Cause: "timeout"}, KindNetwork, "did not answer in time"},
		{&NetworkError{Host: "h", Cause: "tls"}, KindNetwork, "certificate"},
		{&ResponseError{HTTPStatus: 200, Problem: "an HTML page, not the Talk API"}, KindBadResponse, "not a Talk API answer"},
		{&ValidationError{Problem: "the lobby timer is in the past"}, KindInvalidInput, "in the past"},
		{fmt.Errorf("wrapped: %w", &APIError{HTTPStatus: 412, Reason: "config"}), KindPrecondition, "not configured"},
	}
	for _, c := range cases {
		if KindOf(c.err) != c.kind {
			t.Errorf("%v: kind %v, want %v", c.err, KindOf(c.err), c.kind)
		}
		if m := Message(c.err); !strings.Contains(m, c.want) {
			t.Errorf("%v: message %q, want %q", c.err, m, c.want)
		}
	}
	if !errors.Is(&APIError{HTTPStatus: 404}, ErrNotFound) || errors.Is(&APIError{HTTPStatus: 404}, ErrForbidden) {
		t.Error("errors.Is does not match by kind")
	}
}

func TestNothingWrittenToStderr(t *testing.T) {
	r, w, _ := os.Pipe()
	old := os.Stderr
	os.Stderr = w
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }))
	c, _ := New(Config{BaseURL: srv.URL, User: "u", AppPassword: "p", Timeout: 2 * time.Second})
	c.http.SetRetryWaitTime(time.Millisecond)
	_, _ = c.ListRooms(context.Background(), ListOptions{})
	srv.Close()
	// http:// to a non-loopback host logs a warning in resty by default.
	c2, _ := New(Config{BaseURL: "http://192.0.2.1", AllowInsecureHTTP: true, User: "u", AppPassword: "p", Timeout: 50 * time.Millisecond})
	_, _ = c2.ListRooms(context.Background(), ListOptions{})
	os.Stderr = old
	w.Close()
	buf := make([]byte, 1024)
	n, _ := r.Read(buf)
	if n > 0 {
		t.Errorf("the client wrote to stderr: %q", buf[:n])
	}
}

func TestRedact(t *testing.T) {
	in := "GET / Authorization: Basic YWRtaW46c2VjcmV0 next"
	if out := redact(in); strings.Contains(out, "YWRtaW46c2VjcmV0") || !strings.Contains(out, "[REDACTED]") {
		t.Errorf("redact = %q", out)
	}
}
