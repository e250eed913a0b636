// Package words owns every user-facing word and format that describes a
// room or a time: room type, role, lobby state with its timer, SIP state,
// call state, forced values, relative durations, absolute dates and times
// and zone labels. The console (tui) and the commands (cmd/talkmod) both
// call it, so the same room reads the same in both.
//
// # Times
//
// Absolute times are "15:04 CET" on the same day in the display zone and
// "2026-01-02 15:04 CET" on any other day (one family, the one the picker
// shows and the commands accept as input). A time that is not on a whole
// minute shows its seconds ("13:16:06 CET"), so an absolute time is never
// shown as earlier than it is.
//
// # The rounding rule for relative times
//
// A relative time is rounded AWAY FROM NOW to its smallest shown unit:
// a future time rounds up ("in 3m" for 2m01s..3m00s), a past time rounds
// down ("3m ago" for 3m00s..3m59s). Hence
//
//   - a future time never reads "in 0m": anything from 1ns to 1m ahead is "in 1m";
//   - a time already passed never reads as future: t == now and earlier
//     read "just now" (under a minute) or "… ago";
//   - a countdown reaches "in 1m" and then, at the instant itself, "just now",
//     in step with the absolute time (which shows seconds when it has them).
//
// Units: minutes below one hour ("in 25m"), hours and minutes below one
// day ("in 2h 15m", "in 2h"), days and hours beyond ("in 3d 4h", "in 1d").
// The carry is applied after rounding: 23h59m30s ahead is "in 1d".
// Abbreviations are always the single letters d, h, m ("in 4m", never
// "in 4 min").
//
// # Zone labels
//
// A zone is named by its IANA name with its abbreviation and offset at the
// moment shown: "Europe/Berlin (CET, UTC+01:00)", "Asia/Sao_Paulo
// (UTC-03:00)" when the zone has no letters abbreviation, and plain "UTC"
// for UTC under any name (UTC, Etc/UTC, a UTC host). The short form, for
// narrow terminals, is the part in brackets: "CET, UTC+01:00".
package words

import (
	"fmt"
	"strconv"
	"time"

	"github.com/talkmod/talkmod/models"
)

// typeWords is the one table of conversation type words: the long form
// for sentences and the commands, the short form for the console's narrow
// TYPE column (the same word whenever it fits TypeWidth).
var typeWords = map[models.ConversationType][2]string{
	models.ConversationOneToOne:       {"one-to-one", "one-to-one"},
	models.ConversationGroup:          {"group", "group"},
	models.ConversationPublic:         {"public", "public"},
	models.ConversationChangelog:      {"changelog", "changelog"},
	models.ConversationFormerOneToOne: {"former one-to-one", "former 1:1"},
	models.ConversationNoteToSelf:     {"note to self", "note"},
}

// TypeWidth is the widest short type word.
const TypeWidth = 10

// Type is the conversation type: "group", "public", "one-to-one",
// "former one-to-one", "changelog", "note to self".
func Type(t models.ConversationType) string {
	if w, ok := typeWords[t]; ok {
		return w[0]
	}
	return "type " + strconv.Itoa(int(t))
}

// TypeShort is Type for a table column of TypeWidth cells.
func TypeShort(t models.ConversationType) string {
	if w, ok := typeWords[t]; ok {
		return w[1]
	}
	return "type " + strconv.Itoa(int(t))
}

// Role is the user's role in a room: "owner", "moderator", "participant",
// "guest", "participant via public link", "guest moderator".
func Role(p models.ParticipantType) string {
	switch p {
	case models.ParticipantOwner:
		return "owner"
	case models.ParticipantModerator:
		return "moderator"
	case models.ParticipantUser:
		return "participant"
	case models.ParticipantGuest:
		return "guest"
	case models.ParticipantUserPublicLink:
		return "participant via public link"
	case models.ParticipantGuestModerator:
		return "guest moderator"
	}
	return "participant type " + strconv.Itoa(int(p))
}

// Kind names what a person is: owner, moderator, participant, user (by a
// public link), guest, guest moderator, phone, federated user, email guest,
// group, team.
func Kind(p models.Participant) string {
	switch p.ActorType {
	case models.ActorPhones:
		return "phone"
	case models.ActorFederatedUsers:
		return "federated user"
	case models.ActorEmails:
		return "email guest"
	case models.ActorGroups:
		return "group"
	case models.ActorCircles:
		return "team"
	}
	if p.ParticipantType == models.ParticipantUserPublicLink {
		return "user"
	}
	return Role(p.ParticipantType)
}

