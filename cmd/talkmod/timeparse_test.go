package main

import (
	"testing"
	"time"

	"github.com/talkmod/talkmod/tui/words"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestRelative(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{25 * time.Minute, "in 25m"},
		{2*time.Hour + 15*time.Minute, "in 2h 15m"},
		{3 * time.Hour, "in 3h"},
		{50*time.Hour + 10*time.Minute, "in 2d 3h"}, // rounded up (tui/words)
		{-10 * time.Minute, "10m ago"},
		{20 * time.Second, "in 1m"},
	} {
		if got := words.Relative(vocabNow, vocabNow.Add(c.d)); got != c.want {
			t.Errorf("relative(%s) = %q, want %q", c.d, got, c.want)
		}
	}
}
