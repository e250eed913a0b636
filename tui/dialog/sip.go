package dialog

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// SIP is the s dialog: off / on with PIN / on without PIN. It answers
// SIPChosenMsg or CancelledMsg; the root sends.
type SIP struct {
	Room    string // token ("" for the marked rooms)
	Name    string
	Current models.SIPState // -1: none (the marked rooms)
	Cursor  int
	// NoPIN is why state 2 is unavailable ("" = available).
	NoPIN string
	// Warn is a room-level reason the server will likely refuse.
	Warn string
	// Forced is the value the server said an administrator forced, at
	// the last try in this console (nil: no such refusal).
	Forced *int
	// Err is shown under the choices (set by the root too, when the
	// choice cannot be sent now).
	Err string
}

// SIPChosenMsg is a choice of the SIP dialog.
type SIPChosenMsg struct {
	Token string
	State models.SIPState
	Label string
}

// SIPChoices are the choices in the order shown.
var SIPChoices = []struct {
	State models.SIPState
	Label string
	Hint  string
}{
	{models.SIPDisabled, "off", "no phone dial-in"},
	{models.SIPEnabled, "on with PIN", "callers enter the meeting ID and their own PIN"},
	{models.SIPEnabledNoPIN, "on without PIN", "callers enter the meeting ID only"},
}

// NewSIP opens the chooser for r, named name.
func NewSIP(r models.Room, name string, caps models.Capabilities, forced *int) SIP {
	d := SIP{Room: r.Token, Name: name, Current: r.SIPEnabled, Forced: forced}
	if !caps.SIPNoPIN() {
		if caps.Known {
			d.NoPIN = "the server lacks sip-support-nopin"
		} else {
			d.NoPIN = "the server's capabilities are not known yet, so dial-in without PIN is not offered"
		}
	}
	d.Warn = words.SIPUnavailableReason(r, caps)
	for i, c := range SIPChoices {
		if c.State == r.SIPEnabled {
			d.Cursor = i
		}
	}
	return d
}

// NewBulkSIP opens the chooser for the marked rooms: no current state,
// no room-level warning, the cursor on off.
func NewBulkSIP(name string, caps models.Capabilities) SIP {
	d := NewSIP(models.Room{}, name, caps, nil)
	d.Current, d.Warn, d.Cursor = -1, "", 0
	return d
}

// Token is the room the chooser is for.
func (d SIP) Token() string { return d.Room }

// Update handles a key.
func (d SIP) Update(c *common.Common, msg tea.KeyMsg) (Dialog, tea.Msg) {
	k := c.Keys
	switch {
	case key.Matches(msg, k.Cancel):
		return d, CancelledMsg{No: "SIP dial-in unchanged: nothing was sent"}
	case key.Matches(msg, k.DialogUp):
		if d.Cursor > 0 {
			d.Cursor--
		}
		d.Err = ""
	case key.Matches(msg, k.DialogDown):
		if d.Cursor < len(SIPChoices)-1 {
			d.Cursor++
		}
		d.Err = ""
	case msg.Type == tea.KeyRunes && len(msg.Runes) == 1 && msg.Runes[0] >= '1' && msg.Runes[0] <= '3':
		// 1, 2, 3: the choices as numbered on screen
		d.Cursor = int(msg.Runes[0] - '1')
		d.Err = ""
	case key.Matches(msg, k.Apply):
		choice := SIPChoices[d.Cursor]
		if choice.State == models.SIPEnabledNoPIN && d.NoPIN != "" {
			d.Err = "not available: " + d.NoPIN
			return d, nil
		}
		return d, SIPChosenMsg{Token: d.Room, State: choice.State, Label: choice.Label}
	}
	return d, nil
}

// View renders the chooser.
func (d SIP) View(c common.Common) string {
	st := c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render(common.Fit("SIP dial-in · "+d.Name, c.Width-4)))
	b.WriteString("\n")
	for i, ch := range SIPChoices {
		cur := "  "
		if i == d.Cursor {
			cur = "> "
		}
		now := ""
		if ch.State == d.Current {
			now = " (now)"
		}
		num := string(rune('1'+i)) + " "
		line := cur + num + ch.Label + now + " · " + ch.Hint
		style := st.Option
		switch {
		case ch.State == models.SIPEnabledNoPIN && d.NoPIN != "":
			style = st.OptionOff
			line = cur + num + ch.Label + " · unavailable: " + d.NoPIN
		case i == d.Cursor:
			style = st.OptionSel
		}
		b.WriteString(style.Render(common.Fit(line, c.Width-4)))
		b.WriteString("\n")
	}
	if d.Warn != "" {
		for _, l := range common.Wrap("! the server will likely refuse: "+sanitize.Line(d.Warn), c.Width-4, "  ") {
			b.WriteString(st.Warn.Render(l))
			b.WriteString("\n")
		}
	}
	if d.Forced != nil {
		text := "! the last try was refused: an administrator fixed SIP dial-in for this conversation (" +
			words.Forced(*d.Forced) + "): any other choice will be refused again"
		for _, l := range common.Wrap(text, c.Width-4, "  ") {
			b.WriteString(st.Warn.Render(l))
			b.WriteString("\n")
		}
	}
	if d.Err != "" {
		for _, l := range common.Wrap("✗ "+sanitize.Line(d.Err), c.Width-4, "  ") {
			b.WriteString(st.Err.Render(l))
			b.WriteString("\n")
		}
	}
	k := c.Keys
	b.WriteString(c.Help.ShortHelpView([]key.Binding{k.DialogUp, k.SIPPick, k.Apply, k.Cancel}))
	return b.String()
}
