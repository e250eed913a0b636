package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/talkmod/talkmod/models"
)

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
