package talktest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/internal/recorded"
	"github.com/talkmod/talkmod/models"
)

// The P recordings' world: SG (group, admin #19, alice #22), SP (public,
// admin #20, alice #23, then a guest #24), the one-to-one admin #2 / bob #3.
const (
	tokSG  = "3759050267"
	tokSP  = "6259521717"
	tokPO2 = "ogwkz55u"
)

// aliceAppPW is the app password alice used in P78-P81.
const aliceAppPW = "zF3qhyU7sHHtdwJ49mJ1MERw8AnB3mvmm2OyPDx7KQfMcYZL1RXUCV80sCMPOmukNgjPnjnV"

// seedPeople: the P recordings logged in with the users' login passwords
// (basic auth), except P78-P81 (alice's app password).
func seedPeople(s *Server) {
	s.SetLoginPassword("admin", adminPW)
	s.SetLoginPassword("alice", alicePW)
	s.SetLoginPassword("bob", bobPW)
	s.AddUser("alice", aliceAppPW)
	own, usr := models.ParticipantOwner, models.ParticipantUser
	s.AddRoom(Room{Token: tokPO2, Type: models.ConversationOneToOne, Participants: map[string]models.ParticipantType{"admin": own, "bob": own},
		AttendeeIDs: map[string]int64{"admin": 2, "bob": 3}})
	s.AddRoom(Room{Token: tokSG, Name: "SIP Group", Participants: map[string]models.ParticipantType{"admin": own, "alice": usr},
		AttendeeIDs: map[string]int64{"admin": 19, "alice": 22}})
	s.AddRoom(Room{Token: tokSP, Type: models.ConversationPublic, Name: "SIP Public", Participants: map[string]models.ParticipantType{"admin": own, "alice": usr},
		AttendeeIDs: map[string]int64{"admin": 20, "alice": 23}})
}

// peopleStep is a recording replayed over HTTP, or (for what a browser or
// a guest did: joins, calls, lobby switches, promotions) the hook that
// does the same to the world.
type peopleStep struct {
	name string
	hook func(t *testing.T, s *Server)
}

func lobby(token string, st models.LobbyState) func(t *testing.T, s *Server) {
	return func(t *testing.T, s *Server) { s.UpdateRoom(token, func(r *Room) { r.LobbyState = st }) }
}

