package talktest

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/talkmod/talkmod/models"
)

const v4 = "/ocs/v2.php/apps/spreed/api/v4"

// caller sends requests like a well-behaved client would.
type caller struct {
	t        testing.TB
	s        *Server
	user, pw string
	hc       *http.Client
	noOCS    bool
	accept   string
}

func newCaller(t testing.TB, s *Server, user, pw string) *caller {
	return &caller{t: t, s: s, user: user, pw: pw, hc: &http.Client{Timeout: 10 * time.Second}, accept: "application/json"}
}

type answer struct {
	status int
	header http.Header
	body   []byte
	env    envelope
}

func (c *caller) do(method, path string, form url.Values) answer {
	c.t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequest(method, c.s.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.user != "" {
		req.SetBasicAuth(c.user, c.pw)
	}
	if !c.noOCS {
		req.Header.Set("OCS-APIRequest", "true")
	}
	if c.accept != "" {
		req.Header.Set("Accept", c.accept)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header, body: readBody(c.t, resp)}
	if strings.Contains(resp.Header.Get("Content-Type"), "json") {
		_ = json.Unmarshal(a.body, &a.env)
	}
	return a
}

func (a answer) room(t *testing.T) models.Room {
	t.Helper()
	var r models.Room
	if err := json.Unmarshal(a.env.OCS.Data, &r); err != nil {
		t.Fatalf("not a room: %s", a.body)
	}
	return r
}

func (a answer) rooms(t *testing.T) []models.Room {
	t.Helper()
	var r []models.Room
	if err := json.Unmarshal(a.env.OCS.Data, &r); err != nil {
		t.Fatalf("not a room list: %s", a.body)
	}
	return r
}

func (a answer) data() string { return string(a.env.OCS.Data) }

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// basicWorld: alice moderates a group room and a public room, bob attends.
func basicWorld(t *testing.T, opts ...Option) (*Server, string, string) {
	t.Helper()
	s := New(opts...)
	t.Cleanup(s.Close)
	s.AddUser("alice", "pw-alice", "sip")
	s.AddUser("bob", "pw-bob")
	s.SetSIPConfig(true)
	g := s.AddRoom(Room{Name: "Group", Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner, "bob": models.ParticipantUser}})
	p := s.AddRoom(Room{Name: "Public", Type: models.ConversationPublic, Participants: map[string]models.ParticipantType{"alice": models.ParticipantModerator}})
	return s, g, p
}

func TestTokens(t *testing.T) {
	s := New()
	defer s.Close()
	for i := 0; i < 50; i++ {
		tok := s.AddRoom(Room{})
		if !tokenRe.MatchString(tok) || len(tok) != 8 {
			t.Fatalf("token %q without SIP", tok)
		}
	}
	s.SetSIPConfig(true)
	for i := 0; i < 200; i++ {
		tok := s.AddRoom(Room{})
		if len(tok) != 10 || !models.SIPCompatibleToken(tok) {
			t.Fatalf("token %q with SIP is not SIP-compatible", tok)
		}
	}
}

