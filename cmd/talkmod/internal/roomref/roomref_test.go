package roomref

import (
	"errors"
	"strings"
	"testing"
	"unicode"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
)

// isUsage: the error is the commands' exit 2.
func isUsage(err error) bool {
	var ue *cmdutil.UsageError
	return errors.As(err, &ue)
}

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

func TestParseToken(t *testing.T) {
	for _, c := range []struct{ in, token, host string }{
		{"1234567890", "1234567890", ""},
		{"abcd1234", "abcd1234", ""},
		{"https://cloud.example.com/call/abcd1234", "abcd1234", "cloud.example.com"},
		{"https://cloud.example.com/index.php/call/abcd1234", "abcd1234", "cloud.example.com"},
		{"https://cloud.example.com/call/abcd1234/", "abcd1234", "cloud.example.com"},
		{"https://cloud.example.com/index.php/call/abcd1234#message_5", "abcd1234", "cloud.example.com"},
		{"https://example.com/nextcloud/index.php/call/abcd1234?x=1", "abcd1234", "example.com"},
		{" http://127.0.0.1:8080/call/12345 ", "12345", "127.0.0.1:8080"},
	} {
		tok, host, err := Parse(c.in)
		if err != nil || tok != c.token || host != c.host {
			t.Errorf("Parse(%q) = %q, %q, %v; want %q, %q", c.in, tok, host, err, c.token, c.host)
		}
	}
	for _, bad := range []string{"", "abc", "ABCD1234", "abcd-1234", "https://cloud.example.com/apps/spreed", "https://cloud.example.com/call/", "ftp://x/call/abcd1234", "abcd1234abcd1234abcd1234abcd1234"} {
		if _, _, err := Parse(bad); err == nil || !isUsage(err) {
			t.Errorf("Parse(%q) accepted (%v)", bad, err)
		}
	}
}

// One token pattern: the commands accept as a token exactly what the
// client would send.
func TestOneTokenPattern(t *testing.T) {
	for _, tok := range []string{"abcd", "1234567890", "abc", "ABCD", "a-bc", "abcdefghijabcdefghijabcdefghij", "abcdefghijabcdefghijabcdefghijk"} {
		_, _, err := Parse(tok)
		if (err == nil) != client.TokenRE.MatchString(tok) {
			t.Errorf("%q: Parse %v, client.TokenRE %v", tok, err, client.TokenRE.MatchString(tok))
		}
		_, _, err = Parse("https://cloud.example.com/call/" + tok)
		if (err == nil) != client.TokenRE.MatchString(tok) {
			t.Errorf("link to %q: Parse %v", tok, err)
		}
	}
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
		token, host, err := Parse(s)
		if err != nil {
			if token != "" || !plainText(err.Error()) {
				t.Fatalf("%q: token %q, error %q", s, token, err)
			}
			return
		}
		if !client.TokenRE.MatchString(token) {
			t.Fatalf("%q gave token %q", s, token)
		}
		if host == "" && token != strings.TrimSpace(s) {
			t.Fatalf("bare %q gave %q", s, token)
		}
	})
}
