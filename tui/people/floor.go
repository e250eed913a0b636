package people

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/floor"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// The floor in the people view (tui/floor): f gives the selected person
// the floor, F takes it back, m promotes or demotes them (asking first,
// y only, when promotion resets rights given to them), d writes the
// attendance list of the running call; each row shows the person's
// rights. All of it only where the backend has a floor (floor.Of).

// floorBackend is the console's floor (nil: none, the view is as
// without a floor). Requests go to the room's own backend (roomFloor).
func (p *Page) floorBackend() floor.Backend { return p.Floor.Backend() }

// roomFloor is the floor of the room's own account (env.Backend; nil:
// none): every request of the floor about the room goes there.
func roomFloor(env common.Env) floor.Backend { return floor.Of(env.Backend) }

// floorKey handles f, F, m and d, and the answer to the promotion
// question; ok is false for any other key.
func (p *Page) floorKey(c common.Common, env common.Env, msg tea.KeyMsg) (tea.Cmd, common.Note, bool) {
	if p.floorBackend() == nil {
		return nil, common.Note{}, false
	}
	be := roomFloor(env)
	k := c.Keys
	if key.Matches(msg, k.Attendance) && !p.floor.Asking() {
		room := env.Room
		name := sanitize.Line(room.Label())
		switch {
		case !room.HasCall:
			return nil, common.Note{Text: words.NoCall + " in " + name + ": the attendance list exists only while a call runs", Level: common.LevelWarn}, true
		case p.Floor.Dir() == "":
			return nil, common.Note{Text: floor.NoDownloads, Level: common.LevelWarn}, true
		}
		cmd, note := p.Floor.Download(c, be, p.id, room.Token, name)
		if cmd != nil {
			p.attendShow() // the section shows the answer
		}
		return cmd, note, true
	}
	var sel *models.Participant
	if who, ok := p.find(p.sel); ok {
		sel = &who
	} else if p.sel != 0 && key.Matches(msg, k.GiveFloor, k.TakeFloor, k.Moderator) && !p.floor.Asking() {
		return nil, common.Note{Text: p.nameOf(p.sel) + " is no longer in the conversation (left or removed): nothing sent", Level: common.LevelWarn}, true
	}
	self := sel != nil && isSelf(*sel, env.User)
	handled, cmd, text := p.floor.Key(k, msg, be, c.Request, p.id, p.token, sel, self)
	if !handled {
		return nil, common.Note{}, false
	}
	if sel != nil && cmd != nil {
		delete(p.outcomes, sel.AttendeeID) // the floor's answer is the newer one
	}
	note := common.Note{Text: text, Level: common.LevelWarn}
	if strings.HasPrefix(text, "kept ") {
		note.Level = common.LevelInfo
	}
	return cmd, note, true
}

// floorAnswered takes the answer to f, F or m: the outcome beside the
// person, and the people read again (the answer never says where the
// person is).
func (p *Page) floorAnswered(c common.Common, env common.Env, msg floor.ActMsg) (tea.Cmd, common.Note) {
	ok, text := p.floor.Answered(msg)
	var cmd tea.Cmd
	if msg.ID == p.id {
		p.outcomes[msg.Before.AttendeeID] = personOutcome{ok: ok, text: text}
		if p.open {
			cmd = p.read(c, env)
		}
	}
	if !ok {
		return cmd, common.Note{Text: words.PersonName(msg.Before) + ": " + text, Level: common.LevelErr}
	}
	return cmd, common.Note{}
}

// Reread reads the people again now, when the view is open on the room
// id (its identity in the list: a change of the room's floor was
// answered).
func (p *Page) Reread(c common.Common, env common.Env, id string) tea.Cmd {
	if !p.open || p.id != id {
		return nil
	}
	return p.read(c, env)
}

