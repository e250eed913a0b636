package doctor

import (
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
)

var now = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

func want(t *testing.T, what string, got Finding, st Status, contains ...string) {
	t.Helper()
	if got.Status != st {
		t.Errorf("%s: status %s, want %s (%q)", what, got.Status, st, got.Message)
	}
	for _, c := range contains {
		if !strings.Contains(got.Message+" | "+got.Action, c) {
			t.Errorf("%s: %q does not say %q", what, got.Message+" | "+got.Action, c)
		}
	}
	if strings.ContainsAny(got.Message+got.Action, "\x1b\a") {
		t.Errorf("%s: control characters reach the words: %q", what, got.Message)
	}
	if got.Status != OK && got.Action == "" && st == Problem {
		t.Errorf("%s: a problem says what to do", what)
	}
}

func TestServerFindings(t *testing.T) {
	want(t, "ok", Server("https://cloud.example.com", client.ServerStatus{Installed: true, VersionString: "31.0.6"}, nil), OK, "Nextcloud 31.0.6 answers at https://cloud.example.com")
	want(t, "maintenance", Server("https://c", client.ServerStatus{Installed: true, Maintenance: true, VersionString: "31.0.6"}, nil), Problem, "maintenance mode", "occ maintenance:mode --off")
	want(t, "maintenance 503", Server("https://c", client.ServerStatus{}, &client.APIError{HTTPStatus: 503, Maintenance: true}), Problem, "maintenance mode")
	want(t, "upgrade", Server("https://c", client.ServerStatus{Installed: true, NeedsDBUpgrade: true}, nil), Problem, "occ upgrade")
	want(t, "not installed", Server("https://c", client.ServerStatus{}, nil), Problem, "not installed")
	want(t, "down", Server("https://c", client.ServerStatus{}, &client.NetworkError{Op: "read status.php", Host: "c", Cause: "refused"}), Problem, "does not answer", "check the address")
	want(t, "tls", Server("https://c", client.ServerStatus{}, x509.UnknownAuthorityError{}), Problem, "cannot be reached securely", "authority")
	if !IsMaintenance(client.ServerStatus{}, &client.APIError{Maintenance: true}) || IsMaintenance(client.ServerStatus{}, nil) {
		t.Error("IsMaintenance")
	}
}

func TestConnectionFindings(t *testing.T) {
	want(t, "https", Connection("https://cloud.example.com"), OK, "encrypted")
	want(t, "loopback", Connection("http://127.0.0.1:8080"), OK, "this machine")
	want(t, "localhost", Connection("http://localhost"), OK, "this machine")
	want(t, "http elsewhere", Connection("http://cloud.example.com"), Problem, "unencrypted", "https://")
	want(t, "junk", Connection("::"), Problem, "not a URL")
}

func TestCertificateFindings(t *testing.T) {
	cert := func(days int) *x509.Certificate {
		return &x509.Certificate{NotAfter: now.Add(time.Duration(days)*24*time.Hour + time.Hour)}
	}
	got := Certificate(cert(90), nil, now)
	want(t, "valid", got, OK, "valid until 2027-03-07", "90 days left")
	if got.Details["daysLeft"] != 90 {
		t.Errorf("daysLeft %v", got.Details["daysLeft"])
	}
	want(t, "soon", Certificate(cert(5), nil, now), Warning, "expires on 2026-12-12 (in 5 days)", "renew")
	want(t, "expired", Certificate(&x509.Certificate{NotAfter: now.Add(-time.Hour)}, nil, now), Problem, "expired on 2026-12-07")
	want(t, "untrusted", Certificate(nil, x509.UnknownAuthorityError{}, now), Problem, "does not trust", "valid certificate")
	want(t, "wrong host", Certificate(nil, x509.HostnameError{Certificate: &x509.Certificate{}, Host: "x"}, now), Problem, "another host name")
	want(t, "expired verify", Certificate(nil, x509.CertificateInvalidError{Reason: x509.Expired, Detail: "x"}, now), Problem, "expired")
}

