package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// A long name does not wrap a dialog's title (the box keeps its height).
func TestLongNameInDialogTitles(t *testing.T) {
	be := demoBackend()
	be.rooms[0].DisplayName = strings.Repeat("Very long webinar name ", 10)
	h := newHarness(t, be, 80, 24)
	h.selectRoom(be.rooms[0].Token)
	for _, k := range []string{"t", "s"} {
		h.press(k)
		v := h.view()
		n := 0
		for _, l := range strings.Split(v, "\n") {
			if strings.Contains(l, "Very long") || strings.Contains(l, "name Very") {
				n++
			}
		}
		if n > 2 { // the row and the title
			t.Errorf("%s: the title wraps (%d):\n%s", k, n, v)
		}
		if len(strings.Split(v, "\n")) != 24 {
			t.Errorf("%s: %d lines", k, len(strings.Split(v, "\n")))
		}
		h.press("esc")
	}
}

// Keys that arrive in one read (tmux send-keys "jjj", a script, fast
// typing) are each a press.
func TestKeysInOneRead(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.settle(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj")})
	if h.m.table.Cursor != 2 {
		t.Errorf("cursor %d after \"jj\", want 2", h.m.table.Cursor)
	}
	// a paste is text, not keys
	h.settle(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj"), Paste: true})
	if h.m.table.Cursor != 2 {
		t.Errorf("cursor %d after a paste", h.m.table.Cursor)
	}
	h.settle(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/bo")})
	if !h.m.filter.Typing || h.m.filter.Input != "bo" {
		t.Errorf("filtering %v %q", h.m.filter.Typing, h.m.filter.Input)
	}
}

func TestTooSmall(t *testing.T) {
	h := newDemo(t, 50, 12)
	v := h.view()
	mustContain(t, v, "terminal too small: 50x12")
	h.press("l")
	if countCalls(h.be, "lobby") != 0 {
		t.Fatal("keys act while too small")
	}
	h.settle(tea.WindowSizeMsg{Width: 80, Height: 24})
	mustContain(t, h.view(), "Q3 all-hands webinar")
	h = newDemo(t, 50, 12)
	nm, cmd := h.m.Update(keyMsg("q"))
	_ = nm
	if cmd == nil {
		t.Fatal("q does not quit when too small")
	}
}

func TestViewFitsTerminal(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {60, 16}, {120, 40}, {200, 60}, {81, 25}} {
		h := newDemo(t, sz[0], sz[1])
		for _, keys := range [][]string{nil, {"enter"}, {"esc", "t"}, {"esc", "s"}, {"esc", "?"}, {"esc", "/", "x"}} {
			h.press(keys...)
			v := h.view()
			lines := strings.Split(v, "\n")
			if len(lines) != sz[1] {
				t.Errorf("%v %v: %d lines", sz, keys, len(lines))
			}
			for i, l := range lines {
				if w := len([]rune(l)); w > sz[0] {
					t.Errorf("%v %v: line %d is %d wide: %q", sz, keys, i, w, l)
				}
			}
		}
	}
}

func TestQuit(t *testing.T) {
	h := newDemo(t, 80, 24)
	for _, k := range []string{"q", "ctrl+c"} {
		_, cmd := h.m.Update(keyMsg(k))
		if cmd == nil {
			t.Fatalf("%s", k)
		}
		found := false
		for _, msg := range runAll(cmd) {
			if _, ok := msg.(tea.QuitMsg); ok {
				found = true
			}
		}
		if !found {
			t.Errorf("%s does not quit", k)
		}
	}
	// ctrl+c quits from a dialog too
	h.press("t")
	_, cmd := h.m.Update(keyMsg("ctrl+c"))
	if cmd == nil {
		t.Fatal("ctrl+c in the picker")
	}
}

func runAll(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		if b, ok := msg.(tea.BatchMsg); ok {
			var out []tea.Msg
			for _, c := range b {
				out = append(out, runAll(c)...)
			}
			return out
		}
		return []tea.Msg{msg}
	case <-time.After(50 * time.Millisecond):
		return nil // a timer
	}
}
