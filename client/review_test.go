package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/talkmod/talkmod/client/internal/recorded"
	"github.com/talkmod/talkmod/models"
)

// TestRecordedLoginFlow replays LF1 through StartLogin and PollLogin: the
// recorded start answer gives the flow, the recorded pending poll gives
// ErrLoginPending.
func TestRecordedLoginFlow(t *testing.T) {
	rec, err := recorded.Load("LF1-login-flow-v2-start-and-poll-pending")
	if err != nil {
		t.Fatal(err)
	}
	start, pending := rec.Exchanges[0], rec.Exchanges[1]
	var srv *httptest.Server
	var polls atomic.Int32
	var pollForm string
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		switch {
		case r.Method == http.MethodPost && r.URL.Path == start.URL.Path:
			// The recording's URLs point at the recording server.
			w.WriteHeader(start.Status)
			_, _ = w.Write([]byte(strings.ReplaceAll(string(start.Body), `http:\/\/127.0.0.1:8080`, strings.ReplaceAll(srv.URL, "/", `\/`))))
		case r.Method == http.MethodPost && r.URL.Path == pending.URL.Path:
			polls.Add(1)
			_ = r.ParseForm()
			pollForm = r.PostForm.Get("token")
			w.WriteHeader(pending.Status)
			_, _ = w.Write(pending.Body)
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
			w.WriteHeader(500)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	flow, err := StartLogin(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if len(flow.PollToken) != 128 || flow.PollEndpoint != srv.URL+"/index.php/login/v2/poll" ||
		!strings.HasPrefix(flow.LoginURL, srv.URL+"/index.php/login/v2/flow/") {
		t.Errorf("flow = %+v", flow)
	}
	if _, err := PollLogin(ctx, flow); !errors.Is(err, ErrLoginPending) {
		t.Errorf("pending poll: %v, want ErrLoginPending", err)
	}
	if polls.Load() != 1 || pollForm != flow.PollToken {
		t.Errorf("%d polls, token sent %q", polls.Load(), pollForm)
	}
}

// TestLoginErrorsHoldNoSecret: a broken login answer is named, but the
// poll token and the app password in it never reach the error text.
func TestLoginErrorsHoldNoSecret(t *testing.T) {
	const token = "SECRETPOLLTOKEN0123456789"
	const appPW = "SECRETAPPPASSWORD"
	startBody, pollBody := "", ""
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/poll") {
			fmt.Fprint(w, pollBody)
			return
		}
		fmt.Fprint(w, startBody)
	}))
	defer srv.Close()
	ctx := context.Background()
	for _, body := range []string{
		`{"poll":{"token":"` + token + `","endpoint":"` + srv.URL + `/login/v2/poll"},"login":`,   // truncated
		`{"poll":{"token":"` + token + `","endpoint":"` + srv.URL + `/login/v2/poll"},"login":7}`, // wrong type
	} {
		startBody = body
		_, err := StartLogin(ctx, srv.URL)
		if err == nil || KindOf(err) != KindBadResponse {
			t.Fatalf("start %q: %v", body, err)
		}
		if text := err.Error() + Message(err) + fmt.Sprintf("%+v", err); strings.Contains(text, "SECRET") {
			t.Errorf("the poll token reached the error: %s", text)
		}
	}
	flow := &LoginFlow{LoginURL: srv.URL + "/login/v2/flow/x", PollEndpoint: srv.URL + "/login/v2/poll", PollToken: token}
	for _, body := range []string{
		`{"server":"` + srv.URL + `","loginName":"alice","appPassword":"` + appPW, // truncated
		`{"server":"` + srv.URL + `","loginName":"alice","appPassword":"` + appPW + `","x":}`,
		`{"appPassword":"` + appPW + `","server":"` + srv.URL + `","loginName":1}`, // wrong type
	} {
		pollBody = body
		_, err := PollLogin(ctx, flow)
		if err == nil || KindOf(err) != KindBadResponse {
			t.Fatalf("poll %q: %v", body, err)
		}
		if text := err.Error() + Message(err) + fmt.Sprintf("%+v", err); strings.Contains(text, "SECRET") {
			t.Errorf("the app password reached the error: %s", text)
		}
	}
}

// TestRedirectsAreNotFollowed: a redirect (here to plain http on another
// port, as a misconfigured proxy would send) is one clear error, and the
// app password never travels to the redirect's target.
func TestRedirectsAreNotFollowed(t *testing.T) {
	var leaked atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			leaked.Add(1)
		}
		fmt.Fprint(w, okRoom)
	}))
	defer target.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+r.URL.RequestURI(), http.StatusMovedPermanently)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, time.Unix(1796091958, 0))
	_, err := c.SetSIP(context.Background(), "3759050267", models.SIPEnabled)
	var re *ResponseError
	if !errors.As(err, &re) || re.HTTPStatus != 301 || !strings.Contains(err.Error(), "redirect to") || KindOf(err) != KindBadResponse {
		t.Fatalf("err = %v", err)
	}
	if leaked.Load() != 0 {
		t.Errorf("the redirect was followed with the credentials %d times", leaked.Load())
	}
}

