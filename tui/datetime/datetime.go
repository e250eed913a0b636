// Package datetime is the lobby-timer picker: a small Bubble Tea component
// with segmented YYYY-MM-DD HH:MM fields in a given time zone.
//
// It is meant to be embedded in a dialog. Update returns an [Outcome] next
// to the model; the parent checks it after each key. The component never
// quits the program and never reads the wall clock itself: "now" is injected.
//
// Steps go through time.Date with the day clamped to the length of the
// month (Jan 31 + 1 month = Feb 28/29, never Mar 3). Typed values are
// checked, not clamped: minute 95, hour 25 or 29 Feb 2027 are refused with
// a message and the field keeps its value. A two-digit year reads as 20YY;
// a month typed that is before the current one in the current year means
// next year (01 typed in December is next January).
//
// A wall time skipped by a DST change moves forward by the gap and says so
// ("02:30 does not exist on 29 Mar in Europe/Berlin; 03:30 CEST"); a wall
// time that comes twice (the fall-back hour) says which offset it took, and
// o takes the other. The fields always show the real wall time of the
// picked instant. Hour, minute and ±15-minute steps move the instant, so
// they walk through DST overlaps without getting stuck in gaps.
//
// Keys: ←/→ (also h/l, tab/shift+tab) move between fields; ↑/↓ step the
// field; pgup/pgdn take a big step; digits type over the field; +/- shift
// by 15 minutes; n jumps to the next full hour; o takes the other offset
// of a repeated wall time; enter sets the timer (and, in the console, turns
// the lobby on); x removes the timer; esc cancels. HelpText says it for a
// help screen.
package datetime

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/tui/words"
)

// MaxWidth is the widest line View produces.
const MaxWidth = 76

// Outcome tells the parent what a key did.
type Outcome int

const (
	// None: the picker stays open.
	None Outcome = iota
	// Submitted: enter on a valid time; read Value.
	Submitted
	// Cleared: the user wants no timer.
	Cleared
	// Cancelled: esc; leave everything as it was.
	Cancelled
)

func (o Outcome) String() string {
	switch o {
	case None:
		return "None"
	case Submitted:
		return "Submitted"
	case Cleared:
		return "Cleared"
	case Cancelled:
		return "Cancelled"
	}
	return "Outcome(" + strconv.Itoa(int(o)) + ")"
}

// Styles for the picker. Build them with DefaultStyles from the session's
// renderer.
type Styles struct {
	Field        lipgloss.Style // an unfocused field
	FocusedField lipgloss.Style // the focused field
	Label        lipgloss.Style // "Date", "Time"
	Separator    lipgloss.Style // "-" and ":" between fields
	Info         lipgloss.Style // the zone · UTC · relative line
	Hint         lipgloss.Style // the key hint line
	Error        lipgloss.Style // the inline validation message
}

// DefaultStyles builds the picker styles from r (the per-session renderer).
// A nil r gives colourless styles.
func DefaultStyles(r *lipgloss.Renderer) Styles {
	if r == nil {
		r = lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.Ascii))
	}
	subtle := lipgloss.AdaptiveColor{Light: "244", Dark: "245"}
	return Styles{
		Field:        r.NewStyle(),
		FocusedField: r.NewStyle().Bold(true).Reverse(true),
		Label:        r.NewStyle().Bold(true),
		Separator:    r.NewStyle().Foreground(subtle),
		Info:         r.NewStyle(),
		Hint:         r.NewStyle().Foreground(subtle),
		Error:        r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "1", Dark: "9"}).Bold(true),
	}
}

// KeyMap holds the picker's bindings. Digits are not bindings: they always
// type into the focused field (backspace removes a typed digit).
type KeyMap struct {
	Left, Right, Up, Down, PageUp, PageDown, Plus, Minus, NextHour, Other, Clear, Submit, Cancel key.Binding
}

// HelpText documents every key of the picker in one sentence, for a help
// screen and the README.
const HelpText = "In the lobby timer picker: ←/→ (or h/l, tab/shift+tab) field, ↑/↓ step (minutes by 5), " +
	"pgup/pgdn big step (a year, a week, 6 hours, 30 minutes), digits type over a field (27 = 2027), " +
	"+/- 15m, n next full hour, o the other offset of a time that comes twice (DST), " +
	"enter sets the timer and turns the lobby on, x removes the timer (the lobby stays on), esc cancels."