func TestLoginFindings(t *testing.T) {
	want(t, "ok", Login("alice@c", "https://c", models.User{ID: "alice", DisplayName: "Alice \x1b[31mExample"}, nil), OK, "logged in as Alice ^[[31mExample (alice)")
	want(t, "same", Login("alice@c", "https://c", models.User{ID: "alice", DisplayName: "alice"}, nil), OK, "logged in as alice")
	want(t, "401", Login("alice@c", "https://c", models.User{}, &client.APIError{HTTPStatus: 401, OCSStatus: 997}), Problem, "alice@c", "talkmod login https://c")
	want(t, "429", Login("alice@c", "https://c", models.User{}, &client.APIError{HTTPStatus: 429}), Problem, "429", "bruteforce:reset")
	want(t, "500", Login("alice@c", "https://c", models.User{}, &client.APIError{HTTPStatus: 500}), Problem, "could not be checked")
}

func caps(features ...string) models.Capabilities {
	c := models.Capabilities{Known: true, HasTalk: true, TalkVersion: "21.0.0", ServerVersion: "31.0.6", Features: map[string]bool{}}
	for _, f := range features {
		c.Features[f] = true
	}
	return c
}

var allFeatures = []string{"conversation-v4", "webinary-lobby", "sip-support", "sip-support-nopin", "conversation-permissions"}

func TestTalkAndCapabilities(t *testing.T) {
	want(t, "talk", Talk(caps(allFeatures...), nil), OK, "Talk 21.0.0 is installed")
	want(t, "no talk", Talk(models.Capabilities{Known: true}, nil), Problem, "not installed", "enable Talk")
	want(t, "old", Talk(caps("webinary-lobby"), nil), Problem, "API v4")
	want(t, "error", Talk(models.Capabilities{}, &client.APIError{HTTPStatus: 500}), Problem, "could not be read")
	for _, f := range Capabilities(caps(allFeatures...)) {
		want(t, f.Name, f, OK, "has")
	}
	got := Capabilities(caps("conversation-v4"))
	if len(got) != 4 {
		t.Fatalf("%d capability findings", len(got))
	}
	want(t, "lobby", got[0], Problem, "webinary-lobby", "no lobby")
	want(t, "sip", got[1], Warning, "sip-support", "nobody can join by phone")
	want(t, "nopin", got[2], Warning, "sip-support-nopin", "without PIN")
	want(t, "people", got[3], Warning, "conversation-permissions", "let in from the lobby")
	if got[0].Name != "capability webinary-lobby" {
		t.Errorf("name %q", got[0].Name)
	}
	if Capabilities(models.Capabilities{Known: true}) != nil {
		t.Error("no talk: no capability findings")
	}
}

func TestClockFindings(t *testing.T) {
	want(t, "same", Clock(0, true), OK, "agree")
	want(t, "small", Clock(20*time.Second, true), OK, "20s behind", "close enough")
	got := Clock(125*time.Second, true)
	want(t, "server ahead", got, Problem, "this machine's clock is 2m 5s behind the server's", "opens 2m 5s early", "timedatectl")
	if got.Details["skewSeconds"] != 125 {
		t.Errorf("skewSeconds %v", got.Details["skewSeconds"])
	}
	want(t, "server behind", Clock(-31*time.Second, true), Problem, "31s ahead of the server's", "opens 31s late")
	want(t, "limit", Clock(-30*time.Second, true), OK)
	want(t, "no date", Clock(0, false), Warning, "no Date header")
	for d, s := range map[time.Duration]string{45 * time.Second: "45s", 2*time.Minute + 5*time.Second: "2m 5s", 2 * time.Minute: "2m", 63 * time.Minute: "1h 3m", 2 * time.Hour: "2h"} {
		if Span(d) != s {
			t.Errorf("Span(%v) = %q, want %q", d, Span(d), s)
		}
	}
}

