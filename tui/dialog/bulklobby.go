package dialog

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
)

// BulkLobby is l with marks: lobby on or off for all marked rooms.
type BulkLobby struct {
	Marked int // how many rooms are marked
	Cursor int // 0 on, 1 off
}

// BulkLobbyMsg is the choice of BulkLobby.
type BulkLobbyMsg struct{ Lobby models.LobbyState }

// Token is "": the dialog is for the marked rooms.
func (d BulkLobby) Token() string { return "" }

// Update handles a key.
func (d BulkLobby) Update(c *common.Common, msg tea.KeyMsg) (Dialog, tea.Msg) {
	k := c.Keys
	switch {
	case key.Matches(msg, k.Cancel):
		return d, CancelledMsg{No: "lobby unchanged: nothing was sent"}
	case key.Matches(msg, k.DialogUp), msg.String() == "1":
		d.Cursor = 0
	case key.Matches(msg, k.DialogDown), msg.String() == "2":
		d.Cursor = 1
	case key.Matches(msg, k.Apply):
		if d.Cursor == 1 {
			return d, BulkLobbyMsg{Lobby: models.LobbyNone}
		}
		return d, BulkLobbyMsg{Lobby: models.LobbyModeratorsOnly}
	}
	return d, nil
}

// View renders the choice.
func (d BulkLobby) View(c common.Common) string {
	st := c.Styles
	w := c.Width - 4
	var b strings.Builder
	b.WriteString(st.Title.Render(common.Fit("Lobby · "+strconv.Itoa(d.Marked)+" marked rooms", w)))
	b.WriteString("\n")
	choices := []string{
		"1 on · only moderators join; a room's own future timer is kept",
		"2 off · everyone can join; a timer is dropped",
	}
	for i, ch := range choices {
		cur, style := "  ", st.Option
		if i == d.Cursor {
			cur, style = "> ", st.OptionSel
		}
		b.WriteString(style.Render(common.Fit(cur+ch, w)))
		b.WriteString("\n")
	}
	b.WriteString(st.Dim.Render(common.Fit("nothing is sent before one confirmation that lists every room", w)))
	b.WriteString("\n")
	k := c.Keys
	b.WriteString(c.Help.ShortHelpView([]key.Binding{k.DialogUp, k.Apply, k.Cancel}))
	return b.String()
}