func TestPHPIntCast(t *testing.T) {
	for in, want := range map[string]int64{
		"1": 1, "abc": 0, "": 0, "1893456000.5": 1893456000, "2030-01-01T00:00:00Z": 2030,
		"-5": -5, " 12": 12, "1e3": 1000, "99999999999999999999999": 9223372036854775807,
		"-99999999999999999999999": -9223372036854775808, "9223372036854775807": 9223372036854775807,
		"1e400": 0, ".5": 0, "7abc": 7, "+3": 3, "0x1A": 0,
	} {
		if got := phpIntString(in); got != want {
			t.Errorf("phpIntString(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestModifiedSince(t *testing.T) {
	clock := newClock(time.Unix(1800000000, 0))
	s, g, p := basicWorld(t, WithClock(clock.Now))
	alice := newCaller(t, s, "alice", "pw-alice")

	clock.Add(10 * time.Second)
	a := alice.do("GET", v4+"/room", nil)
	if a.status != 200 || len(a.rooms(t)) != 2 {
		t.Fatalf("full list: %d %s", a.status, a.body)
	}
	before := a.header.Get("X-Nextcloud-Talk-Modified-Before")
	if before != "1800000010" || a.header.Get("X-Nextcloud-Talk-Hash") == "" {
		t.Fatalf("headers %v", a.header)
	}
	clock.Add(5 * time.Second)
	if a := alice.do("GET", v4+"/room?modifiedSince="+before, nil); a.data() != "[]" {
		t.Fatalf("no change: %s", a.data())
	}
	// A lobby change is a system message: the room shows up.
	if a := alice.do("PUT", v4+"/room/"+g+"/webinar/lobby", form("state", "1")); a.status != 200 {
		t.Fatalf("lobby: %d", a.status)
	}
	// A SIP change is not: it does not.
	if a := alice.do("PUT", v4+"/room/"+p+"/webinar/sip", form("state", "1")); a.status != 200 {
		t.Fatalf("sip: %d %s", a.status, a.body)
	}
	a = alice.do("GET", v4+"/room?modifiedSince="+before, nil)
	if rs := a.rooms(t); len(rs) != 1 || rs[0].Token != g {
		t.Fatalf("after change: %s", a.data())
	}
	// Rooms with a call are always in.
	s.StartCall(p)
	clock.Add(time.Minute)
	next := alice.do("GET", v4+"/room", nil).header.Get("X-Nextcloud-Talk-Modified-Before")
	clock.Add(time.Second)
	a = alice.do("GET", v4+"/room?modifiedSince="+next, nil)
	if rs := a.rooms(t); len(rs) != 1 || rs[0].Token != p || !rs[0].HasCall {
		t.Fatalf("call room: %s", a.data())
	}
	// A change of the user's own participant type is listed too.
	s.EndCall(p)
	clock.Add(time.Minute)
	next = alice.do("GET", v4+"/room", nil).header.Get("X-Nextcloud-Talk-Modified-Before")
	s.Demote(g, "alice")
	a = alice.do("GET", v4+"/room?modifiedSince="+next, nil)
	if rs := a.rooms(t); len(rs) != 1 || rs[0].Token != g || rs[0].ParticipantType != models.ParticipantUser {
		t.Fatalf("demoted room: %s", a.data())
	}
	s.Promote(g, "alice")
	// Garbage is 0: everything.
	if rs := alice.do("GET", v4+"/room?modifiedSince=abc", nil).rooms(t); len(rs) != 2 {
		t.Fatalf("garbage: %d rooms", len(rs))
	}
	// The hash changes with the SIP config.
	h1 := alice.do("GET", v4+"/room", nil).header.Get("X-Nextcloud-Talk-Hash")
	s.SetSIPConfig(false)
	a = alice.do("GET", v4+"/room/"+p, nil)
	if h2 := a.header.Get("X-Nextcloud-Talk-Hash"); h2 == "" || h2 == h1 {
		t.Fatalf("hash %q then %q", h1, h2)
	}
	if r := a.room(t); r.SIPEnabled != 0 || r.CanEnableSIP || r.AttendeePin != "" {
		t.Fatalf("SIP unconfigured must read as off: %+v", r)
	}
	if r, _ := s.Room(p); r.SIPEnabled != models.SIPEnabled {
		t.Fatalf("stored SIP state lost: %d", r.SIPEnabled)
	}
}

func TestLazyLobbyReset(t *testing.T) {
	clock := newClock(time.Unix(1800000000, 0))
	s, g, _ := basicWorld(t, WithClock(clock.Now))
	alice := newCaller(t, s, "alice", "pw-alice")
	bob := newCaller(t, s, "bob", "pw-bob")
	a := alice.do("PUT", v4+"/room/"+g+"/webinar/lobby", form("state", "1", "timer", "1800000060"))
	if r := a.room(t); r.LobbyState != 1 || r.LobbyTimer != 1800000060 {
		t.Fatalf("set: %+v", r)
	}
	// bob is held by the lobby: reduced room, participants refused.
	a = bob.do("GET", v4+"/room/"+g, nil)
	var raw map[string]any
	_ = json.Unmarshal(a.env.OCS.Data, &raw)
	if _, ok := raw["lastMessage"]; ok || raw["canStartCall"] != false || len(raw) != 51 {
		t.Fatalf("held view: %v", raw)
	}
	if a := bob.do("GET", v4+"/room/"+g+"/participants", nil); a.status != 412 {
		t.Fatalf("held participants: %d", a.status)
	}
	clock.Add(30 * time.Second)
	if r := alice.do("GET", v4+"/room/"+g, nil).room(t); r.LobbyState != 1 {
		t.Fatalf("before the timer: %+v", r)
	}
	clock.Add(31 * time.Second)
	if r, _ := s.Room(g); r.LobbyState != 1 {
		t.Fatalf("Room() must not reset (nobody read it yet): %+v", r)
	}
	r := bob.do("GET", v4+"/room/"+g, nil).room(t)
	if r.LobbyState != 0 || r.LobbyTimer != 0 || r.LastActivity != 1800000061 {
		t.Fatalf("after the timer: %+v", r)
	}
	if r, _ := s.Room(g); r.LobbyState != 0 || r.LobbyTimer != 0 {
		t.Fatalf("stored after the read: %+v", r)
	}
	// Timer with state 0 is kept until it passes, without a message.
	alice.do("PUT", v4+"/room/"+g+"/webinar/lobby", form("state", "0", "timer", "1800000100"))
	if r := alice.do("GET", v4+"/room/"+g, nil).room(t); r.LobbyState != 0 || r.LobbyTimer != 1800000100 {
		t.Fatalf("stale timer: %+v", r)
	}
	clock.Add(time.Minute)
	if r := alice.do("GET", v4+"/room", nil).rooms(t); r[0].LobbyTimer != 0 {
		t.Fatalf("stale timer after expiry: %+v", r[0])
	}
}

func TestWebinarRefusals(t *testing.T) {
	s, g, p := basicWorld(t)
	alice := newCaller(t, s, "alice", "pw-alice")
	one, zero := 1, 0
	brk := s.AddRoom(Room{Name: "Breakout", ObjectType: "room", ObjectID: g, Participants: map[string]models.ParticipantType{"alice": models.ParticipantModerator}})
	fed := s.AddRoom(Room{Name: "Fed", RemoteServer: "https://other.example", Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner}})
	file := s.AddRoom(Room{Name: "File", ObjectType: "file", ObjectID: "42", Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner}})
	cl := s.AddRoom(Room{Type: models.ConversationChangelog, Name: "alice", Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner}})
	letters := s.AddRoom(Room{Token: "abcd1234", Name: "Letters", Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner}})
	s.UpdateRoom(p, func(r *Room) { r.ForcedSIP = &one; r.SIPEnabled = 1; r.ForcedLobby = &zero })
	for _, c := range []struct {
		name, token, kind, state string
		status                   int
		data                     string
	}{
		{"breakout lobby", brk, "lobby", "1", 400, `{"error":"breakout-room"}`},
		{"breakout sip", brk, "sip", "1", 400, `{"error":"breakout-room"}`},
		{"federated", fed, "lobby", "1", 406, `[]`},
		{"file object", file, "lobby", "1", 400, `{"error":"object"}`},
		{"changelog type", cl, "lobby", "1", 400, `{"error":"type"}`},
		{"changelog bad state is type", cl, "lobby", "9", 400, `{"error":"type"}`},
		{"letters", letters, "sip", "2", 400, `{"error":"token"}`},
		{"forced sip", p, "sip", "0", 400, `{"error":"forced","forced":1}`},
		{"forced sip same", p, "sip", "1", 200, ""},
		{"forced lobby", p, "lobby", "1", 400, `{"error":"forced","forced":0}`},
		{"not moderator missing state", g, "lobby", "", 500, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := form("state", c.state)
			if c.state == "" {
				f = nil
			}
			a := alice.do("PUT", v4+"/room/"+c.token+"/webinar/"+c.kind, f)
			if a.status != c.status {
				t.Fatalf("status %d, want %d: %s", a.status, c.status, a.body)
			}
			if c.data != "" && !jsonEqual([]byte(a.data()), []byte(c.data)) {
				t.Errorf("data %s, want %s", a.data(), c.data)
			}
		})
	}
}

