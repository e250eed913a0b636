package talktest

import (
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/models"
)

func TestDemo(t *testing.T) {
	clock := newClock(time.Unix(1800000000, 0))
	s, acc, err := StartDemoWith(DemoConfig{Options: []Option{WithClock(clock.Now)}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if acc.URL != s.URL || acc.User != DemoUser || len(acc.AppPassword) < 20 || !s.AppPasswordValid(acc.User, acc.AppPassword) {
		t.Fatalf("account %+v", acc)
	}
	c := newCaller(t, s, acc.User, acc.AppPassword)
	rooms := c.do("GET", v4+"/room", nil).rooms(t)
	byName := map[string]models.Room{}
	webinars, greyed := 0, 0
	for _, r := range rooms {
		byName[r.Label()] = r
		if r.IsWebinarCandidate() {
			webinars++
		} else {
			greyed++
		}
	}
	if webinars < 8 || greyed < 2 {
		t.Fatalf("%d webinars, %d greyed rooms", webinars, greyed)
	}
	for _, d := range DemoRooms {
		if strings.HasPrefix(d.Name, "(") {
			continue
		}
		if _, ok := byName[d.Name]; !ok {
			t.Errorf("demo room %q not in the list", d.Name)
		}
	}
	if r := byName[DemoAllHands]; r.LobbyState != 1 || r.LobbyTimer != 1800000000+240 {
		t.Errorf("all-hands: %+v", r)
	}
	if r := byName[DemoLaunch]; !r.HasCall || r.Type != models.ConversationPublic {
		t.Errorf("launch: %+v", r)
	}
	if r := byName[DemoCEO]; r.Type != models.ConversationPublic || r.SIPEnabled != models.SIPEnabled || r.AttendeePin == "" {
		t.Errorf("CEO: %+v", r)
	}
	if r := byName[DemoOnboarding]; bool(r.CanEnableSIP) || models.SIPCompatibleToken(r.Token) {
		t.Errorf("onboarding: %+v", r)
	}
	if r := byName[DemoTownHall]; !bool(r.CanEnableSIP) {
		t.Errorf("town hall: %+v", r)
	}

	put := func(name, kind, state string) answer {
		t.Helper()
		return c.do("PUT", v4+"/room/"+byName[name].Token+"/webinar/"+kind, form("state", state))
	}
	for _, x := range []struct {
		name, kind, state string
		status            int
		data              string
	}{
		{DemoOnboarding, "sip", "1", 400, `{"error":"token"}`},
		{DemoBreakout, "lobby", "1", 400, `{"error":"breakout-room"}`},
		{DemoAdvisoryBoard, "lobby", "1", 403, `[]`},
		{DemoAdvisoryBoard, "lobby", "1", 403, `[]`},
		{DemoHotline, "sip", "0", 400, `{"error":"forced","forced":1}`},
		{DemoTownHall, "sip", "1", 200, ""},
		{DemoTownHall, "lobby", "1", 200, ""},
		{DemoWorkshop, "lobby", "1", 200, ""},
		{DemoLaunch, "lobby", "1", 200, ""},
		{DemoMarketing, "lobby", "1", 403, `[]`},
		{"Alice Martin", "lobby", "1", 400, `{"error":"type"}`},
	} {
		a := put(x.name, x.kind, x.state)
		if a.status != x.status || (x.data != "" && !jsonEqual([]byte(a.data()), []byte(x.data))) {
			t.Errorf("%s %s=%s: %d %s, want %d %s", x.name, x.kind, x.state, a.status, a.data(), x.status, x.data)
		}
	}
	// The demoted user gets moderator rights back a minute later.
	clock.Add(61 * time.Second)
	if r := c.do("GET", v4+"/room/"+byName[DemoAdvisoryBoard].Token, nil).room(t); !r.IsModerator() {
		t.Errorf("advisory board after a minute: %+v", r)
	}
	// Changing SIP on the CEO webinar meets the SIP bridge being switched
	// off: 412, and sipEnabled reads 0 everywhere until it is back.
	if a := put(DemoCEO, "sip", "2"); a.status != 412 || !jsonEqual([]byte(a.data()), []byte(`{"error":"config"}`)) {
		t.Errorf("SIP on the CEO webinar: %d %s", a.status, a.data())
	}
	if a := put(DemoTownHall, "sip", "2"); a.status != 412 {
		t.Errorf("SIP elsewhere while the bridge is off: %d %s", a.status, a.data())
	}
	if r := c.do("GET", v4+"/room/"+byName[DemoCEO].Token, nil).room(t); r.SIPEnabled != 0 {
		t.Errorf("CEO SIP after switch-off: %d", r.SIPEnabled)
	}
	if a := c.do("GET", "/ocs/v2.php/cloud/capabilities", nil); !strings.Contains(a.data(), `"sip-enabled":false`) {
		t.Errorf("capabilities after switch-off: %s", a.data())
	}
	// A minute later the bridge is back.
	clock.Add(61 * time.Second)
	if a := put(DemoTownHall, "sip", "2"); a.status != 200 {
		t.Errorf("SIP a minute after the switch-off: %d %s", a.status, a.data())
	}
	if r := c.do("GET", v4+"/room/"+byName[DemoCEO].Token, nil).room(t); r.SIPEnabled != models.SIPEnabled {
		t.Errorf("CEO SIP once the bridge is back: %d", r.SIPEnabled)
	}
	// The countdown ends: the next read lifts the lobby.
	clock.Add(3 * time.Minute)
	if r := c.do("GET", v4+"/room/"+byName[DemoAllHands].Token, nil).room(t); r.LobbyState != 0 || r.LobbyTimer != 0 {
		t.Errorf("all-hands after the countdown: %+v", r)
	}
}

func TestStartDemoDefault(t *testing.T) {
	s, acc, err := StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if a := newCaller(t, s, acc.User, acc.AppPassword).do("GET", "/ocs/v2.php/cloud/capabilities", nil); a.status != 200 || !strings.Contains(a.data(), `"sip-enabled":true`) {
		t.Fatalf("capabilities: %d %s", a.status, a.data())
	}
}

func TestDemoSIPSwitchOffWallClock(t *testing.T) {
	s, _, err := StartDemoWith(DemoConfig{SIPOffAfter: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	deadline := time.Now().Add(3 * time.Second)
	for {
		s.mu.Lock()
		on := s.sipConfigured
		s.mu.Unlock()
		if !on {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("SIP still configured without any request")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestGenerateRooms(t *testing.T) {
	rooms := GenerateRooms(100, "alice")
	if len(rooms) != 100 {
		t.Fatal(len(rooms))
	}
	s := New()
	defer s.Close()
	s.AddUser("alice", "pw")
	toks := s.AddRooms(rooms)
	seen := map[string]bool{}
	for _, tok := range toks {
		if seen[tok] {
			t.Fatalf("duplicate token %s", tok)
		}
		seen[tok] = true
	}
	list := newCaller(t, s, "alice", "pw").do("GET", v4+"/room", nil).rooms(t)
	mods := 0
	for _, r := range list {
		if r.IsWebinarCandidate() {
			mods++
		}
	}
	if len(list) != 100 || mods != 80 {
		t.Fatalf("%d rooms, %d moderated", len(list), mods)
	}
}

func BenchmarkRoomList(b *testing.B) {
	s := New()
	defer s.Close()
	s.AddUser("alice", "pw")
	s.AddRooms(GenerateRooms(500, "alice"))
	c := newCaller(b, s, "alice", "pw")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.do("GET", v4+"/room", nil)
	}
}
