package models

import (
	"encoding/json"
	"testing"
)

func TestParticipantStatesFromTheNotes(t *testing.T) {
	lobbyOn := Room{LobbyState: LobbyModeratorsOnly}
	lobbyOff := Room{LobbyState: LobbyNone}
	sess := []string{"s1"}
	cases := []struct {
		name    string
		p       Participant
		room    Room
		waiting bool
		state   Presence
	}{
		{"P06 alice waiting", Participant{ParticipantType: ParticipantUser, Permissions: 246, SessionIDs: sess}, lobbyOn, true, StateWaiting},
		{"P01 offline is not waiting", Participant{ParticipantType: ParticipantUser, Permissions: 246}, lobbyOn, false, StateAway},
		{"lobby off: connected", Participant{ParticipantType: ParticipantUser, Permissions: 246, SessionIDs: sess}, lobbyOff, false, StateConnected},
		{"P10 admitted", Participant{ParticipantType: ParticipantUser, Permissions: 254, SessionIDs: sess}, lobbyOn, false, StateConnected},
		{"P16 in call", Participant{ParticipantType: ParticipantUser, Permissions: 254, SessionIDs: sess, InCall: 3}, lobbyOn, false, StateInCall},
		{"P18 in call, sent back", Participant{ParticipantType: ParticipantUser, Permissions: 246, SessionIDs: sess, InCall: 3}, lobbyOn, true, StateInCallNotLetIn},
		{"P43 guest waiting", Participant{ActorType: ActorGuests, ParticipantType: ParticipantGuest, Permissions: 246, SessionIDs: sess}, lobbyOn, true, StateWaiting},
		{"moderator never waits", Participant{ParticipantType: ParticipantModerator, Permissions: 246, SessionIDs: sess}, lobbyOn, false, StateConnected},
		{"guest moderator never waits", Participant{ParticipantType: ParticipantGuestModerator, Permissions: 0, SessionIDs: sess}, lobbyOn, false, StateConnected},
		{"self-joined user waits", Participant{ParticipantType: ParticipantUserPublicLink, Permissions: 246, SessionIDs: sess}, lobbyOn, true, StateWaiting},
	}
	for _, c := range cases {
		if got := c.p.IsWaiting(c.room); got != c.waiting {
			t.Errorf("%s: IsWaiting = %v, want %v", c.name, got, c.waiting)
		}
		if got := c.p.State(c.room); got != c.state {
			t.Errorf("%s: State = %v, want %v", c.name, got, c.state)
		}
	}
}

func TestParticipantCallFlagsAndNames(t *testing.T) {
	p := Participant{InCall: InCallInCall | InCallAudio | InCallSIP}
	if !p.InCallNow() || !p.WithAudio() || p.WithVideo() || !p.ByPhone() {
		t.Errorf("flags misread: %+v", p)
	}
	if (Participant{InCall: 0}).InCallNow() {
		t.Error("inCall 0 read as in the call")
	}
	names := map[string]Participant{
		"Guest":          {ActorType: ActorGuests, ParticipantType: ParticipantGuest, DisplayName: "  "},
		"Webinar Guest":  {ActorType: ActorGuests, ParticipantType: ParticipantGuest, DisplayName: "Webinar Guest"},
		"alice":          {ActorType: ActorUsers, ActorID: "alice"},
		"+491••••••••78": {ActorType: ActorPhones, ActorID: "abc", PhoneNumber: "+4915112345678"},
		"Reception":      {ActorType: ActorPhones, DisplayName: "Reception", PhoneNumber: "+4915112345678"},
	}
	for want, p := range names {
		if got := p.Name(); got != want {
			t.Errorf("Name() = %q, want %q", got, want)
		}
	}
	if got := MaskPhone("1234"); got != "•••4" {
		t.Errorf("MaskPhone(1234) = %q", got)
	}
}

func TestParticipantKeepsRawBytes(t *testing.T) {
	in := `[{"attendeeId":24,"actorType":"guests","displayName":"Webinar Guest","permissions":246,"sessionIds":["x"],"extra":{"a":1}}]`
	var ps []Participant
	if err := json.Unmarshal([]byte(in), &ps); err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].AttendeeID != 24 || !ps[0].Connected() {
		t.Fatalf("decoded %+v", ps)
	}
	want := `{"attendeeId":24,"actorType":"guests","displayName":"Webinar Guest","permissions":246,"sessionIds":["x"],"extra":{"a":1}}`
	if string(ps[0].Raw) != want {
		t.Errorf("Raw = %s", ps[0].Raw)
	}
}
