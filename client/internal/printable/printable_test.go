package printable

import (
	"strings"
	"testing"
)

func TestSnippet(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"<!DOCTYPE html>\n<html>\t<head>", "<!DOCTYPE html> <html> <head>"},
		{"evil \x1b]0;title\x07 \u202e name \xff", "evil ?]0;title? ? name ?"},
		{strings.Repeat("x", 100), strings.Repeat("x", 80) + "…"},
		{strings.Repeat("é", 100), strings.Repeat("é", 40) + "…"},
	}
	for _, c := range cases {
		if got := Snippet([]byte(c.in)); got != c.want {
			t.Errorf("Snippet(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