// YouAre is "you are the owner", "you are a moderator", "you are a
// participant", …; "" for a one-to-one, changelog or note-to-self
// conversation, where a role means nothing to the user.
func YouAre(r models.Room) string {
	switch r.Type {
	case models.ConversationGroup, models.ConversationPublic:
	default:
		return ""
	}
	switch r.ParticipantType {
	case models.ParticipantOwner:
		return "you are the owner"
	case models.ParticipantModerator, models.ParticipantGuestModerator, models.ParticipantUser,
		models.ParticipantUserPublicLink:
		return "you are a " + Role(r.ParticipantType)
	case models.ParticipantGuest:
		return "you are a guest"
	}
	return "you are " + Role(r.ParticipantType)
}

// hasLobbyAndSIP tells whether the type can have a lobby and SIP at all.
func hasLobbyAndSIP(t models.ConversationType) bool {
	return t == models.ConversationGroup || t == models.ConversationPublic
}

// NotApplicable is the cell of a setting the conversation type cannot have.
const NotApplicable = "n.a."

// Lobby is the lobby state: "off", "on".
func Lobby(s models.LobbyState) string { return s.String() }

// LobbyCell is the lobby column: "off", "on", "on · opens in 24m",
// "on · timer passed", or "n.a." for a type without a lobby.
func LobbyCell(r models.Room, now time.Time) string {
	if !hasLobbyAndSIP(r.Type) {
		return NotApplicable
	}
	if r.LobbyState != models.LobbyModeratorsOnly {
		return Lobby(r.LobbyState)
	}
	if t, ok := r.LobbyTimerTime(); ok {
		if !t.After(now) {
			return "on · timer passed"
		}
		return "on · opens " + Relative(now, t)
	}
	return "on"
}

// SIP is the SIP dial-in state: "off", "on with PIN", "on without PIN".
// It is the models word, so the client's messages say the same.
func SIP(s models.SIPState) string { return s.String() }

// SIPCell is the SIP column: "off", "PIN", "no PIN", or "n.a." for a type
// without dial-in. Whether the server would refuse a change is said beside
// it (the detail, CAN'T CHANGE), not by hiding the state.
func SIPCell(r models.Room) string {
	if !hasLobbyAndSIP(r.Type) && r.SIPEnabled == models.SIPDisabled {
		return NotApplicable
	}
	switch r.SIPEnabled {
	case models.SIPEnabled:
		return "PIN"
	case models.SIPEnabledNoPIN:
		return "no PIN"
	case models.SIPDisabled:
		return "off"
	}
	return "?"
}

// Forced words a value an administrator forced on a SIP setting:
// "forced on with PIN".
func Forced(v int) string { return "forced " + SIP(models.SIPState(v)) }

// CallCell is the CALL column: "yes" while a call runs, else "".
func CallCell(hasCall bool) string {
	if hasCall {
		return "yes"
	}
	return ""
}

// Call is the call state in a sentence: "a call is running (since 15:25
// CET, 10m ago)", "no call".
func Call(r models.Room, now time.Time, loc *time.Location) string {
	if !r.HasCall {
		return "no call"
	}
	if r.CallStartTime > 0 {
		st := time.Unix(r.CallStartTime, 0)
		return "a call is running (since " + Clock(st, now, loc) + ", " + Relative(now, st) + ")"
	}
	return "a call is running"
}

// LobbyOutcomeWith words a confirmed lobby change, the timer formatted by
// until: "lobby on until 15:00 CET, in 25m". requested is the state asked
// for, clearTimer says the timer was removed on purpose.
func LobbyOutcomeWith(r models.Room, requested models.LobbyState, clearTimer bool, until func(time.Time) string) string {
	if r.LobbyState != models.LobbyModeratorsOnly {
		if requested == models.LobbyModeratorsOnly {
			return "the server lifted the lobby at once (the timer had passed): everyone can join"
		}
		return "lobby off: everyone can join"
	}
	if t, ok := r.LobbyTimerTime(); ok {
		return "lobby on until " + until(t)
	}
	if clearTimer {
		return "timer removed; the lobby stays on until you turn it off"
	}
	return "lobby on (no timer): only moderators can join"
}

// SIPOutcome words a confirmed SIP change: "SIP dial-in on without PIN".
func SIPOutcome(r models.Room) string { return "SIP dial-in " + SIP(r.SIPEnabled) }