// TestContractPeople walks the P series in its recorded order on one
// server: every moderator request (lists, permissions, removals, their
// errors) and alice's own requests (room reads, joinRoom, joinCall,
// leaveCall, her lists; through a cookie jar where curl used one) answer
// with the recorded status, envelope and body shape. What has no HTTP
// model in talktest is done with the test hooks: the lobby switches and
// promotions (covered by the L and G series) and the re-adding of alice.
// The users log in with their login passwords, so the cookie-session
// logout of a real server shows: P03/P04 (two requests before joinRoom:
// the 2nd logs out and in again), P74-P77 (joinRoom as a jar's 1st
// request, ended by the 2nd), and P78-P81 (an app password: the session
// survives). The Set-Cookie deletions and cookie_test are checked too.
func TestContractPeople(t *testing.T) {
	clock := newClock(time.Unix(1796132040, 0))
	s := New(WithClock(clock.Now))
	defer s.Close()
	seedPeople(s)
	jars := map[string]*http.Client{}
	steps := []peopleStep{
		{name: "P01-participants-baseline-lobby-off"},
		{name: "P02", hook: lobby(tokSG, models.LobbyModeratorsOnly)},
		// alice's browser: a cookie jar keeps her Talk session
		{name: "P03-alice-jar-warmup-1-get-room"},
		{name: "P04-alice-jar-warmup-2-get-room-logout-relogin"},
		{name: "P05-alice-join-conversation-lobby-on"},
		{name: "P06-participants-alice-waiting"},
		{name: "P07-alice-get-participants-while-waiting"},
		{name: "P08-alice-join-call-held-by-lobby"},
		{name: "P09-admit-alice-add-8"},
		{name: "P10-participants-alice-admitted"},
		{name: "P11-alice-get-participants-admitted"},
		{name: "P12-alice-join-call-admitted-no-cookie"},
		{name: "P13-alice-join-call-admitted"},
		{name: "P14-room-admin-call-active"},
		{name: "P15-alice-get-room-in-call"},
		{name: "P16-participants-alice-in-call"},
		{name: "P17-move-back-alice-remove-8"},
		{name: "P18-participants-after-remove-8-in-call"},
		{name: "P19-alice-get-room-moved-back"},
		{name: "P20-alice-get-participants-moved-back"},
		{name: "P21-alice-leave-call-moved-back"},
		{name: "P22-participants-after-alice-left-call"},
		{name: "P23-participants-one-to-one-admin"},
		{name: "P24-participants-bob-not-member"},
		{name: "P25-participants-no-auth-group"},
		{name: "P26-perm-non-moderator-alice"},
		{name: "P27-perm-unknown-attendee"},
		{name: "P28-perm-method-garbage"},
		{name: "P29-perm-permissions-abc"},
		{name: "P30-perm-permissions-256"},
		{name: "P31-perm-permissions-negative"},
		{name: "P32-perm-one-to-one"},
		{name: "P33-perm-owner-self"},
		{name: "P34-perm-set-8"},
		{name: "P35-perm-set-0-json-body-reset"},
		{name: "P36-perm-missing-attendeeId"},
		{name: "P37-perm-missing-attendeeId-format-json"},
		{name: "P38-perm-no-auth"},
		{name: "P39-participants-after-perm-errors"},
		{name: "P40", hook: lobby(tokSP, models.LobbyModeratorsOnly)},
		// the guest's browser: no account, a cookie jar
		{name: "P41-guest-join-public-lobby-on"},
		{name: "P42-guest-set-display-name"},
		{name: "P43-participants-public-guest-waiting"},
		{name: "P44-guest-get-participants-while-waiting"},
		{name: "P45-guest-join-call-held-by-lobby"},
		{name: "P46-admit-guest-add-8"},
		{name: "P47-guest-get-participants-admitted"},
		{name: "P48-guest-join-call-admitted"},
		{name: "P49-participants-public-guest-in-call"},
		{name: "P50-move-back-guest-remove-8"},
		{name: "P51-participants-public-guest-moved-back"},
		{name: "P52", hook: lobby(tokSP, models.LobbyNone)},
		{name: "P53-participants-includeStatus"},
		{name: "P54-remove-self-owner-last-moderator"},
		{name: "P55-remove-non-moderator-alice"},
		{name: "P56-remove-unknown-attendee"},
		{name: "P57-remove-one-to-one"},
		{name: "P58-remove-missing-attendeeId"},
		{name: "P59", hook: func(t *testing.T, s *Server) { s.Promote(tokSG, "alice") }},
		{name: "P60-perm-target-moderator-alice"},
		{name: "P61-remove-owner-by-moderator-alice"},
		{name: "P62-participants-alice-moderator-lobby-on"},
		{name: "P63", hook: func(t *testing.T, s *Server) { s.Demote(tokSG, "alice") }},
		{name: "P64-remove-alice"},
		{name: "P65-alice-get-room-after-removal"},
		{name: "P66-alice-get-participants-after-removal"},
		{name: "P67-participants-after-removal"},
		{name: "P68", hook: func(t *testing.T, s *Server) {
			s.SetParticipant(tokSG, "alice", models.ParticipantUser)
			if id := s.AttendeeID(tokSG, "alice"); id != 25 {
				t.Fatalf("re-added alice is #%d, want a new id 25", id)
			}
		}},
		{name: "P69-participants-after-readd"},
		{name: "P70", hook: lobby(tokSG, models.LobbyNone)},
		{name: "P71-participants-lobby-off"},
		{name: "P72-alice-get-participants-lobby-off"},
		{name: "P73-alice-join-call-without-room-session"},
		// a fresh jar and alice's login password: joinRoom first, then
		// any request logs the cookie session out and ends her session
		{name: "P74-jar-alice-join-conversation-first-request"},
		{name: "P75-jar-participants-alice-online"},
		{name: "P76-jar-alice-second-request-same-jar"},
		{name: "P77-jar-participants-alice-session-gone"},
		// the same with her app password: the session survives
		{name: "P78-apppw-alice-join-conversation-first-request"},
		{name: "P79-apppw-participants-alice-online"},
		{name: "P80-apppw-alice-second-request-same-jar"},
		{name: "P81-apppw-participants-alice-session-kept"},
		{name: "P82-participants-wrong-password"},
		{name: "P83-participants-wrong-password-format-json"},
	}
	replayed := 0
	for _, st := range steps {
		if st.hook != nil {
			st.hook(t, s)
			continue
		}
		rec, err := recorded.Load(st.name)
		if err != nil {
			t.Fatal(err)
		}
		ex := rec.First()
		if times := recordedTimes(t, st.name); len(times) > 0 {
			clock.Set(time.Unix(times[0], 0))
		}
		var resp *http.Response
		if jar := jarName(t, st.name); jar != "" {
			resp = replayWithJar(t, s, ex, jars, jar)
		} else {
			resp = replay(t, s, ex)
		}
		checkPeopleExchange(t, st.name, ex, resp)
		replayed++
	}
	if replayed < 50 {
		t.Errorf("only %d P recordings replayed", replayed)
	}
}

