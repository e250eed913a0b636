package client_test

import (
	"context"
	"strings"
	"testing"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/models"
)

// demoWaitingRoom starts the demo and finds the waiting room.
func demoWaitingRoom(t *testing.T) (*talktest.Server, *client.Client, string) {
	t.Helper()
	srv, acc, err := talktest.StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{BaseURL: acc.URL, User: acc.User, AppPassword: acc.AppPassword})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	list, err := c.ListRooms(context.Background(), client.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list.Rooms {
		if r.DisplayName == talktest.DemoWaitingRoom {
			return srv, c, r.Token
		}
	}
	t.Fatal("no waiting room in the demo")
	return nil, nil, ""
}

func person(t *testing.T, c *client.Client, token, actorID string) models.Participant {
	t.Helper()
	ps, err := c.Participants(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.ActorID == actorID {
			return p
		}
	}
	t.Fatalf("%s is not in the room", actorID)
	return models.Participant{}
}

// TestFloorInTheDemo: the waiting room is listen only, Bob asks to speak
// (the description says so); the floor given shows at once in his rights
// but not in his call flags until his app updates them; a new default
// takes his own rights away (and with them the lobby pass).
func TestFloorInTheDemo(t *testing.T) {
	srv, c, tok := demoWaitingRoom(t)
	ctx := context.Background()
	room, err := c.GetRoom(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := models.PresetOf(room.DefaultPermissions); !ok || p != models.PresetListenOnly || !strings.Contains(room.Description, "Bob Chen") {
		t.Fatalf("default %d, description %q", room.DefaultPermissions, room.Description)
	}
	bob := person(t, c, tok, "bob")
	if bob.MaySpeak() || !bob.InCallNow() || !bob.LetIn() || !bob.HasOwnPermissions() {
		t.Fatalf("bob at start: %+v", bob)
	}
	srv.ResetRequests()
	if _, err := c.SetAttendeePermissions(ctx, tok, bob.AttendeeID, client.PermissionAdd, models.PermissionsFloor); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests for the floor, want 1", n)
	}
	bob = person(t, c, tok, "bob")
	if !bob.HasFloor() || bob.WithAudio() {
		t.Fatalf("bob with the floor, before his app updates: %+v", bob)
	}
	if err := srv.SetCallFlags(tok, bob.AttendeeID, models.InCallInCall|models.InCallAudio); err != nil {
		t.Fatal(err)
	}
	if bob = person(t, c, tok, "bob"); !bob.WithAudio() {
		t.Fatalf("bob's audio after his app's update: inCall %d", bob.InCall)
	}
	// taken back: he still talks until his app updates
	if _, err := c.SetAttendeePermissions(ctx, tok, bob.AttendeeID, client.PermissionRemove, models.PermissionsFloor); err != nil {
		t.Fatal(err)
	}
	if bob = person(t, c, tok, "bob"); bob.MaySpeak() || !bob.WithAudio() || !bob.NotEnforcedYet() {
		t.Fatalf("bob after the floor was taken: %+v", bob)
	}
	// a new default resets his own rights: his lobby pass too
	losers := 0
	ps, _ := c.Participants(ctx, tok)
	losers = len(models.LosesOwnPermissions(ps))
	if losers < 2 {
		t.Errorf("%d people would lose their own rights, want bob and carol at least", losers)
	}
	room, err = c.SetDefaultPermissions(ctx, tok, models.PresetEveryone.Value())
	if err != nil || room.DefaultPermissions != 247 {
		t.Fatalf("everyone: %d, %v", room.DefaultPermissions, err)
	}
	if bob = person(t, c, tok, "bob"); bob.HasOwnPermissions() || bob.LetIn() || bob.State(room) != models.StateInCallNotLetIn {
		t.Errorf("bob after the new default: %+v", bob)
	}
}

// TestModeratorsAgainstTalktest: a promotion resets the person's own
// rights; demoting gives the room default back; self and owner refused.
func TestModeratorsAgainstTalktest(t *testing.T) {
	_, c, tok := demoWaitingRoom(t)
	ctx := context.Background()
	carol := person(t, c, tok, "carol")
	if !carol.HasOwnPermissions() {
		t.Fatalf("carol has no own rights: %+v", carol)
	}
	if err := c.PromoteModerator(ctx, tok, carol.AttendeeID); err != nil {
		t.Fatal(err)
	}
	if carol = person(t, c, tok, "carol"); carol.ParticipantType != models.ParticipantModerator || carol.AttendeePermissions != 0 {
		t.Fatalf("promoted carol: %+v", carol)
	}
	if err := c.PromoteModerator(ctx, tok, carol.AttendeeID); client.KindOf(err) != client.KindBadRequest {
		t.Errorf("promoted twice: %v", err)
	}
	if err := c.DemoteModerator(ctx, tok, carol.AttendeeID); err != nil {
		t.Fatal(err)
	}
	if carol = person(t, c, tok, "carol"); carol.ParticipantType != models.ParticipantUser || carol.Permissions != 133 {
		t.Errorf("demoted carol: %+v (the grant is lost: listen only)", carol)
	}
	me := person(t, c, tok, c.User())
	if err := c.DemoteModerator(ctx, tok, me.AttendeeID); !strings.Contains(client.Message(err), "your own role") {
		t.Errorf("demote yourself: %v", client.Message(err))
	}
}

// TestEndCallAndAttendanceAgainstTalktest: the attendance list while the
// call runs; ending it takes three requests and leaves no session; then
// the list says no call is running.
func TestEndCallAndAttendanceAgainstTalktest(t *testing.T) {
	srv, c, tok := demoWaitingRoom(t)
	ctx := context.Background()
	a, err := c.Attendance(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := a.Rows()
	if err != nil || len(rows) != 2 || !strings.HasSuffix(a.FileName, ".csv") || !strings.HasPrefix(a.FileName, "Customer-Webinar-–-Waiting-Room ") {
		t.Fatalf("attendance %q: %+v, %v", a.FileName, rows, err)
	}
	srv.ResetRequests()
	if err := c.EndCallForEveryone(ctx, tok); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 3 || reqs[0].Method != "POST" || reqs[1].Method != "DELETE" || !strings.Contains(reqs[1].RawQuery, "all=true") || reqs[2].Method != "DELETE" {
		t.Fatalf("requests: %+v", reqs)
	}
	room, err := c.GetRoom(ctx, tok)
	if err != nil || room.HasCall {
		t.Fatalf("the call goes on: %+v, %v", room.HasCall, err)
	}
	for _, p := range srv.Participants(tok) {
		if p.InCallNow() {
			t.Errorf("%s still in the call", p.ActorID)
		}
		if p.ActorID == c.User() && p.Connected() {
			t.Errorf("talkmod's own session was left behind: %v", p.SessionIDs)
		}
	}
	if _, err := c.Attendance(ctx, tok); !client.IsNoCall(err) || !strings.Contains(client.Message(err), "no call is running") {
		t.Errorf("attendance without a call: %v", err)
	}
	// a participant (not a moderator) cannot: their all=true is a leave
	if err := c.EndCallForEveryone(ctx, "zzzzzzzz"); client.KindOf(err) != client.KindNotFound {
		t.Errorf("unknown room: %v", err)
	}
}
