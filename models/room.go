package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"time"
)

// Room is a conversation as the server formats it for the current user.
// Only the fields the console needs are kept; unknown fields are ignored.
// The JSON names are the API's.
type Room struct {
	ID               int64            `json:"id"`
	Token            string           `json:"token"`
	Type             ConversationType `json:"type"`
	Name             string           `json:"name"`
	DisplayName      string           `json:"displayName"`
	Description      string           `json:"description"`
	ParticipantType  ParticipantType  `json:"participantType"`
	Permissions      int              `json:"permissions"`
	LobbyState       LobbyState       `json:"lobbyState"`
	LobbyTimer       int64            `json:"lobbyTimer"`
	SIPEnabled       SIPState         `json:"sipEnabled"`
	CanEnableSIP     Bool             `json:"canEnableSIP"`
	AttendeePin      string           `json:"attendeePin"`
	HasCall          bool             `json:"hasCall"`
	CallFlag         int              `json:"callFlag"`
	CallStartTime    int64            `json:"callStartTime"`
	ReadOnly         int              `json:"readOnly"`
	LastActivity     int64            `json:"lastActivity"`
	IsFavorite       bool             `json:"isFavorite"`
	ObjectType       string           `json:"objectType"`
	ObjectID         string           `json:"objectId"`
	BreakoutRoomMode int              `json:"breakoutRoomMode"`
	RemoteServer     string           `json:"remoteServer,omitempty"`

	// DefaultPermissions is the room's default for its attendees (0 =
	// the server default; a value set is stored with bit 1 added).
	DefaultPermissions int `json:"defaultPermissions"`

	// Raw is the room object as the server sent it, every field included
	// (unknown ones too), for --json; nil when the client did not keep it.
	// It is never marshalled itself.
	Raw json.RawMessage `json:"-"`
}

// Bool decodes a JSON boolean that some servers send as 0/1 (the docs call
// canEnableSIP an int, the code sends a bool).
type Bool bool

// UnmarshalJSON accepts true/false, 0/1, "0"/"1", and null (false).
func (b *Bool) UnmarshalJSON(data []byte) error {
	switch string(bytes.TrimSpace(data)) {
	case "true", "1", `"1"`, `"true"`:
		*b = true
	case "false", "0", `"0"`, `"false"`, `""`, "null":
		*b = false
	default:
		return fmt.Errorf("cannot read %.20s as a boolean", data)
	}
	return nil
}

// Label is the name to show: the display name, else the raw name, else the
// token. It is untrusted text: sanitize it before it reaches a terminal.
func (r Room) Label() string {
	switch {
	case r.DisplayName != "":
		return r.DisplayName
	case r.Name != "":
		return r.Name
	}
	return r.Token
}

// IsModerator answers "am I a moderator here": owner, moderator or guest
// moderator.
func (r Room) IsModerator() bool { return r.ParticipantType.IsModerator() }

// IsWebinarCandidate reports whether talkmod lists the room by default: a
// group or public conversation where the user is owner or moderator.
func (r Room) IsWebinarCandidate() bool {
	return (r.Type == ConversationGroup || r.Type == ConversationPublic) &&
		(r.ParticipantType == ParticipantOwner || r.ParticipantType == ParticipantModerator)
}

// IsFederated reports whether the room lives on another server (the lobby
// and SIP endpoints answer 406 for it).
func (r Room) IsFederated() bool { return r.RemoteServer != "" }

// IsBreakoutRoom reports whether the room is a breakout room.
func (r Room) IsBreakoutRoom() bool { return r.ObjectType == "room" }

// lobbyObjectTypes are the object types whose rooms can take a lobby.
var lobbyObjectTypes = map[string]bool{
	"": true, "event": true, "extended_conversation": true,
	"instant_meeting": true, "email": true,
}

// LobbyUnavailableReason says, in plain words, why the user cannot change
// this room's lobby, or "" when they can.
func (r Room) LobbyUnavailableReason() string {
	switch {
	case r.Type != ConversationGroup && r.Type != ConversationPublic:
		return fmt.Sprintf("a %s conversation has no lobby", r.Type)
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

// CanHaveLobby reports whether the user can change this room's lobby.
func (r Room) CanHaveLobby() bool { return r.LobbyUnavailableReason() == "" }

// sipTokenDigits is the digits part of the server's SIP_INCOMPATIBLE_REGEX
// (a token with a non-digit, a leading 0, or two equal digits in a row
// cannot take SIP). Go's regexp has no backreferences, so the
// repeated-digit rule is checked by hand in SIPCompatibleToken.
var sipTokenDigits = regexp.MustCompile(`^[1-9][0-9]*$`)

// SIPCompatibleToken reports whether a token can take phone dial-in: digits
// only, no leading 0, no two equal digits in a row.
func SIPCompatibleToken(token string) bool {
	if !sipTokenDigits.MatchString(token) {
		return false
	}
	for i := 1; i < len(token); i++ {
		if token[i] == token[i-1] {
			return false
		}
	}
	return true
}

// SIPUnavailableReason says, in plain words, why the user cannot switch SIP
// dial-in for this room, or "" when they can. caps may be the zero value
// when the capabilities are unknown; then the per-room canEnableSIP decides.
func (r Room) SIPUnavailableReason(caps Capabilities) string {
	switch {
	case caps.Known && !caps.HasTalk:
		return "Talk is not available to you on this server"
	case caps.Known && !caps.Has(FeatureSIP):
		return "this server has no SIP dial-in support"
	case r.Type != ConversationGroup && r.Type != ConversationPublic:
		return fmt.Sprintf("a %s conversation cannot take phone dial-in", r.Type)
	case !r.IsModerator() || r.ParticipantType == ParticipantGuestModerator:
		return "you are not a moderator of this conversation"
	case r.IsFederated():
		return "the conversation is hosted on another server (federated)"
	case caps.SIPConfigured != nil && !*caps.SIPConfigured:
		return "SIP dial-in is not configured on this server (ask the administrator)"
	case caps.CanEnableSIP != nil && !*caps.CanEnableSIP:
		return "you are not in the groups the administrator allowed to enable SIP"
	case !SIPCompatibleToken(r.Token):
		return "this conversation's ID has letters (or repeated digits), so it cannot take phone dial-in"
	case r.IsBreakoutRoom():
		return "a breakout room cannot take phone dial-in"
	case !bool(r.CanEnableSIP) && r.SIPEnabled == SIPDisabled:
		return "the server does not allow you to enable SIP here"
	}
	return ""
}

// CanHaveSIP reports whether the user can switch SIP dial-in here.
func (r Room) CanHaveSIP(caps Capabilities) bool { return r.SIPUnavailableReason(caps) == "" }

// LobbyTimerTime returns the lobby timer as a time, and false when none is
// set (0 or negative).
func (r Room) LobbyTimerTime() (time.Time, bool) {
	if r.LobbyTimer <= 0 {
		return time.Time{}, false
	}
	return time.Unix(r.LobbyTimer, 0), true
}

// LastActivityTime returns lastActivity as a time (zero when unset).
func (r Room) LastActivityTime() time.Time {
	if r.LastActivity <= 0 {
		return time.Time{}
	}
	return time.Unix(r.LastActivity, 0)
}

// User is the logged-in user (GET /cloud/user).
type User struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayname"`
	Email       string `json:"email,omitempty"`
}
