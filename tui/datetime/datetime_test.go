package datetime

import (
	"io"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zoneinfo

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/tui/words"
)

const wallLayout = "2006-01-02 15:04 MST"

func loadLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

func asciiStyles() Styles {
	return DefaultStyles(lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.Ascii)))
}

// wall parses "2006-01-02 15:04" as a wall time in loc.
func wall(t *testing.T, s string, loc *time.Location) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return v
}

func clock(ts time.Time) func() time.Time { return func() time.Time { return ts } }

// keyMsg turns a short name into a key message; anything unknown is typed
// as runes.
func keyMsg(name string) tea.KeyMsg {
	switch name {
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "pgdn":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "stab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "bs":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

// press sends the keys in order and returns the model and the last outcome.
func press(t *testing.T, m Model, keys ...string) (Model, Outcome) {
	t.Helper()
	out := None
	for _, k := range keys {
		m, out = m.Update(keyMsg(k))
		if out != None && k != keys[len(keys)-1] {
			t.Fatalf("key %q gave outcome %v before the last key", k, out)
		}
	}
	return m, out
}

// Focus starts on the hour; these reach the other fields.
var (
	toYear   = []string{"left", "left", "left"}
	toMonth  = []string{"left", "left"}
	toDay    = []string{"left"}
	toMinute = []string{"right"}
)

func keys(prefix []string, rest ...string) []string {
	return append(append([]string(nil), prefix...), rest...)
}

func TestUpdateValue(t *testing.T) {
	berlinNow := time.Date(2026, 1, 10, 8, 7, 30, 0, time.UTC) // 09:07:30 CET
	tests := []struct {
		name    string
		zone    string
		initial string
		keys    []string
		want    string // wall time in zone, wallLayout
	}{
		// month-end clamping
		{"jan 31 + 1 month", "Europe/Berlin", "2026-01-31 10:00", keys(toMonth, "up"), "2026-02-28 10:00 CET"},
		{"jan 31 + 1 month leap", "Europe/Berlin", "2028-01-31 10:00", keys(toMonth, "up"), "2028-02-29 10:00 CET"},
		{"mar 31 - 1 month", "Europe/Berlin", "2026-03-31 10:00", keys(toMonth, "down"), "2026-02-28 10:00 CET"},
		{"mar 31 - 1 month leap", "Europe/Berlin", "2028-03-31 10:00", keys(toMonth, "down"), "2028-02-29 10:00 CET"},
		{"dec 31 + 1 month carries", "Europe/Berlin", "2026-12-31 10:00", keys(toMonth, "up"), "2027-01-31 10:00 CET"},
		{"jan + 1 month - 1 month is lossy", "Europe/Berlin", "2026-01-31 10:00", keys(toMonth, "up", "down"), "2026-01-28 10:00 CET"},
		{"month pgup is a year", "Europe/Berlin", "2026-01-31 10:00", keys(toMonth, "pgup"), "2027-01-31 10:00 CET"},
		// year steps
		{"year + 1 from feb 29", "Europe/Berlin", "2028-02-29 10:00", keys(toYear, "up"), "2029-02-28 10:00 CET"},
		{"year - 1 from feb 29", "Europe/Berlin", "2028-02-29 10:00", keys(toYear, "down"), "2027-02-28 10:00 CET"},
		{"year pgdn", "Europe/Berlin", "2027-06-15 10:00", keys(toYear, "pgdn"), "2026-06-15 10:00 CEST"},
		// day steps
		{"day + 1 carries", "Europe/Berlin", "2026-01-31 10:00", keys(toDay, "up"), "2026-02-01 10:00 CET"},
		{"day - 1 borrows", "Europe/Berlin", "2026-03-01 10:00", keys(toDay, "down"), "2026-02-28 10:00 CET"},
		{"day pgup is a week", "Europe/Berlin", "2026-01-28 10:00", keys(toDay, "pgup"), "2026-02-04 10:00 CET"},
		{"day keeps wall time over DST", "Europe/Berlin", "2026-03-28 10:00", keys(toDay, "up"), "2026-03-29 10:00 CEST"},
		{"day into DST gap normalises", "Europe/Berlin", "2026-03-28 02:30", keys(toDay, "up"), "2026-03-29 03:30 CEST"},
		// hour steps
		{"hour + 1", "Europe/Berlin", "2026-01-20 10:00", []string{"up"}, "2026-01-20 11:00 CET"},
		{"hour - 1 borrows", "Europe/Berlin", "2026-01-20 00:30", []string{"down"}, "2026-01-19 23:30 CET"},
		{"hour pgup is 6h", "Europe/Berlin", "2026-01-20 20:00", []string{"pgup"}, "2026-01-21 02:00 CET"},
		{"hour up over spring gap", "Europe/Berlin", "2026-03-29 01:30", []string{"up"}, "2026-03-29 03:30 CEST"},
		{"hour down over spring gap", "Europe/Berlin", "2026-03-29 03:30", []string{"down"}, "2026-03-29 01:30 CET"},
		{"hour up through fall overlap", "Europe/Berlin", "2026-10-25 01:30", []string{"up"}, "2026-10-25 02:30 CEST"},
		{"hour up twice through fall overlap", "Europe/Berlin", "2026-10-25 01:30", []string{"up", "up"}, "2026-10-25 02:30 CET"},
		// minute steps: by 5, snapping, with carry
		{"minute up snaps", "Europe/Berlin", "2026-01-20 10:03", keys(toMinute, "up"), "2026-01-20 10:05 CET"},
		{"minute up by 5", "Europe/Berlin", "2026-01-20 10:05", keys(toMinute, "up"), "2026-01-20 10:10 CET"},
		{"minute down snaps", "Europe/Berlin", "2026-01-20 10:03", keys(toMinute, "down"), "2026-01-20 10:00 CET"},
		{"minute down by 5 borrows", "Europe/Berlin", "2026-01-20 10:00", keys(toMinute, "down"), "2026-01-20 09:55 CET"},
		{"minute up carries to next day", "Europe/Berlin", "2026-01-20 23:55", keys(toMinute, "up"), "2026-01-21 00:00 CET"},
		{"minute up carries to next year", "Europe/Berlin", "2026-12-31 23:57", keys(toMinute, "up"), "2027-01-01 00:00 CET"},
		{"minute pgup is 30m", "Europe/Berlin", "2026-01-20 10:45", keys(toMinute, "pgup"), "2026-01-20 11:15 CET"},
		// +/- 15 minutes
		{"plus across midnight", "Europe/Berlin", "2026-01-20 23:50", []string{"+"}, "2026-01-21 00:05 CET"},
		{"minus across midnight", "Europe/Berlin", "2026-01-21 00:05", []string{"-"}, "2026-01-20 23:50 CET"},
		{"equals is plus", "Europe/Berlin", "2026-01-20 10:00", []string{"="}, "2026-01-20 10:15 CET"},
		{"plus across spring forward", "Europe/Berlin", "2026-03-29 01:50", []string{"+"}, "2026-03-29 03:05 CEST"},
		{"minus across spring forward", "Europe/Berlin", "2026-03-29 03:05", []string{"-"}, "2026-03-29 01:50 CET"},
		{"plus across fall back", "Europe/Berlin", "2026-10-25 01:50", []string{"+", "+", "+", "+", "+"}, "2026-10-25 02:05 CET"},
		{"plus across NY spring forward", "America/New_York", "2026-03-08 01:55", []string{"+"}, "2026-03-08 03:10 EDT"},
		{"plus across NY fall back", "America/New_York", "2026-11-01 01:55", []string{"+"}, "2026-11-01 01:10 EST"},
		{"plus across Lord Howe 30-min fall back", "Australia/Lord_Howe", "2026-04-05 01:20", []string{"+", "+", "+"}, "2026-04-05 01:35 +1030"},
		{"plus across Lord Howe 30-min spring forward", "Australia/Lord_Howe", "2026-10-04 01:50", []string{"+"}, "2026-10-04 02:35 +11"},
		// digit typing
		{"type hour", "Europe/Berlin", "2026-01-20 10:00", []string{"1", "7"}, "2026-01-20 17:00 CET"},
		{"type hour then minute (auto-advance)", "Europe/Berlin", "2026-01-20 10:00", []string{"1", "7", "4", "2"}, "2026-01-20 17:42 CET"},
		{"type all fields", "Europe/Berlin", "2026-01-20 10:00", keys(toYear, "2", "0", "2", "6", "0", "7", "0", "4", "0", "9", "3", "0"), "2026-07-04 09:30 CEST"},
		{"typed runes in one message", "Europe/Berlin", "2026-01-20 10:00", []string{"17"}, "2026-01-20 17:00 CET"},
		{"type month clamps day", "Europe/Berlin", "2026-01-31 10:00", keys(toMonth, "0", "2"), "2026-02-28 10:00 CET"},
		{"type month 19 refused", "Europe/Berlin", "2026-01-20 10:00", keys(toMonth, "1", "9"), "2026-01-20 10:00 CET"},
		{"type month 00 refused", "Europe/Berlin", "2026-03-20 10:00", keys(toMonth, "0", "0"), "2026-03-20 10:00 CET"},
		{"type day 31 in feb refused", "Europe/Berlin", "2026-02-10 10:00", keys(toDay, "3", "1"), "2026-02-10 10:00 CET"},
		{"type day 00 refused", "Europe/Berlin", "2026-02-10 10:00", keys(toDay, "0", "0"), "2026-02-10 10:00 CET"},
		{"type hour 99 refused", "Europe/Berlin", "2026-01-20 10:00", []string{"9", "9"}, "2026-01-20 10:00 CET"},
		{"type minute 75 refused", "Europe/Berlin", "2026-01-20 10:00", keys(toMinute, "7", "5"), "2026-01-20 10:00 CET"},
		{"type minute exact (no snapping)", "Europe/Berlin", "2026-01-20 10:00", keys(toMinute, "0", "7"), "2026-01-20 10:07 CET"},
		{"partial hour applied on move", "Europe/Berlin", "2026-01-20 10:00", []string{"7", "right"}, "2026-01-20 07:00 CET"},
		{"partial hour applied before step", "Europe/Berlin", "2026-01-20 10:00", []string{"7", "up"}, "2026-01-20 08:00 CET"},
		{"two-digit year is 20YY", "Europe/Berlin", "2026-01-20 10:00", keys(toYear, "2", "7", "right"), "2027-01-20 10:00 CET"},
		{"three-digit year refused", "Europe/Berlin", "2026-01-20 10:00", keys(toYear, "2", "0", "2", "right"), "2026-01-20 10:00 CET"},
		{"h and l move like left and right", "Europe/Berlin", "2026-01-20 10:00", []string{"h", "up", "l", "l", "up"}, "2026-01-21 10:05 CET"},
		{"backspace removes a typed digit", "Europe/Berlin", "2026-01-20 10:00", []string{"1", "bs", "2", "0"}, "2026-01-20 20:00 CET"},
		{"type hour into DST gap", "Europe/Berlin", "2026-03-29 05:00", []string{"0", "2"}, "2026-03-29 03:00 CEST"},
		// n
		{"n is next full hour", "Europe/Berlin", "2026-06-01 10:00", []string{"n"}, "2026-01-10 10:00 CET"},
		{"n in New York", "America/New_York", "2026-06-01 10:00", []string{"n"}, "2026-01-10 04:00 EST"},
		{"n in Lord Howe (half-hour offset)", "Australia/Lord_Howe", "2026-06-01 10:00", []string{"n"}, "2026-01-10 20:00 +11"},
		// navigation keys
		{"tab and shift+tab move", "Europe/Berlin", "2026-01-20 10:00", []string{"tab", "stab", "stab", "up"}, "2026-01-21 10:00 CET"},
		{"focus wraps from minute to year", "Europe/Berlin", "2026-01-20 10:00", []string{"right", "right", "up"}, "2027-01-20 10:00 CET"},
		{"focus wraps from year to minute", "Europe/Berlin", "2026-01-20 10:03", keys(toYear, "left", "up"), "2026-01-20 10:05 CET"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := loadLoc(t, tt.zone)
			m := New(wall(t, tt.initial, loc), loc, clock(berlinNow), asciiStyles())
			m, out := press(t, m, tt.keys...)
			if out != None {
				t.Errorf("outcome = %v, want None", out)
			}
			got := m.Value()
			if got.Location() != loc {
				t.Errorf("Value() location = %v, want %v", got.Location(), loc)
			}
			if s := got.Format(wallLayout); s != tt.want {
				t.Errorf("Value() = %s, want %s", s, tt.want)
			}
			if got.Second() != 0 || got.Nanosecond() != 0 {
				t.Errorf("Value() has seconds: %v", got)
			}
			// The fields show the real wall time of the instant (or the
			// refused digits, with the message).
			first := strings.SplitN(m.View(), "\n", 2)[0]
			for _, part := range []string{got.Format("2006"), got.Format("01"), got.Format("02"), got.Format("15"), got.Format("04")} {
				if !strings.Contains(first, part) && m.Err() == "" {
					t.Errorf("fields line %q lacks %q", first, part)
				}
			}
		})
	}
}

func TestDSTGapFieldsShowRealWallTime(t *testing.T) {
	loc := loadLoc(t, "Europe/Berlin")
	now := clock(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	// A picked 02:30 on the spring-forward day does not exist; Go makes it 03:30 CEST.
	m := New(time.Date(2026, 3, 29, 2, 30, 0, 0, loc), loc, now, asciiStyles())
	if got := m.Value().Format(wallLayout); got != "2026-03-29 03:30 CEST" {
		t.Fatalf("Value() = %s", got)
	}
	first := strings.SplitN(m.View(), "\n", 2)[0]
	if want := "Date  2026 - 03 - 29   Time [03]: 30 "; first != want {
		t.Errorf("fields = %q, want %q", first, want)
	}
}

// The picker's refusals are the client's (one lobby-timer validator).
const (
	errPast = "the lobby timer is in the past: the server would lift the lobby at once; pick a later time"
	errFar  = "the lobby timer is more than a year ahead: pick an earlier time"
)

func TestOutcomes(t *testing.T) {
	loc := loadLoc(t, "Europe/Berlin")
	now := time.Date(2026, 1, 10, 9, 7, 30, 0, loc)
	tests := []struct {
		name    string
		initial time.Time
		keys    []string
		want    Outcome
		wantErr string
	}{
		{"enter on future", time.Date(2026, 1, 10, 10, 0, 0, 0, loc), []string{"enter"}, Submitted, ""},
		{"enter on past refused", time.Date(2026, 1, 10, 9, 0, 0, 0, loc), []string{"enter"}, None, errPast},
		{"enter on now refused", time.Date(2026, 1, 10, 9, 7, 0, 0, loc), []string{"+", "-", "enter"}, None, errPast},
		{"enter > 1 year refused", time.Date(2027, 1, 10, 9, 10, 0, 0, loc), []string{"enter"}, None, errFar},
		{"enter just under a year", time.Date(2027, 1, 10, 9, 5, 0, 0, loc), []string{"enter"}, Submitted, ""},
		{"past, then fixed, then enter", time.Date(2026, 1, 10, 9, 0, 0, 0, loc), []string{"enter", "up", "enter"}, Submitted, ""},
		{"partial typing applied on enter", time.Date(2026, 1, 10, 10, 0, 0, 0, loc), []string{"8", "enter"}, None, errPast},
		{"x clears", time.Date(2026, 1, 10, 9, 0, 0, 0, loc), []string{"x"}, Cleared, ""},
		{"x after error", time.Date(2026, 1, 10, 9, 0, 0, 0, loc), []string{"enter", "x"}, Cleared, ""},
		{"esc cancels", time.Date(2026, 1, 10, 10, 0, 0, 0, loc), []string{"esc"}, Cancelled, ""},
		{"esc while typing cancels", time.Date(2026, 1, 10, 10, 0, 0, 0, loc), []string{"1", "esc"}, Cancelled, ""},
		{"q is not quit", time.Date(2026, 1, 10, 10, 0, 0, 0, loc), []string{"q"}, None, ""},
		{"ctrl+c is not handled", time.Date(2026, 1, 10, 10, 0, 0, 0, loc), []string{"ctrl+c"}, None, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(tt.initial, loc, clock(now), asciiStyles())
			m, out := pressLoose(m, tt.keys...)
			if out != tt.want {
				t.Errorf("outcome = %v, want %v", out, tt.want)
			}
			if m.Err() != tt.wantErr {
				t.Errorf("Err() = %q, want %q", m.Err(), tt.wantErr)
			}
			view := strings.ReplaceAll(m.View(), "\n", " ")
			if tt.wantErr != "" && !strings.Contains(view, tt.wantErr) {
				t.Errorf("View lacks the error %q:\n%s", tt.wantErr, view)
			}
		})
	}
}

// pressLoose is press without the "no early outcome" check.
func pressLoose(m Model, keys ...string) (Model, Outcome) {
	out := None
	for _, k := range keys {
		m, out = m.Update(keyMsg(k))
	}
	return m, out
}

func TestErrClearedByNextChange(t *testing.T) {
	loc := loadLoc(t, "UTC")
	now := time.Date(2026, 1, 10, 9, 7, 30, 0, loc)
	m := New(time.Date(2026, 1, 10, 9, 0, 0, 0, loc), loc, clock(now), asciiStyles())
	m, _ = m.Update(keyMsg("enter"))
	if m.Err() == "" {
		t.Fatal("no error after a past enter")
	}
	m, _ = m.Update(keyMsg("right"))
	if m.Err() != "" {
		t.Errorf("Err() = %q after a key, want empty", m.Err())
	}
}

func TestNonKeyMessagesIgnored(t *testing.T) {
	loc := loadLoc(t, "UTC")
	m := New(time.Date(2026, 1, 10, 9, 0, 0, 0, loc), loc, clock(time.Date(2026, 1, 1, 0, 0, 0, 0, loc)), asciiStyles())
	for _, msg := range []tea.Msg{nil, tea.WindowSizeMsg{Width: 10, Height: 5}, tea.QuitMsg{}, "x"} {
		m2, out := m.Update(msg)
		if out != None || !m2.Value().Equal(m.Value()) {
			t.Errorf("Update(%#v) = outcome %v, value %v", msg, out, m2.Value())
		}
	}
}

func TestNew(t *testing.T) {
	berlin := loadLoc(t, "Europe/Berlin")
	now := time.Date(2026, 1, 10, 8, 7, 30, 5, time.UTC) // 09:07:30 CET
	m := New(time.Time{}, berlin, clock(now), asciiStyles())
	if got := m.Value().Format(wallLayout); got != "2026-01-10 10:00 CET" {
		t.Errorf("zero initial → %s, want next full hour 2026-01-10 10:00 CET", got)
	}
	m = New(time.Date(2026, 2, 1, 12, 34, 56, 789, time.UTC), berlin, clock(now), asciiStyles())
	if got := m.Value().Format(wallLayout + ":05.999"); got != "2026-02-01 13:34 CET:00" {
		t.Errorf("initial with seconds → %s", got)
	}
	if m.Value().Location() != berlin {
		t.Errorf("initial not shown in loc")
	}
	m = New(time.Time{}, nil, clock(now), Styles{})
	if m.Value().Location() != time.UTC || m.Value().Hour() != 9 {
		t.Errorf("nil loc → %v", m.Value())
	}
	_ = m.View() // zero Styles must not panic
}

func TestNextFullHour(t *testing.T) {
	tests := []struct {
		zone string
		now  time.Time
		want string
	}{
		{"UTC", time.Date(2026, 1, 10, 9, 7, 0, 0, time.UTC), "2026-01-10 10:00 UTC"},
		{"UTC", time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC), "2026-01-10 10:00 UTC"},
		{"UTC", time.Date(2026, 1, 10, 23, 59, 59, 0, time.UTC), "2026-01-11 00:00 UTC"},
		{"Asia/Kolkata", time.Date(2026, 1, 10, 9, 7, 30, 0, time.UTC), "2026-01-10 15:00 IST"},
		{"Europe/Berlin", time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC), "2026-03-29 03:00 CEST"}, // 01:30 CET → gap
		{"Europe/Berlin", time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), "2026-10-25 02:00 CET"}, // 02:30 CEST → the second 02:00
		// 01:40 +11, and at 02:00 +11 the clock goes back to 01:30 +1030.
		{"Australia/Lord_Howe", time.Date(2026, 4, 4, 14, 40, 0, 0, time.UTC), "2026-04-05 02:00 +1030"},
	}
	for _, tt := range tests {
		loc := loadLoc(t, tt.zone)
		got := NextFullHour(tt.now, loc)
		if s := got.Format(wallLayout); s != tt.want {
			t.Errorf("NextFullHour(%v, %s) = %s, want %s", tt.now, tt.zone, s, tt.want)
		}
		if !got.After(tt.now) || got.Sub(tt.now) > time.Hour {
			t.Errorf("NextFullHour(%v, %s) = %v is not within the next hour", tt.now, tt.zone, got)
		}
	}
}

