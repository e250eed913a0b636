package floor

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// Styles are the console's styles this package draws with (the console
// hands its own in: one renderer decides the colours, NO_COLOR included).
type Styles struct {
	Title, Plain, Dim, Warn, OK, Err, Pending, Option, OptionSel lipgloss.Style
}

// Keys of the chooser and of the people view's floor.
var Keys = struct {
	Open, EndCall, Attendance          key.Binding
	Up, Down, Pick, Apply, Cancel, Yes key.Binding
	GiveFloor, TakeFloor, Moderator    key.Binding
}{
	Open:       key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "permissions")),
	EndCall:    key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "end call")),
	Attendance: key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "attendance")),
	Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "choose")),
	Down:       key.NewBinding(key.WithKeys("down", "j")),
	Pick:       key.NewBinding(key.WithKeys("1", "2", "3"), key.WithHelp("1-3", "pick")),
	Apply:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
	Cancel:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	Yes:        key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
	GiveFloor:  key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "give floor")),
	TakeFloor:  key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "take floor")),
	Moderator:  key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "promote/demote")),
}

// Chooser is the room's default permissions dialog (P): listen only,
// everyone, server default, the current one marked. Applying a preset
// that resets rights given to people first asks, naming them: y only.
type Chooser struct {
	Token string
	// Room is the room's name (shown after sanitizing).
	Room string
	// Current is the room's defaultPermissions as stored.
	Current int
	// Losers hold rights of their own: a new default resets them.
	Losers []models.Participant
	// LobbyOn: those let in wait in the lobby again after a reset.
	LobbyOn bool
	cursor  int
	asking  bool
}

// Chosen is the chooser's answer: send this preset.
type Chosen struct {
	Token  string
	Preset models.Preset
	Losers []models.Participant
}

// Cancelled is any other end of the chooser: nothing is sent.
type Cancelled struct{ No string }

// NewChooser opens on the current preset (the first when none matches).
func NewChooser(token, room string, current int, people []models.Participant, lobbyOn bool) Chooser {
	c := Chooser{Token: token, Room: room, Current: current, Losers: models.LosesOwnPermissions(people), LobbyOn: lobbyOn}
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

// Update answers a key. The result is nil while the dialog stays open,
// else Chosen or Cancelled.
func (c Chooser) Update(msg tea.KeyMsg) (Chooser, any) {
	k := Keys
	if c.asking {
		if key.Matches(msg, k.Yes) {
			return c, Chosen{Token: c.Token, Preset: c.Selected(), Losers: c.Losers}
		}
		return c, Cancelled{No: unchanged}
	}
	switch {
	case key.Matches(msg, k.Cancel):
		return c, Cancelled{No: unchanged}
	case key.Matches(msg, k.Up):
		c.cursor = (c.cursor + len(models.Presets) - 1) % len(models.Presets)
	case key.Matches(msg, k.Down):
		c.cursor = (c.cursor + 1) % len(models.Presets)
	case key.Matches(msg, k.Pick):
		c.cursor = int(msg.Runes[0] - '1')
	case key.Matches(msg, k.Apply):
		if p, ok := models.PresetOf(c.Current); ok && p == c.Selected() {
			return c, Cancelled{No: "the default is already " + words.Preset(p) + ": nothing was sent"}
		}
		if len(c.Losers) > 0 {
			c.asking = true
			return c, nil
		}
		return c, Chosen{Token: c.Token, Preset: c.Selected()}
	}
	return c, nil
}

// View renders the dialog (without its box) in width cells.
func (c Chooser) View(st Styles, width int, help string) string {
	var b strings.Builder
	line := func(s lipgloss.Style, text string) {
		b.WriteString(s.Render(fitLine(text, width)))
		b.WriteByte('\n')
	}
	line(st.Title, "Who may speak · "+sanitize.Line(c.Room))
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
			words.LosersList(c.Losers, personName, 8), width) {
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
	b.WriteString(help)
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

// personName is the sanitized name of a person ("Guest" for a guest
// without one).
func personName(p models.Participant) string {
	n := sanitize.Line(p.Name())
	if strings.TrimSpace(n) == "" {
		if p.IsGuest() {
			return "Guest"
		}
		return "#" + strconv.FormatInt(p.AttendeeID, 10)
	}
	return n
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
