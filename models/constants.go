// Package models holds the plain data types and constants of the Nextcloud
// Talk OCS API v4. It does no I/O and imports nothing of talkmod's.
package models

import "strconv"

// ConversationType is a room's "type" field.
type ConversationType int

// Conversation types (spreed docs/constants.md).
const (
	ConversationOneToOne       ConversationType = 1
	ConversationGroup          ConversationType = 2
	ConversationPublic         ConversationType = 3
	ConversationChangelog      ConversationType = 4
	ConversationFormerOneToOne ConversationType = 5
	ConversationNoteToSelf     ConversationType = 6
)

// ParticipantType is the current user's role in a room ("participantType").
type ParticipantType int

// Participant types (spreed docs/constants.md).
const (
	ParticipantOwner          ParticipantType = 1
	ParticipantModerator      ParticipantType = 2
	ParticipantUser           ParticipantType = 3
	ParticipantGuest          ParticipantType = 4
	ParticipantUserPublicLink ParticipantType = 5
	ParticipantGuestModerator ParticipantType = 6
)

// IsModerator reports whether the type has moderator rights (1, 2 or 6).
func (p ParticipantType) IsModerator() bool {
	return p == ParticipantOwner || p == ParticipantModerator || p == ParticipantGuestModerator
}

// LobbyState is a room's "lobbyState" field.
type LobbyState int

// Webinar lobby states. Nothing else is accepted by the server.
const (
	LobbyNone           LobbyState = 0
	LobbyModeratorsOnly LobbyState = 1
)

func (s LobbyState) String() string {
	switch s {
	case LobbyNone:
		return "off"
	case LobbyModeratorsOnly:
		return "on"
	}
	return "lobby state " + strconv.Itoa(int(s))
}

// Valid reports whether the server accepts the state (0 or 1).
func (s LobbyState) Valid() bool { return s == LobbyNone || s == LobbyModeratorsOnly }

// SIPState is a room's "sipEnabled" field.
type SIPState int

// SIP dial-in states.
const (
	SIPDisabled     SIPState = 0
	SIPEnabled      SIPState = 1
	SIPEnabledNoPIN SIPState = 2
)

func (s SIPState) String() string {
	switch s {
	case SIPDisabled:
		return "off"
	case SIPEnabled:
		return "on with PIN"
	case SIPEnabledNoPIN:
		return "on without PIN"
	}
	return "SIP state " + strconv.Itoa(int(s))
}

// Valid reports whether the server accepts the state (0, 1 or 2).
func (s SIPState) Valid() bool { return s >= SIPDisabled && s <= SIPEnabledNoPIN }

// Attendee permission bits.
const (
	PermissionDefault     = 0
	PermissionCustom      = 1
	PermissionStartCall   = 2
	PermissionJoinCall    = 4
	PermissionIgnoreLobby = 8
	PermissionAudio       = 16
	PermissionVideo       = 32
	PermissionScreen      = 64
	PermissionChat        = 128
)

// In-call flags.
const (
	InCallDisconnected = 0
	InCallInCall       = 1
	InCallAudio        = 2
	InCallVideo        = 4
	InCallSIP          = 8
)

// Capability feature names that matter to talkmod.
const (
	FeatureConversationV4 = "conversation-v4"
	FeatureLobby          = "webinary-lobby"
	FeatureSIP            = "sip-support"
	FeatureSIPNoPIN       = "sip-support-nopin"
	FeatureBreakoutRooms  = "breakout-rooms-v1"
	FeatureFederationV1   = "federation-v1"
)