var jarRe = regexp.MustCompile(`-b (\S+\.cookies)`)

// jarName is the curl cookie jar a recording used ("" for none).
func jarName(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(recorded.Dir(), name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	if m := jarRe.FindSubmatch(data); m != nil {
		return string(m[1])
	}
	return ""
}

// replayWithJar sends a recorded request through a client whose cookie
// jar lives as long as the test, like curl's -c/-b file.
func replayWithJar(t *testing.T, s *Server, ex recorded.Exchange, jars map[string]*http.Client, jar string) *http.Response {
	t.Helper()
	c := jars[jar]
	if c == nil {
		j, _ := cookiejar.New(nil)
		c = &http.Client{Jar: j, Timeout: 10 * time.Second}
		jars[jar] = c
	}
	u := s.URL + ex.URL.Path
	if ex.URL.RawQuery != "" {
		u += "?" + ex.URL.RawQuery
	}
	var body io.Reader
	req, err := http.NewRequest(ex.Method, u, body)
	if len(ex.Form) > 0 {
		req, err = http.NewRequest(ex.Method, u, strings.NewReader(ex.Form.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if ex.User != "" && ex.User != "-" {
		req.SetBasicAuth(ex.User, ex.Password)
	}
	req.Header.Set("OCS-APIRequest", "true")
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// participantValueKeys are compared by value; sessionIds by count,
// lastPing by being set, a guest's actorId by shape, status fields by
// presence (talktest has no user status app).
var participantValueKeys = []string{"roomToken", "inCall", "participantType", "attendeeId", "actorType",
	"displayName", "permissions", "attendeePermissions", "attendeePin", "phoneNumber", "callId"}

func checkPeopleExchange(t *testing.T, name string, ex recorded.Exchange, resp *http.Response) {
	t.Helper()
	got := readBody(t, resp)
	if resp.StatusCode != ex.Status {
		t.Errorf("%s: status %d, want %d; body %s", name, resp.StatusCode, ex.Status, got)
		return
	}
	if gf, wf := contentFamily(resp.Header.Get("Content-Type")), contentFamily(ex.Header.Get("Content-Type")); gf != wf {
		t.Errorf("%s: content type %q, want %q", name, resp.Header.Get("Content-Type"), ex.Header.Get("Content-Type"))
	}
	for _, h := range []string{"X-Nextcloud-Has-User-Statuses", "WWW-Authenticate"} {
		if resp.Header.Get(h) != ex.Header.Get(h) {
			t.Errorf("%s: header %s = %q, recorded %q", name, h, resp.Header.Get(h), ex.Header.Get(h))
		}
	}
	if g, w := loginCookies(resp.Header), loginCookies(ex.Header); !reflect.DeepEqual(g, w) {
		t.Errorf("%s: login cookies\n %q\nrecorded\n %q", name, g, w)
	}
	if contentFamily(ex.Header.Get("Content-Type")) == "xml" {
		if !bytes.Equal(got, ex.Body) {
			t.Errorf("%s: XML body\n%s\nwant\n%s", name, got, ex.Body)
		}
		return
	}
	var ge, we envelope
	decodeNumbers(t, got, &ge)
	decodeNumbers(t, ex.Body, &we)
	if ge.OCS.Meta != we.OCS.Meta {
		t.Errorf("%s: meta %+v, want %+v", name, ge.OCS.Meta, we.OCS.Meta)
	}
	wd := bytes.TrimSpace(we.OCS.Data)
	if bytes.HasPrefix(wd, []byte(`{"id"`)) {
		var g, w map[string]any
		decodeNumbers(t, ge.OCS.Data, &g)
		decodeNumbers(t, wd, &w)
		for _, k := range []string{"type", "participantType", "attendeeId", "lobbyState", "hasCall", "callFlag", "canStartCall",
			"participantFlags", "permissions", "attendeePermissions"} {
			if !reflect.DeepEqual(g[k], w[k]) {
				t.Errorf("%s: room %s = %v, recorded %v", name, k, g[k], w[k])
			}
		}
		if (g["sessionId"] == "0") != (w["sessionId"] == "0") {
			t.Errorf("%s: room sessionId %v, recorded one like %v", name, g["sessionId"], w["sessionId"])
		}
		_, gl := g["lastMessage"]
		_, wl := w["lastMessage"]
		if gl != wl {
			t.Errorf("%s: lastMessage shown %v, recorded %v (the lobby view has none)", name, gl, wl)
		}
		return
	}
	if !bytes.HasPrefix(wd, []byte(`[{`)) {
		if !jsonEqual(ge.OCS.Data, wd) {
			t.Errorf("%s: data %s, want %s", name, ge.OCS.Data, wd)
		}
		return
	}
	var g, w []map[string]any
	decodeNumbers(t, ge.OCS.Data, &g)
	decodeNumbers(t, wd, &w)
	if len(g) != len(w) {
		t.Errorf("%s: %d participants, recorded %d:\n%s", name, len(g), len(w), ge.OCS.Data)
	}
	byID := map[string]map[string]any{}
	for _, p := range g {
		byID[p["attendeeId"].(interface{ String() string }).String()] = p
	}
	for _, wp := range w {
		id := wp["attendeeId"].(interface{ String() string }).String()
		gp := byID[id]
		if gp == nil {
			t.Errorf("%s: attendee %s missing", name, id)
			continue
		}
		for _, k := range participantValueKeys {
			if !reflect.DeepEqual(gp[k], wp[k]) {
				t.Errorf("%s: attendee %s: %s = %v, recorded %v", name, id, k, gp[k], wp[k])
			}
		}
		if gs, ws := gp["sessionIds"].([]any), wp["sessionIds"].([]any); len(gs) != len(ws) {
			t.Errorf("%s: attendee %s: %d sessions, recorded %d", name, id, len(gs), len(ws))
		}
		if (gp["lastPing"].(interface{ String() string }).String() == "0") != (wp["lastPing"].(interface{ String() string }).String() == "0") {
			t.Errorf("%s: attendee %s: lastPing %v, recorded %v", name, id, gp["lastPing"], wp["lastPing"])
		}
		switch wp["actorType"] {
		case "guests":
			if a, _ := gp["actorId"].(string); len(a) != 40 || strings.Trim(a, "0123456789abcdef") != "" {
				t.Errorf("%s: guest actorId %q is not 40 hex digits", name, a)
			}
		default:
			if gp["actorId"] != wp["actorId"] {
				t.Errorf("%s: actorId %v, recorded %v", name, gp["actorId"], wp["actorId"])
			}
		}
		if !reflect.DeepEqual(sortedMapKeys(gp), sortedMapKeys(wp)) {
			t.Errorf("%s: attendee %s: fields\n %v\nwant %v", name, id, sortedMapKeys(gp), sortedMapKeys(wp))
		}
	}
}

// loginCookies are the Set-Cookie lines of the session logout (the
// deletions, whole and in order) and of a login-password login without
// cookie_test ("cookie_test" with its Max-Age: its date is the clock's).
func loginCookies(h http.Header) []string {
	out := []string{}
	for _, c := range h.Values("Set-Cookie") {
		switch {
		case strings.Contains(c, "=deleted;"):
			out = append(out, c)
		case strings.HasPrefix(c, "cookie_test="):
			_, maxAge, _ := strings.Cut(c, "Max-Age=")
			out = append(out, "cookie_test Max-Age="+maxAge)
		}
	}
	return out
}
