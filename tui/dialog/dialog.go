// Package dialog holds the console's dialogs behind one small interface:
// the question (Confirm, y only), the lobby timer picker, the SIP dial-in
// chooser and the lobby choice for the marked rooms. A dialog owns its
// state and keys; it never sends anything. Its answer is a message the
// root acts on (ConfirmedMsg, PickedMsg, SIPChosenMsg, BulkLobbyMsg, or
// CancelledMsg for any of them).
//
// A new dialog is a type with these three methods. The root opens it by
// setting Model.dialog (a page returns a command answering OpenMsg) and
// acts on its answer in handleDialogResult; an answer the root does not
// know closes the dialog and goes to the pages.
package dialog

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/tui/common"
)

// Dialog is an open dialog.
type Dialog interface {
	// Update answers a key. The message is the dialog's answer (nil
	// while it stays open); the dialog returned is its new state. c is a
	// pointer because a dialog may change what the whole console shares
	// (the picker's z changes the display zone).
	Update(c *common.Common, msg tea.KeyMsg) (Dialog, tea.Msg)
	// View renders the dialog without its box, in c.Width.
	View(c common.Common) string
	// Token is the room the dialog acts on: "" for none (the marked
	// rooms, the quit question).
	Token() string
}

// OpenMsg asks the root to open Dialog (a page opens its dialogs so: the
// root shows one dialog at a time, in its box). The dialog's answer, when
// it is not one the root knows, closes it and goes to the pages.
type OpenMsg struct{ Dialog Dialog }

// MaxWidth is the widest a dialog's box gets: on a wide terminal its
// lines stay readable at a glance.
const MaxWidth = 96

// Box renders d in its box, at most MaxWidth wide ("" for none); d lays
// itself out in the box's width.
func Box(c common.Common, d Dialog) string {
	c.Width = min(c.Width, MaxWidth)
	if d == nil {
		return ""
	}
	return c.Styles.Modal.Width(c.Width - 2).Render(d.View(c))
}

// CancelledMsg is any answer that sends nothing: No says so on the
// status line; Payload is a Confirm's payload (nil for the others).
type CancelledMsg struct {
	Payload any
	No      string
}

// WithErr shows why the chosen value cannot be sent now, keeping the
// dialog open (the picker and the SIP chooser; the others are returned
// as they are).
func WithErr(d Dialog, err string) Dialog {
	switch d := d.(type) {
	case Picker:
		d.Err = err
		return d
	case SIP:
		d.Err = err
		return d
	}
	return d
}
