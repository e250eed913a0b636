package dialog

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// Confirm is the console's one question before a change that removes
// people from a call, drops a schedule or removes a person: it names the
// room (the title), says the effect (the body) and asks (the question).
// Only y answers yes; every other key (enter, esc, n, …) answers no.
//
// Whatever is to run on y travels as an opaque Payload and comes back in
// ConfirmedMsg; the root decides what it means.
type Confirm struct {
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
	// Room is the room it acts on ("" for none).
	Room string
}

// ConfirmedMsg is the answer y to a Confirm.
type ConfirmedMsg struct{ Payload any }

// Update answers a key: y gives ConfirmedMsg, any other key CancelledMsg.
func (d Confirm) Update(c *common.Common, msg tea.KeyMsg) (Dialog, tea.Msg) {
	if key.Matches(msg, c.Keys.Yes) {
		return d, ConfirmedMsg{Payload: d.Payload}
	}
	return d, CancelledMsg{Payload: d.Payload, No: d.No}
}

// Token is the room the question is about.
func (d Confirm) Token() string { return d.Room }

// View renders the question.
func (d Confirm) View(c common.Common) string {
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
	b.WriteString(c.Help.ShortHelpView([]key.Binding{c.Keys.Yes, c.Keys.No}))
	return b.String()
}
