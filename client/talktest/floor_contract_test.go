package talktest

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/internal/recorded"
	"github.com/talkmod/talkmod/models"
)

// The F and C recordings' world (FCM-NOTES.md): SG (group, admin #10
// owner, alice #24, bob #25), SP (public, admin #11, alice #26, bob #27,
// a guest #28 once one joins), the one-to-one (admin #6, bob #7), AR
// (alice owner, admin #13 a plain participant, bob not a member).

// seedFloor seeds that world and every password the F and C recordings
// logged in with: app passwords (72 characters) and login passwords.
func seedFloor(t *testing.T, s *Server) {
	t.Helper()
	recs, err := recorded.All("F", "C")
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		for _, ex := range rec.Exchanges {
			switch {
			case ex.User == "" || ex.User == "-":
			case len(ex.Password) > 40:
				s.AddUser(ex.User, ex.Password)
			default:
				s.SetLoginPassword(ex.User, ex.Password)
			}
		}
	}
	own, usr := models.ParticipantOwner, models.ParticipantUser
	s.AddRoom(Room{Token: tokPO2, Type: models.ConversationOneToOne, Participants: map[string]models.ParticipantType{"admin": own, "bob": own},
		AttendeeIDs: map[string]int64{"admin": 6, "bob": 7}})
	s.AddRoom(Room{Token: tokSG, Name: "SIP Group", Participants: map[string]models.ParticipantType{"admin": own, "alice": usr, "bob": usr},
		AttendeeIDs: map[string]int64{"admin": 10, "alice": 24, "bob": 25}})
	s.AddRoom(Room{Token: tokSP, Type: models.ConversationPublic, Name: "SIP Public", Participants: map[string]models.ParticipantType{"admin": own, "alice": usr, "bob": usr},
		AttendeeIDs: map[string]int64{"admin": 11, "alice": 26, "bob": 27}})
	s.AddRoom(Room{Token: tokAR, Name: "Alice Room", Participants: map[string]models.ParticipantType{"alice": own, "admin": usr},
		AttendeeIDs: map[string]int64{"alice": 12, "admin": 13}})
}

// notModeled are the F and C exchanges talktest has no model of, with why.
var notModeled = map[string]string{
	"F00": "the app password fetch", "C00": "the users API (the hook SetEmail does it)",
	"F55": "chat", "F93": "chat", "F94": "chat", "C57": "chat", "C75": "chat",
	"F60": "call peers", "C01": "call peers", "C03": "call peers", "C07": "call peers", "C19": "call peers", "C30": "call peers",
	"C40": "call peers", "C41": "call peers", "C42": "call peers", "C43": "call peers", "C53": "call peers", "C68": "call peers",
	"C69": "call peers", "C90": "call peers", "C94": "call peers",
	"C05": "ringing", "C09": "ringing", "C10": "ringing", "C13": "ringing", "C14": "ringing", "C15": "ringing", "C16": "ringing",
	"C17": "ringing", "C20": "ringing", "C21": "ringing", "C23": "ringing", "C26": "ringing", "C28": "ringing", "C31": "ringing", "C91": "ringing",
	"C22": "user status", "C24": "user status", "C76": "capabilities (the C-series server's own)",
	"C93": "read-only", "C98": "read-only", "C52": "a guest's room read",
	"C89": "participantFlags of a request without a session (talktest keeps call flags per attendee)", "C92": "the same as C89",
}

// pinRe finds SIP PINs: random on both servers, so not compared.
var pinRe = regexp.MustCompile(`"attendeePin":"[0-9]*"`)

// floorRun replays recordings first..last (by name order) on s, with
// hooks run before the named recording.
func floorRun(t *testing.T, s *Server, clock *fixedClock, jars map[string]*http.Client, first, last string, hooks map[string]func()) int {
	t.Helper()
	recs, err := recorded.All("F", "C")
	if err != nil {
		t.Fatal(err)
	}
	replayed := 0
	for _, rec := range recs {
		if rec.Name < first || rec.Name > last+"~" {
			continue
		}
		if first == "F01" && rec.Name >= "F24" && rec.Name < "F29" {
			continue // a run of its own
		}
		if times := recordedTimes(t, rec.Name); len(times) > 0 {
			clock.Set(time.Unix(times[0], 0))
		}
		if h := hooks[rec.Name[:3]]; h != nil {
			h()
		}
		if notModeled[rec.Name[:3]] != "" {
			continue
		}
		ex := rec.First()
		var resp *http.Response
		if jar := jarName(t, rec.Name); jar != "" {
			resp = replayWithJar(t, s, ex, jars, jar)
		} else {
			resp = replay(t, s, ex)
		}
		checkFloorExchange(t, rec.Name, ex, resp)
		replayed++
	}
	return replayed
}

