package floor

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/dialog"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// Chooser is the room's default permissions dialog (P): listen only,
// everyone, server default, the current one marked. Applying a preset
// that resets rights given to people first asks, naming them: y only.
type Chooser struct {
	Room models.Room
	// ID is the room's identity in the list ("": its token).
	ID string
	// Name is the room's name (shown after sanitizing).
	Name string
	// Current is the room's defaultPermissions as stored.
	Current int
	// Losers hold rights of their own: a new default resets them.
	Losers []models.Participant
	// LobbyOn: those let in wait in the lobby again after a reset.
	LobbyOn bool
	cursor  int
	asking  bool
}

var _ dialog.Dialog = Chooser{}

// Chosen is the chooser's answer: send this preset.
type Chosen struct {
	// ID is the room's identity in the list ("" : Token), Token its
	// token.
	ID     string
	Token  string
	Preset models.Preset
	Losers []models.Participant
}

// NewChooser opens on the current preset (the first when none matches).
func NewChooser(room models.Room, name string, people []models.Participant) Chooser {
	current := room.DefaultPermissions
	c := Chooser{Room: room, Name: name, Current: current, Losers: models.LosesOwnPermissions(people),
		LobbyOn: room.LobbyState == models.LobbyModeratorsOnly}
	if p, ok := models.PresetOf(current); ok {
		for i, q := range models.Presets {
			if q == p {
				c.cursor = i
			}
		}
	}
	return c
}

// Asking reports the y-only question (the second step).
func (c Chooser) Asking() bool { return c.asking }

// Selected is the preset under the cursor.
func (c Chooser) Selected() models.Preset { return models.Presets[c.cursor] }

const unchanged = "default permissions unchanged: nothing was sent"

// Token is the room the chooser acts on (dialog.Dialog): its ID in the
// list, else its token.
func (c Chooser) Token() string {
	if c.ID != "" {
		return c.ID
	}
	return c.Room.Token
}

// Update answers a key (dialog.Dialog): nil while the dialog stays open,
// else Chosen or dialog.CancelledMsg.
func (c Chooser) Update(cm *common.Common, msg tea.KeyMsg) (dialog.Dialog, tea.Msg) {
	k := cm.Keys
	if c.asking {
		if key.Matches(msg, k.Yes) {
			return c, Chosen{ID: c.Token(), Token: c.Room.Token, Preset: c.Selected(), Losers: c.Losers}
		}
		return c, dialog.CancelledMsg{No: unchanged}
	}
	switch {
	case key.Matches(msg, k.Cancel):
		return c, dialog.CancelledMsg{No: unchanged}
	case key.Matches(msg, k.DialogUp):
		c.cursor = (c.cursor + len(models.Presets) - 1) % len(models.Presets)
	case key.Matches(msg, k.DialogDown):
		c.cursor = (c.cursor + 1) % len(models.Presets)
	case key.Matches(msg, k.SIPPick) && len(msg.Runes) == 1:
		c.cursor = int(msg.Runes[0] - '1')
	case key.Matches(msg, k.Apply):
		if p, ok := models.PresetOf(c.Current); ok && p == c.Selected() {
			return c, dialog.CancelledMsg{No: "the default is already " + words.Preset(p) + ": nothing was sent"}
		}
		if len(c.Losers) > 0 {
			c.asking = true
			return c, nil
		}
		return c, Chosen{ID: c.Token(), Token: c.Room.Token, Preset: c.Selected()}
	}
	return c, nil
}

// View renders the dialog without its box (dialog.Dialog).
func (c Chooser) View(cm common.Common) string {
	st, width := cm.Styles, cm.Width-4
	k := cm.Keys
	var b strings.Builder
	line := func(s lipgloss.Style, text string) {
		b.WriteString(s.Render(fitLine(text, width)))
		b.WriteByte('\n')
	}
	line(st.Title, "Who may speak · "+sanitize.Line(c.Name))
	line(st.Dim, "now: "+words.DefaultPermissions(c.Current))
	for i, p := range models.Presets {
		cur, s := "  ", st.Option
		if i == c.cursor {
			cur, s = "> ", st.OptionSel
		}
		mark := ""
		if q, ok := models.PresetOf(c.Current); ok && q == p {
			mark = " (now)"
		}
		line(s, cur+strconv.Itoa(i+1)+" "+words.Preset(p)+mark)
		for _, l := range wrapText(words.PresetMeaning(p), width-6) {
			line(st.Dim, "      "+l)
		}
	}
	if len(c.Losers) > 0 {
		for _, l := range wrapText(words.LoseRightsNote(len(c.Losers))+" if the default changes: "+
			words.LosersList(c.Losers, words.PersonName, 8), width) {
			line(st.Warn, l)
		}
	}
	if c.asking {
		q := "Set " + words.Preset(c.Selected()) + " and reset their rights?"
		if c.LobbyOn && anyLetIn(c.Losers) {
			q += " The lobby is on: those let in wait in it again."
		}
		for _, l := range wrapText(q, width) {
			line(st.Plain, l)
		}
		b.WriteString(st.Dim.Render(fitLine("y sets it · any other key keeps the default (nothing is sent)", width)))
		return b.String()
	}
	b.WriteString(cm.Help.ShortHelpView([]key.Binding{k.DialogUp, k.SIPPick, k.Apply, k.Cancel}))
	return b.String()
}

func anyLetIn(ps []models.Participant) bool {
	for _, p := range ps {
		if p.LetIn() {
			return true
		}
	}
	return false
}

// fitLine cuts or pads text to width cells.
func fitLine(text string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(text) > width {
		return ansi.Truncate(text, width, "…")
	}
	return text + strings.Repeat(" ", width-ansi.StringWidth(text))
}

// wrapText breaks text into lines of at most width cells, at spaces.
func wrapText(text string, width int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
			line = w
		case ansi.StringWidth(line)+1+ansi.StringWidth(w) <= width:
			line += " " + w
		default:
			out = append(out, line)
			line = w
		}
	}
	if line != "" {
		out = append(out, line)
	}
	for i, l := range out {
		if ansi.StringWidth(l) > width {
			out[i] = ansi.Truncate(l, width, "…")
		}
	}
	return out
}
