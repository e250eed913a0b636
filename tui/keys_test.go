package tui

import (
	"testing"

	"github.com/charmbracelet/bubbles/key"
)

// The screen-dependent keys are the KeyMap's, switched on and off with
// the screen (SetEnabled), not new bindings made for each frame: a key
// that is off neither shows nor acts.
func TestKeysSwitchedWithTheScreen(t *testing.T) {
	h := newDemo(t, 120, 40)
	calls := len(h.be.Calls())
	k := h.m.c.Keys
	state := func() [4]bool {
		return [4]bool{k.Back.Enabled(), k.ClearFilter.Enabled(), k.CloseHelp.Enabled(), k.HelpScroll.Enabled()}
	}
	if got := state(); got != [4]bool{} {
		t.Fatalf("list: %v", got)
	}
	h.press("enter")
	if got := state(); got != [4]bool{true, false, false, false} {
		t.Fatalf("detail: %v", got)
	}
	h.press("esc")
	if h.m.detailFull || state() != [4]bool{} {
		t.Fatalf("esc: detail %v, keys %v", h.m.detailFull, state())
	}
	h.press("/", "t", "o", "enter")
	if got := state(); got != [4]bool{false, true, false, false} {
		t.Fatalf("filter kept: %v", got)
	}
	h.press("esc")
	if h.m.filter.Input != "" || k.ClearFilter.Enabled() {
		t.Fatal("esc kept the filter")
	}
	// a key that is off does nothing: esc on the plain list
	before := h.m.table.Sel
	h.press("esc")
	if h.m.table.Sel != before || h.m.help.Show || h.m.detailFull {
		t.Fatal("esc acted on the plain list")
	}
	h.press("?")
	if got := state(); !got[2] || got[3] {
		t.Fatalf("help at 120x40: %v", got)
	}
	sel := h.m.table.Sel
	h.press("x") // any key closes the help, and does nothing else
	if h.m.help.Show || h.m.table.Sel != sel || h.m.dialog != nil || len(h.be.Calls()) != calls {
		t.Fatalf("x on the help: help %v, selection %q, dialog %v, calls %v", h.m.help.Show, h.m.table.Sel, h.m.dialog, h.be.Calls())
	}
	if got := state(); got != [4]bool{} {
		t.Fatalf("the help closed: %v", got)
	}
	small := newDemo(t, 60, 16)
	small.press("?")
	if !small.m.c.Keys.HelpScroll.Enabled() || small.m.c.Keys.CloseHelp.Help().Key != "any other key" {
		t.Fatal("help at 60x16 does not offer scrolling")
	}
	// the bottom line is made of the KeyMap's bindings
	h.press("enter")
	nav, _, _, _ := h.m.keysNow()
	if !hasBinding(nav, k.Back) || hasBinding(nav, k.Detail) {
		t.Fatal("the detail's keys are not the KeyMap's")
	}
}

func hasBinding(bs []key.Binding, b key.Binding) bool {
	for _, x := range bs {
		if x.Help() == b.Help() && len(x.Keys()) > 0 && &x.Keys()[0] == &b.Keys()[0] {
			return true
		}
	}
	return false
}
