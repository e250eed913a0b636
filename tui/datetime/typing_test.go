package datetime

import (
	"strings"
	"testing"
	"time"
)

// A month typed before the current one, in the current year, is next
// year's: 01 typed in December is next January.
func TestTypedMonthBeforeNowRollsToNextYear(t *testing.T) {
	loc := loadLoc(t, "Europe/Berlin")
	now := clock(time.Date(2026, 12, 1, 14, 35, 0, 0, time.UTC))
	for _, tc := range []struct {
		typed, want string
	}{
		{"01", "2027-01-20 10:00 CET"},
		{"11", "2027-11-20 10:00 CET"},
		{"12", "2026-12-20 10:00 CET"}, // the current month stays
	} {
		m := New(time.Date(2026, 12, 20, 10, 0, 0, 0, loc), loc, now, asciiStyles())
		m, _ = press(t, m, keys(toMonth, strings.Split(tc.typed, "")...)...)
		if got := m.Value().Format(wallLayout); got != tc.want {
			t.Errorf("typed month %s: %s, want %s", tc.typed, got, tc.want)
		}
	}
	// a month typed in a year already ahead is taken as it is
	m := New(time.Date(2027, 6, 20, 10, 0, 0, 0, loc), loc, now, asciiStyles())
	m, _ = press(t, m, keys(toMonth, "0", "1")...)
	if got := m.Value().Format(wallLayout); got != "2027-01-20 10:00 CET" {
		t.Errorf("typed 01 in 2027: %s", got)
	}
}

// Out-of-range values are refused with a visible message, not clamped;
// the field keeps its value and the focus, so the user types again.
func TestTypedOutOfRangeIsRefused(t *testing.T) {
	loc := loadLoc(t, "Europe/Berlin")
	now := clock(time.Date(2026, 12, 1, 14, 35, 0, 0, time.UTC))
	for _, tc := range []struct {
		name    string
		initial time.Time
		keys    []string
		msg     string
	}{
		{"minute 95", time.Date(2026, 12, 20, 10, 0, 0, 0, loc), keys(toMinute, "9", "5"), "minute 95 does not exist (00–59)"},
		{"hour 25", time.Date(2026, 12, 20, 10, 0, 0, 0, loc), []string{"2", "5"}, "hour 25 does not exist (00–23)"},
		{"29 Feb 2027", time.Date(2027, 2, 10, 10, 0, 0, 0, loc), keys(toDay, "2", "9"), "29 Feb 2027 does not exist (February 2027 has 28 days)"},
		{"day 32", time.Date(2027, 1, 10, 10, 0, 0, 0, loc), keys(toDay, "3", "2"), "day 32 does not exist (01–31)"},
		{"month 13", time.Date(2027, 1, 10, 10, 0, 0, 0, loc), keys(toMonth, "1", "3"), "month 13 does not exist (01–12)"},
		{"three-digit year", time.Date(2027, 1, 10, 10, 0, 0, 0, loc), keys(toYear, "2", "0", "2", "right"), "year 202: type four digits (2027) or two (27 = 2027)"},
		{"refused minute, then enter", time.Date(2026, 12, 20, 10, 0, 0, 0, loc), keys(toMinute, "7", "5", "enter"), "minute 75 does not exist (00–59)"},
		{"refused minute, then a move", time.Date(2026, 12, 20, 10, 0, 0, 0, loc), keys(toMinute, "7", "5", "left"), "minute 75 does not exist (00–59)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := New(tc.initial, loc, now, asciiStyles())
			m, out := pressLoose(m, tc.keys...)
			if out != None {
				t.Errorf("outcome %v", out)
			}
			if !m.Value().Equal(tc.initial) {
				t.Errorf("the value changed: %v", m.Value())
			}
			if m.Err() != tc.msg {
				t.Errorf("Err() = %q, want %q", m.Err(), tc.msg)
			}
			if !strings.Contains(m.View(), tc.msg) {
				t.Errorf("the message is not shown:\n%s", m.View())
			}
			// typing again replaces the refused value and clears the message
			if m.focus == fieldHour {
				m, _ = press(t, m, "1", "1")
				if m.Err() != "" || m.Value().In(loc).Hour() != 11 {
					t.Errorf("retyping: %v %q", m.Value(), m.Err())
				}
			}
		})
	}
}

// A two-digit year is read as 20YY, never dropped.
func TestTwoDigitYear(t *testing.T) {
	loc := loadLoc(t, "UTC")
	m := New(time.Date(2026, 12, 20, 10, 0, 0, 0, loc), loc, clock(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)), asciiStyles())
	m, _ = press(t, m, keys(toYear, "2", "7", "right")...)
	if got := m.Value().Year(); got != 2027 || m.Err() != "" {
		t.Errorf("27 → %d (%q)", got, m.Err())
	}
}