// floorHead is the view's lines of the floor: the last attendance list
// written for the room, and the promotion question.
func (p *Page) floorHead(c common.Common, room string) []string {
	if p.floorBackend() == nil {
		return nil
	}
	var out []string
	if w, ok := p.Floor.Written(p.id); ok {
		line := "✓ " + words.AttendanceSaved(w.N, sanitize.Line(w.Path)) + " at " + c.Clock(w.At)
		for i, l := range common.Wrap(line, c.Width, "  ") {
			if i == 2 {
				break
			}
			out = append(out, c.Styles.OK.Render(common.Fit(l, c.Width)))
		}
	}
	q := p.floor.Question(room)
	if q == "" {
		return out
	}
	for _, l := range common.Wrap(sanitize.Line(q), c.Width, "  ") {
		out = append(out, c.Styles.Warn.Render(common.Fit(l, c.Width)))
	}
	return out
}

// floorSymbols: the rights as 🎤 📹 🖥 on a wide terminal in colour; as
// words at 80 columns and without colour (NO_COLOR, TERM=dumb).
func floorSymbols(c common.Common) bool {
	return c.Width >= 110 && c.Styles.OK.Render("x") != "x"
}

// floorCols makes room for the rights column (0 without a floor: the
// view is as before).
func (p *Page) floorCols(c common.Common) (nw, kw, sw, rw int) {
	nw, kw, sw = peopleCols(c.Width)
	if p.floorBackend() == nil {
		return nw, kw, sw, 0
	}
	rw = floor.RightsWidth(floorSymbols(c))
	if c.Width < 110 {
		nw, sw = nw-3, sw-2
	}
	return nw, kw, sw, rw
}

// floorRights is the rights cell of a person's row ("" without a floor).
func floorRights(c common.Common, q models.Participant, rw int) string {
	if rw == 0 {
		return ""
	}
	return floor.RightsCell(q, floorSymbols(c), rw) + " "
}

// floorStatus is the floor's text in a person's outcome column when the
// view has no outcome for them: f, F or m on its way, else the note for
// rights taken that their app has not applied yet.
func (p *Page) floorStatus(c common.Common, env common.Env, q models.Participant) (string, lipgloss.Style, bool) {
	if p.floorBackend() == nil {
		return "", lipgloss.Style{}, false
	}
	if word, busy := p.floor.PendingWord(q.AttendeeID); busy {
		return env.Spin + " " + word, c.Styles.Pending, true
	}
	if q.NotEnforcedYet() {
		return words.NotYetApplied, c.Styles.Warn, true
	}
	return "", lipgloss.Style{}, false
}

// floorHelpLine is the key line with f/F, m and d: the first wording
// that fits the width (? lists every key).
func (p *Page) floorHelpLine(c common.Common, text string) string {
	if p.floor.Asking() {
		return "y promotes · any other key keeps them as they are"
	}
	if p.floorBackend() == nil || c.ReadOnly {
		return text
	}
	d := ""
	if p.hasCall && p.Floor.Dir() != "" {
		d = " · d attendance"
	}
	if p.attended().Last.Rows != nil {
		d += " · v list"
	}
	for _, v := range []string{
		"a let in · h back to lobby · x remove · A let in all waiting · f/F give/take floor · m moderator" + d + " · esc back · q quit",
		"a let in · h back to lobby · x remove · A let in all · f/F floor · m moderator" + d + " · esc back · q quit",
		"a let in · h lobby · x remove · f/F floor · m moderator" + d + " · ? keys · esc back · q quit",
		"a let in · h lobby · x remove · f/F floor · m moderator · ? keys · esc · q",
	} {
		if common.Width(v) <= c.Width {
			return v
		}
	}
	return "a let in · h lobby · x remove · f/F floor · m mod · ? keys · q"
}

// floorHelpText explains f, F, m and d in the full help ("" without a
// floor).
func (p *Page) floorHelpText() string {
	if p.floorBackend() == nil {
		return ""
	}
	return " In the people view f gives the selected person the floor (audio, video, screen) and F takes it back (their app applies it when it next updates), m promotes or demotes them, d writes the attendance list of the running call and shows its rows (name, email, type) in place of the people: ↑/↓, pgup/pgdn and g/G scroll them, v shows or hides the last list read, esc hides it."
}
