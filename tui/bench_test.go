package tui

import (
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/models"
)

// benchModel is a console with n rooms loaded, at 120x40.
func benchModel(b *testing.B, n int) Model {
	b.Helper()
	be := &fakeBackend{caps: fullCaps()}
	for i := 0; i < n; i++ {
		r := models.Room{
			Token: fmt.Sprintf("%07d", 1234567+i), Type: models.ConversationGroup,
			DisplayName:     fmt.Sprintf("Webinar %05d · quarterly review for team %d", i, i%97),
			Description:     "A webinar",
			ParticipantType: models.ParticipantOwner, LastActivity: testNow.Unix() - int64(i*7),
			CanEnableSIP: true,
		}
		if i%3 == 0 {
			r.LobbyState = models.LobbyModeratorsOnly
			r.LobbyTimer = testNow.Add(time.Duration(i%600) * time.Minute).Unix()
		}
		if i%5 == 0 {
			r.Type = models.ConversationPublic
			r.SIPEnabled = models.SIPEnabled
			r.HasCall = true
		}
		be.rooms = append(be.rooms, r)
	}
	h := newHarness(b, be, 120, 40)
	return h.m
}

func BenchmarkKeyPress(b *testing.B) {
	benchKeyPresses(b, benchModel(b, 10000))
}

// benchKeyPresses measures j (move down, wrapping to the top) and a View.
func benchKeyPresses(b *testing.B, m Model) {
	j := keyMsg("j")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		nm, _ := m.Update(j)
		m = nm.(Model)
		_ = m.View()
		if m.table.Cursor >= len(m.table.Visible)-1 {
			m.table.Top()
		}
	}
}

func BenchmarkFilter(b *testing.B) {
	base := benchModel(b, 10000)
	nm, _ := base.Update(keyMsg("/"))
	base = nm.(Model)
	chars := []tea.KeyMsg{keyMsg("w"), keyMsg("1"), keyMsg("9"), keyMsg("r")}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// one typed character on the whole list (the widest scan)
		nm, _ := base.Update(chars[i%len(chars)])
		m := nm.(Model)
		_ = m.View()
	}
}

func BenchmarkFullList(b *testing.B) {
	m := benchModel(b, 10000)
	rooms := make([]models.Room, 0, len(m.table.All))
	for _, e := range m.table.All {
		rooms = append(rooms, e.Room)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.table.SetAll(rooms)
	}
}
