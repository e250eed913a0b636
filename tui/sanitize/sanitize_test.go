package sanitize

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain", "Weekly webinar", "Weekly webinar"},
		{"osc title", "\x1b]0;pwned\a", "^[]0;pwned^G"},
		{"clear screen", "\x1b[2Jroom", "^[[2Jroom"},
		{"c1 csi", "\u009b31mred", `\u009b31mred`},
		{"c1 nel and st", "a\u0085b\u009cc", `a\u0085b\u009cc`},
		{"carriage return is visible", "a\rb", "a^Mb"},
		{"newline", "a\nb", "a b"},
		{"crlf is one space", "a\r\nb", "a b"},
		{"tab", "a\tb\t", "a b "},
		{"nul bel bs", "\x00\a\b", "^@^G^H"},
		{"del", "a\x7fb", "a^?b"},
		{"bidi override", "\u202eevil", `\u202eevil`},
		{"bidi isolate", "x\u2066y\u2069", `x\u2066y\u2069`},
		{"zero width space", "ad\u200bmin", `ad\u200bmin`},
		{"bom", "\ufeffname", `\ufeffname`},
		{"tag char (astral Cf)", "a\U000e0041b", `a\U000e0041b`},
		{"invalid utf8", "a\xffb", "a\ufffdb"},
		{"truncated utf8", "ab\xe2\x82", "ab\ufffd\ufffd"},
		{"lone continuation 0x9b", "a\x9bb", "a\ufffdb"},
		{"literal U+FFFD kept", "a\ufffdb", "a\ufffdb"},
		{"cjk", "会议室 回", "会议室 回"},
		{"emoji", "🎉 Party 👍🏽 ❤️", "🎉 Party 👍🏽 ❤️"},
		{"latin-1 with 0x9b continuation byte", "Ûber Ærø", "Ûber Ærø"},
		{"backslash-u text stays", `\u001b`, `\u001b`},
		{"mixed", "ok\x1b[31m\u202e\r\n\xc0", "ok^[[31m\\u202e \ufffd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Line(tt.in)
			if got != tt.want {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
			}
			assertSafe(t, got, false)
		})
	}
}

func TestBlock(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain multi-line", "line one\nline two", "line one\nline two"},
		{"crlf", "a\r\nb\r\n", "a\nb\n"},
		{"lone cr visible", "a\rb", "a^Mb"},
		{"cr at end", "a\r", "a^M"},
		{"tab", "a\tb", "a b"},
		{"esc", "x\x1b]8;;http://evil\x1b\\y", "x^[]8;;http://evil^[\\y"},
		{"c1", "\u009b2J", `\u009b2J`},
		{"bidi", "\u202egnp.exe\nok", "\\u202egnp.exe\nok"},
		{"invalid", "\xff\n", "\ufffd\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Block(tt.in)
			if got != tt.want {
				t.Errorf("Block(%q) = %q, want %q", tt.in, got, tt.want)
			}
			assertSafe(t, got, true)
		})
	}
}

func TestFastPathNoAlloc(t *testing.T) {
	for _, s := range []string{"", "Weekly webinar", "会议室 🎉 Ûber"} {
		if n := testing.AllocsPerRun(100, func() { _ = Line(s) }); n != 0 {
			t.Errorf("Line(%q) allocated %v times, want 0", s, n)
		}
		multi := s + "\nsecond line"
		if n := testing.AllocsPerRun(100, func() { _ = Block(multi) }); n != 0 {
			t.Errorf("Block(%q) allocated %v times, want 0", multi, n)
		}
		if Line(s) != s || Block(multi) != multi {
			t.Errorf("clean input %q was changed", s)
		}
	}
}

func assertSafe(t *testing.T, out string, block bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("output %q is not valid UTF-8", out)
	}
	if strings.IndexByte(out, 0x1b) >= 0 {
		t.Errorf("output %q contains ESC", out)
	}
	for _, r := range out {
		switch {
		case r == '\n' && block:
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
			t.Errorf("output %q contains control %U", out, r)
		case unicode.Is(unicode.Cf, r):
			t.Errorf("output %q contains format character %U", out, r)
		}
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{
		"", "plain", "\x1b]0;pwned\a", "\x1b[2J", "\u009b31m", "a\rb", "\u202eevil",
		"a\tb", "\xff\xfe", "会议室🎉", "a\r\nb", "\U000e0041", "\xc2\x9b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Line(s)
		assertSafe(t, out, false)
		if strings.ContainsRune(out, '\n') {
			t.Errorf("Line output %q contains a newline", out)
		}
		if Line(out) != out {
			t.Errorf("Line is not idempotent on %q", s)
		}
		bout := Block(s)
		assertSafe(t, bout, true)
		if Block(bout) != bout {
			t.Errorf("Block is not idempotent on %q", s)
		}
		if strings.Count(bout, "\n") != strings.Count(s, "\n") {
			t.Errorf("Block changed the number of lines: %q → %q", s, bout)
		}
	})
}

func BenchmarkLine(b *testing.B) {
	cases := map[string]string{
		"clean-ascii": "Weekly all-hands webinar (Q3 planning)",
		"clean-utf8":  "会议室 – Ümlaut 🎉 webinar",
		"hostile":     "\x1b]0;pwned\a\x1b[2J\u009b31m\u202eevil\r\nname\xff",
	}
	for name, s := range cases {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				_ = Line(s)
			}
		})
	}
}

// TerminalRune is the predicate Line and Block escape by: every rune it
// names is escaped, every other printable rune passes.
func TestTerminalRuneIsTheEscapeRule(t *testing.T) {
	for _, r := range []rune{0x80, 0x9b, 0x9f, 0x200b, 0x200e, 0x202e, 0x2066, 0xfeff, 0xad, 0xe0001} {
		if !TerminalRune(r) {
			t.Errorf("TerminalRune(%U) = false", r)
		}
		if Line(string(r)) == string(r) {
			t.Errorf("Line(%U) passed it through", r)
		}
	}
	for _, r := range []rune{'ě', 'ß', '日', '😀', 0xa0, 0x7ff} {
		if TerminalRune(r) {
			t.Errorf("TerminalRune(%U) = true", r)
		}
		if Line(string(r)) != string(r) {
			t.Errorf("Line(%U) = %q", r, Line(string(r)))
		}
	}
}
