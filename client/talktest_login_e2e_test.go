package client_test

import (
	"context"
	"errors"
	"testing"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/models"
)

// TestLoginFlowAgainstTalktest: the whole account life against talktest:
// Login Flow v2, the current user, participants, then the app password
// revoked, after which the same client gets a 401 (and is not retried).
func TestLoginFlowAgainstTalktest(t *testing.T) {
	srv := talktest.New()
	defer srv.Close()
	srv.AddUser("alice", "")
	srv.SetDisplayName("alice", "Alice A.")
	room := srv.AddRoom(talktest.Room{Name: "Webinar", Participants: map[string]models.ParticipantType{
		"alice": models.ParticipantOwner, "bob": models.ParticipantUser}})
	ctx := context.Background()

	flow, err := client.StartLogin(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.PollLogin(ctx, flow); !errors.Is(err, client.ErrLoginPending) {
		t.Fatalf("before the grant: %v", err)
	}
	if err := srv.GrantLogin(flow.LoginURL, "alice"); err != nil {
		t.Fatal(err)
	}
	res, err := client.PollLogin(ctx, flow)
	if err != nil {
		t.Fatal(err)
	}
	if res.Server != srv.URL || res.LoginName != "alice" || !srv.AppPasswordValid("alice", res.AppPassword) {
		t.Fatalf("result %v", res)
	}

	c, err := client.New(client.Config{BaseURL: res.Server, User: res.LoginName, AppPassword: res.AppPassword})
	if err != nil {
		t.Fatal(err)
	}
	u, err := c.CurrentUser(ctx)
	if err != nil || u.ID != "alice" || u.DisplayName != "Alice A." {
		t.Fatalf("current user %+v, %v", u, err)
	}
	ps, err := c.Participants(ctx, room)
	if err != nil || len(ps) != 2 {
		t.Fatalf("participants %+v, %v", ps, err)
	}
	if err := c.RevokeAppPassword(ctx); err != nil {
		t.Fatal(err)
	}
	if srv.AppPasswordValid("alice", res.AppPassword) {
		t.Error("the app password is still valid after RevokeAppPassword")
	}
	srv.ResetRequests()
	_, err = c.ListRooms(ctx, client.ListOptions{})
	if !errors.Is(err, client.ErrUnauthorized) || len(srv.Requests()) != 1 {
		t.Errorf("after the revocation: %v after %d requests, want one 401", err, len(srv.Requests()))
	}
}

// TestFaultsAgainstTalktest: talktest's fault hooks meet the client's
// retry rules: 503s and cut connections are retried (at most twice), a 429
// is not.
func TestFaultsAgainstTalktest(t *testing.T) {
	srv := talktest.New()
	defer srv.Close()
	srv.AddUser("mod", "pw")
	room := srv.AddRoom(talktest.Room{Name: "Webinar", Participants: map[string]models.ParticipantType{"mod": models.ParticipantOwner}})
	c, err := client.New(client.Config{BaseURL: srv.URL, User: "mod", AppPassword: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	count := func() int { n := len(srv.Requests()); srv.ResetRequests(); return n }

	srv.FailNext("/webinar/lobby", 2, 503, "<html><body>Service Unavailable</body></html>")
	if r, err := c.SetLobby(ctx, room, models.LobbyModeratorsOnly, nil); err != nil || r.LobbyState != models.LobbyModeratorsOnly {
		t.Fatalf("after two 503s: %+v, %v", r, err)
	}
	if n := count(); n != 3 {
		t.Errorf("%d requests for two 503s and a success", n)
	}

	srv.FailNext("/room", 3, 502, "<html>Bad Gateway</html>")
	_, err = c.ListRooms(ctx, client.ListOptions{})
	if client.KindOf(err) != client.KindUnavailable {
		t.Errorf("three 502s: %v (kind %v)", err, client.KindOf(err))
	}
	if n := count(); n != 3 {
		t.Errorf("%d requests for three 502s: at most two retries", n)
	}

	srv.CutNext("/webinar/sip", 1)
	srv.SetSIPConfig(true)
	if _, err := c.SetSIP(ctx, "1234567890", models.SIPEnabled); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("cut, then 404: %v", err)
	}
	if n := count(); n != 2 {
		t.Errorf("%d requests for a cut PUT and its retry", n)
	}

	srv.FailNext("/room", 1, 429, `{"ocs":{"meta":{"status":"failure","statuscode":429,"message":"Reached maximum delay"},"data":[]}}`)
	if _, err := c.ListRooms(ctx, client.ListOptions{}); !errors.Is(err, client.ErrThrottled) {
		t.Errorf("429: %v", err)
	}
	if n := count(); n != 1 {
		t.Errorf("a 429 was retried: %d requests", n)
	}
}
