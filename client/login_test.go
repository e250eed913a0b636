package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
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
