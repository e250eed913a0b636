package doctor

import (
	"fmt"
	"strings"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// RoomFacts is what was read of one room.
type RoomFacts struct {
	// Token is the room asked for.
	Token string
	// Room is the room as read; Err the error of reading it.
	Room models.Room
	Err  error
	// Fresh: the room was read just now (doctor). A read lifts a lobby
	// whose timer passed by the server's clock, so a fresh room with the
	// lobby on and a passed timer means the clocks differ. The console's
	// rooms are from its last refresh (not fresh).
	Fresh bool
	// Caps are the server's capabilities (zero when unknown).
	Caps models.Capabilities
	// People are the participants (when PeopleRead); PeopleErr the error
	// of reading them.
	People     []models.Participant
	PeopleRead bool
	PeopleErr  error
	// DialIn is the server's dial-in text (nil: not read); DialInErr the
	// error of reading it.
	DialIn    *string
	DialInErr error
	// Now is this machine's clock; Loc the display zone (nil: UTC).
	Now time.Time
	Loc *time.Location
	// Skew is how far the server's clock is ahead of this machine's, when
	// known (SkewKnown).
	Skew      time.Duration
	SkewKnown bool
}

// Room judges a room: found and moderated, a type with lobby and SIP, the
// lobby and its timer, SIP dial-in, the token, the people. When the room
// could not be read, only the first finding is given.
func Room(in RoomFacts) []Finding {
	tok := sanitize.Line(in.Token)
	if in.Err != nil {
		k := client.KindOf(in.Err)
		msg := "the conversation " + tok + " could not be read: " + sanitize.Line(client.Message(in.Err))
		action := "run talkmod doctor again; if it stays, check the server"
		switch k {
		case client.KindNotFound:
			msg = "the conversation " + tok + " was not found: it was deleted, the token is wrong, or you are not in it"
			action = "check the link; ask its owner to add you (talkmod rooms --all lists yours)"
		case client.KindNotAcceptable:
			msg = "the conversation " + tok + " is hosted on another server (federated): its lobby and dial-in are changed there"
			action = "moderate it with an account on its own server"
		}
		return []Finding{f(NameRoom, Problem, msg, action).with("token", tok)}
	}
	r := in.Room
	label := sanitize.Line(r.Label())
	loc := in.Loc
	if loc == nil {
		loc = time.UTC
	}
	var out []Finding
	if r.IsModerator() {
		out = append(out, f(NameRoom, OK, fmt.Sprintf("%q found; %s", label, youAre(r)), "").with("token", tok))
	} else {
		out = append(out, f(NameRoom, Problem, fmt.Sprintf("%q found, but %s: you cannot change its lobby or dial-in", label, youAre(r)),
			"ask an owner or moderator to promote you").with("token", tok))
	}

	webinarType := r.Type == models.ConversationGroup || r.Type == models.ConversationPublic
	if !webinarType {
		out = append(out, f(NameRoomType, Problem, fmt.Sprintf("a %s conversation has no lobby and no phone dial-in", words.Type(r.Type)),
			"hold the webinar in a group or public conversation"))
		return out
	}
	if why := words.LobbyUnavailableReason(r); why != "" && r.IsModerator() {
		out = append(out, f(NameRoomType, Problem, "its lobby cannot be changed: "+why, ""))
	} else {
		out = append(out, f(NameRoomType, OK, fmt.Sprintf("a %s conversation: it can have a lobby and phone dial-in", words.Type(r.Type)), ""))
	}
	out = append(out, roomLobby(in, loc))
	out = append(out, roomSIP(in))
	out = append(out, roomToken(r))
	if p, ok := roomPeople(in); ok {
		out = append(out, p)
	}
	return out
}

func roomLobby(in RoomFacts, loc *time.Location) Finding {
	r := in.Room
	if r.LobbyState != models.LobbyModeratorsOnly {
		return f(NameRoomLobby, OK, "the lobby is off: everyone comes straight in", "")
	}
	t, hasTimer := r.LobbyTimerTime()
	if !hasTimer {
		return f(NameRoomLobby, OK, "the lobby is on, with no timer: people wait until a moderator lets them in or switches the lobby off", "")
	}
	at := words.Clock(t, in.Now, loc)
	if t.After(in.Now) {
		return f(NameRoomLobby, OK, fmt.Sprintf("the lobby is on and opens at %s (%s)", at, words.Relative(in.Now, t)), "").with("timer", t.Unix())
	}
	if !in.Fresh {
		return f(NameRoomLobby, Warning, fmt.Sprintf("the lobby timer (%s) has passed, but the list still shows the lobby on: the server lifts it the next time anyone reads the room, and the next refresh shows it off", at),
			"refresh (r) to see it lifted; set a new timer if the webinar opens later").with("timer", t.Unix())
	}
	// read just now and still on: the server's clock has not reached it
	msg := fmt.Sprintf("the lobby timer (%s) has passed by this machine's clock, but the server still holds the lobby: its clock has not reached that time", at)
	if in.SkewKnown && in.Skew < 0 {
		msg += " (it is " + Span(-in.Skew) + " behind this machine's)"
	}
	return f(NameRoomLobby, Warning, msg+"; the server lifts the lobby when its own clock passes the timer",
		"check the clocks (see the clock check); to open now, switch the lobby off (talkmod lobby "+sanitize.Line(r.Token)+" off)").with("timer", t.Unix())
}

func roomSIP(in RoomFacts) Finding {
	r := in.Room
	if r.SIPEnabled == models.SIPDisabled {
		if why := words.SIPUnavailableReason(r, in.Caps); why != "" && r.IsModerator() {
			return f(NameRoomSIP, OK, "SIP dial-in is off, and cannot be switched on: "+why, "")
		}
		return f(NameRoomSIP, OK, "SIP dial-in is off", "")
	}
	state := words.SIP(r.SIPEnabled)
	switch {
	case in.DialInErr != nil:
		return f(NameRoomSIP, Warning, "SIP dial-in is "+state+", but the server's dial-in text could not be read: "+sanitize.Line(client.Message(in.DialInErr)), "run talkmod room "+sanitize.Line(r.Token)+" to see the dial-in card")
	case in.DialIn != nil && strings.TrimSpace(sanitize.Line(*in.DialIn)) == "":
		return f(NameRoomSIP, Problem, "SIP dial-in is "+state+", but the server has no dial-in text: callers are given no number to call",
			"ask the administrator to set the dial-in information (Talk settings: SIP configuration), or switch dial-in off (talkmod sip "+sanitize.Line(r.Token)+" off)")
	case in.Caps.SIPConfigured != nil && !*in.Caps.SIPConfigured:
		return f(NameRoomSIP, Problem, "SIP dial-in is "+state+", but SIP is not configured on the server: nobody can dial in",
			"ask the administrator to set up the SIP bridge, or switch dial-in off (talkmod sip "+sanitize.Line(r.Token)+" off)")
	}
	return f(NameRoomSIP, OK, "SIP dial-in is "+state, "")
}

func roomToken(r models.Room) Finding {
	tok := sanitize.Line(r.Token)
	if models.SIPCompatibleToken(r.Token) {
		return f(NameRoomToken, OK, "the token "+tok+" is digits only: a phone can dial into it", "")
	}
	msg := "the token " + tok + " has letters (or a leading 0, or the same digit twice in a row): a phone keypad cannot dial into this conversation"
	action := "for dial-in, create a new conversation while SIP is configured (the server then gives it a digits-only token)"
	if r.SIPEnabled != models.SIPDisabled {
		return f(NameRoomToken, Problem, msg+", although dial-in is on", action)
	}
	return f(NameRoomToken, Warning, msg, action)
}

// roomPeople judges who waits: the lobby and a running call. ok is false
// when the people were not read.
func roomPeople(in RoomFacts) (Finding, bool) {
	r := in.Room
	if in.PeopleErr != nil {
		return f(NameRoomPeople, Warning, "the people could not be read: "+sanitize.Line(client.Message(in.PeopleErr)), "run talkmod people "+sanitize.Line(r.Token)), true
	}
	if !in.PeopleRead {
		return Finding{}, false
	}
	var waiting, heldInCall, notLetIn int
	for _, p := range in.People {
		switch p.State(r) {
		case models.StateWaiting:
			waiting++
		case models.StateInCallNotLetIn:
			heldInCall++
		}
		if !p.IsModerator() && !p.LetIn() && p.Connected() {
			notLetIn++
		}
	}
	tok := sanitize.Line(r.Token)
	if r.LobbyState != models.LobbyModeratorsOnly {
		// nobody can wait in a lobby that is off
		msg := "the lobby is off, so nobody waits"
		if notLetIn > 0 {
			msg += fmt.Sprintf(": %s without \"let in\" came straight in (the people list shows them connected or in the call, not waiting)", words.Count(notLetIn, "person", "people"))
		}
		return f(NameRoomPeople, OK, msg, "").with("waiting", 0), true
	}
	if r.HasCall && waiting+heldInCall > 0 {
		msg := fmt.Sprintf("a call is running while %s wait in the lobby: they are not let in", words.Count(waiting+heldInCall, "person", "people"))
		if heldInCall > 0 {
			msg = fmt.Sprintf("a call is running while %s wait in the lobby (%d of them sent back during the call): they are not let in", words.Count(waiting+heldInCall, "person", "people"), heldInCall)
		}
		return f(NameRoomPeople, Warning, msg,
			"let them in (talkmod admit "+tok+" --all-waiting), or switch the lobby off (talkmod lobby "+tok+" off)").
			with("waiting", waiting).with("heldInCall", heldInCall), true
	}
	if waiting > 0 {
		return f(NameRoomPeople, OK, fmt.Sprintf("%s wait in the lobby; no call is running yet", words.Count(waiting, "person", "people")), "").with("waiting", waiting), true
	}
	return f(NameRoomPeople, OK, "nobody waits in the lobby", "").with("waiting", 0), true
}

// youAre is words.YouAre, also for the types it says nothing of.
func youAre(r models.Room) string {
	if w := words.YouAre(r); w != "" {
		return sanitize.Line(w)
	}
	return "you are " + sanitize.Line(words.Role(r.ParticipantType))
}
