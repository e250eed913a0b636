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