// DefaultKeyMap returns the default bindings. Note that n and x are letters:
// a parent that routes keys should give the open picker priority.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Left:     key.NewBinding(key.WithKeys("left", "shift+tab", "h"), key.WithHelp("←/→", "field")),
		Right:    key.NewBinding(key.WithKeys("right", "tab", "l"), key.WithHelp("→", "next field")),
		Up:       key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓", "step")),
		Down:     key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "step down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup/pgdn", "big step")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "big step down")),
		Plus:     key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+/-", "15m")),
		Minus:    key.NewBinding(key.WithKeys("-"), key.WithHelp("-", "15m earlier")),
		NextHour: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next hour")),
		Other:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "other offset"), key.WithDisabled()),
		Clear:    key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "no timer")),
		Submit:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "set, lobby on")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// ShortHelp implements help.KeyMap. The paired bindings (←/→, ↑/↓, +/-)
// are shown once.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Left, k.Up, k.Plus, k.Other, k.NextHour, k.Clear, k.Submit, k.Cancel}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Left, k.Right, k.Up, k.Down},
		{k.PageUp, k.PageDown, k.Plus, k.Minus},
		{k.NextHour, k.Other, k.Clear, k.Submit, k.Cancel},
	}
}

type field int

const (
	fieldYear field = iota
	fieldMonth
	fieldDay
	fieldHour
	fieldMinute
	numFields
)

func (f field) width() int {
	if f == fieldYear {
		return 4
	}
	return 2
}

// Model is the picker. The zero value is not usable; call New.
type Model struct {
	t      time.Time // the picked instant, always in loc, seconds zero
	loc    *time.Location
	now    func() time.Time
	styles Styles
	keys   KeyMap
	focus  field
	typed  string // digits typed into the focused field, not yet applied
	err    string
	// note says what the picked wall time means on a DST change day;
	// alt is the other instant of a wall time that comes twice.
	note string
	alt  time.Time
	// wall is the wall time last typed when it does not exist (a DST
	// gap): typing the next field goes on from it, so 02 then 30 reads
	// 02:30, not 03:30.
	wall    [5]int
	hasWall bool
	// width is the widest line View produces (0: MaxWidth).
	width int
}

// SetWidth sets the widest line View produces (at most MaxWidth): the
// hints give way to fit it (see hintLine).
func (m Model) SetWidth(w int) Model {
	m.width = w
	return m
}

func (m Model) maxWidth() int {
	if m.width <= 0 || m.width > MaxWidth {
		return MaxWidth
	}
	return m.width
}

// New returns a picker showing initial in loc (nil loc = UTC). A zero
// initial means the next full hour after now(). now nil = time.Now. Seconds
// and below are dropped.
func New(initial time.Time, loc *time.Location, now func() time.Time, styles Styles) Model {
	if loc == nil {
		loc = time.UTC
	}
	if now == nil {
		now = time.Now
	}
	m := Model{loc: loc, now: now, styles: styles, keys: DefaultKeyMap(), focus: fieldHour}
	if initial.IsZero() {
		m.t = NextFullHour(now(), loc)
	} else {
		m.t = initial.In(loc).Truncate(time.Minute)
	}
	return m.moved()
}

// Value returns the picked instant in the picker's location. Digits typed
// but not yet applied are not included (any key other than a digit applies
// them, enter too).
func (m Model) Value() time.Time { return m.t }

// Err returns the inline validation message, or "".
func (m Model) Err() string { return m.err }

// SetKeys replaces the bindings.
func (m Model) SetKeys(k KeyMap) Model { m.keys = k; return m.moved() }

// Note says what the picked wall time means on a DST change day, or "".
func (m Model) Note() string { return m.note }

// SetLocation keeps the same instant and shows it in loc (nil = UTC).
func (m Model) SetLocation(loc *time.Location) Model {
	if loc == nil {
		loc = time.UTC
	}
	m = m.commitTyped()
	m.loc = loc
	m.t = m.t.In(loc)
	return m.moved()
}

