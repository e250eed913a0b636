package main

import (
	"strings"
	"testing"
	"unicode"
)

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