func TestOnActionDemote(t *testing.T) {
	s, g, _ := basicWorld(t)
	var got []Action
	var mu sync.Mutex
	s.OnAction(func(a Action) {
		mu.Lock()
		got = append(got, a)
		mu.Unlock()
		s.Demote(a.Token, a.User)
	})
	alice := newCaller(t, s, "alice", "pw-alice")
	a := alice.do("PUT", v4+"/room/"+g+"/webinar/lobby", form("state", "1", "timer", "1900000000"))
	if a.status != 403 || a.data() != "[]" {
		t.Fatalf("demoted: %d %s", a.status, a.body)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0] != (Action{User: "alice", Token: g, Kind: "lobby", State: 1, Timer: 1900000000}) {
		t.Fatalf("actions %+v", got)
	}
	if r, _ := s.Room(g); r.Participants["alice"] != models.ParticipantUser || r.LobbyState != 0 {
		t.Fatalf("room %+v", r)
	}
}

func TestServerLevelAnswers(t *testing.T) {
	s, g, _ := basicWorld(t)
	alice := newCaller(t, s, "alice", "pw-alice")

	// CSRF: no OCS-APIRequest header.
	alice.noOCS = true
	a := alice.do("GET", v4+"/room", nil)
	if a.status != 412 || string(a.body) != `{"message":"CSRF check failed"}` || !strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
		t.Fatalf("CSRF: %d %s %s", a.status, a.header.Get("Content-Type"), a.body)
	}
	alice.noOCS = false

	// Unknown route and bad token: 998, XML unless format=json.
	for _, p := range []string{v4 + "/nothing", v4 + "/room/ABC", v4 + "/room/abc", v4 + "/room/" + g + "/webinar"} {
		a = alice.do("GET", p, nil)
		if a.status != 404 || !strings.Contains(string(a.body), "<statuscode>998</statuscode>") {
			t.Errorf("%s: %d %s", p, a.status, a.body)
		}
	}
	a = alice.do("GET", v4+"/room/ABC?format=json", nil)
	if a.status != 404 || a.env.OCS.Meta.StatusCode != 998 || !strings.HasPrefix(a.env.OCS.Meta.Message, "Invalid query") {
		t.Errorf("998 json: %s", a.body)
	}
	// Wrong method: 405, no body.
	if a = alice.do("POST", v4+"/room/"+g+"/webinar/sip", form("state", "1")); a.status != 405 || len(a.body) != 0 {
		t.Errorf("405: %d %s", a.status, a.body)
	}
	// No Accept header: Talk answers in XML.
	alice.accept = ""
	a = alice.do("GET", v4+"/room/"+g, nil)
	if a.status != 200 || !strings.Contains(string(a.body), "<token>"+g+"</token>") || !strings.Contains(a.header.Get("Content-Type"), "xml") {
		t.Errorf("XML room: %s", a.body)
	}
	alice.accept = "application/json"
	// Maintenance.
	s.SetMaintenance(true)
	a = alice.do("GET", v4+"/room", nil)
	if a.status != 503 || a.header.Get("X-Nextcloud-Maintenance-Mode") != "1" || !strings.Contains(string(a.body), "<statuscode>503</statuscode>") {
		t.Errorf("maintenance: %d %v %s", a.status, a.header, a.body)
	}
	if a = alice.do("GET", v4+"/room?format=json", nil); a.env.OCS.Meta.StatusCode != 503 {
		t.Errorf("maintenance json: %s", a.body)
	}
	if a = anon0(t, s).do("GET", "/status.php", nil); a.status != 200 || !strings.Contains(string(a.body), `"maintenance":true`) {
		t.Errorf("status.php in maintenance: %d %s", a.status, a.body)
	}
	s.SetMaintenance(false)
	// Current user and capabilities.
	s.SetDisplayName("alice", "Alice A.")
	a = alice.do("GET", "/ocs/v2.php/cloud/user", nil)
	var u models.User
	_ = json.Unmarshal(a.env.OCS.Data, &u)
	if a.status != 200 || u.ID != "alice" || u.DisplayName != "Alice A." {
		t.Errorf("user: %s", a.body)
	}
	anon := newCaller(t, s, "", "")
	a = anon.do("GET", "/ocs/v2.php/cloud/capabilities", nil)
	if a.status != 200 || !strings.Contains(a.data(), `"can-enable-sip":false`) || !strings.Contains(a.data(), `"sip-enabled":true`) {
		t.Errorf("anonymous capabilities: %d %s", a.status, a.data())
	}
	if a = anon.do("GET", "/ocs/v2.php/cloud/user", nil); a.status != 401 || a.env.OCS.Meta.StatusCode != 997 {
		t.Errorf("anonymous user: %d %s", a.status, a.body)
	}
	// Participants.
	a = alice.do("GET", v4+"/room/"+g+"/participants", nil)
	var ps []models.Participant
	_ = json.Unmarshal(a.env.OCS.Data, &ps)
	if a.status != 200 || len(ps) != 2 || ps[0].ActorID != "alice" || ps[0].ParticipantType != 1 || ps[1].DisplayName != "bob" {
		t.Errorf("participants: %s", a.body)
	}
	// Requests log: Authorization redacted.
	var seen bool
	for _, r := range s.Requests() {
		if r.HasAuth && r.User == "alice" {
			seen = true
			if v := r.Header.Get("Authorization"); strings.Contains(v, "Basic ") {
				t.Fatalf("authorization not redacted: %q", v)
			}
		}
	}
	if !seen {
		t.Error("requests not logged")
	}
}

