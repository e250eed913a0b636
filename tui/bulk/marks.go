package bulk

import (
	"strconv"

	"github.com/charmbracelet/bubbles/key"

	"github.com/talkmod/talkmod/tui/common"
)

// Marks are the marked rooms of the list: identity → name (a mark whose
// room leaves the list is said by name). The zero value has no marks.
type Marks struct {
	names map[string]string
}

// Count is the number of marked rooms.
func (ms *Marks) Count() int { return len(ms.names) }

// Has says whether the room id is marked.
func (ms *Marks) Has(id string) bool {
	_, ok := ms.names[id]
	return ok
}

// Mark marks the room id, named name, when on; else it drops its mark.
func (ms *Marks) Mark(id, name string, on bool) {
	if !on {
		delete(ms.names, id)
		return
	}
	if ms.names == nil {
		ms.names = map[string]string{}
	}
	ms.names[id] = name
}

// Clear drops every mark and says how many there were.
func (ms *Marks) Clear() int {
	n := len(ms.names)
	ms.names = nil
	return n
}

// Names is a copy of the marks: identity → name (nil without marks).
func (ms *Marks) Names() map[string]string {
	if len(ms.names) == 0 {
		return nil
	}
	out := make(map[string]string, len(ms.names))
	for id, name := range ms.names {
		out[id] = name
	}
	return out
}

// Header is "7 marked · " for the header ("" without marks).
func (ms *Marks) Header() string {
	if n := ms.Count(); n > 0 {
		return strconv.Itoa(n) + " marked · "
	}
	return ""
}

// Words say how many rooms are marked and what the marks do.
func (ms *Marks) Words() string {
	n := ms.Count()
	if n == 0 {
		return "no room marked"
	}
	return strconv.Itoa(n) + " marked (l, t, s act on them; U clears)"
}

// Help is the line of the full help about marks.
const Help = "space marks a room (●), * every room shown, U clears; with marks, l, t and s change all marked rooms after one question (y only), u undoes them."

// Keys adjusts the keys of the list screen to the marks and to undo, the
// number of rooms the last change to several rooms changed (u restores
// them): with marks l, t and s act on them; selected says a room is
// selected.
func (ms *Marks) Keys(k *common.KeyMap, undo int, selected bool, nav, act []key.Binding, off []common.Unavailable) ([]key.Binding, []key.Binding, []common.Unavailable) {
	n := ms.Count()
	if n == 0 && undo == 0 {
		// in the full help only: the key bar stays as it was
		if selected {
			nav = append(nav, k.Mark, k.MarkAll)
		}
		return nav, act, off
	}
	drop := map[string]bool{}
	var add []key.Binding
	if n > 0 {
		ns := " ×" + strconv.Itoa(n)
		drop["l"], drop["t"], drop["s"] = true, true, true
		add = append(add,
			key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "lobby"+ns)),
			key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "timer"+ns)),
			key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "SIP"+ns)),
			k.Unmark)
	}
	if undo > 0 {
		drop["u"] = true
		add = append(add, key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo ×"+strconv.Itoa(undo))))
	}
	kept := act[:0:0]
	for _, b := range act {
		if !drop[b.Help().Key] {
			kept = append(kept, b)
		}
	}
	keptOff := off[:0:0]
	for _, u := range off {
		if !drop[u.B.Help().Key] {
			keptOff = append(keptOff, u)
		}
	}

	act = append(add, kept...)
	nav = append(nav, k.Mark, k.MarkAll)
	return nav, act, keptOff
}
