package tui

import (
	"bytes"
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/models"
)

// goldenDeskServer is a demo-like customer cloud on a fixed clock
// (testNow) with fixed tokens: a server the SERVER column golden shows.
func goldenDeskServer(t *testing.T, label string, rooms []talktest.Room) Account {
	t.Helper()
	srv := talktest.New(talktest.WithClock(func() time.Time { return testNow }))
	t.Cleanup(srv.Close)
	pw := "morgan-app-password-" + label
	srv.AddUser("morgan", pw)
	for _, r := range rooms {
		r.Participants = map[string]models.ParticipantType{"morgan": models.ParticipantOwner}
		srv.AddRoom(r)
	}
	c, err := client.New(client.Config{BaseURL: srv.URL, User: "morgan", AppPassword: pw, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return Account{Name: "morgan@" + label, Label: label, Server: srv.URL, Backend: c}
}

// goldenDesk is the demo's two servers in small: rooms with a lobby, a
// timer, SIP and a call on each, and a room of the same name on both.
func goldenDesk(t *testing.T) []Account {
	t.Helper()
	ago := func(d time.Duration) int64 { return testNow.Add(-d).Unix() }
	first := goldenDeskServer(t, "cloud.example.com", []talktest.Room{
		{Token: "q3allhands", Type: models.ConversationPublic, Name: "Q3 all-hands webinar", LobbyState: models.LobbyModeratorsOnly,
			LobbyTimer: testNow.Add(4 * time.Minute).Unix(), LastActivity: ago(time.Minute), SIPEnabled: models.SIPEnabled},
		{Token: "waitroom1", Type: models.ConversationPublic, Name: "Customer Webinar – Waiting Room", LobbyState: models.LobbyModeratorsOnly,
			HasCall: true, LastActivity: ago(3 * time.Minute)},
		{Token: "townhall1", Type: models.ConversationGroup, Name: "Engineering Town Hall", LastActivity: ago(time.Hour)},
	})
	second := goldenDeskServer(t, "northwind.example", []talktest.Room{
		{Token: "kickoff22", Type: models.ConversationPublic, Name: "Northwind – Customer Kickoff", LobbyState: models.LobbyModeratorsOnly,
			LobbyTimer: testNow.Add(10 * time.Minute).Unix(), LastActivity: ago(5 * time.Minute)},
		{Token: "training2", Type: models.ConversationGroup, Name: "Northwind – Admin Training", LastActivity: ago(40 * time.Minute)},
		{Token: "townhall1", Type: models.ConversationGroup, Name: "Engineering Town Hall", HasCall: true, LastActivity: ago(2 * time.Hour)},
	})
	return []Account{first, second}
}

// The SERVER column, the header's server count and a server's rooms
// kept together, at 80x24 and 120x40 (teatest, fixed clock).
func TestGoldenAccounts(t *testing.T) {
	for _, sz := range goldenSizes {
		t.Run(sizeName(sz)+"/list", func(t *testing.T) {
			clock := &fakeClock{t: testNow}
			opts := testOptions(t, nil, clock)
			opts.Server, opts.User, opts.Accounts = "", "", goldenDesk(t)
			tm := teatest.NewTestModel(t, newModel(context.Background(), opts), teatest.WithInitialTermSize(sz[0], sz[1]))
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
				return bytes.Contains(b, []byte("refreshed")) && bytes.Contains(b, []byte("Northwind")) && bytes.Contains(b, []byte("Q3 all-hands"))
			}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
			// the first row: which room is selected at first depends on
			// which server answered first
			tm.Send(keyMsg("g"))
			tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
			checkGolden(t, tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View())
		})
	}
}
