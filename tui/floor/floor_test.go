package floor

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/dialog"
)

func press(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// testCommon is a console's shared context without colour, 80 wide.
func testCommon() *common.Common {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	st := common.NewStyles(r)
	return &common.Common{Styles: st, Keys: common.DefaultKeyMap(), Width: 84, Height: 24,
		Help: help.Model{ShortSeparator: " · ", Styles: st.Help}}
}

func TestChooserYOnlyWhenRightsAreLost(t *testing.T) {
	cm := testCommon()
	bob := models.Participant{AttendeeID: 7, DisplayName: "Bob", ParticipantType: models.ParticipantUser, Permissions: 141, AttendeePermissions: 141}
	room := models.Room{Token: "tok", DefaultPermissions: 133, LobbyState: models.LobbyModeratorsOnly}
	var d dialog.Dialog = NewChooser(room, "Webinar", []models.Participant{bob})
	c := d.(Chooser)
	if c.Selected() != models.PresetListenOnly || c.Token() != "tok" {
		t.Fatalf("opens on %q, want the current one", c.Selected())
	}
	var res tea.Msg
	d, res = c.Update(cm, press("2"))
	if c = d.(Chooser); res != nil || c.Selected() != models.PresetEveryone {
		t.Fatalf("2: %v %q", res, c.Selected())
	}
	d, res = c.Update(cm, press("enter"))
	if c = d.(Chooser); res != nil || !c.Asking() {
		t.Fatal("enter did not ask though Bob loses his rights")
	}
	if v := c.View(*cm); !strings.Contains(v, "Bob (#7: let in)") || !strings.Contains(v, "those let in wait in it") {
		t.Errorf("the question does not name Bob:\n%s", v)
	}
	for _, k := range []string{"n", "enter", "esc", "Y"} {
		d2, r := c.Update(cm, press(k))
		if _, ok := r.(dialog.CancelledMsg); !ok || d2.(Chooser).Selected() != models.PresetEveryone {
			t.Errorf("%q answered %v", k, r)
		}
	}
	_, res = c.Update(cm, press("y"))
	if ch, ok := res.(Chosen); !ok || ch.Preset != models.PresetEveryone || len(ch.Losers) != 1 {
		t.Errorf("y: %v", res)
	}
	// nobody loses anything: enter applies at once; the current one: nothing
	c = NewChooser(models.Room{Token: "tok"}, "Webinar", nil)
	if _, res = c.Update(cm, press("enter")); res != (dialog.CancelledMsg{No: "the default is already server default: nothing was sent"}) {
		t.Errorf("the current preset: %v", res)
	}
	d, _ = c.Update(cm, press("k"))
	d, _ = d.Update(cm, press("k"))
	if _, res = d.Update(cm, press("enter")); res.(Chosen).Preset != models.PresetListenOnly || res.(Chosen).Token != "tok" {
		t.Errorf("listen only: %v", res)
	}
}

func TestRightsCell(t *testing.T) {
	p := models.Participant{Permissions: 133}
	if got := strings.TrimSpace(RightsCell(p, false, 18)); got != "listens only" {
		t.Errorf("words: %q", got)
	}
	p.Permissions = 245
	if got := strings.TrimSpace(RightsCell(p, false, 18)); got != "audio video screen" {
		t.Errorf("words: %q", got)
	}
	if got := strings.TrimSpace(RightsCell(p, true, 8)); got != "🎤 📹 🖥" {
		t.Errorf("symbols: %q", got)
	}
	p.Permissions = 133 | models.PermissionVideo
	if got := strings.TrimSpace(RightsCell(p, false, 18)); got != "video" {
		t.Errorf("video only: %q", got)
	}
}

func TestWriteNewNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	p1, err := writeNew(dir, "../evil/Webinar 2026-12-07.csv", []byte("a\n"))
	if err != nil || filepath.Dir(p1) != dir || filepath.Base(p1) != "-evil-Webinar 2026-12-07.csv" && filepath.Base(p1) != "evil-Webinar 2026-12-07.csv" {
		t.Fatalf("first: %q %v", p1, err)
	}
	p2, err := writeNew(dir, "../evil/Webinar 2026-12-07.csv", []byte("b\n"))
	if err != nil || !strings.HasSuffix(p2, " (2).csv") {
		t.Fatalf("second: %q %v", p2, err)
	}
	if b, _ := os.ReadFile(p1); string(b) != "a\n" {
		t.Error("the first file was replaced")
	}
	if fi, _ := os.Stat(p2); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode())
	}
}