func TestSetLocation(t *testing.T) {
	berlin := loadLoc(t, "Europe/Berlin")
	ny := loadLoc(t, "America/New_York")
	now := clock(time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC))
	m := New(time.Date(2026, 1, 20, 14, 0, 0, 0, berlin), berlin, now, asciiStyles())
	before := m.Value()
	m = m.SetLocation(ny)
	if !m.Value().Equal(before) {
		t.Errorf("instant changed: %v → %v", before, m.Value())
	}
	if m.Value().Location() != ny || m.Value().Format(wallLayout) != "2026-01-20 08:00 EST" {
		t.Errorf("Value() = %s in %v", m.Value().Format(wallLayout), m.Value().Location())
	}
	if !strings.Contains(m.View(), "America/New_York (EST, UTC-05:00)") {
		t.Errorf("View not in New York:\n%s", m.View())
	}
	// Steps now work in the new zone's wall clock.
	m, _ = press(t, m, "left", "up")
	if got := m.Value().Format(wallLayout); got != "2026-01-21 08:00 EST" {
		t.Errorf("day step in NY = %s", got)
	}
	// Pending digits are applied before the switch.
	m, _ = press(t, m, "right", "9")
	m = m.SetLocation(time.UTC)
	if got := m.Value().Format(wallLayout); got != "2026-01-21 14:00 UTC" {
		t.Errorf("after typing 9 and switching to UTC: %s", got)
	}
}

