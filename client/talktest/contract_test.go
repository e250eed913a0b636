package talktest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/internal/recorded"
	"github.com/talkmod/talkmod/models"
)

// The recorded world: users, rooms and SIP settings of the real server at
// the points the recordings were made (see testdata/recorded/INDEX.txt).

const (
	adminPW = "Adm1n-Pass-2024"
	alicePW = "Alice-Pass-2024"
	bobPW   = "Bob-Pass-2024"

	tokGroup    = "f8gbqb9k"
	tokO2O      = "ogwkz55u"
	tokPublic   = "8ihxmeay"
	tokAliceOld = "vwx9y3xk"
	tokSIPGroup = "3759050267"
	tokSIPPub   = "6259521717"
	tokO2OBob   = "3039583565"
	tokAliceNew = "9402968108"
)

type phase int

const (
	phasePreSIP    phase = iota // rooms 01-07 and the default ones
	phaseAliceRoom              // + 08 (alice's pre-SIP room)
	phasePostSIP                // + 20-25 (rooms created with SIP configured)
)

// sipSetup is the admin's SIP setting at a point of the recording.
type sipSetup struct {
	configured bool
	groups     bool // SIP limited to group "sipusers" (admin is in it)
}

// lastActivity of each room as R01 shows it (all before R02's modifiedSince).
var recordedActivity = map[string]int64{
	tokGroup: 1796091983, tokO2O: 1796091928, tokPublic: 1796091983, "bhh5odxe": 1796091947,
	"2psh23b9": 1796091947, "3fg7f5o9": 1796091947, tokSIPGroup: 1796092010, tokSIPPub: 1796092032,
	tokO2OBob: 1796092009, "32depooj": 1796091948, "wgn3kjw6": 1796091948, "x44eqn9z": 1796091948,
	tokAliceOld: 1796091996, tokAliceNew: 1796092009,
}

func seedRecorded(s *Server, ph phase, sip sipSetup) {
	s.AddUser("admin", adminPW, "admin", "sipusers")
	s.AddUser("alice", alicePW)
	s.AddUser("bob", bobPW)
	if sip.groups {
		s.SetSIPConfig(sip.configured, "sipusers")
	} else {
		s.SetSIPConfig(sip.configured)
	}
	P := func(kv ...any) map[string]models.ParticipantType {
		m := map[string]models.ParticipantType{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1].(models.ParticipantType)
		}
		return m
	}
	own, usr := models.ParticipantOwner, models.ParticipantUser
	add := func(r Room) {
		r.LastActivity = recordedActivity[r.Token]
		s.AddRoom(r)
	}
	add(Room{Token: tokGroup, Name: "Group Room (pre-SIP)", Participants: P("admin", own, "alice", usr, "bob", usr)})
	add(Room{Token: tokO2O, Type: models.ConversationOneToOne, Participants: P("admin", own, "alice", own)})
	add(Room{Token: tokPublic, Type: models.ConversationPublic, Name: "Public Room (pre-SIP)", Participants: P("admin", own, "alice", usr)})
	for _, u := range []struct{ user, changelog, note, sample string }{
		{"admin", "bhh5odxe", "2psh23b9", "3fg7f5o9"}, {"alice", "32depooj", "wgn3kjw6", "x44eqn9z"},
	} {
		add(Room{Token: u.changelog, Type: models.ConversationChangelog, Name: u.user, DisplayName: "Talk updates ✅", Participants: P(u.user, usr)})
		add(Room{Token: u.note, Type: models.ConversationNoteToSelf, Name: "Note to self", ObjectType: "note_to_self", Participants: P(u.user, own)})
		add(Room{Token: u.sample, Name: "Let´s get started!", ObjectType: "sample", Participants: P(u.user, own)})
	}
	if ph >= phaseAliceRoom {
		add(Room{Token: tokAliceOld, Name: "Alice Room (pre-SIP)", Participants: P("alice", own)})
	}
	if ph >= phasePostSIP {
		add(Room{Token: tokSIPGroup, Name: "SIP Group Room", Participants: P("admin", own, "alice", usr)})
		add(Room{Token: tokSIPPub, Type: models.ConversationPublic, Name: "SIP Public Room", Participants: P("admin", own, "alice", usr)})
		add(Room{Token: tokO2OBob, Type: models.ConversationOneToOne, Participants: P("admin", own, "bob", own)})
		add(Room{Token: tokAliceNew, Name: "Alice Room (post-SIP)", Participants: P("alice", own)})
	}
}

