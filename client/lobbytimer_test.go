package client

import (
	"testing"
	"time"
)

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
