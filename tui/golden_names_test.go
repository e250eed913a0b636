package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/models"
)

// names in other scripts: Czech (ě is C4 9B in UTF-8: the byte of the
// 8-bit CSI, but not the rune), Japanese (double width) and emoji.
var worldNames = []string{
	"Porada vedení – řízení ěščřžýáíé",
	"週次ミーティング（全社）",
	"🎉 Launch party 🚀 ✅",
}

func worldBackend() *fakeBackend {
	be := demoBackend()
	for i, s := range worldNames {
		be.rooms = append(be.rooms, models.Room{
			Token: "7" + strings.Repeat(string(rune('1'+i)), 5), Type: models.ConversationPublic, DisplayName: s,
			Description:     s + "\n" + s,
			ParticipantType: models.ParticipantOwner, LobbyState: models.LobbyModeratorsOnly,
			LobbyTimer:   testNow.Add(time.Duration(i+1) * time.Hour).Unix(),
			LastActivity: testNow.Add(time.Duration(i) * time.Minute).Unix(),
		})
	}
	return be
}

// The escape check looks for the rune U+009B, not the byte 0x9b: Czech
// text passes, a real 8-bit CSI does not.
func TestEscapeCheckIsByRune(t *testing.T) {
	if escapeIn("ě") || escapeIn(worldNames[0]) {
		t.Error("Czech ě (C4 9B) taken for an escape")
	}
	for _, bad := range []string{"\u009b31m", "\x1b[2J"} {
		if !escapeIn(bad) {
			t.Errorf("%q not found", bad)
		}
	}
}

// Czech, Japanese and emoji room names reach the screen as they are, in
// the list and the detail, and the rows keep their width.
func TestGoldenWorldNames(t *testing.T) {
	for _, sz := range goldenSizes {
		t.Run(sizeName(sz), func(t *testing.T) {
			view := runGolden(t, worldBackend(), sz[0], sz[1])
			checkGolden(t, view)
			for _, n := range worldNames {
				// the name column may cut a long name: its start is there
				head := string([]rune(n)[:8])
				mustContain(t, view, head)
			}
		})
	}
	t.Run("detail", func(t *testing.T) {
		view := runGolden(t, worldBackend(), 120, 40, goldenStep{keys: []string{"/", "p", "a", "r", "t", "y", "enter", "enter"}, wait: "About:"})
		checkGolden(t, view)
		mustContain(t, view, worldNames[2])
	})
}
