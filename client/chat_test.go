package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestPollDeadlineExceedsItsWait: a poll may wait its whole timeout on the
// server, so its own deadline is longer than the client's usual one; the
// history read, with the usual deadline, times out on the same server.
func TestPollDeadlineExceedsItsWait(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(1200 * time.Millisecond):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusNotModified)
	}))
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL, User: "admin", AppPassword: "pw", Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	c.http.SetRetryCount(0)
	page, err := c.PollChat(context.Background(), "abcd1234", PollOptions{After: 5, Timeout: time.Second})
	if err != nil || !page.NotModified {
		t.Fatalf("poll: %+v, %v", page, err)
	}
	if _, err := c.ChatHistory(context.Background(), "abcd1234", HistoryOptions{Limit: 5}); KindOf(err) != KindNetwork {
		t.Fatalf("history with the usual deadline: %v, want a timeout", err)
	}
}

// TestPostIsNeverRetried: a post whose connection is cut is sent once (a
// retry could post it twice), while a read is retried.
func TestPostIsNeverRetried(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		hj, ok := w.(http.Hijacker)
		if !ok {
			t.Error("no hijacker")
			return
		}
		conn, _, _ := hj.Hijack()
		conn.Close()
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, time.Now())
	ctx := context.Background()
	if _, err := c.PostMessage(ctx, "abcd1234", PostOptions{Message: "hello"}); KindOf(err) != KindNetwork {
		t.Fatalf("post: %v", err)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("post sent %d times, want once", got)
	}
	n.Store(0)
	if _, err := c.DeleteMessage(ctx, "abcd1234", 7); KindOf(err) != KindNetwork {
		t.Fatalf("delete: %v", err)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("delete sent %d times, want once", got)
	}
	n.Store(0)
	if _, err := c.ChatHistory(ctx, "abcd1234", HistoryOptions{}); KindOf(err) != KindNetwork {
		t.Fatalf("history: %v", err)
	}
	if got := n.Load(); got != 1+maxRetries {
		t.Errorf("history sent %d times, want %d (retried)", got, 1+maxRetries)
	}
}

// TestChatRefusedBeforeSending: what the server would refuse, or misread,
// is refused without a request.
func TestChatRefusedBeforeSending(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) }))
	defer srv.Close()
	c := newTestClient(t, srv.URL, time.Now())
	ctx := context.Background()
	for name, err := range map[string]error{
		"empty": func() error { _, err := c.PostMessage(ctx, "abcd1234", PostOptions{Message: " \n\t"}); return err }(),
		"too long": func() error {
			_, err := c.PostMessage(ctx, "abcd1234", PostOptions{Message: strings.Repeat("é", 32001)})
			return err
		}(),
		"reference": func() error {
			_, err := c.PostMessage(ctx, "abcd1234", PostOptions{Message: "x", ReferenceID: strings.Repeat("a", 65)})
			return err
		}(),
		"bad token":    func() error { _, err := c.PostMessage(ctx, "../x", PostOptions{Message: "x"}); return err }(),
		"poll from 0":  func() error { _, err := c.PollChat(ctx, "abcd1234", PollOptions{}); return err }(),
		"delete 0":     func() error { _, err := c.DeleteMessage(ctx, "abcd1234", 0); return err }(),
		"limit 201":    func() error { _, err := c.ChatHistory(ctx, "abcd1234", HistoryOptions{Limit: 201}); return err }(),
		"ro bad token": func() error { _, err := c.SetReadOnly(ctx, "A", true); return err }(),
	} {
		if KindOf(err) != KindInvalidInput || Message(err) == "" {
			t.Errorf("%s: %v, want refused", name, err)
		}
	}
	if n.Load() != 0 {
		t.Errorf("%d requests sent", n.Load())
	}
	// 32000 characters are fine
	if _, err := c.PostMessage(ctx, "abcd1234", PostOptions{Message: strings.Repeat("é", 32000)}); KindOf(err) == KindInvalidInput {
		t.Errorf("32000 characters refused: %v", err)
	}
}
