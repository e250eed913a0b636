package talktest

import (
	"io"
	"net/http"
	"runtime"
	"testing"
	"time"
)

// TestRequestLogIsBounded: a long-running (demo) server keeps only the
// recent requests, newest last.
func TestRequestLogIsBounded(t *testing.T) {
	s := New()
	defer s.Close()
	for i := 0; i < maxRequestLog+10; i++ {
		r, _ := http.NewRequest(http.MethodGet, s.URL+"/status.php?i="+string(rune('a'+i%26)), nil)
		s.mu.Lock()
		s.logLocked(r, nil)
		s.mu.Unlock()
	}
	reqs := s.Requests()
	if len(reqs) > maxRequestLog || len(reqs) < maxRequestLog/2 {
		t.Fatalf("%d requests kept", len(reqs))
	}
	if last := reqs[len(reqs)-1].RawQuery; last != "i="+string(rune('a'+(maxRequestLog+9)%26)) {
		t.Errorf("last request %q", last)
	}
}

// TestDemoCloseLeaksNothing: a demo server with its wall-clock switch-off
// timer, used over keep-alive connections by the real client, leaves no
// goroutine behind after Close.
func TestDemoCloseLeaksNothing(t *testing.T) {
	before := runtime.NumGoroutine()
	s, acc, err := StartDemoWith(DemoConfig{SIPOffAfter: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{}
	c := &http.Client{Transport: tr}
	for i := 0; i < 5; i++ {
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/ocs/v2.php/apps/spreed/api/v4/room?format=json", nil)
		req.SetBasicAuth(acc.User, acc.AppPassword)
		req.Header.Set("OCS-APIRequest", "true")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	s.Close()
	tr.CloseIdleConnections()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after Close, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}