// TestRetryAfterIsRead: a 429 or 503 with Retry-After carries the hint.
func TestRetryAfterIsRead(t *testing.T) {
	for _, c := range []struct {
		status int
		header string
		want   time.Duration
	}{
		{429, "120", 2 * time.Minute},
		{503, "7", 7 * time.Second},
		{429, "", 0},
		{429, "soon", 0},
		{429, "-3", 0},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if c.header != "" {
				w.Header().Set("Retry-After", c.header)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(c.status)
			fmt.Fprintf(w, `{"ocs":{"meta":{"status":"failure","statuscode":%d,"message":""},"data":[]}}`, c.status)
		}))
		cl := newTestClient(t, srv.URL, time.Now())
		cl.http.SetRetryCount(0)
		_, err := cl.ListRooms(context.Background(), ListOptions{})
		srv.Close()
		var ae *APIError
		if !errors.As(err, &ae) || ae.RetryAfter != c.want {
			t.Errorf("%d Retry-After %q: %v (RetryAfter %v), want %v", c.status, c.header, err, ae, c.want)
		}
	}
	now := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	if d := retryAfter(now.Add(90*time.Second).Format(http.TimeFormat), now); d != 90*time.Second {
		t.Errorf("HTTP-date Retry-After = %v", d)
	}
}

// TestRetriedPUTStaysWithinTheDeadline: a PUT (idempotent) is retried on
// 503 like a GET, at most twice, and the retries end with the deadline.
func TestRetriedPUTStaysWithinTheDeadline(t *testing.T) {
	var n atomic.Int32
	var always503 atomic.Bool
	var forms []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		forms = append(forms, r.PostForm.Encode())
		if n.Add(1) < 3 || always503.Load() {
			w.WriteHeader(503)
			return
		}
		fmt.Fprint(w, okRoom)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, time.Now())
	room, err := c.SetSIP(context.Background(), "3759050267", models.SIPEnabled)
	if err != nil || room.Token != "3759050267" || n.Load() != 3 {
		t.Fatalf("room %q err %v after %d attempts", room.Token, err, n.Load())
	}
	for i, f := range forms {
		if f != "state=1" {
			t.Errorf("attempt %d sent %q", i, f)
		}
	}

	// Always 503, slow retries, a short caller deadline: the call ends
	// with the deadline, not after the retries' waits.
	n.Store(0)
	slow, _ := New(Config{BaseURL: srv.URL, User: "u", AppPassword: "p"})
	slow.http.SetRetryWaitTime(10 * time.Second).SetRetryMaxWaitTime(10 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	always503.Store(true)
	began := time.Now()
	_, err = slow.SetSIP(ctx, "3759050267", models.SIPEnabled)
	if el := time.Since(began); el > 3*time.Second || err == nil || n.Load() != 1 {
		t.Errorf("took %v, %d attempts, err %v", el, n.Load(), err)
	}
	// The server did answer: the error says 503, not "did not answer".
	if KindOf(err) != KindUnavailable || !errors.Is(err, ErrUnavailable) {
		t.Errorf("deadline while waiting to retry a 503: %v (kind %v), want unavailable", err, KindOf(err))
	}
}

// TestLobbyTimerInTheSameSecondIsPast: the server reads whole seconds, so
// a timer within the current second would lift the lobby at once.
func TestLobbyTimerInTheSameSecondIsPast(t *testing.T) {
	now := time.Date(2026, 12, 1, 3, 0, 0, 300_000_000, time.UTC)
	for _, c := range []struct {
		t  time.Time
		ok bool
	}{
		{now.Add(500 * time.Millisecond), false}, // 03:00:00.8: still second 0
		{now.Add(700 * time.Millisecond), true},  // 03:00:01
		{now.Add(-time.Second), false},
		{now.AddDate(1, 0, 0), true},
		{now.AddDate(1, 0, 0).Add(time.Second), false},
	} {
		if err := ValidateLobbyTimer(now, c.t); (err == nil) != c.ok {
			t.Errorf("timer %s: err %v, want ok=%v", c.t.Format(time.RFC3339Nano), err, c.ok)
		}
	}
}

// TestNonRoomErrorsAreNotToldAsRoomErrors: a 403/404 outside a
// conversation does not talk about moderators or removed conversations.
func TestNonRoomErrorsAreNotToldAsRoomErrors(t *testing.T) {
	for _, c := range []struct {
		err  *APIError
		want string
	}{
		{&APIError{HTTPStatus: 403, Op: "revoke app password", Message: "no app password in use"}, "does not use an app password"},
		{&APIError{HTTPStatus: 403, Op: "current user"}, "may not be allowed to use Talk"},
		{&APIError{HTTPStatus: 404, Op: "current user"}, "does not know this address"},
		{&APIError{HTTPStatus: 404, Op: "list participants"}, "conversation is gone"},
		{&APIError{HTTPStatus: 403, Op: "list participants"}, "not a moderator"},
		{&APIError{HTTPStatus: 404}, "conversation is gone"},
	} {
		if m := Message(c.err); !strings.Contains(m, c.want) {
			t.Errorf("%v: %q, want %q", c.err, m, c.want)
		}
	}
}

