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
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	if pad := w - ansi.StringWidth(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
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
