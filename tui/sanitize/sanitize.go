// Package sanitize makes server-controlled strings (room names, descriptions,
// display names, error messages) safe to print on a terminal.
//
// Anyone who can rename a conversation controls those strings, so they may
// carry terminal escape sequences (OSC title changes, screen clears, C1 CSI),
// carriage returns that overwrite what was already printed, or bidi overrides
// that reorder what the moderator reads. Every such string passes through
// [Line] or [Block] at render time; models keep the raw value for API calls.
//
// Nothing is removed silently: controls become visible escapes, so support
// staff can see that something odd is there.
//
//   - C0 controls and DEL: caret notation ("\x1b" → "^[", "\x00" → "^@", DEL → "^?")
//   - C1 controls U+0080–U+009F: "\u009b"
//   - Unicode format characters (category Cf: bidi overrides and isolates,
//     zero-width space/joiner, BOM, soft hyphen, tag characters): "\u202e"
//     (or "\U000e0001" above U+FFFF)
//   - invalid UTF-8: U+FFFD, one per bad byte
//   - "\t" → " "; "\n" and "\r\n" → " " in [Line]; [Block] keeps "\n" and
//     turns "\r\n" into "\n"; both show a lone "\r" (which would overwrite
//     what was printed) as "^M".
//
// Strings that need none of this are returned as they are, without allocating.
package sanitize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line escapes s for single-line contexts: table cells, headers, status text.
// The result contains no control characters (not even "\n"), no Unicode
// format characters and only valid UTF-8.
func Line(s string) string { return clean(s, false) }

// Block is like [Line] but keeps line breaks, for multi-line detail text:
// "\n" stays, "\r\n" becomes "\n", a lone "\r" becomes "^M".
func Block(s string) string { return clean(s, true) }

const hexDigits = "0123456789abcdef"

// safeASCII[c] is true for ASCII bytes that pass through unchanged.
var safeASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = true
	}
	return t
}()

// TerminalRune reports whether a non-ASCII rune is one a terminal may act
// on: a C1 control (U+0080–U+009F, the 8-bit CSI U+009B among them) or a
// Unicode format character (category Cf: bidi overrides and isolates,
// zero-width characters, BOM, tag characters). The one predicate for every
// escaping of untrusted text: this package's and the commands' --json.
func TerminalRune(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || unicode.Is(unicode.Cf, r)
}

// unsafeRune reports whether a non-ASCII rune must be escaped.
func unsafeRune(r rune) bool { return TerminalRune(r) }

// firstUnsafe returns the byte index of the first byte that needs rewriting,
// or -1 when s can be returned unchanged.
func firstUnsafe(s string, block bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !safeASCII[c] && !(block && c == '\n') {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

func clean(s string, block bool) string {
	i := firstUnsafe(s, block)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case safeASCII[c]:
				b.WriteByte(c)
			case c == '\n':
				if block {
					b.WriteByte('\n')
				} else {
					b.WriteByte(' ')
				}
			case c == '\r':
				crlf := i+1 < len(s) && s[i+1] == '\n'
				switch {
				case crlf && block:
					b.WriteByte('\n')
					i++
				case crlf:
					b.WriteByte(' ')
					i++
				default:
					// a lone CR moves the cursor back to overwrite
					// what was shown: make it visible
					b.WriteString("^M")
				}
			case c == '\t':
				b.WriteByte(' ')
			case c == 0x7f:
				b.WriteString("^?")
			default: // other C0 controls, ESC included
				b.WriteByte('^')
				b.WriteByte(c + 0x40)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case unsafeRune(r):
			writeEscape(&b, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// writeEscape writes r as \uXXXX, or \UXXXXXXXX above the BMP (Go syntax).
func writeEscape(b *strings.Builder, r rune) {
	n := 4
	if r > 0xffff {
		b.WriteString(`\U`)
		n = 8
	} else {
		b.WriteString(`\u`)
	}
	for shift := (n - 1) * 4; shift >= 0; shift -= 4 {
		b.WriteByte(hexDigits[(r>>uint(shift))&0xf])
	}
}