// Update handles tea.KeyMsg; every other message is ignored. The picker
// needs no command: the Outcome says what the key did.
func (m Model) Update(msg tea.Msg) (Model, Outcome) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, None
	}

	// Digits and backspace edit the focused field.
	if k.Type == tea.KeyRunes && len(k.Runes) > 0 && allDigits(k.Runes) && !k.Alt {
		m.err = ""
		for _, r := range k.Runes {
			m = m.typeDigit(r)
		}
		return m, None
	}
	if k.Type == tea.KeyBackspace && m.typed != "" {
		m.typed = m.typed[:len(m.typed)-1]
		return m, None
	}

	switch {
	case key.Matches(k, m.keys.Cancel):
		m.typed = ""
		return m, Cancelled
	case key.Matches(k, m.keys.Clear):
		m.typed = ""
		m.err = ""
		return m, Cleared
	}

	// Any other key applies typed digits first; a refused value keeps
	// its message and the key does nothing more.
	m.err = ""
	if m = m.commitTyped(); m.err != "" {
		return m, None
	}
	if key.Matches(k, m.keys.Submit) {
		if err := client.ValidateLobbyTimer(m.now(), m.t); err != nil {
			m.err = err.Error()
			return m, None
		}
		return m, Submitted
	}
	switch {
	case key.Matches(k, m.keys.Left):
		m.focus = (m.focus + numFields - 1) % numFields
		return m, None
	case key.Matches(k, m.keys.Right):
		m.focus = (m.focus + 1) % numFields
		return m, None
	case key.Matches(k, m.keys.Up):
		m.t = m.step(m.focus, +1, false)
	case key.Matches(k, m.keys.Down):
		m.t = m.step(m.focus, -1, false)
	case key.Matches(k, m.keys.PageUp):
		m.t = m.step(m.focus, +1, true)
	case key.Matches(k, m.keys.PageDown):
		m.t = m.step(m.focus, -1, true)
	case key.Matches(k, m.keys.Plus):
		m.t = m.t.Add(15 * time.Minute)
	case key.Matches(k, m.keys.Minus):
		m.t = m.t.Add(-15 * time.Minute)
	case key.Matches(k, m.keys.NextHour):
		m.t = NextFullHour(m.now(), m.loc)
	case key.Matches(k, m.keys.Other):
		m.t = m.alt
	default:
		return m, None
	}
	return m.moved(), None
}

// moved recomputes what depends on the picked instant: the note about a
// repeated wall time and the other key.
func (m Model) moved() Model {
	m.note, m.alt, m.hasWall = "", time.Time{}, false
	if alt, ok := otherInstant(m.t, m.loc); ok {
		m.alt = alt
		lt, la := m.t.In(m.loc), alt.In(m.loc)
		first := "first"
		if alt.Before(m.t) {
			first = "second"
		}
		m.note = fmt.Sprintf("%s comes twice on %s: this is the %s, %s (%s); o takes %s (%s)",
			lt.Format("15:04"), lt.Format("2 Jan"), first, zoneAbbr(lt), offsetOf(lt), zoneAbbr(la), offsetOf(la))
	}
	m.keys.Other.SetEnabled(!m.alt.IsZero())
	return m
}

// otherInstant is the other instant with the same wall clock as t in loc
// (the repeated hour when clocks go back), if there is one.
func otherInstant(t time.Time, loc *time.Location) (time.Time, bool) {
	_, before := t.Add(-3 * time.Hour).In(loc).Zone()
	_, after := t.Add(3 * time.Hour).In(loc).Zone()
	if before == after {
		return time.Time{}, false
	}
	d := time.Duration(before-after) * time.Second
	if d < 0 {
		d = -d
	}
	lt := t.In(loc)
	for _, c := range []time.Time{t.Add(d), t.Add(-d)} {
		lc := c.In(loc)
		if lc.Hour() == lt.Hour() && lc.Minute() == lt.Minute() && lc.Day() == lt.Day() {
			return lc, true
		}
	}
	return time.Time{}, false
}

