package common

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Width agrees with ansi.StringWidth, on its fast path and off it.
func TestWidthIsStringWidth(t *testing.T) {
	for _, s := range []string{
		"", "Town hall", "Webinar 00001 · quarterly review", "Zoë Élan ßtraße ǅ ʰ", "soft\u00adhyphen",
		"e\u0301", "日本語", "👍🏽 ok", "tab\there", "\x1b[31mred\x1b[0m", "a\u200db", "ﬁ", "\u00a0nbsp",
	} {
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
	}
	for r := rune(0x20); r < 0x400; r++ {
		s := "a" + string(r) + "b"
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
	}
}
