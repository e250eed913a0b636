package keyhelp

import (
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/talkmod/talkmod/tui/common"
)

func testCommon(w, h int) common.Common {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	st := common.NewStyles(r)
	return common.Common{Styles: st, Keys: common.DefaultKeyMap(), Width: w, Height: h,
		Help: help.Model{ShortSeparator: " · ", Styles: st.Help}}
}

func lines(n int) string {
	out := make([]string, n)
	for i := range out {
		out[i] = "line " + strconv.Itoa(i+1)
	}
	return strings.Join(out, "\n")
}

// A 30-line text on a 13-line body (16 rows less header, status and key
// line): ↓ and pgdn scroll to the last line and no further, the page says
// what is below, ↑ and pgup come back to the top.
func TestScreenScrollsAndSaysWhatIsBelow(t *testing.T) {
	c := testCommon(60, 16)
	text := lines(30)
	var s Screen
	if got := s.MaxOffset(c, text); got != 17 {
		t.Fatalf("MaxOffset %d, want 17", got)
	}
	page := s.Page(c, text, 13)
	if page[0] != "line 1" || !strings.Contains(page[12], "↓ 17 more lines (↓/pgdn scrolls)") {
		t.Fatalf("first page: %q … %q", page[0], page[12])
	}
	down := tea.KeyMsg{Type: tea.KeyDown}
	if !s.Scroll(c, text, down) || s.Offset != 1 {
		t.Fatalf("down: offset %d", s.Offset)
	}
	for range 5 {
		s.Scroll(c, text, tea.KeyMsg{Type: tea.KeyPgDown})
	}
	if s.Offset != 17 {
		t.Fatalf("pgdn ×5: offset %d, want the last page (17)", s.Offset)
	}
	if page := s.Page(c, text, 13); page[12] != "line 30" {
		t.Fatalf("last page ends with %q", page[12])
	}
	s.Scroll(c, text, tea.KeyMsg{Type: tea.KeyPgUp})
	s.Scroll(c, text, tea.KeyMsg{Type: tea.KeyPgUp})
	if s.Offset != 0 {
		t.Fatalf("pgup ×2: offset %d", s.Offset)
	}
	if s.Scroll(c, text, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")}) {
		t.Fatal("x scrolled")
	}
	if s.Scroll(c, lines(5), down) || s.MaxOffset(c, lines(5)) != 0 {
		t.Fatal("a text that fits scrolled")
	}
}

// Width counts what ShortHelpView renders; Fit drops the keys in the
// order given until the line fits, then uses the short words.
func TestFitDropsInOrderThenShortens(t *testing.T) {
	c := testCommon(80, 24)
	k := c.Keys
	bs := []key.Binding{k.Lobby, k.Timer, k.SIP, k.Detail, k.Refresh, k.Sort, k.Help, k.Quit}
	full := Width(c.Help, bs)
	if want := ansi.StringWidth(c.Help.ShortHelpView(bs)); full != want {
		t.Fatalf("Width %d, rendered %d", full, want)
	}
	if got := Fit(c.Help, k, bs, full, k.Sort); len(got) != len(bs) {
		t.Fatalf("a line that fits lost %d keys", len(bs)-len(got))
	}
	sortW := Width(c.Help, []key.Binding{k.Sort}) + common.Width(c.Help.ShortSeparator)
	got := Fit(c.Help, k, bs, full-sortW, k.Sort, k.Refresh)
	if len(got) != len(bs)-1 || strings.Contains(c.Help.ShortHelpView(got), k.Sort.Help().Desc) {
		t.Fatalf("one drop: %q", c.Help.ShortHelpView(got))
	}
	got = Fit(c.Help, k, bs, 20, k.Sort, k.Refresh)
	if v := c.Help.ShortHelpView(got); strings.Contains(v, "refresh") || strings.Contains(v, "lobby on/off") || !strings.Contains(v, "l lobby · t timer") {
		t.Fatalf("too narrow: %q", v)
	}
}
