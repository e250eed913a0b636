package datetime

import (
	"strings"
	"testing"
	"time"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/talkmod/talkmod/client"
)

// fuzzKeys are the keys a byte of the fuzz input stands for.
var fuzzKeys = []tea.KeyMsg{
	{Type: tea.KeyLeft}, {Type: tea.KeyRight}, {Type: tea.KeyUp}, {Type: tea.KeyDown}, {Type: tea.KeyPgUp},
	{Type: tea.KeyPgDown}, {Type: tea.KeyBackspace}, {Type: tea.KeyEnter}, {Type: tea.KeyEsc}, {Type: tea.KeyTab},
	{Type: tea.KeyRunes, Runes: []rune("+")}, {Type: tea.KeyRunes, Runes: []rune("-")}, {Type: tea.KeyRunes, Runes: []rune("x")},
	{Type: tea.KeyRunes, Runes: []rune("n")}, {Type: tea.KeyRunes, Runes: []rune("h")}, {Type: tea.KeyRunes, Runes: []rune("l")},
	{Type: tea.KeyRunes, Runes: []rune("2026")}, {Type: tea.KeyRunes, Runes: []rune("99")}, {Type: tea.KeyRunes, Runes: []rune("é")},
}

// FuzzPickerInput types random keys and digits into the picker: it never
// panics, its value stays a time in its zone, what it submits passes
// Validate, and its view is plain text.
func FuzzPickerInput(f *testing.F) {
	f.Add([]byte("0123456789"), uint8(0), int64(0))
	f.Add([]byte{10, 11, 12, 1, 0x32, 0x35, 7}, uint8(1), int64(3600*24*40))
	f.Add([]byte("\x00\x01\x02\x03\x0f\x10\x11\x12"), uint8(2), int64(-3600))
	f.Add([]byte("9999999999999999\x07"), uint8(3), int64(0))
	zones := []string{"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"}
	now := time.Date(2026, 12, 1, 14, 35, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, input []byte, zone uint8, offset int64) {
		if len(input) > 200 {
			input = input[:200]
		}
		loc, err := time.LoadLocation(zones[int(zone)%len(zones)])
		if err != nil {
			t.Skip(err)
		}
		initial := now.Add(time.Duration(offset%(3600*24*800)) * time.Second)
		m := New(initial, loc, func() time.Time { return now }, DefaultStyles(lipgloss.NewRenderer(nil)))
		for _, b := range input {
			var k tea.KeyMsg
			if b >= '0' && b <= '9' {
				k = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{rune(b)}}
			} else {
				k = fuzzKeys[int(b)%len(fuzzKeys)]
			}
			var out Outcome
			m, out = m.Update(k)
			v := m.Value()
			// (stepping may leave the years that typing accepts, 1970-9999:
			// harmless, Validate refuses such a time on submit)
			if v.Location() != loc || v.IsZero() {
				t.Fatalf("value %s (zone %s) after %q", v, v.Location(), input)
			}
			if out == Submitted {
				if err := client.ValidateLobbyTimer(now, v); err != nil {
					t.Fatalf("submitted %s, which Validate refuses: %v", v, err)
				}
			}
			for _, r := range m.View() {
				if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
					t.Fatalf("view holds %U: %q", r, m.View())
				}
			}
			if strings.Contains(m.Err(), "\x1b") {
				t.Fatalf("error text %q", m.Err())
			}
		}
	})
}
