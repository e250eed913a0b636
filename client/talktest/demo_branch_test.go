package talktest

import (
	"testing"
	"time"

	"github.com/talkmod/talkmod/models"
)

func TestStartDemosTwoServers(t *testing.T) {
	servers, accts, err := StartDemos(2, DemoConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range servers {
		t.Cleanup(s.Close)
	}
	if len(servers) != 2 || accts[0].URL == accts[1].URL || accts[0].User != DemoUser || accts[1].User != DemoUser {
		t.Fatalf("two servers, one moderator each: %+v", accts)
	}
	b := servers[1]
	if off := time.Until(b.Now()); off > DemoBranchSkew+time.Second || off < DemoBranchSkew-time.Second {
		t.Errorf("branch clock %v off, want %v", off, DemoBranchSkew)
	}
	if b.SIPConfigured() {
		t.Error("the branch has no SIP bridge")
	}
	names := map[string]bool{}
	for _, tok := range b.Rooms() {
		r, _ := b.Room(tok)
		names[r.Name] = true
		if r.Name == DemoBranchKickoff && (r.LobbyState != models.LobbyModeratorsOnly || r.LobbyTimer <= b.Now().Unix()) {
			t.Errorf("kickoff: lobby on with a timer ahead: %+v", r)
		}
	}
	for _, r := range DemoBranchRooms {
		if !names[r.Name] {
			t.Errorf("the branch has no room %q", r.Name)
		}
	}
	if !b.AppPasswordValid(DemoUser, accts[1].AppPassword) || b.AppPasswordValid(DemoUser, accts[0].AppPassword) {
		t.Error("each server has its own app password")
	}
	if _, _, err := StartDemos(3, DemoConfig{}); err == nil {
		t.Error("3 demo servers: want an error")
	}
}
