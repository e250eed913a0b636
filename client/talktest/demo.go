package talktest

import (
	"fmt"
	"time"

	"github.com/talkmod/talkmod/models"
)

// DemoAccount is how to log in to the demo server.
type DemoAccount struct {
	URL, User, AppPassword string
}

// DemoRoom describes one room of the demo and what it shows.
type DemoRoom struct {
	Name, Shows string
}

// DemoUser is the demo account's user id.
const DemoUser = "moderator"

// Demo room names (also the keys of DemoRooms).
const (
	DemoAllHands      = "Quarterly All-Hands – Q4 2026"
	DemoLaunch        = "Product Launch Live Stream"
	DemoOnboarding    = "Onboarding Webinar (legacy link)"
	DemoWorkshop      = "Partner Workshop"
	DemoBreakout      = "Partner Workshop – Breakout Room 1"
	DemoAdvisoryBoard = "Customer Advisory Board"
	DemoHotline       = "Support Hotline Briefing"
	DemoTownHall      = "Engineering Town Hall"
	DemoCEO           = "Open Q&A with the CEO"
	DemoMarketing     = "Marketing Sync"
	DemoWaitingRoom   = "Customer Webinar – Waiting Room"
)

// DemoRooms lists the demo's rooms and what each one shows, for the README.
var DemoRooms = []DemoRoom{
	{DemoAllHands, "lobby on with a timer a few minutes ahead: a live countdown; when it reaches zero the server lifts the lobby on the next read"},
	{DemoLaunch, "a call is running: turning the lobby on removes non-moderators from it"},
	{DemoOnboarding, "an old room whose token has letters: SIP dial-in is refused (400 token)"},
	{DemoWorkshop, "the parent of a breakout room; lobby and SIP work normally"},
	{DemoBreakout, "a breakout room: its lobby follows the parent (400 breakout-room)"},
	{DemoAdvisoryBoard, "another moderator demotes you the moment you change something (403); you get moderator rights back a minute later"},
	{DemoHotline, "the admin forces SIP dial-in on: switching it off is refused (400 forced)"},
	{DemoTownHall, "a normal group webinar with an all-digit token: lobby and SIP (with or without PIN) both work"},
	{DemoCEO, "a public webinar with SIP dial-in (PIN) on: the administrator switches the SIP bridge off just as you change SIP here (412), and back on a minute later"},
	{DemoWaitingRoom, "a public webinar whose lobby fills while you watch (press p): a guest joins the lobby every 20 s, a dozen in all, one with a terminal-escape name, one without a name; a user with a long name waits, a speaker is already let in, people are in the call with and without audio; its chat gets a question every 20 s, has a message that @mentions you, a spam message to delete and one of terminal escapes (press c); the room is listen only, and Bob Chen in the call asks to speak (give him the floor with f)"},
	{DemoMarketing, "you are a plain participant here: shown greyed in the \"show all\" view"},
	{"Alice Martin", "a one-to-one conversation: no lobby, no SIP (greyed)"},
	{"Talk updates ✅", "the read-only changelog conversation (greyed)"},
}

// DemoConfig tunes StartDemoWith.
type DemoConfig struct {
	// SIPOffAfter, when positive, also switches the SIP bridge off that
	// long after start, for good (default: never; the bridge goes off only
	// for a minute when the user changes SIP on the CEO webinar).
	SIPOffAfter time.Duration
	// LobbyCountdown is how far ahead the all-hands lobby timer is
	// (default 4 minutes).
	LobbyCountdown time.Duration
	// FirstGuestAfter and GuestEvery pace the waiting room's guests: the
	// first joins the lobby after FirstGuestAfter (default 3 s), the next
	// ones every GuestEvery (default 20 s), DemoGuests in all.
	FirstGuestAfter, GuestEvery time.Duration
	// FirstQuestionAfter and QuestionEvery pace the waiting room's chat
	// (chat_demo.go): the first question after FirstQuestionAfter
	// (default 10 s), the next ones every QuestionEvery (default 20 s).
	FirstQuestionAfter, QuestionEvery time.Duration
	// Options are passed to New (e.g. WithClock).
	Options []Option
	// Rooms, when larger than the demo's own rooms, fills the list up to
	// that many rooms in all with GenerateRooms (for benchmarks).
	Rooms int
}