var recordedAt = regexp.MustCompile(`recorded at: \S+ \(unix (\d+)\)`)

// recordedTimes returns the "recorded at" unix time of each exchange.
func recordedTimes(t *testing.T, name string) []int64 {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(recorded.Dir(), name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, m := range recordedAt.FindAllStringSubmatch(string(data), -1) {
		v, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, v)
	}
	return out
}

// fixedClock is a settable clock for tests.
type fixedClock struct {
	ch chan time.Time
}

func newClock(t time.Time) *fixedClock {
	c := &fixedClock{ch: make(chan time.Time, 1)}
	c.ch <- t
	return c
}

func (c *fixedClock) Now() time.Time {
	t := <-c.ch
	c.ch <- t
	return t
}

func (c *fixedClock) Set(t time.Time) {
	<-c.ch
	c.ch <- t
}

func (c *fixedClock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// replay sends a recorded request to the server.
func replay(t *testing.T, s *Server, ex recorded.Exchange) *http.Response {
	t.Helper()
	u := s.URL + ex.URL.Path
	if ex.URL.RawQuery != "" {
		u += "?" + ex.URL.RawQuery
	}
	var body io.Reader
	ct := ""
	switch {
	case ex.JSONBody != "":
		body, ct = strings.NewReader(ex.JSONBody), "application/json"
	case len(ex.Form) > 0:
		body, ct = strings.NewReader(ex.Form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequest(ex.Method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if ex.User != "" && ex.User != "-" {
		req.SetBasicAuth(ex.User, ex.Password)
	}
	if ex.HasOCSHeader {
		req.Header.Set("OCS-APIRequest", "true")
		req.Header.Set("Accept", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func readBody(t testing.TB, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type envelope struct {
	OCS struct {
		Meta struct {
			Status     string `json:"status"`
			StatusCode int    `json:"statuscode"`
			Message    string `json:"message"`
		} `json:"meta"`
		Data json.RawMessage `json:"data"`
	} `json:"ocs"`
}

func contentFamily(ct string) string {
	ct = strings.ToLower(ct)
	switch {
	case strings.Contains(ct, "json"):
		return "json"
	case strings.Contains(ct, "xml"):
		return "xml"
	case strings.Contains(ct, "html"):
		return "html"
	}
	return ct
}

// roomKeys are the room fields compared with the recording.
var roomKeys = []string{"token", "type", "name", "displayName", "objectType", "participantType",
	"permissions", "lobbyState", "lobbyTimer", "sipEnabled", "canEnableSIP", "hasCall", "readOnly",
	"canStartCall", "canLeaveConversation", "canDeleteConversation", "actorType", "actorId", "listable"}

func compareRoom(t *testing.T, where string, got, want map[string]any) {
	t.Helper()
	for _, k := range roomKeys {
		if !reflect.DeepEqual(got[k], want[k]) {
			t.Errorf("%s: %s = %v, want %v", where, k, got[k], want[k])
		}
	}
	gp, _ := got["attendeePin"].(string)
	wp, _ := want["attendeePin"].(string)
	if (gp == "") != (wp == "") {
		t.Errorf("%s: attendeePin %q, want one like %q", where, gp, wp)
	}
	if !reflect.DeepEqual(sortedMapKeys(got), sortedMapKeys(want)) {
		t.Errorf("%s: fields differ:\n got %v\nwant %v", where, sortedMapKeys(got), sortedMapKeys(want))
	}
}

func sortedMapKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func decodeNumbers(t *testing.T, raw []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
}

// checkExchange compares a response with a recorded one.
func checkExchange(t *testing.T, s *Server, ex recorded.Exchange, resp *http.Response) {
	t.Helper()
	got := readBody(t, resp)
	if resp.StatusCode != ex.Status {
		t.Fatalf("status %d, want %d; body %s", resp.StatusCode, ex.Status, got)
	}
	wantCT := ex.Header.Get("Content-Type")
	if gf, wf := contentFamily(resp.Header.Get("Content-Type")), contentFamily(wantCT); gf != wf {
		t.Errorf("content type %q, want %q", resp.Header.Get("Content-Type"), wantCT)
	}
	for _, h := range []string{"WWW-Authenticate", "X-Nextcloud-Talk-Hash", "X-Nextcloud-Talk-Modified-Before", "X-Nextcloud-Maintenance-Mode"} {
		if (resp.Header.Get(h) != "") != (ex.Header.Get(h) != "") {
			t.Errorf("header %s = %q, recorded %q", h, resp.Header.Get(h), ex.Header.Get(h))
		}
	}
	if w := ex.Header.Get("WWW-Authenticate"); w != "" && resp.Header.Get("WWW-Authenticate") != w {
		t.Errorf("WWW-Authenticate = %q, want %q", resp.Header.Get("WWW-Authenticate"), w)
	}
	if len(ex.Header.Values("Set-Cookie")) > 0 && len(resp.Header.Values("Set-Cookie")) == 0 {
		t.Errorf("no session cookies set")
	}
	if mb := resp.Header.Get("X-Nextcloud-Talk-Modified-Before"); mb != "" && mb != ex.Header.Get("X-Nextcloud-Talk-Modified-Before") {
		t.Errorf("X-Nextcloud-Talk-Modified-Before = %s, want %s", mb, ex.Header.Get("X-Nextcloud-Talk-Modified-Before"))
	}
	switch contentFamily(wantCT) {
	case "xml":
		if !bytes.Equal(got, ex.Body) {
			t.Errorf("XML body:\n%s\nwant:\n%s", got, ex.Body)
		}
		return
	case "json":
	default:
		if len(ex.Body) == 0 && len(got) != 0 {
			t.Errorf("body %q, want none", got)
		}
		return
	}
	var ge, we envelope
	decodeNumbers(t, got, &ge)
	decodeNumbers(t, ex.Body, &we)
	if ge.OCS.Meta != we.OCS.Meta {
		t.Errorf("meta %+v, want %+v", ge.OCS.Meta, we.OCS.Meta)
	}
	wd := bytes.TrimSpace(we.OCS.Data)
	switch {
	case bytes.HasPrefix(wd, []byte(`{"id"`)): // a room
		var g, w map[string]any
		decodeNumbers(t, ge.OCS.Data, &g)
		decodeNumbers(t, wd, &w)
		compareRoom(t, "room", g, w)
	case bytes.HasPrefix(wd, []byte(`[{"id"`)): // a room list
		var g, w []map[string]any
		decodeNumbers(t, ge.OCS.Data, &g)
		decodeNumbers(t, wd, &w)
		byToken := map[string]map[string]any{}
		for _, r := range g {
			byToken[r["token"].(string)] = r
		}
		if len(g) != len(w) {
			t.Errorf("%d rooms, want %d", len(g), len(w))
		}
		for _, r := range w {
			tok := r["token"].(string)
			if gr, ok := byToken[tok]; !ok {
				t.Errorf("room %s missing", tok)
			} else {
				compareRoom(t, "room "+tok, gr, r)
			}
		}
	case bytes.HasPrefix(wd, []byte(`{"version"`)): // capabilities
		var g, w struct {
			Version      map[string]any `json:"version"`
			Capabilities struct {
				Core   map[string]any  `json:"core"`
				Spreed json.RawMessage `json:"spreed"`
			} `json:"capabilities"`
		}
		decodeNumbers(t, ge.OCS.Data, &g)
		decodeNumbers(t, wd, &w)
		if !reflect.DeepEqual(g.Version, w.Version) {
			t.Errorf("version %v, want %v", g.Version, w.Version)
		}
		if g.Capabilities.Core["webdav-root"] != w.Capabilities.Core["webdav-root"] {
			t.Errorf("core %v, want %v", g.Capabilities.Core, w.Capabilities.Core)
		}
		if !jsonEqual(g.Capabilities.Spreed, w.Capabilities.Spreed) {
			t.Errorf("spreed capabilities differ:\n%s\nwant\n%s", g.Capabilities.Spreed, w.Capabilities.Spreed)
		}
	default: // an error payload or [] : exactly the same JSON
		if !jsonEqual(ge.OCS.Data, wd) {
			t.Errorf("data %s, want %s", ge.OCS.Data, wd)
		}
	}
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// contractCase is one recording replayed against a seeded server.
type contractCase struct {
	name  string
	phase phase
	sip   sipSetup
	setup func(s *Server)
	after func(t *testing.T, s *Server) // extra checks on the world
}

var (
	sipOff       = sipSetup{}
	sipOffGroups = sipSetup{groups: true}
	sipOn        = sipSetup{configured: true, groups: true}
)

func setRoom(token string, fn func(r *Room)) func(s *Server) {
	return func(s *Server) { s.UpdateRoom(token, fn) }
}

// rSeries is the world of the R recordings: SIP rooms switched on by S29/S32.
func rSeries(lobbyOn bool) func(s *Server) {
	return func(s *Server) {
		s.UpdateRoom(tokSIPGroup, func(r *Room) { r.SIPEnabled = models.SIPEnabledNoPIN })
		s.UpdateRoom(tokSIPPub, func(r *Room) { r.SIPEnabled = models.SIPEnabled })
		if lobbyOn {
			s.UpdateRoom(tokGroup, func(r *Room) {
				r.LobbyState, r.LobbyTimer, r.LastActivity = models.LobbyModeratorsOnly, 1796696842, 1796092043
			})
		}
	}
}

func wantRoom(token string, lobby models.LobbyState, timer int64, sip models.SIPState) func(t *testing.T, s *Server) {
	return func(t *testing.T, s *Server) {
		t.Helper()
		r, ok := s.Room(token)
		if !ok {
			t.Fatalf("room %s gone", token)
		}
		if r.LobbyState != lobby || r.LobbyTimer != timer || r.SIPEnabled != sip {
			t.Errorf("stored room %s: lobby %d timer %d sip %d, want %d %d %d", token, r.LobbyState, r.LobbyTimer, r.SIPEnabled, lobby, timer, sip)
		}
	}
}

var contractCases = []contractCase{
	{name: "00-capabilities", sip: sipOff},
	{name: "00b-capabilities-after-sip-config", phase: phasePostSIP, sip: sipOn},
	{name: "10-room-list-admin", sip: sipOff},
	{name: "11-room-list-alice", sip: sipOff},

	{name: "L01-lobby-state1", after: wantRoom(tokGroup, 1, 0, 0)},
	{name: "L02-lobby-state0", setup: setRoom(tokGroup, func(r *Room) { r.LobbyState = 1 }), after: wantRoom(tokGroup, 0, 0, 0)},
	{name: "L03-lobby-state1-timer-future", after: wantRoom(tokGroup, 1, 1796178358, 0)},
	{name: "L04-lobby-state1-timer-past", setup: setRoom(tokGroup, func(r *Room) { r.LobbyState, r.LobbyTimer = 1, 1796178358 }), after: wantRoom(tokGroup, 0, 0, 0)},
	{name: "L05-lobby-timer-garbage", after: wantRoom(tokGroup, 1, 0, 0)},
	{name: "L06-lobby-state5", after: wantRoom(tokGroup, 0, 0, 0)},
	{name: "L07-lobby-one-to-one"},
	{name: "L08-lobby-non-moderator-alice"},
	{name: "L09-lobby-unknown-token"},
	{name: "L10-lobby-json-body-timer", after: wantRoom(tokGroup, 1, 1796178358, 0)},
	{name: "L11-lobby-timer-iso-form", after: wantRoom(tokGroup, 0, 0, 0)},
	{name: "L12-lobby-timer-iso-json"},
	{name: "L13-lobby-state-garbage", setup: setRoom(tokGroup, func(r *Room) { r.LobbyState = 1 }), after: wantRoom(tokGroup, 0, 0, 0)},
	{name: "L14-lobby-state-missing", setup: setRoom(tokGroup, func(r *Room) { r.LobbyState = 1 }), after: wantRoom(tokGroup, 1, 0, 0)},
	{name: "L15-lobby-timer-zero"},
	{name: "L16-lobby-timer-negative", after: wantRoom(tokGroup, 1, 0, 0)},
	{name: "L17-lobby-same-state-again", setup: setRoom(tokGroup, func(r *Room) { r.LobbyState = 1 })},
	{name: "L18-lobby-public-room", after: wantRoom(tokPublic, 1, 1796178358, 0)},
	{name: "L19-lobby-query-string", setup: setRoom(tokGroup, func(r *Room) { r.LobbyState = 1 })},
	{name: "L20-lobby-json-state-string"},
	{name: "L21-lobby-timer-float", after: wantRoom(tokGroup, 1, 1893456000, 0)},
	{name: "L22-lobby-timer-huge"},
	{name: "L23-lobby-timer-int-max"},
	{name: "L24-lobby-timer-overflow"},
	{name: "L25-lobby-bob-not-participant-public"},
	{name: "L26-lobby-state-negative"},
	{name: "L27-lobby-json-timer-null"},
	{name: "L28-lobby-json-timer-iso"},
	{name: "L29-lobby-reset-state0", setup: setRoom(tokGroup, func(r *Room) { r.LobbyState, r.LobbyTimer = 1, 9223372036854775807 }), after: wantRoom(tokGroup, 0, 0, 0)},
	{name: "L30-lobby-public-reset-state0", setup: setRoom(tokPublic, func(r *Room) { r.LobbyState, r.LobbyTimer = 1, 1796178358 })},
	{name: "L31-lobby-wrong-method-POST"},
	{name: "L32-lobby-guest-moderator", phase: phasePostSIP, sip: sipOn},

	{name: "R01-room-list-admin", phase: phasePostSIP, sip: sipOn, setup: rSeries(false)},
	{name: "R02-room-list-modifiedSince-nochange", phase: phasePostSIP, sip: sipOn, setup: rSeries(false)},
	{name: "R03-lobby-on-group-for-modifiedSince", phase: phasePostSIP, sip: sipOn, setup: rSeries(false)},
	{name: "R04-room-list-modifiedSince-after-change", phase: phasePostSIP, sip: sipOn, setup: rSeries(true)},
	{name: "R05-room-list-modifiedSince-0", phase: phasePostSIP, sip: sipOn, setup: rSeries(true)},
	{name: "R06-room-list-modifiedSince-garbage", phase: phasePostSIP, sip: sipOn, setup: rSeries(true)},
	{name: "R07-room-list-alice-lobby-on", phase: phasePostSIP, sip: sipOn, setup: rSeries(true)},
	{name: "R08-single-room-admin", phase: phasePostSIP, sip: sipOn, setup: rSeries(true)},
	{name: "R09-single-room-alice-lobby-on", phase: phasePostSIP, sip: sipOn, setup: rSeries(true)},
	{name: "R10-room-list-includeStatus", phase: phasePostSIP, sip: sipOn, setup: rSeries(true)},
	{name: "R11-single-room-unknown", phase: phasePostSIP, sip: sipOn, setup: rSeries(true)},

	{name: "S01-sip-unconfigured-state1", sip: sipOff},
	{name: "S02-sip-unconfigured-state7", sip: sipOff},
	{name: "S03-sip-unconfigured-non-moderator", sip: sipOff},
	{name: "S04-sip-unconfigured-unknown-token", sip: sipOff},
	{name: "S05-sip-unconfigured-one-to-one", sip: sipOff},
	{name: "S06-sip-unconfigured-groups-set-admin-in-group", sip: sipOffGroups},
	{name: "S07-sip-unconfigured-groups-set-bob-not-in-group-nonmod", sip: sipOffGroups},
	{name: "S08-sip-unconfigured-owner-not-in-sip-group", phase: phaseAliceRoom, sip: sipOffGroups},
	{name: "S09-sip-configured-owner-not-in-sip-group", phase: phaseAliceRoom, sip: sipOn},
	{name: "S10-sip-configured-alphanumeric-token-state1", phase: phaseAliceRoom, sip: sipOn},
	{name: "S11-sip-configured-alphanumeric-token-state7", phase: phaseAliceRoom, sip: sipOn},
	{name: "S12-sip-configured-alphanumeric-token-state0-same", phase: phaseAliceRoom, sip: sipOn},
	{name: "S20-sip-state1", phase: phasePostSIP, sip: sipOn, after: wantRoom(tokSIPGroup, 0, 0, 1)},
	{name: "S21-sip-state1-again-same", phase: phasePostSIP, sip: sipOn, setup: setRoom(tokSIPGroup, func(r *Room) { r.SIPEnabled = 1 })},
	{name: "S22-sip-state2", phase: phasePostSIP, sip: sipOn, setup: setRoom(tokSIPGroup, func(r *Room) { r.SIPEnabled = 1 }), after: wantRoom(tokSIPGroup, 0, 0, 2)},
	{name: "S23-sip-state7", phase: phasePostSIP, sip: sipOn, setup: setRoom(tokSIPGroup, func(r *Room) { r.SIPEnabled = 2 }), after: wantRoom(tokSIPGroup, 0, 0, 2)},
	{name: "S24-sip-state0", phase: phasePostSIP, sip: sipOn, setup: setRoom(tokSIPGroup, func(r *Room) { r.SIPEnabled = 2 }), after: wantRoom(tokSIPGroup, 0, 0, 0)},
	{name: "S25-sip-non-moderator-alice", phase: phasePostSIP, sip: sipOn},
	{name: "S26-sip-unknown-token", phase: phasePostSIP, sip: sipOn},
	{name: "S27-sip-owner-not-in-sip-group", phase: phasePostSIP, sip: sipOn},
	{name: "S28-sip-one-to-one", phase: phasePostSIP, sip: sipOn},
	{name: "S29-sip-public-state1", phase: phasePostSIP, sip: sipOn, after: wantRoom(tokSIPPub, 0, 0, 1)},
	{name: "S30-sip-state-negative", phase: phasePostSIP, sip: sipOn},
	{name: "S31-sip-state-garbage", phase: phasePostSIP, sip: sipOn, setup: setRoom(tokSIPGroup, func(r *Room) { r.SIPEnabled = 2 }), after: wantRoom(tokSIPGroup, 0, 0, 0)},
	{name: "S32-sip-json-body", phase: phasePostSIP, sip: sipOn, after: wantRoom(tokSIPGroup, 0, 0, 2)},
	{name: "S33-sip-state-missing", phase: phasePostSIP, sip: sipOn},
	{name: "S34-sip-bob-not-participant", phase: phasePostSIP, sip: sipOn},
	{name: "S35-sip-dialin-info-removed-412", phase: phasePostSIP, sip: sipOffGroups, setup: setRoom(tokSIPGroup, func(r *Room) { r.SIPEnabled = 2 })},
	{name: "S36-sip-noauth-public-room", phase: phasePostSIP, sip: sipOn},
	{name: "S37-sip-guest-moderator-401", phase: phasePostSIP, sip: sipOn},
	{name: "S38-sip-guest-non-moderator", phase: phasePostSIP, sip: sipOn},

	{name: "W14-wrong-password-format-json", phase: phasePostSIP, sip: sipOn},
	{name: "W15-wrong-password-capabilities", phase: phasePostSIP, sip: sipOn},
	{name: "W16-unknown-user", phase: phasePostSIP, sip: sipOn},
	{name: "W17-no-auth-at-all", phase: phasePostSIP, sip: sipOn},

	{name: "Z01-reset-group-lobby", phase: phasePostSIP, sip: sipOn, setup: setRoom(tokGroup, func(r *Room) { r.LobbyState, r.LobbyTimer = 1, 1796696842 })},
	{name: "Z02-reset-sip-group", phase: phasePostSIP, sip: sipOn, setup: setRoom(tokSIPGroup, func(r *Room) { r.SIPEnabled = 2 })},
	{name: "Z03-reset-sip-public", phase: phasePostSIP, sip: sipOn, setup: setRoom(tokSIPPub, func(r *Room) { r.SIPEnabled = 1 })},
}

func TestContractRecordings(t *testing.T) {
	covered := 0
	for _, c := range contractCases {
		t.Run(c.name, func(t *testing.T) {
			rec, err := recorded.Load(c.name)
			if err != nil {
				t.Fatal(err)
			}
			times := recordedTimes(t, c.name)
			if len(times) == 0 {
				t.Fatal("no recorded time")
			}
			clock := newClock(time.Unix(times[0], 0))
			s := New(WithClock(clock.Now))
			defer s.Close()
			seedRecorded(s, c.phase, c.sip)
			if c.setup != nil {
				c.setup(s)
			}
			ex := rec.First()
			checkExchange(t, s, ex, replay(t, s, ex))
			if c.after != nil {
				c.after(t, s)
			}
		})
		covered++
	}
	t.Logf("%d single-exchange recordings replayed", covered)
}

// TestContractBruteForceSequence replays W01–W13 in order on one server:
// ten 401s, then 429 for everybody, the right password included.
func TestContractBruteForceSequence(t *testing.T) {
	clock := newClock(time.Unix(1796092070, 0))
	s := New(WithClock(clock.Now))
	defer s.Close()
	seedRecorded(s, phasePostSIP, sipOn)
	names := []string{"W01-wrong-password-attempt", "W02-wrong-password-attempt", "W03-wrong-password-attempt",
		"W04-wrong-password-attempt", "W05-wrong-password-attempt", "W06-wrong-password-attempt",
		"W07-wrong-password-attempt", "W08-wrong-password-attempt", "W09-wrong-password-attempt",
		"W10-wrong-password-attempt", "W11-wrong-password-attempt", "W12-wrong-password-attempt",
		"W13-correct-password-while-throttled"}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			rec, err := recorded.Load(name)
			if err != nil {
				t.Fatal(err)
			}
			clock.Set(time.Unix(recordedTimes(t, name)[0], 0))
			start := time.Now()
			ex := rec.First()
			checkExchange(t, s, ex, replay(t, s, ex))
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("answer took %v: talktest must not sleep on bad passwords", d)
			}
		})
	}
	// After the 30-minute window the address is free again.
	clock.Add(31 * time.Minute)
	req, _ := http.NewRequest("GET", s.URL+"/ocs/v2.php/apps/spreed/api/v4/room", nil)
	req.SetBasicAuth("admin", adminPW)
	req.Header.Set("OCS-APIRequest", "true")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("after the window: status %d, want 200", resp.StatusCode)
	}
}

// TestContractLoginFlow replays LF1 and goes on past the recording: grant,
// one 200 with the credentials, then 404 again.
func TestContractLoginFlow(t *testing.T) {
	rec, err := recorded.Load("LF1-login-flow-v2-start-and-poll-pending")
	if err != nil {
		t.Fatal(err)
	}
	s := New()
	defer s.Close()
	s.AddUser("admin", adminPW)

	start := rec.Exchanges[0]
	resp := replay(t, s, start)
	body := readBody(t, resp)
	if resp.StatusCode != start.Status || contentFamily(resp.Header.Get("Content-Type")) != "json" {
		t.Fatalf("start: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if len(resp.Header.Values("Set-Cookie")) == 0 {
		t.Error("start: no session cookies")
	}
	var got, want loginInitJSON
	decodeNumbers(t, body, &got)
	decodeNumbers(t, start.Body, &want)
	if len(got.Poll.Token) != len(want.Poll.Token) {
		t.Errorf("poll token length %d, want %d", len(got.Poll.Token), len(want.Poll.Token))
	}
	if got.Poll.Endpoint != s.URL+"/index.php/login/v2/poll" || !strings.HasPrefix(got.Login, s.URL+"/index.php/login/v2/flow/") {
		t.Errorf("start: %+v", got)
	}

	poll := func(endpoint string) (int, []byte) {
		t.Helper()
		r, err := http.Post(endpoint, "application/x-www-form-urlencoded", strings.NewReader("token="+got.Poll.Token))
		if err != nil {
			t.Fatal(err)
		}
		return r.StatusCode, readBody(t, r)
	}
	pending := rec.Exchanges[1]
	if st, b := poll(got.Poll.Endpoint); st != pending.Status || string(b) != string(pending.Body) {
		t.Errorf("pending poll: %d %s, want %d %s", st, b, pending.Status, pending.Body)
	}
	if err := s.GrantLogin(got.Login, "nosuchuser"); err == nil {
		t.Error("GrantLogin for an unknown user succeeded")
	}
	if err := s.GrantLogin(got.Login, "admin"); err != nil {
		t.Fatal(err)
	}
	st, b := poll(s.URL + "/login/v2/poll") // without index.php works too
	if st != 200 {
		t.Fatalf("granted poll: %d %s", st, b)
	}
	var res loginResultJSON
	decodeNumbers(t, b, &res)
	if res.Server != s.URL || res.LoginName != "admin" || len(res.AppPassword) != 72 || !s.AppPasswordValid("admin", res.AppPassword) {
		t.Errorf("granted poll: %+v", res)
	}
	if st, b := poll(got.Poll.Endpoint); st != 404 || string(b) != "[]" {
		t.Errorf("second poll after grant: %d %s, want 404 []", st, b)
	}
}

// TestContractParticipants compares the user entries of G02.
func TestContractParticipants(t *testing.T) {
	rec, err := recorded.Load("G02-participants-list")
	if err != nil {
		t.Fatal(err)
	}
	s := New(WithClock(newClock(time.Unix(1796092028, 0)).Now))
	defer s.Close()
	seedRecorded(s, phasePostSIP, sipOn)
	rSeries(false)(s)
	ex := rec.First()
	resp := replay(t, s, ex)
	body := readBody(t, resp)
	if resp.StatusCode != ex.Status {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var ge, we envelope
	decodeNumbers(t, body, &ge)
	decodeNumbers(t, ex.Body, &we)
	var g, w []map[string]any
	decodeNumbers(t, ge.OCS.Data, &g)
	decodeNumbers(t, we.OCS.Data, &w)
	byActor := map[string]map[string]any{}
	for _, p := range g {
		byActor[p["actorId"].(string)] = p
	}
	for _, p := range w {
		if p["actorType"] != "users" {
			continue // guests are not modelled
		}
		gp := byActor[p["actorId"].(string)]
		if gp == nil {
			t.Errorf("participant %v missing", p["actorId"])
			continue
		}
		for _, k := range []string{"participantType", "permissions", "actorType", "displayName", "roomToken"} {
			if !reflect.DeepEqual(gp[k], p[k]) {
				t.Errorf("%v: %s = %v, want %v", p["actorId"], k, gp[k], p[k])
			}
		}
		if (gp["attendeePin"] == "") != (p["attendeePin"] == "") {
			t.Errorf("%v: attendeePin %v, want like %v", p["actorId"], gp["attendeePin"], p["attendeePin"])
		}
		if !reflect.DeepEqual(sortedMapKeys(gp), sortedMapKeys(p)) {
			t.Errorf("fields %v, want %v", sortedMapKeys(gp), sortedMapKeys(p))
		}
	}
}

// TestContractCoverage makes sure the recordings this package is checked
// against stay many.
func TestContractCoverage(t *testing.T) {
	n := len(contractCases) + 13 + 1 + 1 // + W01–W13, LF1, G02
	if n < 60 {
		t.Errorf("only %d recordings covered", n)
	}
	for _, c := range contractCases {
		if _, err := os.Stat(filepath.Join(recorded.Dir(), c.name+".txt")); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