func TestSIPFindings(t *testing.T) {
	yes, no := true, false
	c := caps(allFeatures...)
	c.SIPConfigured, c.CanEnableSIP = &yes, &yes
	want(t, "configured", SIPServer(c, nil), OK, "configured")
	text := "+49 30 123\x1b]0;x\a"
	want(t, "dial-in text", SIPServer(c, &text), OK, "+49 30 123")
	empty := " "
	want(t, "no text", SIPServer(c, &empty), Warning, "no dial-in text", "administrator")
	want(t, "groups", SIPGroups(c), OK, "may switch")
	c.SIPConfigured, c.CanEnableSIP = &no, &no
	want(t, "not configured", SIPServer(c, nil), Warning, "not configured")
	want(t, "not in groups", SIPGroups(c), Warning, "not in the groups", "SIP group")
	c.SIPConfigured, c.CanEnableSIP = nil, nil
	want(t, "old talk", SIPServer(c, nil), Warning, "Talk 18")
	want(t, "old talk groups", SIPGroups(c), Warning, "Talk 18")
	want(t, "no sip support", SIPServer(caps("conversation-v4"), nil), Warning, "no SIP dial-in support")
}

func TestThrottlingFindings(t *testing.T) {
	want(t, "none", Throttling(0, 0, false), OK, "not throttled")
	got := Throttling(3200*time.Millisecond, 0, false)
	want(t, "caps delay", got, Problem, "up to 3s", "bruteforce:reset")
	if got.Details["delayMs"] != int64(3200) {
		t.Errorf("delayMs %v", got.Details["delayMs"])
	}
	want(t, "header", Throttling(0, 25*time.Second, false), Problem, "25s")
	want(t, "allow-listed", Throttling(time.Second, 0, true), OK, "exempt")
}

func TestWorst(t *testing.T) {
	if Worst(nil) != OK || Worst([]Finding{{Status: OK}, {Status: Warning}}) != Warning || Worst([]Finding{{Status: Warning}, {Status: Problem}, {Status: OK}}) != Problem {
		t.Error("Worst")
	}
}

func webinar() models.Room {
	return models.Room{Token: "1234567890", Type: models.ConversationPublic, Name: "Town hall", DisplayName: "Town hall",
		ParticipantType: models.ParticipantOwner, CanEnableSIP: true}
}

func byName(fs []Finding) map[string]Finding {
	m := map[string]Finding{}
	for _, f := range fs {
		m[f.Name] = f
	}
	return m
}