// Relative says where t lies from now under the package's rounding rule:
// "in 25m", "in 2h 15m", "in 3d 4h", "just now", "3m ago", "2d 1h ago".
func Relative(now, t time.Time) string {
	d := t.Sub(now)
	if d > 0 {
		return "in " + Duration(d)
	}
	if -d < time.Minute {
		return "just now"
	}
	return durationDown(-d) + " ago"
}

// Duration is a positive span rounded up to its smallest shown unit:
// "1m" (for anything up to a minute), "25m", "2h 15m", "3d 4h".
func Duration(d time.Duration) string {
	if d <= 0 {
		return "0m"
	}
	m := (d + time.Minute - 1) / time.Minute
	if m < 24*60 {
		return hm(int64(m))
	}
	h := (d + time.Hour - 1) / time.Hour
	return dh(int64(h))
}

// durationDown is Duration rounded down (for the past).
func durationDown(d time.Duration) string {
	m := d / time.Minute
	if m < 24*60 {
		return hm(int64(m))
	}
	return dh(int64(d / time.Hour))
}

func hm(m int64) string {
	if m < 60 {
		return strconv.FormatInt(m, 10) + "m"
	}
	return pair(m/60, "h", m%60, "m")
}

func dh(h int64) string { return pair(h/24, "d", h%24, "h") }

func pair(a int64, au string, b int64, bu string) string {
	s := strconv.FormatInt(a, 10) + au
	if b > 0 {
		s += " " + strconv.FormatInt(b, 10) + bu
	}
	return s
}

// Clock is t in loc: "15:04 CET" on the day of now there, else
// "2026-01-02 15:04 CET"; with seconds when t is not on a whole minute.
func Clock(t, now time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	lt, ln := t.In(loc), now.In(loc)
	layout := "15:04"
	if t.Second() != 0 {
		layout = "15:04:05"
	}
	if lt.Year() != ln.Year() || lt.YearDay() != ln.YearDay() {
		layout = "2006-01-02 " + layout
	}
	return lt.Format(layout) + " " + zoneAbbr(lt)
}

// zoneAbbr is the letters abbreviation of the zone at t, or "UTC+09:00"
// when the zone has none ("+09").
func zoneAbbr(t time.Time) string {
	abbr, off := t.Zone()
	if abbr == "" || abbr[0] == '+' || abbr[0] == '-' {
		return Offset(off)
	}
	return abbr
}

// At is t in loc, in UTC when loc does not read as UTC at t, and relative
// to now: "15:00 CET = 14:00 UTC, in 25m".
func At(t, now time.Time, loc *time.Location) string {
	s := Clock(t, now, loc)
	if !readsUTC(loc, t) {
		s += " = " + Clock(t, now, time.UTC)
	}
	return s + ", " + Relative(now, t)
}

// Offset is a UTC offset in seconds as "UTC+01:00".
func Offset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	return fmt.Sprintf("UTC%c%02d:%02d", sign, sec/3600, sec%3600/60)
}

// ZoneLabel names loc at the moment at: "Europe/Berlin (CET,
// UTC+01:00)", "America/Sao_Paulo (UTC-03:00)", "UTC".
func ZoneLabel(loc *time.Location, at time.Time) string {
	if loc == nil || IsUTC(loc) {
		return "UTC"
	}
	name, short := ZoneName(loc), ZoneShort(loc, at)
	if name == short {
		return name // a fixed offset named by its offset: "UTC+02:00"
	}
	return name + " (" + short + ")"
}

// ZoneShort is the short zone label for narrow places: "CET, UTC+01:00",
// "UTC-03:00", "UTC".
func ZoneShort(loc *time.Location, at time.Time) string {
	if loc == nil || IsUTC(loc) {
		return "UTC"
	}
	t := at.In(loc)
	abbr, off := t.Zone()
	if abbr == "" || abbr[0] == '+' || abbr[0] == '-' || abbr == ZoneName(loc) {
		return Offset(off)
	}
	return abbr + ", " + Offset(off)
}

// ZoneName is the zone's IANA name, or "local time" for Go's unnamed
// local zone.
func ZoneName(loc *time.Location) string {
	name := loc.String()
	if name == "" || name == "Local" {
		return "local time"
	}
	return name
}

// IsUTC tells whether loc is UTC under another name (Etc/UTC, UCT, Zulu,
// or a host whose local zone is UTC): zero offset, called "UTC", summer
// and winter.
func IsUTC(loc *time.Location) bool {
	if loc == time.UTC {
		return true
	}
	for _, t := range []time.Time{time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)} {
		if abbr, off := t.In(loc).Zone(); off != 0 || abbr != "UTC" {
			return false
		}
	}
	return true
}

