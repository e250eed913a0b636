// Package safetext makes text that talkmod writes out safe: encoded JSON
// whose characters a terminal may act on become JSON escapes (the same
// JSON value, never a command to the terminal), URLs without the
// user:password@ part, and log attributes without secrets.
package safetext

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/talkmod/talkmod/tui/sanitize"
)

// EscapeJSON writes the characters a terminal may act on that
// encoding/json leaves as they are — C1 controls (U+0080–U+009F, among
// them the 8-bit CSI U+009B) and format characters such as the bidi
// override U+202E — as \uXXXX escapes. In encoded JSON such characters
// can only stand inside strings, so the result is the same JSON value;
// C0 controls and DEL are escaped by encoding/json already.
//
// Bytes that are not UTF-8 (which a server's raw JSON may hold; encoding/json
// never writes them) become \ufffd, as encoding/json would have decoded
// them: a lone 0x9b byte is CSI to an 8-bit terminal.
func EscapeJSON(b []byte) []byte {
	clean := true
	for i := 0; i < len(b); {
		i += asciiRun(b[i:])
		if i >= len(b) {
			break
		}
		r, size := utf8.DecodeRune(b[i:])
		if sanitize.TerminalRune(r) || (r == utf8.RuneError && size == 1) {
			clean = false
			break
		}
		i += size
	}
	if clean {
		return b
	}
	var buf bytes.Buffer
	buf.Grow(len(b) + 16)
	WriteJSON(&buf, b)
	return buf.Bytes()
}

// WriteJSON writes b with EscapeJSON's escapes, the
// clean runs as they are.
func WriteJSON(w io.Writer, b []byte) {
	start := 0
	for i := 0; i < len(b); {
		i += asciiRun(b[i:])
		if i >= len(b) {
			break
		}
		r, size := utf8.DecodeRune(b[i:])
		bad := r == utf8.RuneError && size == 1
		if !bad && !sanitize.TerminalRune(r) {
			i += size
			continue
		}
		w.Write(b[start:i])
		w.Write(terminalEscape(nil, r, bad))
		i += size
		start = i
	}
	w.Write(b[start:])
}

// asciiRun counts b's leading ASCII bytes, eight at a time.
func asciiRun(b []byte) int {
	i := 0
	for i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 == 0 {
		i += 8
	}
	for i < len(b) && b[i] < utf8.RuneSelf {
		i++
	}
	return i
}

// terminalEscape appends the JSON escape of r (\ufffd for a byte that is
// not UTF-8).
func terminalEscape(out []byte, r rune, bad bool) []byte {
	switch {
	case bad:
		return append(out, `\ufffd`...)
	case r > 0xFFFF: // a surrogate pair, as JSON spells it
		r1, r2 := utf16.EncodeRune(r)
		return fmt.Appendf(out, "\\u%04x\\u%04x", r1, r2)
	}
	return fmt.Appendf(out, "\\u%04x", r)
}

// urlUserinfoRE finds the user:password@ part of a URL.
var urlUserinfoRE = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://)[^/?#@\s]+@`)

// RedactURLs hides the user:password@ part of any URL in s (a server URL
// typed with a password in it must not reach a log or a message).
func RedactURLs(s string) string {
	return urlUserinfoRE.ReplaceAllString(s, "${1}[REDACTED]@")
}

// secretKeys are attribute names whose values never reach the log.
var secretKeys = []string{"authorization", "password", "passwd", "secret", "token", "cookie", "apppassword", "app_password"}

var authValueRE = regexp.MustCompile(`(?i)(basic|bearer)\s+[A-Za-z0-9+/=._~-]+`)

// RedactAttr (a slog ReplaceAttr) removes secrets: attributes named like one, and any basic or
// bearer credential inside a text.
func RedactAttr(groups []string, attr slog.Attr) slog.Attr {
	key := strings.ToLower(attr.Key)
	if key != "token" { // a conversation token is not a secret
		for _, k := range secretKeys {
			if strings.Contains(key, k) {
				return slog.String(attr.Key, "[REDACTED]")
			}
		}
	}
	if attr.Value.Kind() == slog.KindString {
		s := attr.Value.String()
		r := RedactURLs(authValueRE.ReplaceAllString(s, "$1 [REDACTED]"))
		if r != s {
			return slog.String(attr.Key, r)
		}
	}
	return attr
}
