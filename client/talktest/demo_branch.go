package talktest

import (
	"fmt"
	"time"

	"github.com/talkmod/talkmod/models"
)

// The second built-in demo server: another customer's cloud, for the
// support desk (talkmod rooms --all-accounts, the console's SERVER column,
// talkmod doctor). It has the same moderator user as the first (two
// accounts of one person on two servers), no SIP bridge, and a clock that
// runs DemoBranchSkew behind, so that doctor has something to find.

// Branch demo room names (also in DemoBranchRooms).
const (
	DemoBranchKickoff  = "Northwind – Customer Kickoff"
	DemoBranchTraining = "Northwind – Admin Training"

	// DemoBranchShared has the name of a room of the first demo server.
	DemoBranchShared = DemoTownHall
)

// DemoBranchSkew is how far the branch server's clock runs behind.
const DemoBranchSkew = -95 * time.Second

// DemoBranchRooms lists the branch demo's rooms and what each one shows.
var DemoBranchRooms = []DemoRoom{
	{DemoBranchKickoff, "lobby on with a timer 10 minutes ahead, by a server clock 95 s behind this machine's (talkmod doctor says by how much and which way)"},
	{DemoBranchTraining, "SIP dial-in can't be switched on: the server has no SIP bridge (412)"},
	{DemoBranchShared, "the same name as a room of the first demo server: the SERVER column tells them apart"},
}

// StartBranchDemo starts the second demo server (see DemoBranchRooms).
// cfg.Options are passed to New; the other settings are the first demo's.
func StartBranchDemo(cfg DemoConfig) (*Server, DemoAccount, error) {
	opts := append([]Option{WithClockSkew(DemoBranchSkew)}, cfg.Options...)
	s := New(opts...)
	now := s.Now()
	s.AddUser(DemoUser, "", "staff")
	s.SetDisplayName(DemoUser, "Morgan Lee")
	pw := s.AddAppPassword(DemoUser)
	if pw == "" {
		s.Close()
		return nil, DemoAccount{}, fmt.Errorf("talktest: could not create the branch demo account")
	}
	for _, u := range []struct{ id, name string }{{"nina", "Nina Berg"}, {"omar", "Omar Haddad"}} {
		s.AddUser(u.id, "", "staff")
		s.SetDisplayName(u.id, u.name)
	}
	s.SetSIPConfig(false)
	s.SetSIPDialInInfo("")
	me := DemoUser
	ago := func(d time.Duration) int64 { return now.Add(-d).Unix() }
	s.AddRoom(Room{Name: DemoBranchKickoff, Type: models.ConversationPublic, LobbyState: models.LobbyModeratorsOnly,
		LobbyTimer: now.Add(10 * time.Minute).Unix(), LastActivity: ago(5 * time.Minute),
		Description:  "Kickoff for Northwind's new customers.",
		Participants: map[string]models.ParticipantType{me: models.ParticipantOwner, "nina": models.ParticipantUser}})
	s.AddRoom(Room{Name: DemoBranchTraining, LastActivity: ago(40 * time.Minute),
		Participants: map[string]models.ParticipantType{me: models.ParticipantModerator, "omar": models.ParticipantOwner}})
	s.AddRoom(Room{Name: DemoBranchShared, LastActivity: ago(2 * time.Hour),
		Participants: map[string]models.ParticipantType{me: models.ParticipantOwner, "nina": models.ParticipantModerator, "omar": models.ParticipantUser}})
	return s, DemoAccount{URL: s.URL, User: me, AppPassword: pw}, nil
}

// StartDemos starts n demo servers (1 or 2): the first demo, then the
// branch demo. On an error the servers started are closed.
func StartDemos(n int, cfg DemoConfig) ([]*Server, []DemoAccount, error) {
	if n < 1 || n > 2 {
		return nil, nil, fmt.Errorf("talktest: %d demo servers: there are 1 or 2", n)
	}
	s, a, err := StartDemoWith(cfg)
	if err != nil {
		return nil, nil, err
	}
	servers, accts := []*Server{s}, []DemoAccount{a}
	if n == 2 {
		bcfg := cfg
		bcfg.Options = nil // a listener is the first server's
		b, ba, err := StartBranchDemo(bcfg)
		if err != nil {
			s.Close()
			return nil, nil, err
		}
		servers, accts = append(servers, b), append(accts, ba)
	}
	return servers, accts, nil
}