func TestSessionCookies(t *testing.T) {
	s, g, _ := basicWorld(t)
	pw := s.AddAppPassword("alice")
	jar, _ := cookiejar.New(nil)
	c := newCaller(t, s, "alice", pw)
	c.hc.Jar = jar
	if a := c.do("GET", v4+"/room", nil); a.status != 200 || len(a.header.Values("Set-Cookie")) < 4 {
		t.Fatalf("first: %d %v", a.status, a.header)
	}
	c.user, c.pw = "", ""
	if a := c.do("GET", v4+"/room/"+g, nil); a.status != 200 || a.room(t).Token != g {
		t.Fatalf("cookie only: %d %s", a.status, a.body)
	}
	reqs := s.Requests()
	if last := reqs[len(reqs)-1]; last.HasAuth || !last.HasCookie {
		t.Fatalf("second request: %+v", last)
	}
	// Revoke the app password through the session: the session dies too.
	if a := c.do("DELETE", "/ocs/v2.php/core/apppassword", nil); a.status != 200 || a.data() != "[]" {
		t.Fatalf("revoke: %d %s", a.status, a.body)
	}
	if s.AppPasswordValid("alice", pw) {
		t.Fatal("still valid")
	}
	if a := c.do("GET", v4+"/room", nil); a.status != 401 || a.env.OCS.Meta.Message != "Current user is not logged in" {
		t.Fatalf("after revoke (cookie): %d %s", a.status, a.body)
	}
	c.user, c.pw = "alice", pw
	if a := c.do("GET", v4+"/room", nil); a.status != 401 || !strings.Contains(string(a.body), "Unauthorised") {
		t.Fatalf("after revoke (basic): %d %s", a.status, a.body)
	}
	if !s.AppPasswordValid("alice", "pw-alice") {
		t.Fatal("other passwords must stay valid")
	}
}