// One lobby-timer rule: the picker refuses exactly what the client would
// refuse before sending (whole seconds, as the server reads them).
func TestValidate(t *testing.T) {
	now := time.Date(2026, 1, 10, 9, 7, 30, 500_000_000, time.UTC)
	tests := []struct {
		t  time.Time
		ok bool
	}{
		{now.Add(time.Minute), true},
		{now.Add(time.Nanosecond), false}, // the same second: the server would lift the lobby at once
		{now.Add(time.Second), true},
		{now, false},
		{now.Add(-time.Minute), false},
		{time.Time{}, false},
		{now.AddDate(1, 0, 0), true},
		{now.AddDate(1, 0, 0).Add(time.Second), false},
		{now.AddDate(5, 0, 0), false},
	}
	for _, tt := range tests {
		err := client.ValidateLobbyTimer(now, tt.t)
		if (err == nil) != tt.ok {
			t.Errorf("ValidateLobbyTimer(now, %v) = %v, want ok %v", tt.t, err, tt.ok)
		}
		if cerr := client.ValidateLobbyTimer(now, tt.t); (cerr == nil) != (err == nil) {
			t.Errorf("the picker and the client disagree on %v: %v vs %v", tt.t, err, cerr)
		}
	}
}

func TestRelative(t *testing.T) {
	now := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		d    time.Duration
		want string
	}{
		{2*time.Hour + 15*time.Minute, "in 2h 15m"},
		{2*time.Hour + 14*time.Minute + 1*time.Second, "in 2h 15m"}, // rounded up: never earlier than it is
		{2 * time.Hour, "in 2h"},
		{25 * time.Minute, "in 25m"},
		{24*time.Minute + 30*time.Second, "in 25m"},
		{3*24*time.Hour + 3*time.Hour + 30*time.Minute, "in 3d 4h"},
		{3 * 24 * time.Hour, "in 3d"},
		{365 * 24 * time.Hour, "in 365d"},
		{45 * time.Second, "in 1m"},
		{time.Second, "in 1m"},
		{500 * time.Millisecond, "in 1m"}, // never "in 0m"
		{0, "just now"},                   // passed: never as future
		{-2 * time.Minute, "2m ago"},
		{-(2*time.Minute + 30*time.Second), "2m ago"},
		{-45 * time.Second, "just now"},
		{-(26 * time.Hour), "1d 2h ago"},
		{-(time.Hour + time.Minute), "1h 1m ago"},
	}
	for _, tt := range tests {
		if got := words.Relative(now, now.Add(tt.d)); got != tt.want {
			t.Errorf("Relative(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestView(t *testing.T) {
	tests := []struct {
		name    string
		zone    string
		now     time.Time
		initial string
		keys    []string
		want    []string
	}{
		{
			name: "berlin winter", zone: "Europe/Berlin",
			now:     time.Date(2026, 1, 10, 10, 45, 0, 0, time.UTC),
			initial: "2026-01-10 14:00",
			want: []string{
				"Date  2026 - 01 - 10   Time [14]: 00 ",
				"Europe/Berlin (CET, UTC+01:00) · 13:00 UTC · in 2h 15m",
				"←/→ field  +/- 15m  n next hour  x no timer  enter set, lobby on  esc cancel",
			},
		},
		{
			name: "berlin summer, utc on another day", zone: "Europe/Berlin",
			now:     time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC),
			initial: "2026-07-02 01:00",
			want:    []string{"Europe/Berlin (CEST, UTC+02:00) · 2026-07-01 23:00 UTC · in 11h"},
		},
		{
			name: "new york", zone: "America/New_York",
			now:     time.Date(2026, 1, 10, 10, 45, 0, 0, time.UTC),
			initial: "2026-01-10 09:00",
			want:    []string{"America/New_York (EST, UTC-05:00) · 14:00 UTC · in 3h 15m"},
		},
		{
			name: "utc", zone: "UTC",
			now:     time.Date(2026, 1, 10, 10, 45, 0, 0, time.UTC),
			initial: "2026-01-10 14:00",
			want:    []string{"\nUTC · in 3h 15m"},
		},
		{
			name: "etc/utc: no abbreviation twice, no UTC clock twice", zone: "Etc/UTC",
			now:     time.Date(2026, 1, 10, 10, 45, 0, 0, time.UTC),
			initial: "2026-01-10 14:00",
			want:    []string{"\nUTC · in 3h 15m"},
		},
		{
			name: "london in winter keeps the UTC clock", zone: "Europe/London",
			now:     time.Date(2026, 1, 10, 10, 45, 0, 0, time.UTC),
			initial: "2026-01-10 14:00",
			want:    []string{"Europe/London (GMT, UTC+00:00) · 14:00 UTC · in 3h 15m"},
		},
		{
			name: "lord howe numeric abbreviation", zone: "Australia/Lord_Howe",
			now:     time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC),
			initial: "2026-06-10 20:00",
			want:    []string{"Australia/Lord_Howe (UTC+10:30) · 09:30 UTC · in 9h 30m"},
		},
		{
			name: "partial typing shown", zone: "UTC",
			now:     time.Date(2026, 1, 10, 10, 45, 0, 0, time.UTC),
			initial: "2026-01-10 14:00",
			keys:    []string{"1"},
			want:    []string{"Time [1_]: 00 "},
		},
		{
			name: "partial year shown", zone: "UTC",
			now:     time.Date(2026, 1, 10, 10, 45, 0, 0, time.UTC),
			initial: "2026-01-10 14:00",
			keys:    keys(toYear, "2", "0"),
			want:    []string{"Date [20__]- 01 - 10 "},
		},
		{
			name: "past shows ago and error", zone: "UTC",
			now:     time.Date(2026, 1, 10, 10, 45, 0, 0, time.UTC),
			initial: "2026-01-10 10:43",
			keys:    []string{"enter"},
			want:    []string{"\nUTC · 2m ago", "\nthe lobby timer is in the past"},
		},
		{
			name: "long zone name fits", zone: "America/Argentina/ComodRivadavia",
			now:     time.Date(2026, 1, 10, 10, 45, 0, 0, time.UTC),
			initial: "2026-01-10 14:00",
			want:    []string{"America/Argentina/ComodRivadavia (UTC-03:00) · 17:00 UTC · in 6h 15m"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := loadLoc(t, tt.zone)
			m := New(wall(t, tt.initial, loc), loc, clock(tt.now), asciiStyles())
			m, _ = pressLoose(m, tt.keys...)
			view := m.View()
			for _, w := range tt.want {
				if !strings.Contains(view, w) {
					t.Errorf("View lacks %q:\n%s", w, view)
				}
			}
			checkViewSafe(t, view)
		})
	}
}

