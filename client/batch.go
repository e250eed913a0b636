package client

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"
)

// DefaultBatchLimit is how many requests a batch keeps in flight at most.
const DefaultBatchLimit = 4

// ThrottleWait is how long to wait after a 429 before trying again, unless
// the server's Retry-After asks for longer (the console pauses as long).
const ThrottleWait = 5 * time.Minute

// StopsBatch reports whether an error stops the rest of a batch: a 429
// (the server is throttling this address; every further request makes it
// worse) or a 401 (the app password is wrong or revoked; every further
// request counts as a failed login toward the server's lock-out).
func StopsBatch(err error) bool {
	switch KindOf(err) {
	case KindThrottled, KindUnauthorized:
		return true
	}
	return false
}

// NotSentError is the outcome of an item a batch never sent, because an
// earlier answer stopped the batch or the context ended.
type NotSentError struct {
	// Cause is what stopped the batch: the 429 or 401 answer, or the
	// context's error.
	Cause error
	// RetryAt is, after a 429, when to try again (the server's Retry-After,
	// at least ThrottleWait from the 429); zero otherwise.
	RetryAt time.Time
}

// Error says it in plain words, with RetryAt in UTC; Words picks the zone.
func (e *NotSentError) Error() string { return e.Words(time.UTC) }

// Words says why the item was not sent, with RetryAt in loc:
// "not sent: the server is throttling; try again at 10:05 UTC".
func (e *NotSentError) Words(loc *time.Location) string {
	switch {
	case KindOf(e.Cause) == KindThrottled:
		s := "not sent: the server is throttling"
		if !e.RetryAt.IsZero() {
			s += "; try again at " + e.RetryAt.In(loc).Format("15:04 MST")
		}
		return s
	case KindOf(e.Cause) == KindUnauthorized:
		return "not sent: the server refused the app password (401): run talkmod login"
	case errors.Is(e.Cause, context.Canceled), errors.Is(e.Cause, context.DeadlineExceeded):
		return "not sent: cancelled"
	case e.Cause == nil:
		return "not sent"
	}
	return "not sent: the batch stopped: " + Message(e.Cause)
}

// Outcome is what became of one item of a batch.
type Outcome[T, R any] struct {
	Item T
	// Value is what Do returned (meaningful when Err is nil).
	Value R
	// Err is Do's error, or a *NotSentError for an item never sent; nil
	// when the item was done.
	Err error
}

// Sent reports whether the item's request was made.
func (o Outcome[T, R]) Sent() bool {
	var ns *NotSentError
	return !errors.As(o.Err, &ns)
}

// Batch runs one request per item with a bounded number in flight. The
// console's bulk changes and the commands' several-room changes share it.
//
// Items start in order, at most Limit at a time; a new one starts as soon
// as one ends. When an answer stops the batch (Stop, by default StopsBatch:
// a 429 or a 401), no further item starts: those in flight end normally,
// the rest get a *NotSentError. Nothing is retried.
type Batch[T, R any] struct {
	// Limit is the number of requests in flight at most (default
	// DefaultBatchLimit).
	Limit int
	// Do sends one item's request (required). It must honour ctx; it runs
	// on its own goroutine, up to Limit at once.
	Do func(ctx context.Context, item T) (R, error)
	// Stop says whether an error stops the batch (nil: StopsBatch).
	Stop func(error) bool
	// OnStart, if set, is called just before item i is sent, in item
	// order, from Run's goroutine (it may overlap an OnDone call).
	OnStart func(i int, item T)
	// OnDone, if set, is called once for every item (sent or not) as its
	// outcome is known. Calls never overlap; keep them short (e.g. send a
	// message to a tea.Program).
	OnDone func(i int, o Outcome[T, R])
	// Now is the clock for RetryAt (default time.Now).
	Now func() time.Time
}

// Run sends the items and returns their outcomes, in the items' order. It
// returns when every started request has ended.
func (b Batch[T, R]) Run(ctx context.Context, items []T) []Outcome[T, R] {
	limit := b.Limit
	if limit <= 0 {
		limit = DefaultBatchLimit
	}
	stops := b.Stop
	if stops == nil {
		stops = StopsBatch
	}
	now := b.Now
	if now == nil {
		now = time.Now
	}
	out := make([]Outcome[T, R], len(items))
	var (
		mu      sync.Mutex // guards stopErr, retryAt
		stopErr error
		retryAt time.Time
		doneMu  sync.Mutex // serialises OnDone
		wg      sync.WaitGroup
	)
	done := func(i int, o Outcome[T, R]) {
		out[i] = o
		if b.OnDone != nil {
			doneMu.Lock()
			b.OnDone(i, o)
			doneMu.Unlock()
		}
	}
	slots := make(chan struct{}, limit)
	for i, item := range items {
		acquired := false
		select {
		case slots <- struct{}{}:
			acquired = true
		case <-ctx.Done():
		}
		mu.Lock()
		cause, at := stopErr, retryAt
		mu.Unlock()
		if cause == nil && ctx.Err() != nil {
			cause = ctx.Err()
		}
		if cause != nil {
			if acquired {
				<-slots
			}
			// Let the requests in flight end first, so that OnDone sees
			// the stopping answer before the items it stopped.
			wg.Wait()
			for j := i; j < len(items); j++ {
				done(j, Outcome[T, R]{Item: items[j], Err: &NotSentError{Cause: cause, RetryAt: at}})
			}
			return out
		}
		if b.OnStart != nil {
			b.OnStart(i, item)
		}
		wg.Add(1)
		go func(i int, item T) {
			defer wg.Done()
			v, err := b.Do(ctx, item)
			if err != nil && stops(err) {
				mu.Lock()
				if stopErr == nil {
					stopErr = err
					if KindOf(err) == KindThrottled {
						retryAt = now().Add(throttleWait(err)).Truncate(time.Minute).Add(time.Minute)
					}
				}
				mu.Unlock()
			}
			done(i, Outcome[T, R]{Item: item, Value: v, Err: err})
			// The slot is freed only once the stop is recorded: the next
			// item never starts after a 429 it could have seen.
			<-slots
		}(i, item)
	}
	wg.Wait()
	return out
}

// throttleWait is how long to wait after a 429: its Retry-After, at least
// ThrottleWait.
func throttleWait(err error) time.Duration {
	var ae *APIError
	if errors.As(err, &ae) && ae.HTTPStatus == http.StatusTooManyRequests && ae.RetryAfter > ThrottleWait {
		return ae.RetryAfter
	}
	return ThrottleWait
}

// Tally counts a batch's outcomes: done, failed (sent, with an error) and
// not sent.
func Tally[T, R any](outs []Outcome[T, R]) (done, failed, notSent int) {
	for _, o := range outs {
		switch {
		case o.Err == nil:
			done++
		case !o.Sent():
			notSent++
		default:
			failed++
		}
	}
	return
}
