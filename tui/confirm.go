package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// confirmDialog is the console's one question before a change that removes
// people from a call, drops a schedule or removes a person: it names the
// room (the title), says the effect (the body) and asks (the question).
// Only y answers yes; every other key (enter, esc, n, …) answers no.
//
// It is reusable: whatever is to run on y travels as an opaque Payload and
// comes back in confirmedMsg; the root decides what it means
// (Model.runConfirmed). Build one with newConfirm and open it with
// Model.openConfirm.
type confirmDialog struct {
	// Title names the change and the room: "Turn the lobby on · Town hall".
	Title string
	// Body is what will happen, one paragraph a line (wrapped to the
	// width), e.g. the list of rooms and requests of a bulk change.
	Body []string
	// Question is the last line: "Turn the lobby on now?".
	Question string
	// No is the status line after any answer but y ("lobby unchanged:
	// nothing was sent").
	No string
	// Payload is given back, untouched, on y.
	Payload any
}

// confirmedMsg is the answer y to a confirmDialog.
type confirmedMsg struct{ Payload any }

// confirmCancelledMsg is any other answer.
type confirmCancelledMsg struct {
	Payload any
	No      string
}

func newConfirm(title string, body []string, question, no string, payload any) confirmDialog {
	return confirmDialog{Title: title, Body: body, Question: question, No: no, Payload: payload}
}

// Update answers a key: y gives confirmedMsg, any other key
// confirmCancelledMsg. The dialog is done once it returns a message.
func (d confirmDialog) Update(c common.Common, msg tea.KeyMsg) (confirmDialog, tea.Msg) {
	if key.Matches(msg, c.Keys.Yes) {
		return d, confirmedMsg{Payload: d.Payload}
	}
	return d, confirmCancelledMsg{Payload: d.Payload, No: d.No}
}

// View renders the question (without the box).
func (d confirmDialog) View(c common.Common, h help.Model) string {
	st := c.Styles
	w := c.Width - 4
	var b strings.Builder
	b.WriteString(st.Title.Render(common.Fit(sanitize.Line(d.Title), w)))
	b.WriteString("\n")
	for _, p := range d.Body {
		for _, l := range common.Wrap(sanitize.Line(p), w, "") {
			b.WriteString(st.Warn.Render(l))
			b.WriteString("\n")
		}
	}
	b.WriteString(st.Plain.Render(common.Fit(sanitize.Line(d.Question), w)))
	b.WriteString("\n")
	b.WriteString(h.ShortHelpView(confirmKeys(c)))
	return b.String()
}

func confirmKeys(c common.Common) []key.Binding {
	return []key.Binding{c.Keys.Yes, c.Keys.No}
}