func zoneAbbr(t time.Time) string {
	abbr, off := t.Zone()
	if abbr == "" || abbr[0] == '+' || abbr[0] == '-' {
		return words.Offset(off)
	}
	return abbr
}

func offsetOf(t time.Time) string {
	_, off := t.Zone()
	return words.Offset(off)
}

func allDigits(rs []rune) bool {
	for _, r := range rs {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// typeDigit appends a digit to the focused field; a full field is applied
// and focus moves on to the next field (staying on the minutes).
func (m Model) typeDigit(r rune) Model {
	if len(m.typed) >= m.focus.width() {
		m.typed = "" // a refused value: typing starts over
	}
	m.typed += string(r)
	if len(m.typed) < m.focus.width() {
		return m
	}
	m = m.commitTyped()
	if m.err == "" && m.focus < fieldMinute {
		m.focus++
	}
	return m
}

// commitTyped applies partially or fully typed digits to the focused
// field. A value out of the field's range is refused with a message (m.err)
// and the field keeps its value. A year is four digits, or two (27 = 2027).
// A month before the current one, typed while the current year is shown,
// means next year.
func (m Model) commitTyped() Model {
	if m.typed == "" {
		return m
	}
	typed := m.typed
	if m = m.applyTyped(); m.err != "" {
		m.typed = typed // the refused digits stay on screen to be corrected
	}
	return m
}

func (m Model) applyTyped() Model {
	typed := m.typed
	m.typed = ""
	v, err := strconv.Atoi(typed)
	if err != nil {
		return m
	}
	y, mo, d, h, mi := m.fields()
	if m.hasWall {
		y, mo, d, h, mi = m.wall[0], m.wall[1], m.wall[2], m.wall[3], m.wall[4]
	}
	switch m.focus {
	case fieldYear:
		switch len(typed) {
		case 2:
			v += 2000
		case 4:
		default:
			m.err = fmt.Sprintf("year %s: type four digits (2027) or two (27 = 2027)", typed)
			return m
		}
		if v < 1970 || v > 9999 {
			m.err = fmt.Sprintf("year %d is out of range", v)
			return m
		}
		y = v
	case fieldMonth:
		if v < 1 || v > 12 {
			m.err = fmt.Sprintf("month %s does not exist (01–12)", typed)
			return m
		}
		now := m.now().In(m.loc)
		if y == now.Year() && v < int(now.Month()) {
			y++ // typing 01 in December means next January
		}
		mo = v
	case fieldDay:
		if v < 1 || v > daysIn(y, mo) {
			if v >= 1 && v <= 31 {
				m.err = fmt.Sprintf("%d %s %d does not exist (%s %d has %d days)", v, time.Month(mo).String()[:3], y, time.Month(mo), y, daysIn(y, mo))
			} else {
				m.err = fmt.Sprintf("day %s does not exist (01–%d)", typed, daysIn(y, mo))
			}
			return m
		}
		d = v
	case fieldHour:
		if v > 23 {
			m.err = fmt.Sprintf("hour %s does not exist (00–23)", typed)
			return m
		}
		h = v
	case fieldMinute:
		if v > 59 {
			m.err = fmt.Sprintf("minute %s does not exist (00–59)", typed)
			return m
		}
		mi = v
	}
	return m.setWall(y, mo, d, h, mi)
}

// setWall picks the wall time in loc; one skipped by a DST change moves
// forward by the gap and the note says so.
func (m Model) setWall(y, mo, d, h, mi int) Model {
	m.t = m.date(y, mo, d, h, mi)
	m = m.moved()
	if lt := m.t.In(m.loc); lt.Hour() != h || lt.Minute() != mi {
		m.note = fmt.Sprintf("%02d:%02d does not exist on %s in %s; %s %s",
			h, mi, lt.Format("2 Jan"), words.ZoneName(m.loc), lt.Format("15:04"), zoneAbbr(lt))
		m.wall, m.hasWall = [5]int{y, mo, d, h, mi}, true
	}
	return m
}

func (m Model) fields() (y, mo, d, h, mi int) {
	lt := m.t.In(m.loc)
	return lt.Year(), int(lt.Month()), lt.Day(), lt.Hour(), lt.Minute()
}

// date builds the instant from wall-clock fields in loc, clamping the day
// to the month's length. A wall time skipped by a DST change moves forward
// by the gap (WallTime).
func (m Model) date(y, mo, d, h, mi int) time.Time {
	// Normalise the month first so the clamp sees the real month.
	for mo < 1 {
		mo += 12
		y--
	}
	for mo > 12 {
		mo -= 12
		y++
	}
	d = clamp(d, 1, daysIn(y, mo))
	return WallTime(y, time.Month(mo), d, h, mi, m.loc)
}

// WallTime is time.Date(y, mo, d, h, mi, 0, 0, loc), except for a wall time
// that does not exist (a DST gap): time.Date moves it forward in zones east
// of UTC and back in zones west of it (02:30 in New York would be 01:30
// EST, before what was asked). WallTime always moves it forward by the gap,
// as a wall clock does: it reads the wall time with the offset in force
// before the gap. Out-of-range fields normalise as in time.Date.
func WallTime(y int, mo time.Month, d, h, mi int, loc *time.Location) time.Time {
	t := time.Date(y, mo, d, h, mi, 0, 0, loc)
	naive := time.Date(y, mo, d, h, mi, 0, 0, time.UTC) // the wall time, read as UTC
	lt := t.In(loc)
	if lt.Hour() == naive.Hour() && lt.Minute() == naive.Minute() {
		return t
	}
	// Clocks go forward at a gap: the offset before it is the smaller one.
	_, before := t.Add(-3 * time.Hour).In(loc).Zone()
	_, after := t.Add(3 * time.Hour).In(loc).Zone()
	return naive.Add(-time.Duration(min(before, after)) * time.Second).In(loc)
}

// step moves the focused field by dir (±1); big is PgUp/PgDn.
//
//	field   ↑/↓                     PgUp/PgDn
//	year    ±1 year                 ±1 year
//	month   ±1 month (carries)      ±1 year
//	day     ±1 day (carries)        ±7 days
//	hour    ±1 hour                 ±6 hours
//	minute  to the next multiple    ±30 minutes
//	        of 5 (carries)
//
// Year and month steps keep the wall time and clamp the day; day steps keep
// the wall time; hour and minute steps move the instant.
func (m Model) step(f field, dir int, big bool) time.Time {
	y, mo, d, h, mi := m.fields()
	switch f {
	case fieldYear:
		return m.date(y+dir, mo, d, h, mi)
	case fieldMonth:
		if big {
			return m.date(y+dir, mo, d, h, mi)
		}
		return m.date(y, mo+dir, d, h, mi)
	case fieldDay:
		n := 1
		if big {
			n = 7
		}
		return WallTime(y, time.Month(mo), d+dir*n, h, mi, m.loc)
	case fieldHour:
		n := time.Hour
		if big {
			n = 6 * time.Hour
		}
		return m.t.Add(time.Duration(dir) * n)
	case fieldMinute:
		if big {
			return m.t.Add(time.Duration(dir) * 30 * time.Minute)
		}
		delta := 5 - mi%5 // up: to the next multiple of 5
		if dir < 0 {
			delta = -(mi % 5)
			if delta == 0 {
				delta = -5
			}
		}
		return m.t.Add(time.Duration(delta) * time.Minute)
	}
	return m.t
}

func clamp(v, lo, hi int) int {
	return max(lo, min(v, hi))
}

func daysIn(y, mo int) int {
	return time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// NextFullHour returns the first full hour (wall clock in loc) strictly
// after now, in loc.
func NextFullHour(now time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	lt := now.In(loc)
	sinceHour := time.Duration(lt.Minute())*time.Minute +
		time.Duration(lt.Second())*time.Second + time.Duration(lt.Nanosecond())
	t := lt.Add(-sinceHour).Add(time.Hour)
	if t.Minute() != 0 {
		// Only across a 30-minute DST shift (Australia/Lord_Howe): ask
		// the wall clock instead.
		if w := time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour()+1, 0, 0, 0, loc); w.After(now) {
			t = w
		}
	}
	return t
}

// View renders, at most MaxWidth columns wide (or the width set):
//
//	Date  2026-03-29  Time [14]: 00
//	Europe/Berlin (CEST, UTC+02:00) · 12:00 UTC · in 2h 15m
//	that time is in the past          (only with an error)
//	←/→ field  ↑/↓ step  +/- 15m  n next hour  x no timer  enter set  esc cancel
func (m Model) View() string {
	st := m.styles
	var b strings.Builder

	y, mo, d, h, mi := m.fields()
	vals := [numFields]int{y, mo, d, h, mi}
	cell := func(f field) string {
		w := f.width()
		txt := fmt.Sprintf("%0*d", w, vals[f])
		if f == m.focus && m.typed != "" {
			txt = m.typed + strings.Repeat("_", w-len(m.typed))
		}
		if f == m.focus {
			return st.FocusedField.Render("[" + txt + "]")
		}
		return st.Field.Render(" " + txt + " ")
	}
	sep := func(s string) string { return st.Separator.Render(s) }
	b.WriteString(st.Label.Render("Date"))
	b.WriteString(" ")
	b.WriteString(cell(fieldYear) + sep("-") + cell(fieldMonth) + sep("-") + cell(fieldDay))
	b.WriteString("  ")
	b.WriteString(st.Label.Render("Time"))
	b.WriteString(" ")
	b.WriteString(cell(fieldHour) + sep(":") + cell(fieldMinute))
	b.WriteByte('\n')

	b.WriteString(st.Info.Render(m.infoLine()))
	if m.note != "" {
		b.WriteByte('\n')
		b.WriteString(st.Info.Render(ansi.Truncate(m.note, m.maxWidth(), "…")))
	}
	if m.err != "" {
		b.WriteByte('\n')
		for i, l := range strings.Split(ansi.Wordwrap(m.err, m.maxWidth(), " "), "\n") {
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(st.Error.Render(ansi.Truncate(l, m.maxWidth(), "…")))
		}
	}
	b.WriteByte('\n')
	b.WriteString(st.Hint.Render(m.hintLine()))
	return b.String()
}

// infoLine: "Europe/Berlin (CET, UTC+01:00) · 13:00 UTC · in 2h 15m"; in
// UTC (or Etc/UTC) the fields are the UTC time already, so
// "UTC · in 2h 15m".
func (m Model) infoLine() string {
	t := m.t.In(m.loc)
	zone := words.ZoneLabel(m.loc, t)
	abbr, off := t.Zone()
	isUTC := off == 0 && abbr == "UTC"
	u := t.UTC()
	utc := " · " + u.Format("15:04") + " UTC"
	if u.YearDay() != t.YearDay() || u.Year() != t.Year() {
		utc = " · " + u.Format("2006-01-02 15:04") + " UTC"
	}
	if isUTC {
		utc = "" // the fields are the UTC time already
	}
	rel := words.Relative(m.now(), m.t)
	line := zone + utc + " · " + rel
	if ansi.StringWidth(line) > m.maxWidth() {
		line = ansi.Truncate(zone, m.maxWidth()-ansi.StringWidth(utc+" · "+rel), "…") + utc + " · " + rel
	}
	return line
}

// hintLine renders the short help. If it is too wide, entries give way
// in this order until it fits the width: ↑/↓, +/-, n, ←/→, x; o (when a
// time comes twice), enter and esc stay.
func (m Model) hintLine() string {
	k := m.keys
	drop := []key.Binding{k.Up, k.Plus, k.NextHour, k.Left, k.Clear}
	gone := map[string]bool{}
	for i := 0; ; i++ {
		var parts []string
		for _, b := range k.ShortHelp() {
			h := b.Help()
			if !b.Enabled() || h.Key == "" || gone[h.Key] {
				continue
			}
			parts = append(parts, h.Key+" "+h.Desc)
		}
		s := strings.Join(parts, "  ")
		if ansi.StringWidth(s) <= m.maxWidth() || i >= len(drop) {
			return ansi.Truncate(s, m.maxWidth(), "…")
		}
		gone[drop[i].Help().Key] = true
	}
}