func checkViewSafe(t *testing.T, view string) {
	t.Helper()
	if strings.ContainsAny(view, "\x1b\u009b\r\t") {
		t.Errorf("View contains control characters: %q", view)
	}
	for i, line := range strings.Split(view, "\n") {
		if w := ansi.StringWidth(line); w > MaxWidth {
			t.Errorf("line %d is %d columns wide (max %d): %q", i, w, MaxWidth, line)
		}
	}
}

func TestViewUnnamedLocalZone(t *testing.T) {
	// Go calls the local zone "Local"; the picker says "local time"
	if time.Local.String() != "Local" || words.IsUTC(time.Local) {
		t.Skip("time.Local is not named Local here")
	}
	now := time.Date(2026, 1, 10, 10, 0, 0, 0, time.UTC)
	m := New(time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC), time.Local, func() time.Time { return now }, asciiStyles())
	if v := m.View(); strings.Contains(v, "Local (") || !strings.Contains(v, "local time (") {
		t.Errorf("View:\n%s", v)
	}
}

func TestViewUsesInjectedClock(t *testing.T) {
	loc := loadLoc(t, "UTC")
	now := time.Date(2026, 1, 10, 10, 0, 0, 0, time.UTC)
	m := New(time.Date(2026, 1, 10, 12, 0, 0, 0, loc), loc, func() time.Time { return now }, asciiStyles())
	if !strings.Contains(m.View(), "in 2h") {
		t.Fatalf("View:\n%s", m.View())
	}
	now = now.Add(90 * time.Minute)
	if !strings.Contains(m.View(), "in 30m") {
		t.Errorf("View did not follow the clock:\n%s", m.View())
	}
}