func TestBruteForce(t *testing.T) {
	s, _, _ := basicWorld(t)
	s.SetBruteForceThreshold(3)
	bad := newCaller(t, s, "alice", "wrong")
	good := newCaller(t, s, "alice", "pw-alice")
	for i := 0; i < 3; i++ {
		if a := bad.do("GET", v4+"/room", nil); a.status != 401 || a.header.Get("WWW-Authenticate") == "" {
			t.Fatalf("attempt %d: %d", i+1, a.status)
		}
	}
	start := time.Now()
	a := good.do("GET", v4+"/room", nil)
	if a.status != 429 || !strings.Contains(string(a.body), "Reached maximum delay") || !strings.Contains(a.header.Get("Content-Type"), "xml") {
		t.Fatalf("throttled: %d %s", a.status, a.body)
	}
	if a = good.do("GET", v4+"/room?format=json", nil); a.status != 429 || a.env.OCS.Meta.StatusCode != 429 {
		t.Fatalf("throttled json: %d %s", a.status, a.body)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("throttled answers took %v", d)
	}
	if s.FailedLogins() != 3 {
		t.Errorf("FailedLogins = %d", s.FailedLogins())
	}
	s.ResetBruteForce()
	if a = good.do("GET", v4+"/room", nil); a.status != 200 {
		t.Fatalf("after reset: %d", a.status)
	}
	s.SetBruteForceThreshold(0)
	for i := 0; i < 5; i++ {
		bad.do("GET", v4+"/room", nil)
	}
	if a = good.do("GET", v4+"/room", nil); a.status != 200 {
		t.Fatalf("disabled threshold: %d", a.status)
	}
}

