package talktest

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/talkmod/talkmod/models"
)

const settingsPath = "/ocs/v2.php/apps/spreed/api/v3/signaling/settings?format=json&token="

func settingsData(t *testing.T, a answer) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(a.env.OCS.Data, &m); err != nil {
		t.Fatalf("not an object: %s", a.body)
	}
	return m
}

func dialIn(t *testing.T, a answer) string {
	t.Helper()
	raw, ok := settingsData(t, a)["sipDialinInfo"]
	if !ok {
		t.Fatalf("no sipDialinInfo: %s", a.body)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("sipDialinInfo not a string: %s", raw)
	}
	return s
}

func TestSignalingSettingsDialIn(t *testing.T) {
	s, g, p := basicWorld(t)
	alice := newCaller(t, s, "alice", "pw-alice")
	bob := newCaller(t, s, "bob", "pw-bob")
	evil := "+49 30 1234567 (Germany)\n\x1b[2J\r+1 555 0100\u202e (USA)\x00"
	s.SetSIPDialInInfo(evil)

	a := alice.do(http.MethodGet, settingsPath+g, nil)
	if a.status != 200 || a.env.OCS.Meta.StatusCode != 200 || dialIn(t, a) != evil {
		t.Fatalf("configured: %d %s", a.status, a.body)
	}
	d := settingsData(t, a)
	if string(d["userId"]) != `"alice"` || string(d["signalingMode"]) != `"internal"` || string(d["federation"]) != "null" {
		t.Errorf("other fields: %s", a.body)
	}
	// the text is server-wide: the same for every room
	if a := alice.do(http.MethodGet, settingsPath+p, nil); a.status != 200 || dialIn(t, a) != evil {
		t.Errorf("public room: %d %s", a.status, a.body)
	}

	// a public room the user is not in: getRoomForUserByToken finds it
	if a := bob.do(http.MethodGet, settingsPath+p, nil); a.status != 200 || dialIn(t, a) != evil {
		t.Errorf("public room, not a participant: %d %s", a.status, a.body)
	}
	// a group room the user is not in, an unknown token, a token the
	// routes of v4 would refuse: 404 with data null (no route check here:
	// the token is a query parameter)
	s.AddUser("carol", "pw-carol")
	carol := newCaller(t, s, "carol", "pw-carol")
	for _, tc := range []struct {
		c   *caller
		tok string
	}{{carol, g}, {alice, "999999"}, {alice, "NOT-A-TOKEN"}} {
		a := tc.c.do(http.MethodGet, settingsPath+tc.tok, nil)
		if a.status != 404 || a.env.OCS.Meta.StatusCode != 404 || a.data() != "null" {
			t.Errorf("%s on %q: %d %s, want 404 with data null", tc.c.user, tc.tok, a.status, a.body)
		}
	}

	// SIP not configured: "" (the text stays stored)
	s.SetSIPConfig(false)
	if a := alice.do(http.MethodGet, settingsPath+g, nil); a.status != 200 || dialIn(t, a) != "" {
		t.Errorf("not configured: %d %s", a.status, a.body)
	}
	s.SetSIPConfig(true)
	if a := alice.do(http.MethodGet, settingsPath+g, nil); dialIn(t, a) != evil {
		t.Errorf("configured again: %s", a.body)
	}
}

func TestSignalingSettingsAccess(t *testing.T) {
	s, g, p := basicWorld(t)
	// anonymous (#[PublicPage]): public rooms only
	anon := newCaller(t, s, "", "")
	if a := anon.do(http.MethodGet, settingsPath+p, nil); a.status != 200 || dialIn(t, a) != DefaultSIPDialInInfo {
		t.Errorf("anonymous, public room: %d %s", a.status, a.body)
	} else if string(settingsData(t, a)["userId"]) != "null" {
		t.Errorf("anonymous userId: %s", a.body)
	}
	if a := anon.do(http.MethodGet, settingsPath+g, nil); a.status != 404 {
		t.Errorf("anonymous, group room: %d %s", a.status, a.body)
	}
	// no token at all: the legacy soft-fail, 200
	alice := newCaller(t, s, "alice", "pw-alice")
	if a := alice.do(http.MethodGet, settingsPath, nil); a.status != 200 || dialIn(t, a) != DefaultSIPDialInInfo {
		t.Errorf("no token: %d %s", a.status, a.body)
	}
	// wrong password: the server-level 401
	if a := newCaller(t, s, "alice", "wrong").do(http.MethodGet, settingsPath+g, nil); a.status != 401 {
		t.Errorf("wrong password: %d", a.status)
	}
	// no OCS-APIRequest header: the CSRF check
	noOCS := newCaller(t, s, "alice", "pw-alice")
	noOCS.noOCS = true
	if a := noOCS.do(http.MethodGet, settingsPath+g, nil); a.status != 412 {
		t.Errorf("without OCS-APIRequest: %d %s", a.status, a.body)
	}
	// not a GET
	if a := alice.do(http.MethodPost, settingsPath+g, nil); a.status != 405 {
		t.Errorf("POST: %d", a.status)
	}
}

func TestDialInTextChangesTheTalkHash(t *testing.T) {
	s, _, _ := basicWorld(t)
	alice := newCaller(t, s, "alice", "pw-alice")
	h1 := alice.do(http.MethodGet, v4+"/room?format=json", nil).header.Get("X-Nextcloud-Talk-Hash")
	s.SetSIPDialInInfo("+44 20 7946 0000 (UK)")
	h2 := alice.do(http.MethodGet, v4+"/room?format=json", nil).header.Get("X-Nextcloud-Talk-Hash")
	if h1 == "" || h1 == h2 {
		t.Errorf("hash %q → %q: it must change with sip_bridge_dialin_info", h1, h2)
	}
}

func TestDemoDialInText(t *testing.T) {
	s, acct, err := StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := newCaller(t, s, acct.User, acct.AppPassword)
	var tok string
	for _, r := range c.do(http.MethodGet, v4+"/room?format=json", nil).rooms(t) {
		if r.SIPEnabled != models.SIPDisabled {
			tok = r.Token
			break
		}
	}
	if tok == "" {
		t.Fatal("the demo has no room with SIP on")
	}
	if a := c.do(http.MethodGet, settingsPath+tok, nil); a.status != 200 || dialIn(t, a) != DemoDialInInfo {
		t.Errorf("demo: %d %s", a.status, a.body)
	}
}
