package roomview

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/models"
)

// The Lobby: line says the timer in the display zone, "on, no timer",
// "off", or n.a. for a type that has no lobby.
func TestLobbyDetail(t *testing.T) {
	now := time.Date(2026, 12, 1, 13, 35, 0, 0, time.UTC)
	at := now.Add(25 * time.Minute)
	for _, c := range []struct {
		name string
		r    models.Room
		want string
	}{
		{"timer", models.Room{Type: models.ConversationGroup, LobbyState: models.LobbyModeratorsOnly, LobbyTimer: at.Unix()}, "on until 14:00 UTC"},
		{"no timer", models.Room{Type: models.ConversationGroup, LobbyState: models.LobbyModeratorsOnly}, "on, no timer"},
		{"off", models.Room{Type: models.ConversationGroup}, "off"},
		{"one-to-one", models.Room{Type: models.ConversationOneToOne}, "(one-to-one conversation)"},
	} {
		if got := lobbyDetail(c.r, now, time.UTC); !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want it to say %q", c.name, got, c.want)
		}
	}
}

// The dial-in card names why there are no numbers, and the room's PIN.
func TestRoomDialInCard(t *testing.T) {
	r := models.Room{Token: "abcd1234", Name: "Webinar", Type: models.ConversationGroup, SIPEnabled: models.SIPEnabled, AttendeePin: "123456", ParticipantType: models.ParticipantOwner}
	var b strings.Builder
	Room(&b, r, models.Capabilities{}, "https://cloud.example.com/", time.Now(), time.UTC, DialIn{Err: errors.New("boom")})
	out := b.String()
	for _, want := range []string{"Link:        https://cloud.example.com/call/abcd1234", "Dial-in card:", "Numbers:    not available (boom)", "Meeting ID: abcd1234", "Your PIN:   123456"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	b.Reset()
	Room(&b, r, models.Capabilities{}, "https://cloud.example.com", time.Now(), time.UTC, DialIn{Text: "+49 30 1234\n\n+1 555 0100\n"})
	if out := b.String(); !strings.Contains(out, "  Numbers:    +49 30 1234\n              +1 555 0100\n") {
		t.Errorf("numbers one a line:\n%s", out)
	}
}