// A wall time skipped by DST says so and where it went.
func TestDSTGapSaysSo(t *testing.T) {
	loc := loadLoc(t, "Europe/Berlin")
	now := clock(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC))
	m := New(time.Date(2027, 3, 28, 5, 30, 0, 0, loc), loc, now, asciiStyles())
	m, _ = press(t, m, "0", "2")
	if got := m.Value().Format(wallLayout); got != "2027-03-28 03:30 CEST" {
		t.Errorf("Value() = %s", got)
	}
	want := "02:30 does not exist on 28 Mar in Europe/Berlin; 03:30 CEST"
	if m.Note() != want || !strings.Contains(m.View(), want) {
		t.Errorf("note %q, want %q; view:\n%s", m.Note(), want, m.View())
	}
	// typed in order, hour then minute: the minute goes on from the
	// typed 02, not from the 03 it became
	m = New(time.Date(2027, 3, 28, 5, 0, 0, 0, loc), loc, now, asciiStyles())
	m, _ = press(t, m, "0", "2")
	if want := "02:00 does not exist on 28 Mar in Europe/Berlin; 03:00 CEST"; m.Note() != want {
		t.Errorf("after 02: note %q", m.Note())
	}
	m, _ = press(t, m, "3", "0")
	if m.Value().Format(wallLayout) != "2027-03-28 03:30 CEST" || m.Note() != want {
		t.Errorf("02 then 30: %s, note %q", m.Value().Format(wallLayout), m.Note())
	}
	// a step forgets the typed wall time
	m, _ = press(t, m, "up")
	if m.Note() != "" || m.Value().Format(wallLayout) != "2027-03-28 03:35 CEST" {
		t.Errorf("after a step: %s, note %q", m.Value().Format(wallLayout), m.Note())
	}
	// a time that exists has no note
	m, _ = press(t, m, "left", "1", "0")
	if m.Note() != "" {
		t.Errorf("note after 10:30: %q", m.Note())
	}
}

// A wall time that comes twice says which offset it took; o takes the
// other, and o again comes back.
func TestDSTRepeatedHourOffersTheOther(t *testing.T) {
	loc := loadLoc(t, "Europe/Berlin")
	now := clock(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC))
	m := New(time.Date(2026, 10, 25, 5, 30, 0, 0, loc), loc, now, asciiStyles())
	if strings.Contains(m.View(), "o other offset") {
		t.Errorf("o is offered where there is no other offset:\n%s", m.View())
	}
	m, _ = press(t, m, "0", "2")
	first := m.Value()
	if first.Format(wallLayout) != "2026-10-25 02:30 CEST" && first.Format(wallLayout) != "2026-10-25 02:30 CET" {
		t.Fatalf("Value() = %s", first.Format(wallLayout))
	}
	abbr, _ := first.Zone()
	if !strings.Contains(m.Note(), "02:30 comes twice on 25 Oct") || !strings.Contains(m.Note(), abbr) || !strings.Contains(m.View(), "o other offset") {
		t.Errorf("note %q; view:\n%s", m.Note(), m.View())
	}
	m, _ = press(t, m, "o")
	second := m.Value()
	if second.Equal(first) || second.In(loc).Format("15:04") != "02:30" || second.Sub(first).Abs() != time.Hour {
		t.Errorf("o: %v → %v", first, second)
	}
	if !strings.Contains(m.Note(), "02:30 comes twice") {
		t.Errorf("note after o: %q", m.Note())
	}
	m, _ = press(t, m, "o")
	if !m.Value().Equal(first) {
		t.Errorf("o twice: %v, want %v", m.Value(), first)
	}
	want := "this is the first, CEST (UTC+02:00); o takes CET (UTC+01:00)"
	if abbr == "CEST" && !strings.Contains(m.Note(), want) {
		t.Errorf("note %q, want %q", m.Note(), want)
	}
	// o does nothing on an ordinary time
	m, _ = press(t, m, "left", "0", "5")
	before := m.Value()
	m, _ = press(t, m, "o")
	if !m.Value().Equal(before) || m.Note() != "" {
		t.Errorf("o on 05:30: %v, note %q", m.Value(), m.Note())
	}
}

// The keys are documented: tab, pgup/pgdn in the help text, and that
// enter also turns the lobby on, in the help text and the hint line.
func TestPickerDocumentsItsKeys(t *testing.T) {
	for _, s := range []string{"h/l", "tab", "pgup/pgdn", "enter sets the timer and turns the lobby on", "27 = 2027", "o the other offset"} {
		if !strings.Contains(HelpText, s) {
			t.Errorf("HelpText lacks %q", s)
		}
	}
	m := New(time.Time{}, time.UTC, clock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), asciiStyles())
	if !strings.Contains(m.View(), "enter set, lobby on") {
		t.Errorf("the hint does not say enter turns the lobby on:\n%s", m.View())
	}
}
