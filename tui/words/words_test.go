package words

import (
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/models"
)

var now = time.Date(2026, 12, 1, 14, 35, 0, 0, time.UTC)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// The rounding rule at its boundaries: a future time never reads "in 0m",
// a passed one never reads as future.
func TestRelativeBoundaries(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want string
	}{
		{0, "just now"},
		{time.Nanosecond, "in 1m"},
		{time.Second, "in 1m"},
		{59 * time.Second, "in 1m"},
		{time.Minute, "in 1m"},
		{time.Minute + time.Second, "in 2m"},
		{3*time.Minute + 59*time.Second, "in 4m"},
		{25 * time.Minute, "in 25m"},
		{59*time.Minute + time.Second, "in 1h"},
		{time.Hour, "in 1h"},
		{2*time.Hour + 14*time.Minute + time.Second, "in 2h 15m"},
		{23*time.Hour + 59*time.Minute + 30*time.Second, "in 1d"},
		{24 * time.Hour, "in 1d"},
		{24*time.Hour + time.Second, "in 1d 1h"},
		{3*24*time.Hour + 3*time.Hour + 10*time.Minute, "in 3d 4h"},
		{-time.Nanosecond, "just now"},
		{-59 * time.Second, "just now"},
		{-time.Minute, "1m ago"},
		{-(3*time.Minute + 59*time.Second), "3m ago"},
		{-(2*time.Hour + 15*time.Minute + 59*time.Second), "2h 15m ago"},
		{-(23*time.Hour + 59*time.Minute + 59*time.Second), "23h 59m ago"},
		{-(49*time.Hour + 59*time.Minute), "2d 1h ago"},
	}
	for _, c := range cases {
		if got := Relative(now, now.Add(c.d)); got != c.want {
			t.Errorf("Relative(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

// A countdown never shows a passed time as future and never "in 0m":
// walk second by second across two minutes.
func TestRelativeNeverCrossesNow(t *testing.T) {
	timer := now.Add(90 * time.Second)
	for s := 0; s <= 180; s++ {
		at := now.Add(time.Duration(s) * time.Second)
		got := Relative(at, timer)
		future := timer.After(at)
		if future && (got == "in 0m" || got[:3] != "in ") {
			t.Fatalf("at +%ds: %q for a future time", s, got)
		}
		if !future && got[:3] == "in " {
			t.Fatalf("at +%ds: %q for a passed time", s, got)
		}
	}
}

func TestClock(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	cases := []struct {
		t    time.Time
		loc  *time.Location
		want string
	}{
		{now.Add(25 * time.Minute), berlin, "16:00 CET"},
		{now.Add(25*time.Minute + 6*time.Second), berlin, "16:00:06 CET"},
		{now.Add(25 * time.Minute), time.UTC, "15:00 UTC"},
		{now.Add(10 * time.Hour), berlin, "2026-12-02 01:35 CET"},
		{now.Add(10 * time.Hour), time.UTC, "2026-12-02 00:35 UTC"},
		{now.AddDate(1, 0, 0), berlin, "2027-12-01 15:35 CET"},
		{now, zone(t, "America/Sao_Paulo"), "11:35 UTC-03:00"},
	}
	for _, c := range cases {
		if got := Clock(c.t, now, c.loc); got != c.want {
			t.Errorf("Clock(%v, %v) = %q, want %q", c.t, c.loc, got, c.want)
		}
	}
	if got, want := At(now.Add(25*time.Minute), now, berlin), "16:00 CET = 15:00 UTC, in 25m"; got != want {
		t.Errorf("At = %q, want %q", got, want)
	}
	if got, want := At(now.Add(25*time.Minute), now, zone(t, "Etc/UTC")), "15:00 UTC, in 25m"; got != want {
		t.Errorf("At in Etc/UTC = %q, want %q", got, want)
	}
}

func TestZoneLabels(t *testing.T) {
	summer := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		loc         *time.Location
		at          time.Time
		long, short string
	}{
		{zone(t, "Europe/Berlin"), now, "Europe/Berlin (CET, UTC+01:00)", "CET, UTC+01:00"},
		{zone(t, "Europe/Berlin"), summer, "Europe/Berlin (CEST, UTC+02:00)", "CEST, UTC+02:00"},
		{zone(t, "Asia/Tokyo"), now, "Asia/Tokyo (JST, UTC+09:00)", "JST, UTC+09:00"},
		{zone(t, "America/Sao_Paulo"), now, "America/Sao_Paulo (UTC-03:00)", "UTC-03:00"},
		{zone(t, "Asia/Kolkata"), now, "Asia/Kolkata (IST, UTC+05:30)", "IST, UTC+05:30"},
		{time.UTC, now, "UTC", "UTC"},
		{zone(t, "Etc/UTC"), now, "UTC", "UTC"},
		{time.FixedZone("", 2*3600), now, "local time (UTC+02:00)", "UTC+02:00"},
	}
	for _, c := range cases {
		if got := ZoneLabel(c.loc, c.at); got != c.long {
			t.Errorf("ZoneLabel(%v) = %q, want %q", c.loc, got, c.long)
		}
		if got := ZoneShort(c.loc, c.at); got != c.short {
			t.Errorf("ZoneShort(%v) = %q, want %q", c.loc, got, c.short)
		}
	}
}

func TestRoomWords(t *testing.T) {
	timer := now.Add(25*time.Minute + 30*time.Second).Unix()
	cases := []struct {
		r                    models.Room
		typ, you, lobby, sip string
	}{
		{models.Room{Type: models.ConversationPublic, ParticipantType: models.ParticipantOwner, LobbyState: models.LobbyModeratorsOnly, LobbyTimer: timer},
			"public", "you are the owner", "on · opens in 26m", "off"},
		{models.Room{Type: models.ConversationGroup, ParticipantType: models.ParticipantUser, SIPEnabled: models.SIPEnabled},
			"group", "you are a participant", "off", "PIN"},
		{models.Room{Type: models.ConversationGroup, ParticipantType: models.ParticipantModerator, LobbyState: models.LobbyModeratorsOnly, LobbyTimer: now.Unix(), SIPEnabled: models.SIPEnabledNoPIN},
			"group", "you are a moderator", "on · timer passed", "no PIN"},
		{models.Room{Type: models.ConversationOneToOne, ParticipantType: models.ParticipantOwner},
			"one-to-one", "", "n.a.", "n.a."},
		{models.Room{Type: models.ConversationChangelog, ParticipantType: models.ParticipantUser},
			"changelog", "", "n.a.", "n.a."},
	}
	for _, c := range cases {
		if got := Type(c.r.Type); got != c.typ {
			t.Errorf("Type = %q, want %q", got, c.typ)
		}
		if got := YouAre(c.r); got != c.you {
			t.Errorf("YouAre(%v in %v) = %q, want %q", c.r.ParticipantType, c.r.Type, got, c.you)
		}
		if got := LobbyCell(c.r, now); got != c.lobby {
			t.Errorf("LobbyCell = %q, want %q", got, c.lobby)
		}
		if got := SIPCell(c.r); got != c.sip {
			t.Errorf("SIPCell = %q, want %q", got, c.sip)
		}
	}
	for ty := range typeWords {
		if s := TypeShort(ty); len(s) > TypeWidth {
			t.Errorf("TypeShort(%v) = %q is wider than %d", ty, s, TypeWidth)
		}
	}
	if got, want := Forced(1), "forced on with PIN"; got != want {
		t.Errorf("Forced(1) = %q, want %q", got, want)
	}
	if CallCell(true) != "yes" || CallCell(false) != "" {
		t.Errorf("CallCell: %q %q", CallCell(true), CallCell(false))
	}
}

func TestCantChange(t *testing.T) {
	yes := true
	caps := models.Capabilities{Known: true, HasTalk: true, Features: map[string]bool{models.FeatureSIP: true}, SIPConfigured: &yes, CanEnableSIP: &yes}
	owner := models.Room{Token: "3759050267", Type: models.ConversationGroup, ParticipantType: models.ParticipantOwner, CanEnableSIP: true}
	for _, c := range []struct {
		name string
		edit func(*models.Room)
		want string
	}{
		{"all fine", func(*models.Room) {}, ""},
		{"breakout", func(r *models.Room) { r.ObjectType = "room" }, "breakout room's lobby follows its parent"},
		{"letters", func(r *models.Room) { r.Token = "abcd2xyz" }, "SIP: this conversation's ID has letters"},
		{"participant", func(r *models.Room) { r.ParticipantType = models.ParticipantUser }, "you are not a moderator of this conversation (you are a participant)"},
		{"guest moderator", func(r *models.Room) { r.ParticipantType = models.ParticipantGuestModerator }, "you are a guest moderator"},
		{"one-to-one", func(r *models.Room) { r.Type = models.ConversationOneToOne }, "one-to-one conversation has no lobby"},
	} {
		r := owner
		c.edit(&r)
		got := CantChange(r, caps)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestLobbyUnavailableReason(t *testing.T) {
	mod := models.Room{Token: "abcd", Type: models.ConversationGroup, ParticipantType: models.ParticipantModerator}
	cases := []struct {
		name string
		edit func(*models.Room)
		want string
	}{
		{"moderator of a group room", func(r *models.Room) {}, ""},
		{"owner of a public room", func(r *models.Room) { r.Type, r.ParticipantType = models.ConversationPublic, models.ParticipantOwner }, ""},
		{"event room", func(r *models.Room) { r.ObjectType = "event" }, ""},
		{"one-to-one", func(r *models.Room) { r.Type = models.ConversationOneToOne }, "one-to-one conversation has no lobby"},
		{"note to self", func(r *models.Room) { r.Type = models.ConversationNoteToSelf }, "no lobby"},
		{"plain user", func(r *models.Room) { r.ParticipantType = models.ParticipantUser }, "not a moderator"},
		{"federated", func(r *models.Room) { r.RemoteServer = "https://other.example" }, "federated"},
		{"breakout", func(r *models.Room) { r.ObjectType = "room" }, "breakout"},
		{"file room", func(r *models.Room) { r.ObjectType = "file" }, `"file" object`},
	}
	for _, c := range cases {
		r := mod
		c.edit(&r)
		got := LobbyUnavailableReason(r)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: reason %q, want %q", c.name, got, c.want)
		}
	}
}

func TestSIPUnavailableReason(t *testing.T) {
	yes, no := true, false
	caps := models.Capabilities{Known: true, HasTalk: true, Features: map[string]bool{models.FeatureSIP: true, models.FeatureSIPNoPIN: true}, SIPConfigured: &yes, CanEnableSIP: &yes}
	room := models.Room{Token: "3759050267", Type: models.ConversationGroup, ParticipantType: models.ParticipantOwner, CanEnableSIP: true}
	cases := []struct {
		name string
		edit func(*models.Room, *models.Capabilities)
		want string
	}{
		{"all fine", func(r *models.Room, c *models.Capabilities) {}, ""},
		{"unknown caps, room says yes", func(r *models.Room, c *models.Capabilities) { *c = models.Capabilities{} }, ""},
		{"no talk for this user", func(r *models.Room, c *models.Capabilities) { c.HasTalk, c.Features = false, map[string]bool{} }, "Talk is not available"},
		{"no sip feature", func(r *models.Room, c *models.Capabilities) { c.Features = map[string]bool{} }, "no SIP dial-in support"},
		{"not configured", func(r *models.Room, c *models.Capabilities) { c.SIPConfigured = &no }, "not configured"},
		{"not in groups", func(r *models.Room, c *models.Capabilities) { c.CanEnableSIP = &no }, "not in the groups"},
		{"letters", func(r *models.Room, c *models.Capabilities) { r.Token = "f8gbqb9k" }, "has letters"},
		{"one-to-one", func(r *models.Room, c *models.Capabilities) { r.Type = models.ConversationOneToOne }, "cannot take phone dial-in"},
		{"user", func(r *models.Room, c *models.Capabilities) { r.ParticipantType = models.ParticipantUser }, "not a moderator"},
		{"guest moderator", func(r *models.Room, c *models.Capabilities) { r.ParticipantType = models.ParticipantGuestModerator }, "not a moderator"},
		{"breakout", func(r *models.Room, c *models.Capabilities) { r.ObjectType = "room" }, "breakout"},
		{"server says no", func(r *models.Room, c *models.Capabilities) { r.CanEnableSIP = false }, "does not allow"},
		{"server says no but SIP is on: can switch off", func(r *models.Room, c *models.Capabilities) { r.CanEnableSIP, r.SIPEnabled = false, models.SIPEnabled }, ""},
	}
	for _, c := range cases {
		r, cp := room, caps
		c.edit(&r, &cp)
		got := SIPUnavailableReason(r, cp)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: reason %q, want %q", c.name, got, c.want)
		}
	}
}

func TestKind(t *testing.T) {
	kinds := map[string]models.Participant{"owner": {ParticipantType: models.ParticipantOwner}, "guest": {ParticipantType: models.ParticipantGuest, ActorType: models.ActorGuests},
		"phone": {ActorType: models.ActorPhones, ParticipantType: models.ParticipantUser}, "user": {ParticipantType: models.ParticipantUserPublicLink}}
	for want, p := range kinds {
		if got := Kind(p); got != want {
			t.Errorf("Kind(%+v) = %q, want %q", p, got, want)
		}
	}
}
