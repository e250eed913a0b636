package client

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestBatchLimitsRequestsInFlight(t *testing.T) {
	for _, limit := range []int{0, 1, 3} {
		var cur, peak, calls atomic.Int32
		b := Batch[int, int]{Limit: limit, Do: func(ctx context.Context, n int) (int, error) {
			calls.Add(1)
			c := cur.Add(1)
			for {
				p := peak.Load()
				if c <= p || peak.CompareAndSwap(p, c) {
					break
				}
			}
			time.Sleep(3 * time.Millisecond)
			cur.Add(-1)
			return n * 2, nil
		}}
		items := make([]int, 24)
		for i := range items {
			items[i] = i
		}
		outs := b.Run(context.Background(), items)
		want := int32(limit)
		if limit == 0 {
			want = DefaultBatchLimit
		}
		if peak.Load() != want || calls.Load() != 24 {
			t.Errorf("limit %d: peak %d in flight, %d calls; want %d, 24", limit, peak.Load(), calls.Load(), want)
		}
		for i, o := range outs {
			if o.Item != i || o.Value != 2*i || o.Err != nil || !o.Sent() {
				t.Errorf("outcome %d = %+v", i, o)
			}
		}
	}
}

func TestBatchStopsOn429And401(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 30, 0, time.UTC)
	for _, c := range []struct {
		status int
		retry  time.Duration
		words  string
		at     time.Time
	}{
		{429, 0, "not sent: the server is throttling; try again at 10:06 UTC", now.Add(5*time.Minute + 30*time.Second)},
		{429, time.Hour, "not sent: the server is throttling; try again at 11:01 UTC", now.Add(time.Hour + 30*time.Second)},
		{401, 0, "not sent: the server refused the app password (401): run talkmod login", time.Time{}},
	} {
		var calls atomic.Int32
		var doneOrder []int
		b := Batch[int, string]{Limit: 1, Now: func() time.Time { return now },
			Do: func(ctx context.Context, n int) (string, error) {
				calls.Add(1)
				switch n {
				case 1:
					return "", &APIError{HTTPStatus: 403}
				case 2:
					return "", &APIError{HTTPStatus: c.status, RetryAfter: c.retry}
				}
				return "ok", nil
			},
			OnDone: func(i int, o Outcome[int, string]) { doneOrder = append(doneOrder, i) },
		}
		outs := b.Run(context.Background(), []int{0, 1, 2, 3, 4})
		if calls.Load() != 3 {
			t.Errorf("%d: %d requests, want 3 (a 403 goes on, a %d stops)", c.status, calls.Load(), c.status)
		}
		if outs[0].Err != nil || KindOf(outs[1].Err) != KindForbidden || outs[2].Err == nil || !outs[2].Sent() {
			t.Errorf("%d: outcomes %+v", c.status, outs[:3])
		}
		for _, o := range outs[3:] {
			var ns *NotSentError
			if !errors.As(o.Err, &ns) || o.Sent() || !ns.RetryAt.Equal(c.at) || ns.Error() != c.words {
				t.Errorf("%d: item %d: %v (retry at %v), want %q at %v", c.status, o.Item, o.Err, ns.RetryAt, c.words, c.at)
			}
		}
		if d, f, n := Tally(outs); d != 1 || f != 2 || n != 2 {
			t.Errorf("Tally = %d, %d, %d", d, f, n)
		}
		if len(doneOrder) != 5 || doneOrder[2] != 2 || doneOrder[3] != 3 || doneOrder[4] != 4 {
			t.Errorf("OnDone order %v", doneOrder)
		}
	}
}

// With requests in flight, a 429 lets them end but starts no other.
func TestBatchStopWithRequestsInFlight(t *testing.T) {
	var started sync.Map
	release := make(chan struct{})
	inFlight := make(chan struct{}, 3)
	b := Batch[int, int]{Limit: 4, Do: func(ctx context.Context, n int) (int, error) {
		started.Store(n, true)
		if n == 0 {
			// the 429 comes once items 1-3 are on their way
			for range 3 {
				<-inFlight
			}
			return 0, &APIError{HTTPStatus: 429}
		}
		if n <= 3 {
			inFlight <- struct{}{}
		}
		<-release
		return n, nil
	}, OnDone: func(i int, _ Outcome[int, int]) {
		// items 1-3 wait until item 0's 429 is in; then they end
		if i == 0 {
			close(release)
		}
	}}
	outs := b.Run(context.Background(), []int{0, 1, 2, 3, 4, 5, 6})
	for i, o := range outs {
		_, was := started.Load(i)
		switch {
		case i == 0 && KindOf(o.Err) != KindThrottled:
			t.Errorf("item 0: %v", o.Err)
		case i >= 1 && i <= 3 && (o.Err != nil || !was):
			t.Errorf("item %d in flight: %v (started %v)", i, o.Err, was)
		case i >= 4 && (o.Sent() || was):
			t.Errorf("item %d after the 429: %v (started %v)", i, o.Err, was)
		}
	}
}

func TestBatchCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	b := Batch[int, int]{Limit: 1, Do: func(ctx context.Context, n int) (int, error) {
		if n == 1 {
			cancel()
		}
		return n, nil
	}}
	outs := b.Run(ctx, []int{0, 1, 2, 3})
	if outs[0].Err != nil || outs[1].Err != nil {
		t.Fatalf("outcomes %+v", outs)
	}
	for _, o := range outs[2:] {
		var ns *NotSentError
		if !errors.As(o.Err, &ns) || !errors.Is(ns.Cause, context.Canceled) || !strings.Contains(o.Err.Error(), "cancelled") {
			t.Errorf("item %d: %v", o.Item, o.Err)
		}
	}
	if len(b.Run(ctx, nil)) != 0 {
		t.Error("no items, yet outcomes")
	}
}