var guestHex = regexp.MustCompile(`[0-9a-f]{40}`)

// checkFloorExchange compares an answer with the recorded one: the
// attendance CSV by status, type, file name and body (guest ids by
// shape); everything else as the P series does (participants field by
// field, rooms by their state), plus the room's defaultPermissions and
// callPermissions.
func checkFloorExchange(t *testing.T, name string, ex recorded.Exchange, resp *http.Response) {
	t.Helper()
	got := readBody(t, resp)
	if strings.HasSuffix(ex.URL.Path, "/download") {
		if resp.StatusCode != ex.Status || contentFamily(resp.Header.Get("Content-Type")) != contentFamily(ex.Header.Get("Content-Type")) {
			t.Errorf("%s: %d %s, recorded %d %s\n%s", name, resp.StatusCode, resp.Header.Get("Content-Type"), ex.Status, ex.Header.Get("Content-Type"), got)
			return
		}
		if ex.Status != 200 {
			if len(ex.Body) == 0 && len(got) != 0 {
				t.Errorf("%s: body %q, recorded none", name, got)
			}
			return
		}
		if g, w := resp.Header.Get("Content-Disposition"), ex.Header.Get("Content-Disposition"); g != w {
			t.Errorf("%s: Content-Disposition %q, recorded %q", name, g, w)
		}
		g := guestHex.ReplaceAllString(strings.TrimRight(string(got), "\n"), "GUEST")
		w := guestHex.ReplaceAllString(string(ex.Body), "GUEST")
		if g != w {
			t.Errorf("%s: CSV\n%s\nrecorded\n%s", name, g, w)
		}
		return
	}
	got = pinRe.ReplaceAll(got, []byte(`"attendeePin":""`))
	ex.Body = pinRe.ReplaceAll(ex.Body, []byte(`"attendeePin":""`))
	resp.Body = io.NopCloser(bytes.NewReader(got))
	checkPeopleExchange(t, name, ex, resp)
	if contentFamily(ex.Header.Get("Content-Type")) != "json" || resp.StatusCode != ex.Status {
		return
	}
	var ge, we envelope
	decodeNumbers(t, got, &ge)
	decodeNumbers(t, ex.Body, &we)
	if bytes.HasPrefix(bytes.TrimSpace(we.OCS.Data), []byte(`{"id"`)) && bytes.HasPrefix(bytes.TrimSpace(ge.OCS.Data), []byte(`{`)) {
		var g, w map[string]any
		decodeNumbers(t, ge.OCS.Data, &g)
		decodeNumbers(t, we.OCS.Data, &w)
		for _, k := range []string{"defaultPermissions", "callPermissions", "permissions", "canStartCall"} {
			if !reflect.DeepEqual(g[k], w[k]) {
				t.Errorf("%s: room %s = %v, recorded %v", name, k, g[k], w[k])
			}
		}
	}
}

// TestContractFloor replays the F recordings in their three runs: the
// room default (stored with bit 1, everyone's own permissions reset, the
// errors), listen-only people joining the call (audio and video dropped,
// 403 before anyone started it), the floor given and taken (not enforced
// until the person's next flags update), promotion and demotion (own
// permissions reset; guests too), and the guest set back to the default
// (filtered out of the answer).
func TestContractFloor(t *testing.T) {
	t.Run("F01-F94", func(t *testing.T) {
		clock := newClock(time.Unix(1796625564, 0))
		s := New(WithClock(clock.Now))
		defer s.Close()
		seedFloor(t, s)
		if n := floorRun(t, s, clock, map[string]*http.Client{}, "F01", "F94", nil); n < 80 {
			t.Errorf("only %d replayed", n)
		}
	})
	t.Run("F24-F28 promotion resets own permissions", func(t *testing.T) {
		clock := newClock(time.Unix(1796626208, 0))
		s := New(WithClock(clock.Now))
		defer s.Close()
		seedFloor(t, s)
		s.SetDefaultPermissions(tokSG, 132) // the run's unrecorded setup
		if n := floorRun(t, s, clock, map[string]*http.Client{}, "F24", "F28", nil); n != 5 {
			t.Errorf("%d replayed, want 5", n)
		}
	})
	t.Run("F95-F99 video only", func(t *testing.T) {
		clock := newClock(time.Unix(1796625931, 0))
		s := New(WithClock(clock.Now))
		defer s.Close()
		seedFloor(t, s)
		// the run's unrecorded setup: listen only; admin in the call
		// with flags 7; alice joined the room in her browser's jar
		s.SetDefaultPermissions(tokSG, 132)
		if _, err := s.JoinRoom(tokSG, "admin"); err != nil {
			t.Fatal(err)
		}
		if err := s.JoinCall(tokSG, 10, 7); err != nil {
			t.Fatal(err)
		}
		jars := map[string]*http.Client{}
		n := floorRun(t, s, clock, jars, "F95", "F99", map[string]func(){"F96": func() {
			alice := load(t, "F96-alice-join-call-flags7-video-only")
			join := load(t, "F32-alice-join-room")
			join.User, join.Password = alice.User, alice.Password
			resp := replayWithJar(t, s, join, jars, "alice-app.cookies")
			if resp.StatusCode != 200 {
				t.Fatalf("alice's join: %d", resp.StatusCode)
			}
			resp.Body.Close()
		}})
		if n != 5 {
			t.Errorf("%d replayed, want 5", n)
		}
	})
}

