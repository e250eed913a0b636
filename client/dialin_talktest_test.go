package client_test

import (
	"context"
	"testing"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/models"
)

func TestDialInInfoAgainstTalktest(t *testing.T) {
	srv := talktest.New()
	defer srv.Close()
	srv.AddUser("mod", "mod-app-pw")
	srv.AddUser("other", "other-app-pw")
	srv.SetSIPConfig(true)
	text := "+49 30 1234567 (Germany)\n+1 555 0100 (USA)\x1b]8;;evil\x07"
	srv.SetSIPDialInInfo(text)
	group := srv.AddRoom(talktest.Room{Token: "3759050267", Type: models.ConversationGroup, Name: "Webinar",
		Participants: map[string]models.ParticipantType{"mod": models.ParticipantOwner}})
	public := srv.AddRoom(talktest.Room{Token: "4826193750", Type: models.ConversationPublic, Name: "Open",
		Participants: map[string]models.ParticipantType{"mod": models.ParticipantOwner}})
	ctx := context.Background()
	mod, err := client.New(client.Config{BaseURL: srv.URL, User: "mod", AppPassword: "mod-app-pw"})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := client.New(client.Config{BaseURL: srv.URL, User: "other", AppPassword: "other-app-pw"})

	if got, err := mod.DialInInfo(ctx, group); err != nil || got != text {
		t.Fatalf("DialInInfo = %q, %v", got, err)
	}
	// a public room the user is not in: the server answers
	if got, err := other.DialInInfo(ctx, public); err != nil || got != text {
		t.Errorf("public room, not a participant: %q, %v", got, err)
	}
	// a group room the user is not in, an unknown room: 404
	for _, tok := range []string{group, "1234567890"} {
		if _, err := other.DialInInfo(ctx, tok); client.KindOf(err) != client.KindNotFound {
			t.Errorf("%s: err %v, want not found", tok, err)
		}
	}
	srv.SetSIPConfig(false)
	if got, err := mod.DialInInfo(ctx, group); err != nil || got != "" {
		t.Errorf("SIP not configured: %q, %v", got, err)
	}
	bad, _ := client.New(client.Config{BaseURL: srv.URL, User: "mod", AppPassword: "wrong"})
	if _, err := bad.DialInInfo(ctx, group); client.KindOf(err) != client.KindUnauthorized {
		t.Errorf("wrong password: %v", err)
	}
}
