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
	var runes []rune
	for _, span := range [][2]rune{{0x20, 0x400}, {0x2000, 0x2100}, {0x2190, 0x2200}, {0x2500, 0x2600}, {0x2700, 0x2720}, {0x2800, 0x2900}} {
		for r := span[0]; r < span[1]; r++ {
			runes = append(runes, r)
		}
	}
	for _, r := range runes {
		s := "a" + string(r) + "b"
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
	}
}