func TestViewColour(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.ANSI256))
	r.SetColorProfile(termenv.ANSI256) // io.Discard is no TTY: set it explicitly
	r.SetHasDarkBackground(true)
	loc := loadLoc(t, "UTC")
	now := time.Date(2026, 1, 10, 10, 0, 0, 0, time.UTC)
	m := New(time.Date(2026, 1, 10, 9, 0, 0, 0, loc), loc, clock(now), DefaultStyles(r))
	m, _ = m.Update(keyMsg("enter"))
	view := m.View()
	if !strings.Contains(view, "\x1b[") {
		t.Errorf("ANSI256 renderer produced no styling:\n%q", view)
	}
	if plain := ansi.Strip(view); !strings.Contains(plain, "the lobby timer is in the past") || !strings.Contains(plain, "[09]") {
		t.Errorf("plain view:\n%s", plain)
	}
	for i, line := range strings.Split(view, "\n") {
		if w := ansi.StringWidth(line); w > MaxWidth {
			t.Errorf("line %d is %d wide", i, w)
		}
	}
}

func TestKeyMapHelp(t *testing.T) {
	km := DefaultKeyMap()
	var _ help.KeyMap = km
	for _, b := range km.ShortHelp() {
		if b.Help().Key == "" || b.Help().Desc == "" || len(b.Keys()) == 0 {
			t.Errorf("short help binding without keys or help: %+v", b.Help())
		}
	}
	n := 0
	for _, col := range km.FullHelp() {
		for _, b := range col {
			n++
			if b.Help().Key == "" || len(b.Keys()) == 0 {
				t.Errorf("full help binding without keys or help: %+v", b.Help())
			}
		}
	}
	if n != 13 {
		t.Errorf("FullHelp has %d bindings, want all 13", n)
	}
	h := help.New()
	if s := h.View(km); s == "" {
		t.Error("help view empty")
	}
	m := New(time.Time{}, time.UTC, clock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), asciiStyles())
	if len(m.keys.ShortHelp()) != len(km.ShortHelp()) {
		t.Error("the keys differ from DefaultKeyMap()")
	}
}

