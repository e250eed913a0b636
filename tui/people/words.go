package people

import (
	"strconv"
	"strings"

	"github.com/talkmod/talkmod/models"
)

// The words for people, shared by the console's people view and the
// talkmod people/admit/hold/remove commands.

// CallMarks lists the in-call flags: "audio, video", "phone", "no audio".
func CallMarks(p models.Participant) string {
	if !p.InCallNow() {
		return ""
	}
	var m []string
	if p.WithAudio() {
		m = append(m, "audio")
	}
	if p.WithVideo() {
		m = append(m, "video")
	}
	if p.ByPhone() {
		m = append(m, "phone")
	}
	if !p.WithAudio() && !p.ByPhone() {
		m = append(m, "no audio")
	}
	return strings.Join(m, ", ")
}

// PersonState is where the person is, with the call marks: "waiting in the
// lobby", "in the call (audio, video)", "in the call, not let in (audio)",
// "let in", "connected", "not connected".
func PersonState(p models.Participant, room models.Room) string {
	st := p.State(room)
	s := st.String()
	switch st {
	case models.StateInCall, models.StateInCallNotLetIn:
		if m := CallMarks(p); m != "" {
			s += " (" + m + ")"
		}
	case models.StateConnected:
		if p.LetIn() && !p.IsModerator() && room.LobbyState == models.LobbyModeratorsOnly {
			s = "let in"
		}
	}
	return s
}

// AdmitOutcome words a confirmed "let in" (add 8) of the person as they
// were before.
func AdmitOutcome(before models.Participant) string {
	if before.LetIn() {
		return "let in (already was): skips the lobby"
	}
	return "let in: skips the lobby (undo: send back with h / talkmod hold)"
}

// HoldOutcome words a confirmed "send back to the lobby" (remove 8).
func HoldOutcome(before models.Participant) string {
	if before.InCallNow() {
		return "still in the call, though sent back to the lobby: the server does not end a call (remove them to end it)"
	}
	if !before.LetIn() {
		return "held in the lobby (was not let in)"
	}
	return "sent back to the lobby (undo: let in with a / talkmod admit)"
}

// RemoveOutcome words a confirmed removal from the conversation.
func RemoveOutcome(before models.Participant) string {
	if before.IsGuest() {
		return "removed from the conversation (a guest can come back through the public link)"
	}
	return "removed from the conversation (undo: add them again in Talk; they get a new attendee id)"
}

// Section is a part of the people view, in the order shown.
type Section int

// The sections of the people view.
const (
	SectionWaiting   Section = iota // Waiting in the lobby
	SectionInCall                   // In the call
	SectionLetIn                    // Let in (skips the lobby)
	SectionModerator                // Moderators
	SectionConnected                // In the conversation (lobby off, not let in explicitly)
	SectionAway                     // Not connected
	sectionCount
)

// Title is the section's heading without its count.
func (s Section) Title() string {
	switch s {
	case SectionWaiting:
		return "Waiting in the lobby"
	case SectionInCall:
		return "In the call"
	case SectionLetIn:
		return "Let in"
	case SectionModerator:
		return "Moderators"
	case SectionConnected:
		return "In the conversation"
	}
	return "Not connected"
}

// SectionOf says under which heading a person is listed: in the call
// first (whoever they are), then waiting, moderators, let in (bit 8),
// connected, not connected.
func SectionOf(p models.Participant, room models.Room) Section {
	switch st := p.State(room); {
	case st == models.StateInCall || st == models.StateInCallNotLetIn:
		return SectionInCall
	case st == models.StateWaiting:
		return SectionWaiting
	case p.IsModerator():
		return SectionModerator
	case p.LetIn():
		return SectionLetIn
	case st == models.StateConnected:
		return SectionConnected
	}
	return SectionAway
}

// PeopleCounts is the summary line: "3 waiting · 41 in call · 60 people".
func PeopleCounts(room models.Room, people []models.Participant) string {
	waiting, inCall := 0, 0
	for _, p := range people {
		switch SectionOf(p, room) {
		case SectionWaiting:
			waiting++
		case SectionInCall:
			inCall++
		}
	}
	return CountsText(room.LobbyState == models.LobbyModeratorsOnly, waiting, inCall, len(people))
}

// CountsText words the counts; waiting only when the lobby is on, total
// only when positive.
func CountsText(lobbyOn bool, waiting, inCall, total int) string {
	var parts []string
	if lobbyOn {
		parts = append(parts, strconv.Itoa(waiting)+" waiting")
	}
	parts = append(parts, strconv.Itoa(inCall)+" in call")
	if total > 0 {
		word := " people"
		if total == 1 {
			word = " person"
		}
		parts = append(parts, strconv.Itoa(total)+word)
	}
	return strings.Join(parts, " · ")
}
