package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// sipDialog is the s dialog: off / on with PIN / on without PIN. It
// answers sipChosenMsg or sipCancelledMsg; the root sends.
type sipDialog struct {
	token   string
	name    string
	current models.SIPState
	cursor  int
	// noPIN is why state 2 is unavailable ("" = available).
	noPIN string
	// warn is a room-level reason the server will likely refuse.
	warn string
	// forced is the value the server said an administrator forced, at
	// the last try in this console (nil: no such refusal).
	forced *int
	// err is shown under the choices (set by the root too, when the
	// choice cannot be sent now).
	err string
}

// sipChosenMsg is a choice of the SIP dialog.
type sipChosenMsg struct {
	token string
	state models.SIPState
	label string
}

// sipCancelledMsg closes the SIP dialog with nothing sent.
type sipCancelledMsg struct{}

var sipChoices = []struct {
	state models.SIPState
	label string
	hint  string
}{
	{models.SIPDisabled, "off", "no phone dial-in"},
	{models.SIPEnabled, "on with PIN", "callers enter the meeting ID and their own PIN"},
	{models.SIPEnabledNoPIN, "on without PIN", "callers enter the meeting ID only"},
}

func newSIPDialog(e *entry, caps models.Capabilities, forced *int) sipDialog {
	d := sipDialog{token: e.room.Token, name: e.name, current: e.room.SIPEnabled, forced: forced}
	if !caps.SIPNoPIN() {
		if caps.Known {
			d.noPIN = "the server lacks sip-support-nopin"
		} else {
			d.noPIN = "the server's capabilities are not known yet, so dial-in without PIN is not offered"
		}
	}
	d.warn = words.SIPUnavailableReason(e.room, caps)
	for i, c := range sipChoices {
		if c.state == e.room.SIPEnabled {
			d.cursor = i
		}
	}
	return d
}

// Update handles a key; the message is the dialog's answer (nil while it
// stays open).
func (d sipDialog) Update(c Common, msg tea.KeyMsg) (sipDialog, tea.Msg) {
	k := c.Keys
	switch {
	case key.Matches(msg, k.Cancel):
		return d, sipCancelledMsg{}
	case key.Matches(msg, k.DialogUp):
		if d.cursor > 0 {
			d.cursor--
		}
		d.err = ""
	case key.Matches(msg, k.DialogDown):
		if d.cursor < len(sipChoices)-1 {
			d.cursor++
		}
		d.err = ""
	case msg.Type == tea.KeyRunes && len(msg.Runes) == 1 && msg.Runes[0] >= '1' && msg.Runes[0] <= '3':
		// 1, 2, 3: the choices as numbered on screen
		d.cursor = int(msg.Runes[0] - '1')
		d.err = ""
	case key.Matches(msg, k.Apply):
		choice := sipChoices[d.cursor]
		if choice.state == models.SIPEnabledNoPIN && d.noPIN != "" {
			d.err = "not available: " + d.noPIN
			return d, nil
		}
		return d, sipChosenMsg{token: d.token, state: choice.state, label: choice.label}
	}
	return d, nil
}

// View renders the dialog (without the box).
func (d sipDialog) View(c Common, h help.Model) string {
	st := c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render(fit("SIP dial-in · "+d.name, c.Width-4)))
	b.WriteString("\n")
	for i, ch := range sipChoices {
		cur := "  "
		if i == d.cursor {
			cur = "> "
		}
		now := ""
		if ch.state == d.current {
			now = " (now)"
		}
		num := string(rune('1'+i)) + " "
		line := cur + num + ch.label + now + " · " + ch.hint
		style := st.Option
		switch {
		case ch.state == models.SIPEnabledNoPIN && d.noPIN != "":
			style = st.OptionOff
			line = cur + num + ch.label + " · unavailable: " + d.noPIN
		case i == d.cursor:
			style = st.OptionSel
		}
		b.WriteString(style.Render(fit(line, c.Width-4)))
		b.WriteString("\n")
	}
	if d.warn != "" {
		for _, l := range wrap("! the server will likely refuse: "+sanitize.Line(d.warn), c.Width-4, "  ") {
			b.WriteString(st.Warn.Render(l))
			b.WriteString("\n")
		}
	}
	if d.forced != nil {
		text := "! the last try was refused: an administrator fixed SIP dial-in for this conversation (" +
			words.Forced(*d.forced) + "): any other choice will be refused again"
		for _, l := range wrap(text, c.Width-4, "  ") {
			b.WriteString(st.Warn.Render(l))
			b.WriteString("\n")
		}
	}
	if d.err != "" {
		for _, l := range wrap("✗ "+sanitize.Line(d.err), c.Width-4, "  ") {
			b.WriteString(st.Err.Render(l))
			b.WriteString("\n")
		}
	}
	k := c.Keys
	b.WriteString(h.ShortHelpView([]key.Binding{k.DialogUp, k.SIPPick, k.Apply, k.Cancel}))
	return b.String()
}