// DemoGuests are the display names of the guests who join the waiting
// room's lobby, in order: one has none ("Guest"), one is hostile (terminal
// escapes: a title change, a screen clear, colours).
var DemoGuests = []string{
	"Jordan Smith", "", "\x1b]0;pwned\x07\x1b[2J\x1b[31mEvil Guest\x1b[0m", "Priya Natarajan", "Tomás García",
	"Lee Wong", "Ana", "Sam O'Neil", "Kofi Mensah", "Hannah Becker", "Yuki Tanaka", "Guest from Oslo",
}

// DemoWaitingRoomDescription is the waiting room's description: it says
// who asks to speak, so that a new user tries the floor within a minute.
const DemoWaitingRoomDescription = "Customers join through the public link and wait in the lobby. Listen only: attendees join the call and chat. " +
	"Bob Chen, in the call, asks to speak: open the people (p), select him and press f to give him the floor."

// DemoLongName is the display name of the waiting room's user with a long
// name.
const DemoLongName = "Dr. Maximiliane Alexandra von Hohenzollern-Sigmaringen (Procurement, EMEA North)"

// StartDemo starts a server seeded with the demo webinars (see DemoRooms)
// and returns the account to log in with.
func StartDemo() (*Server, DemoAccount, error) {
	return StartDemoWith(DemoConfig{})
}

// DemoDialInInfo is the demo's SIP dial-in text, as an administrator
// would type it (fictional numbers).
const DemoDialInInfo = "+49 30 1234567 (Germany)\n+1 555 0100 (USA)"