func TestInjectedFailures(t *testing.T) {
	s, g, _ := basicWorld(t)
	alice := newCaller(t, s, "alice", "pw-alice")
	s.FailNext("/webinar/lobby", 2, 502, "<html>Bad Gateway</html>")
	for i := 0; i < 2; i++ {
		if a := alice.do("PUT", v4+"/room/"+g+"/webinar/lobby", form("state", "1")); a.status != 502 || !strings.Contains(a.header.Get("Content-Type"), "html") {
			t.Fatalf("fail %d: %d %s", i, a.status, a.body)
		}
	}
	if a := alice.do("GET", v4+"/room", nil); a.status != 200 {
		t.Fatalf("other path affected: %d", a.status)
	}
	if r, _ := s.Room(g); r.LobbyState != 0 {
		t.Fatal("a failed request changed the room")
	}
	if a := alice.do("PUT", v4+"/room/"+g+"/webinar/lobby", form("state", "1")); a.status != 200 {
		t.Fatalf("after the failures: %d", a.status)
	}

	// A fresh connection: Go's Transport retries an idempotent request
	// once when a reused keep-alive connection closes without an answer.
	s.CutNext("/room", 1)
	req, _ := http.NewRequest("GET", s.URL+v4+"/room", nil)
	req.SetBasicAuth("alice", "pw-alice")
	req.Header.Set("OCS-APIRequest", "true")
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := fresh.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("cut: got %d", resp.StatusCode)
	}
	if a := alice.do("GET", v4+"/room", nil); a.status != 200 {
		t.Fatalf("after the cut: %d", a.status)
	}

	s.SetDelay(150 * time.Millisecond)
	start := time.Now()
	alice.do("GET", v4+"/room", nil)
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("delay: answered in %v", d)
	}
	s.SetDelay(0)
	if n := len(s.Requests()); n != 7 {
		t.Errorf("%d requests logged, want 7", n)
	}
	s.ResetRequests()
	if len(s.Requests()) != 0 {
		t.Error("ResetRequests")
	}
}

func TestCloseEndsDelayAndLeaksNothing(t *testing.T) {
	before := runtime.NumGoroutine()
	s := New()
	s.AddUser("alice", "pw")
	s.SetDelay(time.Minute)
	done := make(chan error, 1)
	go func() {
		c := &http.Client{Timeout: 30 * time.Second}
		resp, err := c.Get(s.URL + "/ocs/v2.php/cloud/capabilities")
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	s.Close()
	s.Close() // idempotent
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Close took %v", d)
	}
	<-done
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after Close, %d before", n, before)
	}
}