func TestRebindAndDisable(t *testing.T) {
	km := DefaultKeyMap()
	km.Clear.SetEnabled(false)
	loc := time.UTC
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m := New(time.Date(2026, 1, 2, 0, 0, 0, 0, loc), loc, clock(now), asciiStyles()).SetKeys(km)
	if _, out := m.Update(keyMsg("x")); out != None {
		t.Errorf("disabled clear gave %v", out)
	}
	if strings.Contains(m.View(), "no timer") {
		t.Errorf("hint shows a disabled key:\n%s", m.View())
	}
}

func TestHintFitsWhenLong(t *testing.T) {
	km := DefaultKeyMap()
	km.NextHour.SetHelp("n", "jump to the next full hour after now, in the zone shown")
	m := New(time.Time{}, time.UTC, clock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), asciiStyles()).SetKeys(km)
	hint := m.hintLine()
	if ansi.StringWidth(hint) > MaxWidth || !strings.HasSuffix(hint, "enter set, lobby on  esc cancel") {
		t.Errorf("hint = %q", hint)
	}
}

func TestOutcomeString(t *testing.T) {
	for o, s := range map[Outcome]string{None: "None", Submitted: "Submitted", Cleared: "Cleared", Cancelled: "Cancelled", 9: "Outcome(9)"} {
		if o.String() != s {
			t.Errorf("%d.String() = %q", int(o), o.String())
		}
	}
}