func TestRoomFindings(t *testing.T) {
	yes := true
	c := caps(allFeatures...)
	c.SIPConfigured, c.CanEnableSIP = &yes, &yes
	base := RoomFacts{Token: "1234567890", Room: webinar(), Fresh: true, Caps: c, Now: now, PeopleRead: true}

	got := byName(Room(base))
	want(t, "room", got[NameRoom], OK, `"Town hall" found; you are the owner`)
	want(t, "type", got[NameRoomType], OK, "public")
	want(t, "lobby", got[NameRoomLobby], OK, "lobby is off")
	want(t, "sip", got[NameRoomSIP], OK, "off")
	want(t, "token", got[NameRoomToken], OK, "digits only")
	want(t, "people", got[NameRoomPeople], OK, "nobody waits")

	// not found, federated
	nf := base
	nf.Err = &client.APIError{HTTPStatus: 404}
	if fs := Room(nf); len(fs) != 1 {
		t.Fatalf("not found: %d findings", len(fs))
	} else {
		want(t, "404", fs[0], Problem, "not found", "ask its owner")
	}
	nf.Err = &client.APIError{HTTPStatus: 406}
	want(t, "406", Room(nf)[0], Problem, "another server")

	// not a moderator, one-to-one
	r := base
	r.Room.ParticipantType = models.ParticipantUser
	want(t, "not moderator", byName(Room(r))[NameRoom], Problem, "you are a participant", "promote")
	r = base
	r.Room.Type = models.ConversationOneToOne
	fs := byName(Room(r))
	want(t, "one-to-one", fs[NameRoomType], Problem, "one-to-one", "group or public")
	if _, ok := fs[NameRoomLobby]; ok {
		t.Error("a one-to-one room has no lobby finding")
	}

	// lobby timers
	r = base
	r.Room.LobbyState = models.LobbyModeratorsOnly
	r.Room.LobbyTimer = now.Add(25 * time.Minute).Unix()
	want(t, "timer ahead", byName(Room(r))[NameRoomLobby], OK, "opens at 09:25", "in 25m")
	r.Room.LobbyTimer = now.Add(-2 * time.Minute).Unix()
	r.Skew, r.SkewKnown = -3*time.Minute, true
	want(t, "timer passed, fresh", byName(Room(r))[NameRoomLobby], Warning, "server still holds the lobby", "3m behind", "talkmod lobby 1234567890 off")
	r.Fresh = false
	want(t, "timer passed, stale", byName(Room(r))[NameRoomLobby], Warning, "lifts it the next time anyone reads the room")
	r.Room.LobbyTimer = 0
	want(t, "no timer", byName(Room(r))[NameRoomLobby], OK, "no timer")

	// SIP on without dial-in text, or not configured
	r = base
	r.Room.SIPEnabled = models.SIPEnabled
	empty, text := "", "+1 555 0100"
	r.DialIn = &empty
	want(t, "sip no text", byName(Room(r))[NameRoomSIP], Problem, "no dial-in text", "talkmod sip 1234567890 off")
	r.DialIn = &text
	want(t, "sip text", byName(Room(r))[NameRoomSIP], OK, "SIP dial-in is on")
	r.DialIn, r.DialInErr = nil, &client.APIError{HTTPStatus: 500}
	want(t, "sip text error", byName(Room(r))[NameRoomSIP], Warning, "could not be read")
	r.DialInErr = nil
	no := false
	r.Caps.SIPConfigured = &no
	want(t, "sip not configured", byName(Room(r))[NameRoomSIP], Problem, "not configured")

	// tokens with letters
	r = base
	r.Room.Token = "abcd1234"
	want(t, "letters off", byName(Room(r))[NameRoomToken], Warning, "letters")
	r.Room.SIPEnabled = models.SIPEnabledNoPIN
	want(t, "letters on", byName(Room(r))[NameRoomToken], Problem, "although dial-in is on", "digits-only")
}

func TestRoomPeopleFindings(t *testing.T) {
	r := RoomFacts{Token: "1234567890", Room: webinar(), Fresh: true, Now: now, PeopleRead: true}
	waitingGuest := models.Participant{AttendeeID: 5, ActorType: "guests", ParticipantType: models.ParticipantGuest, SessionIDs: []string{"s"}}
	inCallNotLetIn := models.Participant{AttendeeID: 6, ActorType: "users", ParticipantType: models.ParticipantUser, SessionIDs: []string{"t"}, InCall: models.InCallInCall | models.InCallAudio}
	r.People = []models.Participant{waitingGuest, inCallNotLetIn}
	// lobby off: nobody can wait; the list shows them connected or in the call
	want(t, "lobby off", byName(Room(r))[NameRoomPeople], OK, "nobody waits", "2 people without \"let in\" came straight in")
	r.Room.LobbyState = models.LobbyModeratorsOnly
	r.Room.HasCall = true
	got := byName(Room(r))[NameRoomPeople]
	want(t, "call and lobby", got, Warning, "a call is running while 2 people wait", "1 of them sent back", "talkmod admit 1234567890 --all-waiting")
	r.Room.HasCall = false
	r.People = []models.Participant{waitingGuest}
	want(t, "waiting before the call", byName(Room(r))[NameRoomPeople], OK, "1 person wait")
	r.PeopleRead, r.People = false, nil
	if _, ok := byName(Room(r))[NameRoomPeople]; ok {
		t.Error("people not read: no finding")
	}
	r.PeopleErr = errors.New("boom")
	want(t, "people error", byName(Room(r))[NameRoomPeople], Warning, "could not be read")
}