// readsUTC tells whether the wall clock of loc at t reads as UTC and is
// called UTC.
func readsUTC(loc *time.Location, t time.Time) bool {
	if loc == nil {
		return true
	}
	abbr, off := t.In(loc).Zone()
	return off == 0 && abbr == "UTC"
}

// Count is n with its noun, singular for one: "1 webinar", "5 webinars".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// lobbyObjectTypes are the object types whose rooms can take a lobby.
var lobbyObjectTypes = map[string]bool{
	"": true, "event": true, "extended_conversation": true,
	"instant_meeting": true, "email": true,
}

// LobbyUnavailableReason says why the user cannot change this room's
// lobby, or "" when they can.
func LobbyUnavailableReason(r models.Room) string {
	switch {
	case r.Type != models.ConversationGroup && r.Type != models.ConversationPublic:
		return "a " + Type(r.Type) + " conversation has no lobby"
	case !r.IsModerator():
		return "you are not a moderator of this conversation"
	case r.IsFederated():
		return "the conversation is hosted on another server (federated)"
	case r.IsBreakoutRoom():
		return "a breakout room's lobby follows its parent conversation"
	case !lobbyObjectTypes[r.ObjectType]:
		return fmt.Sprintf("a conversation attached to a %q object has no lobby", r.ObjectType)
	}
	return ""
}

// SIPUnavailableReason says, in plain words, why the user cannot switch SIP
// dial-in for this room, or "" when they can. caps may be the zero value
// when the capabilities are unknown; then the per-room canEnableSIP decides.
func SIPUnavailableReason(r models.Room, caps models.Capabilities) string {
	switch {
	case caps.Known && !caps.HasTalk:
		return "Talk is not available to you on this server"
	case caps.Known && !caps.Has(models.FeatureSIP):
		return "this server has no SIP dial-in support"
	case r.Type != models.ConversationGroup && r.Type != models.ConversationPublic:
		return "a " + Type(r.Type) + " conversation cannot take phone dial-in"
	case !r.IsModerator() || r.ParticipantType == models.ParticipantGuestModerator:
		return "you are not a moderator of this conversation"
	case r.IsFederated():
		return "the conversation is hosted on another server (federated)"
	case caps.SIPConfigured != nil && !*caps.SIPConfigured:
		return "SIP dial-in is not configured on this server (ask the administrator)"
	case caps.CanEnableSIP != nil && !*caps.CanEnableSIP:
		return "you are not in the groups the administrator allowed to enable SIP"
	case !models.SIPCompatibleToken(r.Token):
		return "this conversation's ID has letters (or repeated digits), so it cannot take phone dial-in"
	case r.IsBreakoutRoom():
		return "a breakout room cannot take phone dial-in"
	case !bool(r.CanEnableSIP) && r.SIPEnabled == models.SIPDisabled:
		return "the server does not allow you to enable SIP here"
	}
	return ""
}

// CantChange says what the user cannot change about a room: why its
// lobby can't be changed, else why its SIP dial-in can't ("SIP: …"), or
// "" when both can. The console greys the rooms that have a reason in its
// all-rooms view, and talkmod rooms --all lists the same reason under
// CAN'T CHANGE. caps is kept for the callers' symmetry with
// SIPUnavailableReason; server-wide reasons do not grey a room.
func CantChange(r models.Room, caps models.Capabilities) string {
	switch {
	case !r.IsWebinarCandidate() && r.ParticipantType == models.ParticipantGuestModerator && hasLobbyAndSIP(r.Type):
		return "you are a guest moderator"
	case hasLobbyAndSIP(r.Type) && !r.IsModerator():
		return "you are not a moderator of this conversation (" + YouAre(r) + ")"
	}
	if why := LobbyUnavailableReason(r); why != "" {
		return why
	}
	if !r.IsWebinarCandidate() {
		return "not a webinar you moderate (" + YouAre(r) + ")"
	}
	// Only what is about this room greys it: a server-wide SIP reason (not
	// configured, not in the SIP groups, no SIP support) holds for every
	// room, and greying every room for it would hide the lobby, which still
	// works; the SIP chooser says it when s is pressed.
	if why := SIPUnavailableReason(r, models.Capabilities{}); why != "" && !models.SIPCompatibleToken(r.Token) {
		return "SIP: " + why
	}
	return ""
}
