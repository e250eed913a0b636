package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/internal/recorded"
)

// loginServer answers Login Flow v2 like Nextcloud: 404 [] until granted,
// then 200 once.
func loginServer(t *testing.T, granted *atomic.Bool) *httptest.Server {
	var srv *httptest.Server
	var served atomic.Bool
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/index.php/login/v2":
			if !strings.HasPrefix(r.Header.Get("User-Agent"), "talkmod/") {
				t.Errorf("login started with User-Agent %q", r.Header.Get("User-Agent"))
			}
			fmt.Fprintf(w, `{"poll":{"token":"polltoken123","endpoint":"%s\/index.php\/login\/v2\/poll"},"login":"%s\/index.php\/login\/v2\/flow\/abc"}`, srv.URL, srv.URL)
		case r.Method == http.MethodPost && r.URL.Path == "/index.php/login/v2/poll":
			_ = r.ParseForm()
			if r.PostForm.Get("token") != "polltoken123" || !granted.Load() || served.Load() {
				w.WriteHeader(404)
				fmt.Fprint(w, "[]")
				return
			}
			served.Store(true)
			fmt.Fprintf(w, `{"server":"%s\/","loginName":"alice@example.com","appPassword":"app-pw-xyz"}`, srv.URL)
		default:
			w.WriteHeader(404)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestLoginFlowV2(t *testing.T) {
	var granted atomic.Bool
	srv := loginServer(t, &granted)
	ctx := context.Background()
	flow, err := StartLogin(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if flow.LoginURL != srv.URL+"/index.php/login/v2/flow/abc" || flow.PollToken != "polltoken123" {
		t.Fatalf("flow = %+v", flow)
	}
	if _, err := PollLogin(ctx, flow); !errors.Is(err, ErrLoginPending) {
		t.Fatalf("before the grant: %v, want ErrLoginPending", err)
	}
	granted.Store(true)
	res, err := PollLogin(ctx, flow)
	if err != nil {
		t.Fatal(err)
	}
	if res.Server != srv.URL || res.LoginName != "alice@example.com" || res.AppPassword != "app-pw-xyz" {
		t.Errorf("result = %+v", res)
	}
	if _, err := PollLogin(ctx, flow); !errors.Is(err, ErrLoginPending) {
		t.Errorf("the grant was answered twice: %v", err)
	}
}

func TestLoginRefusesPlainHTTPElsewhere(t *testing.T) {
	_, err := StartLogin(context.Background(), "http://cloud.example.com")
	if !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("err = %v", err)
	}
}

func TestLoginOnSomethingElse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html>not nextcloud</html>")
	}))
	defer srv.Close()
	_, err := StartLogin(context.Background(), srv.URL)
	if KindOf(err) != KindBadResponse || !strings.Contains(err.Error(), "HTML") && !strings.Contains(err.Error(), "malformed") {
		t.Fatalf("err = %v", err)
	}
}

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
