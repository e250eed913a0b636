package common

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Fit cuts plain text to w cells and pads it to exactly w.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := Width(s)
	if n > w {
		s = ansi.Truncate(s, w, "…")
		n = Width(s)
	}
	if pad := w - n; pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// Width is the cells s takes (ansi.StringWidth). Text made only of
// printable ASCII and narrow runes (one cell each, each its own grapheme)
// is counted without segmenting graphemes.
func Width(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !narrow(r) {
			return ansi.StringWidth(s)
		}
		n++
		i += size
	}
	return n
}

// Wrap breaks plain text into lines of at most w cells, with indent in
// front of every line but the first.
func Wrap(s string, w int, indent string) []string {
	if w <= len(indent)+4 {
		return []string{Fit(s, w)}
	}
	first := strings.Split(ansi.Wrap(s, w, ""), "\n")
	if len(first) <= 1 || indent == "" {
		return first
	}
	rest := strings.Join(first[1:], " ")
	out := []string{first[0]}
	for _, l := range strings.Split(ansi.Wrap(rest, w-len(indent), ""), "\n") {
		out = append(out, indent+l)
	}
	return out
}

// narrow says whether r takes one cell and never joins the rune before
// it: the Latin letters below the combining marks (but the soft hyphen),
// general punctuation (dashes, quotes, bullets, …), arrows, box drawing
// and blocks, braille (the spinner) and the console's marks ● ▸ ▾ ✓ ✗.
func narrow(r rune) bool {
	switch {
	case r >= 0xa0 && r < 0x300:
		return r != 0xad
	case r >= 0x2010 && r <= 0x2027, r >= 0x2190 && r <= 0x21ff,
		r >= 0x2500 && r <= 0x259f, r >= 0x2800 && r <= 0x28ff:
		return true
	}
	switch r {
	case '●', '▸', '▾', '✓', '✗':
		return true
	}
	return false
}
