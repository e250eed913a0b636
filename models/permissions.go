package models

import "strings"

// The floor: who may speak, show video or share a screen, and the room's
// default permissions, as the real server applies them
// (client/testdata/recorded/FCM-NOTES.md §2, §3).

// Permission values of note.
const (
	// PermissionsServerDefault is what a user or guest has when neither
	// the attendee nor the room sets anything: everything but bit 8
	// (skip the lobby) and bit 1.
	PermissionsServerDefault = 246
	// PermissionsModerator is what moderators always have.
	PermissionsModerator = 254
	// PermissionsMax is the largest value the server accepts (0..255).
	PermissionsMax = 255
	// PermissionsFloor is the floor: audio, video and screen (112).
	PermissionsFloor = PermissionAudio | PermissionVideo | PermissionScreen
)

// Preset is a room default talkmod offers.
type Preset string

// The presets of the room's default permissions.
const (
	// PresetListenOnly: attendees join the call and chat; no audio,
	// video or screen (132; the server stores 133). Moderators and those
	// given the floor speak. Such a person cannot start the call.
	PresetListenOnly Preset = "listen-only"
	// PresetEveryone: every right (start and join the call, audio,
	// video, screen, chat: 246, stored 247). Bit 8 (skip the lobby) is
	// left out on purpose: the lobby stays the door (the web UI's "all",
	// 254, would let everyone past it).
	PresetEveryone Preset = "everyone"
	// PresetDefault: the server default (0), what a new room has.
	PresetDefault Preset = "default"
)

// Presets lists the presets in the order the chooser shows them.
var Presets = []Preset{PresetListenOnly, PresetEveryone, PresetDefault}

// Value is the permissions value sent for the preset.
func (p Preset) Value() int {
	switch p {
	case PresetListenOnly:
		return PermissionJoinCall | PermissionChat
	case PresetEveryone:
		return PermissionStartCall | PermissionJoinCall | PermissionsFloor | PermissionChat
	}
	return 0
}

// ParsePreset reads a preset's name (listen-only, everyone, default).
func ParsePreset(s string) (Preset, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "listen-only", "listenonly", "listen_only":
		return PresetListenOnly, true
	case "everyone", "all":
		return PresetEveryone, true
	case "default", "server-default":
		return PresetDefault, true
	}
	return "", false
}

// StoredPermissions is how the server stores a room default or an
// attendee's "set": any value but 0 gets bit 1 ("custom") added.
func StoredPermissions(v int) int {
	if v == 0 {
		return 0
	}
	return v | PermissionCustom
}

// PresetOf names a room's defaultPermissions: ok is false for a value that
// is none of the presets (set elsewhere, e.g. the web UI's "restricted").
func PresetOf(defaultPermissions int) (Preset, bool) {
	for _, p := range Presets {
		if StoredPermissions(p.Value()) == StoredPermissions(defaultPermissions) {
			return p, true
		}
	}
	return "", false
}

// EffectivePermissions is the server's rule (Participant::getPermissions):
// moderators (owner, moderator, guest moderator) always 254; else the
// attendee's own value if not 0, else the room default if not 0, else the
// server default 246.
func EffectivePermissions(t ParticipantType, attendeePermissions, roomDefault int) int {
	switch {
	case t.IsModerator():
		return PermissionsModerator
	case attendeePermissions != 0:
		return attendeePermissions
	case roomDefault != 0:
		return roomDefault
	}
	return PermissionsServerDefault
}

// HasOwnPermissions reports a person whose own permissions are set
// (attendeePermissions not 0): a new room default or a promotion resets
// them to 0, and the rights given to them are lost.
func (p Participant) HasOwnPermissions() bool {
	return !p.IsModerator() && p.AttendeePermissions != 0
}

// MaySpeak (like MayVideo and MayShare) reads the effective permissions (bits
// 16, 32, 64).
func (p Participant) MaySpeak() bool { return p.Permissions&PermissionAudio != 0 }

// MayVideo reports bit 32 (video).
func (p Participant) MayVideo() bool { return p.Permissions&PermissionVideo != 0 }

// MayShare reports bit 64 (screen).
func (p Participant) MayShare() bool { return p.Permissions&PermissionScreen != 0 }

// HasFloor reports audio, video and screen all allowed.
func (p Participant) HasFloor() bool { return p.Permissions&PermissionsFloor == PermissionsFloor }

// NotEnforcedYet reports a person in the call whose call flags still show
// audio or video that their permissions no longer allow: the server
// refuses the flags only at their next join or flags update, so their app
// has to mute them.
func (p Participant) NotEnforcedYet() bool {
	return (p.WithAudio() && !p.MaySpeak()) || (p.WithVideo() && !p.MayVideo())
}

// LosesOwnPermissions lists the people who hold rights of their own
// (attendeePermissions not 0, not moderators): a new room default resets
// them all.
func LosesOwnPermissions(people []Participant) []Participant {
	var out []Participant
	for _, p := range people {
		if p.HasOwnPermissions() {
			out = append(out, p)
		}
	}
	return out
}