func load(t *testing.T, name string) recorded.Exchange {
	t.Helper()
	rec, err := recorded.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return rec.First()
}

// TestContractCall replays the C recordings in their two runs: joins,
// leaves, ending the call for everyone (a moderator with a session; a
// participant's all=true is a plain leave; without a session 404), and
// the attendance CSV (its headers, who is listed, the empty 400s, the
// errors with and without format=csv).
func TestContractCall(t *testing.T) {
	t.Run("C00-C85", func(t *testing.T) {
		clock := newClock(time.Unix(1796625666, 0))
		s := New(WithClock(clock.Now))
		defer s.Close()
		seedFloor(t, s)
		s.SetEmail("alice", "alice@example.com") // C00
		hooks := map[string]func(){
			// curl's clock reads :29, but the call began in the second
			// alice joined the previous one (:28): C72 lists her
			"C67": func() { clock.Set(time.Unix(1796625688, 0)) },
			// the guest sent no pings for over 100 s: the session is
			// gone, and with it the guest (C82 lists three people)
			"C82": func() {
				if err := s.Leave(tokSP, 28); err != nil {
					t.Fatal(err)
				}
			},
		}
		if n := floorRun(t, s, clock, map[string]*http.Client{}, "C00", "C85", hooks); n < 45 {
			t.Errorf("only %d replayed", n)
		}
	})
	t.Run("C86-C98", func(t *testing.T) {
		clock := newClock(time.Unix(1796626010, 0))
		s := New(WithClock(clock.Now))
		defer s.Close()
		seedFloor(t, s)
		// the run's unrecorded setup: admin joins the room and the call
		// (flags 3), alice joins the room, each in their jar
		adm, ali := load(t, "C87-room-call-still-active"), load(t, "C88-alice-update-flags-not-in-call")
		jars := map[string]*http.Client{}
		for _, step := range []struct {
			jar, user, pw, path string
			form                url.Values
		}{
			{"admin-app.cookies", adm.User, adm.Password, v4 + "/room/" + tokSP + "/participants/active", url.Values{"force": {"true"}}},
			{"admin-app.cookies", adm.User, adm.Password, v4 + "/call/" + tokSP, url.Values{"flags": {"3"}}},
			{"alice-app.cookies", ali.User, ali.Password, v4 + "/room/" + tokSP + "/participants/active", url.Values{"force": {"true"}}},
		} {
			u, _ := url.Parse("http://x" + step.path)
			resp := replayWithJar(t, s, recorded.Exchange{Method: http.MethodPost, URL: u, User: step.user, Password: step.pw, Form: step.form}, jars, step.jar)
			if resp.StatusCode != 200 {
				t.Fatalf("setup %s: %d", step.path, resp.StatusCode)
			}
			resp.Body.Close()
		}
		n := 0
		recs, _ := recorded.All("C")
		for _, rec := range recs {
			if rec.Name < "C86" || notModeled[rec.Name[:3]] != "" {
				continue
			}
			ex := rec.First()
			if times := recordedTimes(t, rec.Name); len(times) > 0 {
				clock.Set(time.Unix(times[0], 0))
			}
			var resp *http.Response
			if jar := jarName(t, rec.Name); jar != "" {
				resp = replayWithJar(t, s, ex, jars, jar)
			} else {
				resp = replay(t, s, ex)
			}
			checkFloorExchange(t, rec.Name, ex, resp)
			n++
		}
		if n != 6 {
			t.Errorf("%d replayed, want 6", n)
		}
	})
}
