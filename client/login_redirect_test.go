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

// elsewhere is another server: it records any poll token sent to it and
// answers as a granted login would.
func elsewhere(t *testing.T, got *atomic.Value) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		got.Store(r.PostForm.Get("token"))
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"server":"http://%s","loginName":"mallory","appPassword":"evil-pw"}`, r.Host)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Observation 9: a 307/308 from the poll endpoint is not followed: the
// poll token goes nowhere else and no other host's answer is taken.
func TestLoginPollRedirectNotFollowed(t *testing.T) {
	for _, code := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			var got atomic.Value
			other := elsewhere(t, &got)
			var srv *httptest.Server
			srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/index.php/login/v2":
					w.Header().Set("Content-Type", "application/json")
					fmt.Fprintf(w, `{"poll":{"token":"polltoken123","endpoint":"%s/index.php/login/v2/poll"},"login":"%s/index.php/login/v2/flow/abc"}`, srv.URL, srv.URL)
				case "/index.php/login/v2/poll":
					http.Redirect(w, r, other.URL+"/steal", code)
				}
			}))
			t.Cleanup(srv.Close)
			flow, err := StartLogin(context.Background(), srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			res, err := PollLogin(context.Background(), flow)
			if err == nil || res != nil {
				t.Fatalf("a redirected poll was accepted: %+v", res)
			}
			if v, _ := got.Load().(string); v != "" {
				t.Fatalf("the poll token was sent to the redirect target: %q", v)
			}
			if !strings.Contains(err.Error(), "redirect") || strings.Contains(err.Error(), "polltoken123") {
				t.Errorf("error %q", err)
			}
		})
	}
}

// A redirect of the start of the flow is not followed either.
func TestLoginStartRedirectNotFollowed(t *testing.T) {
	var got atomic.Value
	other := elsewhere(t, &got)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/index.php/login/v2", http.StatusPermanentRedirect)
	}))
	t.Cleanup(srv.Close)
	if _, err := StartLogin(context.Background(), srv.URL); err == nil || !strings.Contains(err.Error(), "redirect") {
		t.Fatalf("err %v", err)
	}
	if got.Load() != nil {
		t.Fatal("the redirect was followed")
	}
}

// A poll endpoint or login URL on another scheme or host than the
// server's is refused unless it is https; the server's own address is
// fine (http to loopback in tests).
func TestLoginFlowURLsOffTheServerNeedHTTPS(t *testing.T) {
	start := func(poll, login string) error {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"poll":{"token":"t","endpoint":%q},"login":%q}`, poll, login)
		}))
		defer srv.Close()
		p := strings.ReplaceAll(poll, "SELF", srv.URL)
		l := strings.ReplaceAll(login, "SELF", srv.URL)
		srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"poll":{"token":"t","endpoint":%q},"login":%q}`, p, l)
		})
		_, err := StartLogin(context.Background(), srv.URL)
		return err
	}
	cases := []struct {
		poll, login string
		ok          bool
	}{
		{"SELF/index.php/login/v2/poll", "SELF/index.php/login/v2/flow/x", true},
		{"https://login.example.com/poll", "https://login.example.com/flow", true},
		{"http://127.0.0.2:9/poll", "SELF/flow", false},      // another host over http
		{"SELF/poll", "http://localhost:1/flow", false},      // another host over http
		{"ftp://cloud.example.com/poll", "SELF/flow", false}, // another scheme
	}
	for _, tc := range cases {
		err := start(tc.poll, tc.login)
		if (err == nil) != tc.ok {
			t.Errorf("poll %s login %s: err %v, want ok=%v", tc.poll, tc.login, err, tc.ok)
		}
	}
}

// The poll token goes only to the endpoint the flow started with.
func TestLoginPollOnlyWhereTheFlowStarted(t *testing.T) {
	var granted atomic.Bool
	srv := loginServer(t, &granted)
	flow, err := StartLogin(context.Background(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	var got atomic.Value
	other := elsewhere(t, &got)
	flow.PollEndpoint = other.URL + "/poll"
	if _, err := PollLogin(context.Background(), flow); err == nil || errors.Is(err, ErrLoginPending) {
		t.Fatalf("err %v", err)
	}
	if got.Load() != nil {
		t.Fatal("the poll token went to another endpoint")
	}
}
