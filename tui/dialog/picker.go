package dialog

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/datetime"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// Picker is the t dialog: the datetime picker for a lobby timer. It
// stays open with the typed value while the time is refused before
// sending; it answers PickedMsg or CancelledMsg and the root sends (or
// asks first).
type Picker struct {
	Room string // token ("" for the marked rooms)
	Name string
	DT   datetime.Model
	Err  string
}

// PickedMsg is the picker's answer: a timer to set, or clear (x).
type PickedMsg struct {
	Token string
	Timer *time.Time
	Clear bool
}

// NewPicker opens the picker for r, named name, at r's future timer.
func NewPicker(c common.Common, r models.Room, name string) Picker {
	var initial time.Time
	if t, ok := r.LobbyTimerTime(); ok && t.After(c.Now()) {
		initial = t
	}
	return Picker{Room: r.Token, Name: name, DT: datetime.New(initial, c.Loc(), c.Now, c.Styles.Picker)}
}

// Token is the room the picker is for.
func (p Picker) Token() string { return p.Room }

// Update handles a key. z changes the display zone of the whole console.
func (p Picker) Update(c *common.Common, msg tea.KeyMsg) (Dialog, tea.Msg) {
	if key.Matches(msg, c.Keys.Zone) {
		if reason := c.ZoneBlocked(); reason != "" {
			p.Err = reason
			return p, nil
		}
		*c = c.NextZone()
		p.DT = p.DT.SetLocation(c.Loc())
		return p, nil
	}
	dt, out := p.DT.Update(msg)
	p.DT = dt
	switch out {
	case datetime.Cancelled:
		return p, CancelledMsg{No: "lobby timer unchanged: nothing was sent"}
	case datetime.Submitted:
		v := dt.Value()
		if err := client.ValidateLobbyTimer(c.Now(), v); err != nil {
			p.Err = client.Message(err)
			return p, nil
		}
		return p, PickedMsg{Token: p.Room, Timer: &v}
	case datetime.Cleared:
		return p, PickedMsg{Token: p.Room, Clear: true}
	}
	if p.Err != "" && msg.Type != tea.KeyEnter {
		p.Err = ""
	}
	return p, nil
}

// View renders the picker.
func (p Picker) View(c common.Common) string {
	st := c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render(common.Fit("Lobby timer · "+p.Name, c.Width-4)))
	b.WriteString("\n")
	hint := "the lobby opens for everyone at this time · z changes the time zone"
	if c.ZoneBlocked() != "" {
		hint = "the lobby opens for everyone at this time"
	}
	b.WriteString(st.Dim.Render(common.Fit(hint, c.Width-4)))
	b.WriteString("\n")
	// the picker's own keys are said once, here, in the box's width
	b.WriteString(p.DT.SetWidth(c.Width - 4).View())
	if p.Err != "" && p.Err != p.DT.Err() {
		b.WriteString("\n")
		b.WriteString(st.Err.Render(common.Fit("✗ "+sanitize.Line(p.Err), c.Width-4)))
	}
	return b.String()
}
