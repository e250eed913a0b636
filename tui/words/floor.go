package words

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/talkmod/talkmod/models"
)

// The floor and the call: the words the console and the commands share
// for the room's default permissions, a person's rights, co-moderators,
// ending the call and the attendance list.

// presetWords are the presets' names and what each means.
var presetWords = map[models.Preset][2]string{
	models.PresetListenOnly: {"listen only", "attendees join the call and chat; moderators and those given the floor speak"},
	models.PresetEveryone:   {"everyone", "every right: start and join the call, audio, video, screen, chat (the lobby stays as it is)"},
	models.PresetDefault:    {"server default", "what the server gives when the room sets nothing (usually every right)"},
}

// Preset names a preset: "listen only", "everyone", "server default".
func Preset(p models.Preset) string { return presetWords[p][0] }

// PresetMeaning says what a preset means.
func PresetMeaning(p models.Preset) string { return presetWords[p][1] }

// DefaultPermissions names a room's defaultPermissions: a preset's name,
// or "custom (N: rights)" for a value set elsewhere (the web UI).
func DefaultPermissions(stored int) string {
	if p, ok := models.PresetOf(stored); ok {
		return Preset(p)
	}
	return "custom (" + strconv.Itoa(stored) + ": " + RightsWords(stored) + ")"
}

// Rights symbols and words: audio, video, screen.
const (
	SymbolAudio  = "🎤"
	SymbolVideo  = "📹"
	SymbolScreen = "🖥"
)

// RightsWords lists what the permissions allow of the floor in words:
// "audio video screen", "video", or "listens only".
func RightsWords(perms int) string {
	var out []string
	for _, r := range []struct {
		bit  int
		word string
	}{{models.PermissionAudio, "audio"}, {models.PermissionVideo, "video"}, {models.PermissionScreen, "screen"}} {
		if perms&r.bit != 0 {
			out = append(out, r.word)
		}
	}
	if len(out) == 0 {
		return ListensOnly
	}
	return strings.Join(out, " ")
}

// ListensOnly is a person without audio, video or screen.
const ListensOnly = "listens only"

// RightsSymbols is RightsWords as symbols ("🎤 📹 🖥", a blank for what is
// missing, so columns stay aligned: each symbol takes two cells).
func RightsSymbols(perms int) string {
	var b strings.Builder
	for i, r := range []struct {
		bit int
		sym string
	}{{models.PermissionAudio, SymbolAudio}, {models.PermissionVideo, SymbolVideo}, {models.PermissionScreen, SymbolScreen}} {
		if i > 0 {
			b.WriteByte(' ')
		}
		if perms&r.bit != 0 {
			b.WriteString(r.sym)
		} else {
			b.WriteString("  ")
		}
	}
	return b.String()
}

// NotYetApplied is said of a person whose rights were taken while their
// call still shows audio or video: the server refuses the flags only at
// their next join or update, so their app mutes them.
const NotYetApplied = "taken; applies when their app next updates"

// OwnRights names where a person's rights come from: "moderator",
// "given" (their own), or "room default".
func OwnRights(p models.Participant) string {
	switch {
	case p.IsModerator():
		return "moderator"
	case p.HasOwnPermissions():
		return "given"
	}
	return "room default"
}

// FloorBits names bits of the floor: "audio, video, screen".
func FloorBits(bits int) string {
	return strings.ReplaceAll(RightsWords(bits&models.PermissionsFloor), " ", ", ")
}

// FloorOutcome words a floor change that the server took.
func FloorOutcome(give bool, bits int, before models.Participant) string {
	if give {
		return "floor given: " + FloorBits(bits) + " (undo: take it back with F / talkmod floor … take)"
	}
	if before.InCallNow() && ((bits&models.PermissionAudio != 0 && before.WithAudio()) || (bits&models.PermissionVideo != 0 && before.WithVideo())) {
		return "floor " + NotYetApplied + " (" + FloorBits(bits) + ")"
	}
	return "floor taken: " + FloorBits(bits) + " (undo: give it with f / talkmod floor … give)"
}

// PromoteOutcome and DemoteOutcome word a role change the server took.
func PromoteOutcome(before models.Participant) string {
	if before.HasOwnPermissions() {
		return "now a moderator; the rights given to them were reset (undo: demote with m / talkmod demote)"
	}
	return "now a moderator (undo: demote with m / talkmod demote)"
}

// DemoteOutcome words a confirmed demotion.
func DemoteOutcome(models.Participant) string {
	return "no longer a moderator: the room default applies (undo: promote with m / talkmod promote)"
}

// LosersList names people who would lose the rights given to them:
// "Bob Chen (#25: let in, audio, video, screen), Carol Diaz (#26: …)";
// name gives each one's (clean) name. At most max are named.
func LosersList(people []models.Participant, name func(models.Participant) string, max int) string {
	var parts []string
	for i, p := range people {
		if i == max {
			parts = append(parts, fmt.Sprintf("and %d more", len(people)-max))
			break
		}
		parts = append(parts, fmt.Sprintf("%s (#%d: %s)", name(p), p.AttendeeID, GivenRights(p.Permissions)))
	}
	return strings.Join(parts, ", ")
}

// GivenRights words a person's own permissions for the loss question:
// "let in, audio, video, screen", or "listens only".
func GivenRights(perms int) string {
	var out []string
	if perms&models.PermissionIgnoreLobby != 0 {
		out = append(out, "let in")
	}
	if f := perms & models.PermissionsFloor; f != 0 {
		out = append(out, FloorBits(f))
	}
	if len(out) == 0 {
		return ListensOnly
	}
	return strings.Join(out, ", ")
}

// LoseRightsNote says what a new default or a promotion does to rights
// given to people.
func LoseRightsNote(n int) string {
	if n == 1 {
		return "1 person loses the rights given to them"
	}
	return strconv.Itoa(n) + " people lose the rights given to them"
}

// LetInLost says what losing one's own rights does while the lobby is on.
const LetInLost = "the lobby is on: those let in wait in it again (let them in again with a / talkmod admit)"

// RightsReset says whose given rights a change reset.
func RightsReset(n int) string {
	if n == 1 {
		return "the rights given to 1 person were reset"
	}
	return "the rights given to " + strconv.Itoa(n) + " people were reset"
}

// EndCallQuestion is the y-only question before ending a call.
func EndCallQuestion(room string, inCall int) string {
	who := "nobody is in the call"
	switch {
	case inCall == 1:
		who = "1 person is in the call"
	case inCall > 1:
		who = strconv.Itoa(inCall) + " people are in the call"
	}
	return "End the call in " + room + " for everyone? " + who + "."
}

// CallEnded words an ended call.
const CallEnded = "call ended for everyone (talkmod joined the conversation for a moment and left again)"

// NoCall is said where a call is needed and none runs.
const NoCall = "no call is running"

// AttendanceSaved words a written attendance list.
func AttendanceSaved(n int, path string) string {
	if n == 1 {
		return "attendance list (1 person) saved to " + path
	}
	return "attendance list (" + strconv.Itoa(n) + " people) saved to " + path
}