type fakeRT struct {
	body string
	cl   int64
}

func (f fakeRT) RoundTrip(*http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, ContentLength: f.cl, Body: io.NopCloser(strings.NewReader(f.body))}, nil
}

// TestBodyCap: a body up to the cap is read whole, one byte more fails
// with ErrResponseBodyTooLarge, and a Content-Length over the cap fails at
// the first read.
func TestBodyCap(t *testing.T) {
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
	for _, c := range []struct {
		body    string
		cl      int64
		wantErr bool
	}{
		{strings.Repeat("x", 10), -1, false},
		{strings.Repeat("x", 11), -1, true},
		{strings.Repeat("x", 10), 10, false},
		{"x", 11, true},
		{"", -1, false},
	} {
		resp, _ := cappedTransport{base: fakeRT{c.body, c.cl}, max: 10}.RoundTrip(req)
		got, err := io.ReadAll(resp.Body)
		if c.wantErr != errors.Is(err, resty.ErrResponseBodyTooLarge) || len(got) > 10 || (!c.wantErr && string(got) != c.body) {
			t.Errorf("body %d bytes, Content-Length %d: read %d bytes, err %v", len(c.body), c.cl, len(got), err)
		}
	}

	// Over HTTP: a declared 40 MB body is refused without reading it,
	// named, and not retried.
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Length", strconv.Itoa(40<<20))
		w.WriteHeader(200)
		_, _ = w.Write([]byte(`{"ocs":`))
	}))
	defer srv.Close()
	_, err := newTestClient(t, srv.URL, time.Now()).ListRooms(context.Background(), ListOptions{})
	if KindOf(err) != KindBadResponse || !strings.Contains(err.Error(), "larger than 32 MB") || n.Load() != 1 {
		t.Errorf("err %v after %d requests", err, n.Load())
	}
}

// TestLoginPollsLeaveNoConnections: polling the login flow every few
// seconds must not leave a connection (and its goroutines) per poll.
func TestLoginPollsLeaveNoConnections(t *testing.T) {
	var granted atomic.Bool
	srv := loginServer(t, &granted)
	before := runtime.NumGoroutine()
	flow, err := StartLogin(context.Background(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		if _, err := PollLogin(context.Background(), flow); !errors.Is(err, ErrLoginPending) {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before+4 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+4 {
		t.Errorf("%d goroutines after 21 login requests, %d before", n, before)
	}
}

// TestPrintingHoldsNoSecret: printing a Client, its Config or a login's
// flow or result, in any verb or through slog, shows no secret.
func TestPrintingHoldsNoSecret(t *testing.T) {
	cfg := Config{BaseURL: "https://cloud.example.com", User: "alice", AppPassword: "SECRETPW"}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	flow := &LoginFlow{LoginURL: "https://cloud.example.com/login/v2/flow/x", PollEndpoint: "https://cloud.example.com/login/v2/poll", PollToken: "SECRETTOKEN"}
	res := &LoginResult{Server: "https://cloud.example.com", LoginName: "alice", AppPassword: "SECRETPW"}
	var logged strings.Builder
	log := slog.New(slog.NewTextHandler(&logged, nil))
	for _, v := range []any{c, cfg, &cfg, flow, *flow, res, *res} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			if s := fmt.Sprintf(verb, v); strings.Contains(s, "SECRET") {
				t.Errorf("%s of %T: %s", verb, v, s)
			}
		}
		log.Info("value", "v", v)
	}
	if strings.Contains(logged.String(), "SECRET") {
		t.Errorf("slog: %s", logged.String())
	}
	if !strings.Contains(fmt.Sprint(cfg), "AppPassword:[redacted]") || !strings.Contains(fmt.Sprint(c), "alice at https://cloud.example.com") {
		t.Errorf("printed as %v / %v", cfg, c)
	}
}

// TestBadServerURLsHideTheirPassword: a password typed into the server URL
// never comes back in the error that refuses the URL.
func TestBadServerURLsHideTheirPassword(t *testing.T) {
	for _, raw := range []string{
		"alice:s3cret@cloud.example.com",
		"https://alice:s3cret@",
		"https://alice:s3cret@cloud.example.com:99999999/%zz",
		"https://alice:s3cret@cloud.example.com",
		"ftp://alice:s3cret@cloud.example.com/x@y",
	} {
		_, err := New(Config{BaseURL: raw})
		if err == nil || KindOf(err) != KindInvalidInput {
			t.Errorf("%q: %v", raw, err)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") || strings.Contains(Message(err), "s3cret") {
			t.Errorf("%q: the password reached the error: %v", raw, err)
		}
	}
	if got := scrubURL("https://cloud.example.com/a@b"); got != "https://cloud.example.com/a@b" {
		t.Errorf("scrubURL changed a URL without a user: %q", got)
	}
}
