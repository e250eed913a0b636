package roomlist

import (
	"strconv"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// Filter is the filter line of the list (/): being typed, and its text.
type Filter struct {
	Typing bool
	Input  string
}

// On says whether the filter line shows.
func (f *Filter) On() bool { return f.Typing || f.Input != "" }

// Update handles a key while the filter is typed: the list t follows.
func (f *Filter) Update(t *Table, msg tea.KeyMsg) {
	switch msg.Type {
	case tea.KeyEsc:
		f.Typing = false
		f.Input = ""
		t.SetFilter("")
	case tea.KeyEnter:
		f.Typing = false
	case tea.KeyBackspace:
		if r := []rune(f.Input); len(r) > 0 {
			f.Input = string(r[:len(r)-1])
			t.SetFilter(f.Input)
		}
	case tea.KeyUp:
		t.Move(-1)
	case tea.KeyDown:
		t.Move(1)
	case tea.KeyRunes, tea.KeySpace:
		f.Input += string(msg.Runes)
		t.SetFilter(f.Input)
	}
}

// View is the filter line with the count of matches in t.
func (f *Filter) View(c common.Common, t *Table) string {
	st := c.Styles
	cursor := ""
	if f.Typing {
		cursor = "█"
	}
	text := "/" + sanitize.Line(f.Input) + cursor
	n := len(t.Visible)
	count := " " + strconv.Itoa(n) + " matches"
	if n == 1 {
		count = " 1 match"
	}
	return st.Filter.Render(common.Fit(text, c.Width-16)) + st.Dim.Render(common.Fit(count, 16))
}
