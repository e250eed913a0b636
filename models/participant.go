package models

import (
	"encoding/json"
	"strings"
	"time"
)

// Actor types of a participant ("actorType").
const (
	ActorUsers          = "users"
	ActorGuests         = "guests"
	ActorPhones         = "phones"
	ActorEmails         = "emails"
	ActorGroups         = "groups"
	ActorCircles        = "circles"
	ActorFederatedUsers = "federated_users"
)

// Participant is one attendee of a room, as GET /room/{token}/participants
// gives it. Every text field is untrusted: sanitize it before it reaches a
// terminal. Raw keeps the object exactly as the server sent it.
type Participant struct {
	RoomToken           string          `json:"roomToken"`
	AttendeeID          int64           `json:"attendeeId"`
	ActorType           string          `json:"actorType"`
	ActorID             string          `json:"actorId"`
	DisplayName         string          `json:"displayName"`
	ParticipantType     ParticipantType `json:"participantType"`
	Permissions         int             `json:"permissions"`
	AttendeePermissions int             `json:"attendeePermissions"`
	AttendeePin         string          `json:"attendeePin"`
	InCall              int             `json:"inCall"`
	LastPing            int64           `json:"lastPing"`
	SessionIDs          []string        `json:"sessionIds"`
	PhoneNumber         string          `json:"phoneNumber"`
	CallID              string          `json:"callId"`
	Status              string          `json:"status,omitempty"`

	// Raw is the participant object as the server sent it (nil for a
	// participant built in code).
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the object and keeps its raw bytes in Raw.
func (p *Participant) UnmarshalJSON(data []byte) error {
	type plain Participant
	var q plain
	if err := json.Unmarshal(data, &q); err != nil {
		return err
	}
	*p = Participant(q)
	p.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// IsModerator reports an owner, moderator or guest moderator. Moderators
// never wait in the lobby.
func (p Participant) IsModerator() bool { return p.ParticipantType.IsModerator() }

// IsGuest reports a guest (a public-link visitor without an account).
func (p Participant) IsGuest() bool {
	return p.ActorType == ActorGuests || p.ParticipantType == ParticipantGuest || p.ParticipantType == ParticipantGuestModerator
}

// IsPhone reports a phone (SIP dial-out) participant.
func (p Participant) IsPhone() bool { return p.ActorType == ActorPhones }

// Connected reports whether the person has at least one session in the
// conversation: sessionIds empty means offline (invited, not present).
func (p Participant) Connected() bool { return len(p.SessionIDs) > 0 }

// LetIn reports whether the effective permissions carry bit 8 (may ignore
// the lobby). Moderators always have it.
func (p Participant) LetIn() bool { return p.Permissions&PermissionIgnoreLobby != 0 }

// InCallNow reports whether any of the person's sessions is in the call.
func (p Participant) InCallNow() bool { return p.InCall != InCallDisconnected }

// WithAudio reports the audio flag of the call.
func (p Participant) WithAudio() bool { return p.InCall&InCallAudio != 0 }

// WithVideo reports the video flag of the call.
func (p Participant) WithVideo() bool { return p.InCall&InCallVideo != 0 }

// ByPhone reports the phone (SIP dial-in) flag of the call.
func (p Participant) ByPhone() bool { return p.InCall&InCallSIP != 0 }

// IsWaiting is the server's own rule for "held by the lobby and present":
// the room's lobby is on, the person is not owner/moderator/guest
// moderator, the effective permissions lack bit 8, and they have a session
// (sessionIds not empty; empty is offline, not waiting). Someone sent back
// during a call also matches while still in the call: State tells them
// apart (StateInCallNotLetIn).
func (p Participant) IsWaiting(room Room) bool {
	return room.LobbyState == LobbyModeratorsOnly && !p.IsModerator() &&
		!p.LetIn() && p.Connected()
}

// HeldInCall reports someone in the call that the lobby would hold: sent
// back to the lobby during the call (the server does not kick them).
func (p Participant) HeldInCall(room Room) bool { return p.InCallNow() && p.IsWaiting(room) }

// Presence is where a person is, in the words the console and the commands
// share.
type Presence int

// The presences.
const (
	StateAway           Presence = iota // no session: invited, not present
	StateWaiting                        // present, held by the lobby
	StateConnected                      // present in the conversation, not in the call
	StateInCall                         // in the call
	StateInCallNotLetIn                 // in the call, but sent back to the lobby
)

func (s Presence) String() string {
	switch s {
	case StateWaiting:
		return "waiting in the lobby"
	case StateConnected:
		return "connected"
	case StateInCall:
		return "in the call"
	case StateInCallNotLetIn:
		return "in the call, not let in"
	}
	return "not connected"
}

// State says where the person is. The room gives the lobby state (the
// participant entries do not carry it).
func (p Participant) State(room Room) Presence {
	switch {
	case p.HeldInCall(room):
		return StateInCallNotLetIn
	case p.InCallNow():
		return StateInCall
	case p.IsWaiting(room):
		return StateWaiting
	case p.Connected():
		return StateConnected
	}
	return StateAway
}

// Name is the name to show (untrusted: sanitize it). A guest without a
// name is "Guest", a phone participant its masked number; an entry without
// any name falls back to its actor id.
func (p Participant) Name() string {
	name := strings.TrimSpace(p.DisplayName)
	switch {
	case p.IsPhone():
		num := p.PhoneNumber
		if num == "" {
			num = p.ActorID
		}
		if name == "" || name == num {
			return MaskPhone(num)
		}
		return name
	case name != "":
		return p.DisplayName
	case p.IsGuest():
		return "Guest"
	}
	return p.ActorID
}

// MaskPhone hides the middle of a phone number, keeping a leading "+", the
// first three and the last two digits: "+4915112345678" → "+491••••••••78".
// Numbers of five digits or fewer are masked but for the last one.
func MaskPhone(num string) string {
	num = strings.TrimSpace(num)
	prefix := ""
	if strings.HasPrefix(num, "+") {
		prefix, num = "+", num[1:]
	}
	r := []rune(num)
	if len(r) == 0 {
		return "Phone"
	}
	if len(r) <= 5 {
		return prefix + strings.Repeat("•", len(r)-1) + string(r[len(r)-1])
	}
	return prefix + string(r[:3]) + strings.Repeat("•", len(r)-5) + string(r[len(r)-2:])
}

// LastSeen is lastPing as a time (zero when never).
func (p Participant) LastSeen() time.Time {
	if p.LastPing <= 0 {
		return time.Time{}
	}
	return time.Unix(p.LastPing, 0)
}