func TestLoginFlowExpiry(t *testing.T) {
	clock := newClock(time.Unix(1800000000, 0))
	s := New(WithClock(clock.Now))
	defer s.Close()
	s.AddUser("alice", "pw")
	resp, err := http.Post(s.URL+"/login/v2", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var f loginInitJSON
	_ = json.Unmarshal(readBody(t, resp), &f)
	clock.Add(21 * time.Minute)
	if err := s.GrantLogin(f.Login, "alice"); err == nil {
		t.Fatal("granted an expired flow")
	}
	if err := s.GrantLogin(s.URL+"/nothing", "alice"); err == nil {
		t.Fatal("granted a non-flow URL")
	}
	// The browser page grants too (for the demo).
	resp, _ = http.Post(s.URL+"/index.php/login/v2", "", nil)
	_ = json.Unmarshal(readBody(t, resp), &f)
	page, err := http.PostForm(f.Login, url.Values{"user": {"alice"}, "password": {"pw"}})
	if err != nil {
		t.Fatal(err)
	}
	if b := readBody(t, page); page.StatusCode != 200 || !strings.Contains(string(b), "Account connected") {
		t.Fatalf("login page: %d %s", page.StatusCode, b)
	}
	poll, _ := http.PostForm(f.Poll.Endpoint, url.Values{"token": {f.Poll.Token}})
	var res loginResultJSON
	_ = json.Unmarshal(readBody(t, poll), &res)
	if poll.StatusCode != 200 || res.LoginName != "alice" || !s.AppPasswordValid("alice", res.AppPassword) {
		t.Fatalf("poll after page: %d %+v", poll.StatusCode, res)
	}
}

// TestConcurrent hammers the server while the world changes (run with -race).
func TestConcurrent(t *testing.T) {
	s, g, p := basicWorld(t)
	s.AddRooms(GenerateRooms(30, "alice"))
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := &http.Client{Timeout: 10 * time.Second}
			for j := 0; j < 15; j++ {
				var req *http.Request
				switch j % 3 {
				case 0:
					req, _ = http.NewRequest("GET", s.URL+v4+"/room", nil)
				case 1:
					req, _ = http.NewRequest("PUT", s.URL+v4+"/room/"+g+"/webinar/lobby", strings.NewReader("state="+[]string{"0", "1"}[i%2]))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				default:
					req, _ = http.NewRequest("PUT", s.URL+v4+"/room/"+p+"/webinar/sip", strings.NewReader(`{"state":`+[]string{"0", "1", "2"}[j%3]+`}`))
					req.Header.Set("Content-Type", "application/json")
				}
				req.SetBasicAuth("alice", "pw-alice")
				req.Header.Set("OCS-APIRequest", "true")
				resp, err := c.Do(req)
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != 200 && resp.StatusCode != 403 && resp.StatusCode != 412 {
					errs <- errors.New(resp.Status)
				}
			}
		}(i)
	}
	for i := 0; i < 20; i++ {
		s.Demote(g, "alice")
		s.Promote(g, "alice")
		s.SetSIPConfig(i%2 == 0)
		s.StartCall(p)
		s.EndCall(p)
		s.RenameRoom(p, "Renamed")
		_, _ = s.Room(g)
		_ = s.Requests()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestWorldChanges(t *testing.T) {
	clock := newClock(time.Unix(1800000000, 0))
	s, g, p := basicWorld(t, WithClock(clock.Now))
	alice := newCaller(t, s, "alice", "pw-alice")
	clock.Add(time.Minute)
	s.RenameRoom(g, "New name")
	s.StartCall(g)
	r := alice.do("GET", v4+"/room/"+g, nil).room(t)
	if r.Name != "New name" || !r.HasCall || r.CallStartTime != 1800000060 || r.LastActivity != 1800000060 {
		t.Fatalf("room %+v", r)
	}
	s.EndCall(g)
	s.Demote(p, "alice")
	if r := alice.do("GET", v4+"/room/"+p, nil).room(t); r.ParticipantType != models.ParticipantUser || r.Permissions != 246 {
		t.Fatalf("demoted view %+v", r)
	}
	s.Promote(p, "alice")
	if r := alice.do("GET", v4+"/room/"+p, nil).room(t); r.ParticipantType != models.ParticipantModerator {
		t.Fatalf("promoted view %+v", r)
	}
	s.RemoveParticipant(p, "alice")
	if a := alice.do("GET", v4+"/room/"+p, nil); a.status != 404 || a.data() != "[]" {
		t.Fatalf("removed: %d %s", a.status, a.body)
	}
	s.DeleteRoom(g)
	if a := alice.do("PUT", v4+"/room/"+g+"/webinar/lobby", form("state", "1")); a.status != 404 {
		t.Fatalf("deleted: %d", a.status)
	}
	if _, ok := s.Room(g); ok {
		t.Fatal("deleted room still there")
	}
	// SIP groups: alice is in "sip", bob is not.
	s.SetSIPConfig(true, "sip")
	if r := alice.do("GET", "/ocs/v2.php/cloud/capabilities", nil); !strings.Contains(r.data(), `"can-enable-sip":true`) {
		t.Fatalf("alice caps %s", r.data())
	}
	if r := newCaller(t, s, "bob", "pw-bob").do("GET", "/ocs/v2.php/cloud/capabilities", nil); !strings.Contains(r.data(), `"can-enable-sip":false`) {
		t.Fatalf("bob caps %s", r.data())
	}
}

func anon0(t *testing.T, s *Server) *caller { return newCaller(t, s, "", "") }

func TestWithListener(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := New(WithListener(l))
	defer s.Close()
	if s.URL != "http://"+l.Addr().String() {
		t.Fatalf("URL %s, listener %s", s.URL, l.Addr())
	}
	if a := newCaller(t, s, "", "").do("GET", "/ocs/v2.php/cloud/capabilities", nil); a.status != 200 {
		t.Fatalf("status %d", a.status)
	}
}
