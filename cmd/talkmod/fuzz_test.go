package main

import (
	"strings"
	"testing"
	"time"
	"unicode"
)

var fuzzZones = []string{"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Apia"}

// plainText: no control or format characters (what a quoted error
// message may hold).
func plainText(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

// FuzzParseTime: --at never panics; a time it accepts is a real time in
// the zone, the one written (or the first after a DST gap, at most an
// hour later), and "HH:MM" is the next such time within two days; a
// refusal is plain words.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"15:00", "2026-03-29 02:30", "2026-12-31 23:59", "2026-02-29 10:00", "2026-03-29T10:00:00+02:00",
		"24:00", "9:5", " 07:30 ", "2026-13-01 10:00", "0000-01-01 00:00", "9999-12-31 23:59", "2026-10-25 02:30", "\x1b[31m12:00"} {
		f.Add(s, uint8(1), int64(1796178358))
	}
	f.Fuzz(func(t *testing.T, s string, zone uint8, nowUnix int64) {
		loc, err := time.LoadLocation(fuzzZones[int(zone)%len(fuzzZones)])
		if err != nil {
			t.Skip(err)
		}
		now := time.Unix(nowUnix%(1<<36), 0)
		got, err := parseTime(s, now, loc)
		if err != nil {
			if !plainText(err.Error()) {
				t.Fatalf("error with control characters: %q", err)
			}
			return
		}
		if got.IsZero() {
			t.Fatalf("%q: accepted as the zero time", s)
		}
		in := strings.TrimSpace(s)
		if m := dateTimeRE.FindStringSubmatch(in); m != nil && !strings.Contains(in, "T") {
			want := time.Date(atoi(m[1]), time.Month(atoi(m[2])), atoi(m[3]), atoi(m[4]), atoi(m[5]), 0, 0, time.UTC)
			wall := got.In(loc)
			gotWall := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), 0, 0, time.UTC)
			if d := gotWall.Sub(want); d < 0 || d > time.Hour {
				t.Fatalf("%q in %s: %s (wall %s)", s, loc, got, gotWall)
			}
		}
		if clockRE.MatchString(in) {
			if !got.After(now) || got.Sub(now) > 49*time.Hour {
				t.Fatalf("%q at %s in %s: %s is not the next such time", s, now, loc, got)
			}
		}
	})
}

// FuzzParseToken: a token or link that is accepted yields a token of the
// server's shape; a bare token comes back as it was; a refusal is plain
// words.
func FuzzParseToken(f *testing.F) {
	for _, s := range []string{"abcd1234", "3759050267", "https://cloud.example.com/call/abcd1234", "https://h/index.php/call/abcd/",
		"http://h:8080/nextcloud/call/xyz9", "https://cloud.example.com/apps/spreed/", "ABCD", "abc", "https://\x1b]0;x\a/call/abcd",
		"https://h/call/abcd?x=1#frag", strings.Repeat("a", 31)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		token, host, err := parseToken(s)
		if err != nil {
			if token != "" || !plainText(err.Error()) {
				t.Fatalf("%q: token %q, error %q", s, token, err)
			}
			return
		}
		if !tokenRE.MatchString(token) {
			t.Fatalf("%q gave token %q", s, token)
		}
		if host == "" && token != strings.TrimSpace(s) {
			t.Fatalf("bare %q gave %q", s, token)
		}
	})
}
