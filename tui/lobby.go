package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/tui/datetime"
)

// pickerDialog is the t dialog: the datetime picker for one room's lobby
// timer. It stays open with the typed value while the time is refused
// before sending; it answers pickedMsg or pickerCancelledMsg and the root
// sends (or asks first).
type pickerDialog struct {
	token string
	name  string
	dt    datetime.Model
	err   string
}

// pickedMsg is the picker's answer: a timer to set, or clear (x).
type pickedMsg struct {
	token string
	timer *time.Time
	clear bool
}

// pickerCancelledMsg closes the picker with nothing sent.
type pickerCancelledMsg struct{}

func newPicker(c Common, e *entry) pickerDialog {
	var initial time.Time
	if t, ok := e.room.LobbyTimerTime(); ok && t.After(c.Now()) {
		initial = t
	}
	return pickerDialog{
		token: e.room.Token,
		name:  e.name,
		dt:    datetime.New(initial, c.Loc(), c.Now, c.Styles.Picker),
	}
}

// Update handles a key. z changes the display zone of the whole console
// (c). The message is the picker's answer (nil while it stays open).
func (p pickerDialog) Update(c *Common, msg tea.KeyMsg) (pickerDialog, tea.Msg) {
	if key.Matches(msg, c.Keys.Zone) {
		if reason := c.zoneBlocked(); reason != "" {
			p.err = reason
			return p, nil
		}
		c.nextZone()
		p.dt = p.dt.SetLocation(c.Loc())
		return p, nil
	}
	dt, out := p.dt.Update(msg)
	p.dt = dt
	switch out {
	case datetime.Cancelled:
		return p, pickerCancelledMsg{}
	case datetime.Submitted:
		v := dt.Value()
		if err := client.ValidateLobbyTimer(c.Now(), v); err != nil {
			p.err = client.Message(err)
			return p, nil
		}
		return p, pickedMsg{token: p.token, timer: &v}
	case datetime.Cleared:
		return p, pickedMsg{token: p.token, clear: true}
	}
	if p.err != "" && msg.Type != tea.KeyEnter {
		p.err = ""
	}
	return p, nil
}

// View renders the picker (without the box).
func (p pickerDialog) View(c Common) string {
	st := c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render(fit("Lobby timer · "+p.name, c.Width-4)))
	b.WriteString("\n")
	hint := "the lobby opens for everyone at this time · z changes the time zone"
	if c.zoneBlocked() != "" {
		hint = "the lobby opens for everyone at this time"
	}
	b.WriteString(st.Dim.Render(fit(hint, c.Width-4)))
	b.WriteString("\n")
	// the picker's own keys are said once, here, in the box's width
	b.WriteString(p.dt.SetWidth(c.Width - 4).View())
	if p.err != "" && p.err != p.dt.Err() {
		b.WriteString("\n")
		b.WriteString(st.Err.Render(fit("✗ "+sanitizeLine(p.err), c.Width-4)))
	}
	return b.String()
}