// StartDemoWith is StartDemo with settings.
func StartDemoWith(cfg DemoConfig) (*Server, DemoAccount, error) {
	if cfg.LobbyCountdown <= 0 {
		cfg.LobbyCountdown = 4 * time.Minute
	}
	s := New(cfg.Options...)
	now := s.Now()
	s.AddUser(DemoUser, "", "staff", "sip-users")
	s.SetDisplayName(DemoUser, "Morgan Lee")
	pw := s.AddAppPassword(DemoUser)
	if pw == "" {
		s.Close()
		return nil, DemoAccount{}, fmt.Errorf("talktest: could not create the demo account")
	}
	for _, u := range []struct{ id, name string }{
		{"alice", "Alice Martin"}, {"bob", "Bob Chen"}, {"carol", "Carol Diaz"}, {"dave", "Dave Okafor"},
		{"erin", "Erin Walsh"}, {"frank", DemoLongName},
	} {
		s.AddUser(u.id, "", "staff")
		s.SetDisplayName(u.id, u.name)
		s.SetEmail(u.id, u.id+"@example.com")
	}
	s.SetSIPConfig(true, "sip-users")
	s.SetSIPDialInInfo(DemoDialInInfo)

	me := DemoUser
	owner := models.ParticipantOwner
	mod := models.ParticipantModerator
	usr := models.ParticipantUser
	ago := func(d time.Duration) int64 { return now.Add(-d).Unix() }
	one := 1

	s.AddRoom(Room{Name: DemoAllHands, Description: "All staff, quarterly results and Q&A.",
		LobbyState: models.LobbyModeratorsOnly, LobbyTimer: now.Add(cfg.LobbyCountdown).Unix(),
		LastActivity: ago(2 * time.Minute),
		Participants: map[string]models.ParticipantType{me: owner, "alice": usr, "bob": usr, "carol": usr, "dave": usr}})
	s.AddRoom(Room{Name: DemoLaunch, Type: models.ConversationPublic, HasCall: true,
		Description: "Live demo of the new release for customers.", LastActivity: ago(30 * time.Second),
		Participants: map[string]models.ParticipantType{me: mod, "bob": owner, "carol": usr}})
	s.AddRoom(Room{Token: "xq4bz7ke", Name: DemoOnboarding, Description: "Created before the SIP bridge existed.",
		LastActivity: ago(26 * time.Hour),
		Participants: map[string]models.ParticipantType{me: owner, "dave": usr}})
	parent := s.AddRoom(Room{Name: DemoWorkshop, BreakoutRoomMode: 2, LastActivity: ago(3 * time.Hour),
		Participants: map[string]models.ParticipantType{me: owner, "alice": usr, "bob": usr}})
	s.AddRoom(Room{Name: DemoBreakout, ObjectType: "room", ObjectID: parent, LastActivity: ago(3 * time.Hour),
		Participants: map[string]models.ParticipantType{me: mod, "alice": usr}})
	board := s.AddRoom(Room{Name: DemoAdvisoryBoard, Description: "Quarterly session with our key customers.",
		LastActivity: ago(50 * time.Minute),
		Participants: map[string]models.ParticipantType{me: mod, "carol": owner, "alice": usr}})
	s.AddRoom(Room{Name: DemoHotline, SIPEnabled: models.SIPEnabled, ForcedSIP: &one,
		Description: "Dial-in is mandatory for field staff.", LastActivity: ago(5 * time.Hour),
		Participants: map[string]models.ParticipantType{me: owner, "dave": usr}})
	s.AddRoom(Room{Name: DemoTownHall, LastActivity: ago(20 * time.Minute),
		Participants: map[string]models.ParticipantType{me: owner, "alice": mod, "bob": usr, "dave": usr}})
	ceo := s.AddRoom(Room{Name: DemoCEO, Type: models.ConversationPublic, SIPEnabled: models.SIPEnabled,
		LastActivity: ago(2 * time.Hour), Participants: map[string]models.ParticipantType{me: owner, "carol": usr}})
	waiting := s.AddRoom(Room{Name: DemoWaitingRoom, Type: models.ConversationPublic, LobbyState: models.LobbyModeratorsOnly,
		Description: DemoWaitingRoomDescription, LastActivity: ago(time.Minute), DefaultPermissions: models.StoredPermissions(models.PresetListenOnly.Value()),
		Participants: map[string]models.ParticipantType{me: owner, "alice": mod, "bob": usr, "carol": usr, "dave": usr, "erin": usr, "frank": usr}})
	s.seedWaitingRoom(waiting, cfg)
	s.AddRoom(Room{Name: DemoMarketing, LastActivity: ago(15 * time.Minute),
		Participants: map[string]models.ParticipantType{me: usr, "alice": owner}})
	s.AddRoom(Room{Type: models.ConversationOneToOne, LastActivity: ago(10 * time.Minute),
		Participants: map[string]models.ParticipantType{me: owner, "alice": owner}})
	s.AddRoom(Room{Type: models.ConversationChangelog, Name: me, DisplayName: "Talk updates ✅",
		LastActivity: ago(48 * time.Hour), Participants: map[string]models.ParticipantType{me: usr}})

	if extra := cfg.Rooms - len(DemoRooms); extra > 0 {
		s.AddRooms(GenerateRooms(extra, me))
	}

	s.OnAction(func(a Action) {
		if a.User != me {
			return
		}
		switch {
		case a.Token == board:
			// Another moderator demotes the user just as they act.
			if r, ok := s.Room(board); ok && r.Participants[me].IsModerator() {
				s.Demote(board, me)
				s.At(s.Now().Add(time.Minute), func(s *Server) { s.Promote(board, me) })
			}
		case a.Token == ceo && a.Kind == "sip" && s.SIPConfigured():
			// The administrator is reconfiguring the SIP bridge: 412.
			s.SetSIPConfig(false, "sip-users")
			s.At(s.Now().Add(time.Minute), func(s *Server) { s.SetSIPConfig(true, "sip-users") })
		}
	})
	if cfg.SIPOffAfter > 0 {
		s.At(now.Add(cfg.SIPOffAfter), func(s *Server) { s.SetSIPConfig(false, "sip-users") })
		// Run the switch-off also at wall time, so that a server nobody
		// talks to changes too; stopped by Close.
		t := time.AfterFunc(cfg.SIPOffAfter, func() { s.runDue() })
		s.onClose(func() { t.Stop() })
	}
	return s, DemoAccount{URL: s.URL, User: me, AppPassword: pw}, nil
}