func TestWallTimeMovesForwardAcrossAGap(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	berlin, _ := time.LoadLocation("Europe/Berlin")
	lh, _ := time.LoadLocation("Australia/Lord_Howe")
	cases := []struct {
		loc        *time.Location
		y          int
		mo         time.Month
		d, h, mi   int
		wantH, wmi int
	}{
		{ny, 2026, 3, 8, 2, 30, 3, 30},      // gap, west of UTC: forward, not 01:30 EST
		{berlin, 2026, 3, 29, 2, 30, 3, 30}, // gap, east of UTC
		{lh, 2026, 10, 4, 2, 15, 2, 45},     // 30-minute gap
		{ny, 2026, 11, 1, 1, 30, 1, 30},     // overlap: a real wall time, kept
		{ny, 2026, 6, 1, 14, 5, 14, 5},      // no change at all
	}
	for _, c := range cases {
		got := WallTime(c.y, c.mo, c.d, c.h, c.mi, c.loc)
		want := time.Date(c.y, c.mo, c.d, c.h, c.mi, 0, 0, time.UTC)
		if got.Hour() != c.wantH || got.Minute() != c.wmi || got.Day() != c.d {
			t.Errorf("%s %v: got %v, want %02d:%02d", c.loc, want.Format("2006-01-02 15:04"), got, c.wantH, c.wmi)
		}
	}
}
