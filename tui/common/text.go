package common

import (
	"strings"

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
		n = ansi.StringWidth(s)
	}
	if pad := w - n; pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// Width is the cells s takes (ansi.StringWidth), counted without
// segmenting graphemes when s is printable ASCII: one cell a byte.
func Width(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
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