// seedWaitingRoom fills the waiting room: alice (moderator) in the call
// with audio and video, bob let in and in the call without audio, carol
// the speaker let in and connected, frank (long name) waiting, dave and
// erin not connected; then a guest joins the lobby every GuestEvery.
func (s *Server) seedWaitingRoom(token string, cfg DemoConfig) {
	if cfg.FirstGuestAfter <= 0 {
		cfg.FirstGuestAfter = 3 * time.Second
	}
	if cfg.GuestEvery <= 0 {
		cfg.GuestEvery = 20 * time.Second
	}
	for _, u := range []string{"alice", "bob", "carol", "frank"} {
		_, _ = s.JoinRoom(token, u)
	}
	// listen only: bob is let in past the lobby but has no floor (he
	// asks to speak); carol, the speaker, has every right
	_ = s.SetPermissions(token, s.AttendeeID(token, "bob"), models.StoredPermissions(models.PresetListenOnly.Value())|models.PermissionIgnoreLobby)
	_ = s.SetPermissions(token, s.AttendeeID(token, "carol"), moderatorPermissions)
	_ = s.JoinCall(token, s.AttendeeID(token, "alice"), models.InCallAudio|models.InCallVideo)
	_ = s.JoinCall(token, s.AttendeeID(token, "bob"), 0)
	start := s.Now()
	for i, name := range DemoGuests {
		after := cfg.FirstGuestAfter + time.Duration(i)*cfg.GuestEvery
		name := name
		s.At(start.Add(after), func(s *Server) { _, _ = s.GuestJoin(token, name) })
		// At wall time too, so that a server nobody talks to fills up;
		// stopped by Close.
		t := time.AfterFunc(after, func() { s.runDue() })
		s.onClose(func() { t.Stop() })
	}
	s.seedWaitingChat(token, cfg)
}

var generatedTopics = []string{
	"Sales Kickoff", "Security Awareness Training", "Customer Onboarding", "Release Planning",
	"Investor Update", "Design Critique", "Support Escalations", "Community Call",
	"Developer Office Hours", "Marketing Weekly", "Board Preparation", "Hiring Sync",
}

// GenerateRooms makes n rooms for benchmarks and list tests: group and
// public rooms where user is mostly owner or moderator (every fifth room a
// plain participant), some with the lobby on, some with a timer, some with
// a call. Tokens are left empty (AddRoom generates them).
func GenerateRooms(n int, user string) []Room {
	out := make([]Room, 0, n)
	for i := 0; i < n; i++ {
		r := Room{
			Name:         fmt.Sprintf("%s #%d", generatedTopics[i%len(generatedTopics)], i+1),
			Type:         models.ConversationGroup,
			Participants: map[string]models.ParticipantType{user: models.ParticipantOwner},
		}
		if i%3 == 1 {
			r.Type = models.ConversationPublic
		}
		switch i % 5 {
		case 1:
			r.Participants[user] = models.ParticipantModerator
		case 4:
			r.Participants[user] = models.ParticipantUser
		}
		if i%4 == 2 {
			r.LobbyState = models.LobbyModeratorsOnly
		}
		if i%7 == 3 {
			r.HasCall = true
		}
		out = append(out, r)
	}
	return out
}

// AddRooms adds rooms and returns their tokens.
func (s *Server) AddRooms(rooms []Room) []string {
	out := make([]string, len(rooms))
	for i, r := range rooms {
		out[i] = s.AddRoom(r)
	}
	return out
}
