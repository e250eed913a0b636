package client_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/models"
)

// TestSurfaceAgainstTalktest: using only the client's public surface, list rooms, set and clear the
// lobby with a timer, switch SIP through all three states, and tell
// 400/403/404/412/429 apart by HTTPStatus and Reason.
func TestSurfaceAgainstTalktest(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	srv := talktest.New(talktest.WithClock(clock))
	defer srv.Close()
	srv.AddUser("mod", "mod-app-pw")
	srv.AddUser("other", "other-app-pw")
	srv.SetSIPConfig(true)
	webinar := srv.AddRoom(talktest.Room{Token: "3759050267", Type: models.ConversationGroup, Name: "Quarterly webinar",
		Participants: map[string]models.ParticipantType{"mod": models.ParticipantOwner, "other": models.ParticipantUser}})
	letters := srv.AddRoom(talktest.Room{Token: "f8gbqb9k", Type: models.ConversationPublic, Name: "Old room",
		Participants: map[string]models.ParticipantType{"mod": models.ParticipantModerator}})
	oneToOne := srv.AddRoom(talktest.Room{Token: "ogwkz55u", Type: models.ConversationOneToOne, Name: "other",
		Participants: map[string]models.ParticipantType{"mod": models.ParticipantOwner, "other": models.ParticipantOwner}})

	c, err := client.New(client.Config{BaseURL: srv.URL, User: "mod", AppPassword: "mod-app-pw", Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	list, err := c.ListRooms(ctx, client.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Rooms) != 3 || list.ModifiedBefore == 0 || list.TalkHash == "" {
		t.Fatalf("list = %d rooms, modifiedBefore %d, hash %q", len(list.Rooms), list.ModifiedBefore, list.TalkHash)
	}
	caps, err := c.Capabilities(ctx)
	if err != nil || !caps.Has(models.FeatureLobby) || caps.SIPConfigured == nil || !*caps.SIPConfigured {
		t.Fatalf("capabilities %+v, %v", caps, err)
	}

	// Lobby on with a timer, then the timer cleared, then off.
	at := now.Add(90 * time.Minute)
	room, err := c.SetLobby(ctx, webinar, models.LobbyModeratorsOnly, &at)
	if err != nil || room.LobbyState != models.LobbyModeratorsOnly || room.LobbyTimer != at.Unix() {
		t.Fatalf("lobby on with timer: %+v, %v", room, err)
	}
	room, err = c.SetLobby(ctx, webinar, models.LobbyModeratorsOnly, nil)
	if err != nil || room.LobbyState != models.LobbyModeratorsOnly || room.LobbyTimer != 0 {
		t.Fatalf("timer cleared: %+v, %v", room, err)
	}
	room, err = c.SetLobby(ctx, webinar, models.LobbyNone, nil)
	if err != nil || room.LobbyState != models.LobbyNone {
		t.Fatalf("lobby off: %+v, %v", room, err)
	}

	// The timer passes: the next read lifts the lobby (lazily, like the server).
	if _, err := c.SetLobby(ctx, webinar, models.LobbyModeratorsOnly, &at); err != nil {
		t.Fatal(err)
	}
	now = at.Add(time.Second)
	room, err = c.GetRoom(ctx, webinar)
	if err != nil || room.LobbyState != models.LobbyNone || room.LobbyTimer != 0 {
		t.Fatalf("after the timer: %+v, %v", room, err)
	}

	// SIP through all three states.
	for _, s := range []models.SIPState{models.SIPEnabled, models.SIPEnabledNoPIN, models.SIPDisabled} {
		room, err = c.SetSIP(ctx, webinar, s)
		if err != nil || room.SIPEnabled != s {
			t.Fatalf("SIP %v: %+v, %v", s, room, err)
		}
	}

	status := func(err error) (int, string) {
		var ae *client.APIError
		if !errors.As(err, &ae) {
			t.Fatalf("not an APIError: %v", err)
		}
		return ae.HTTPStatus, ae.Reason
	}
	// 400 token, 400 type.
	_, err = c.SetSIP(ctx, letters, models.SIPEnabled)
	if st, reason := status(err); st != 400 || reason != "token" {
		t.Errorf("letters token: %d %q", st, reason)
	}
	_, err = c.SetLobby(ctx, oneToOne, models.LobbyModeratorsOnly, nil)
	if st, reason := status(err); st != 400 || reason != "type" {
		t.Errorf("one-to-one lobby: %d %q", st, reason)
	}
	// 404.
	_, err = c.SetLobby(ctx, "nosuchroom", models.LobbyModeratorsOnly, nil)
	if st, _ := status(err); st != 404 || !errors.Is(err, client.ErrNotFound) {
		t.Errorf("unknown room: %v", err)
	}
	// 403: demoted by another moderator.
	srv.Demote(webinar, "mod")
	_, err = c.SetLobby(ctx, webinar, models.LobbyModeratorsOnly, nil)
	if st, reason := status(err); st != 403 || reason != "" {
		t.Errorf("demoted: %d %q", st, reason)
	}
	srv.Promote(webinar, "mod")
	// 412: SIP bridge unconfigured.
	srv.SetSIPConfig(false)
	_, err = c.SetSIP(ctx, webinar, models.SIPEnabled)
	if st, reason := status(err); st != 412 || reason != "config" {
		t.Errorf("unconfigured: %d %q", st, reason)
	}
	// 403 config: configured, but the moderator is outside the SIP groups.
	srv.SetSIPConfig(true, "sip-users")
	_, err = c.SetSIP(ctx, webinar, models.SIPEnabled)
	if st, reason := status(err); st != 403 || reason != "config" {
		t.Errorf("not in SIP groups: %d %q", st, reason)
	}
	// 429: the address is throttled after bad passwords.
	srv.SetBruteForceThreshold(2)
	bad, _ := client.New(client.Config{BaseURL: srv.URL, User: "mod", AppPassword: "wrong"})
	for i := 0; i < 3; i++ {
		_, err = bad.ListRooms(ctx, client.ListOptions{})
	}
	if st, _ := status(err); st != 429 || !errors.Is(err, client.ErrThrottled) {
		t.Errorf("throttled: %v", err)
	}
}
