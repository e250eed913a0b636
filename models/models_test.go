package models

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestSIPCompatibleToken(t *testing.T) {
	cases := map[string]bool{
		"3759050267": true, "6259521717": true, "9402968108": true, "1234567890": true,
		"f8gbqb9k":   false, // letters
		"0123456789": false, // leading 0
		"1123456789": false, // two equal digits in a row
		"1234567889": false,
		"":           false,
		"12a4":       false,
	}
	for tok, want := range cases {
		if got := SIPCompatibleToken(tok); got != want {
			t.Errorf("SIPCompatibleToken(%q) = %v, want %v", tok, got, want)
		}
	}
}

func TestBoolAcceptsWhatServersSend(t *testing.T) {
	for in, want := range map[string]bool{`true`: true, `false`: false, `1`: true, `0`: false, `"1"`: true, `null`: false} {
		var r Room
		if err := json.Unmarshal([]byte(`{"canEnableSIP":`+in+`}`), &r); err != nil || bool(r.CanEnableSIP) != want {
			t.Errorf("canEnableSIP %s = %v, %v", in, r.CanEnableSIP, err)
		}
	}
	var r Room
	if err := json.Unmarshal([]byte(`{"canEnableSIP":"maybe"}`), &r); err == nil {
		t.Error("a non-boolean was accepted")
	}
}

func TestRoomIgnoresUnknownFieldsAndKeepsAPINames(t *testing.T) {
	in := `{"token":"abcd","type":3,"lobbyState":1,"lobbyTimer":1796178358,"sipEnabled":2,"participantType":2,"futureField":{"x":[1,2]},"lastMessage":[]}`
	var r Room
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		t.Fatal(err)
	}
	if r.Type != ConversationPublic || r.LobbyState != LobbyModeratorsOnly || r.SIPEnabled != SIPEnabledNoPIN || !r.IsModerator() {
		t.Errorf("decoded %+v", r)
	}
	out, _ := json.Marshal(r)
	for _, k := range []string{`"lobbyState":1`, `"lobbyTimer":1796178358`, `"sipEnabled":2`, `"canEnableSIP":false`, `"displayName"`} {
		if !strings.Contains(string(out), k) {
			t.Errorf("marshalled room lacks %s: %s", k, out)
		}
	}
	tm, ok := r.LobbyTimerTime()
	if !ok || !tm.Equal(time.Unix(1796178358, 0)) {
		t.Errorf("LobbyTimerTime = %v %v", tm, ok)
	}
	if _, ok := (Room{LobbyTimer: 0}).LobbyTimerTime(); ok {
		t.Error("timer 0 read as a time")
	}
	if _, ok := (Room{LobbyTimer: -5}).LobbyTimerTime(); ok {
		t.Error("negative timer read as a time")
	}
}

func TestStrings(t *testing.T) {
	if LobbyModeratorsOnly.String() != "on" || SIPEnabledNoPIN.String() != "on without PIN" ||
		LobbyState(7).String() != "lobby state 7" || SIPState(9).Valid() || !SIPEnabledNoPIN.Valid() {
		t.Error("constant names are wrong")
	}
	if (Room{Token: "t"}).Label() != "t" || (Room{Name: "n", Token: "t"}).Label() != "n" || (Room{DisplayName: "d", Name: "n"}).Label() != "d" {
		t.Error("Label fallback is wrong")
	}
	if !(Room{Type: ConversationGroup, ParticipantType: ParticipantModerator}).IsWebinarCandidate() ||
		(Room{Type: ConversationOneToOne, ParticipantType: ParticipantOwner}).IsWebinarCandidate() ||
		(Room{Type: ConversationPublic, ParticipantType: ParticipantUser}).IsWebinarCandidate() {
		t.Error("IsWebinarCandidate is wrong")
	}
}
