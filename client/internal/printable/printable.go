// Package printable shortens untrusted bytes from a server for an error
// message.
package printable

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Snippet is the start of a body, safe to print: at most 80 characters,
// control characters and escape sequences replaced, white space folded.
func Snippet(body []byte) string {
	const max = 80
	var b strings.Builder
	for i, r := range string(body[:min(len(body), 4*max)]) {
		if i >= max*2 || b.Len() >= max {
			b.WriteString("…")
			break
		}
		switch {
		case r == utf8.RuneError:
			b.WriteRune('?')
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r) || unicode.In(r, unicode.Cf):
			b.WriteRune('?')
		default:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
