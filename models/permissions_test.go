package models

import "testing"

func TestPresetValues(t *testing.T) {
	// listen only: join the call and chat (132), stored 133 [real F03]
	if v := PresetListenOnly.Value(); v != 132 || StoredPermissions(v) != 133 {
		t.Errorf("listen-only = %d stored %d, want 132 stored 133", v, StoredPermissions(v))
	}
	if v := PresetEveryone.Value(); v != 246 || v&PermissionIgnoreLobby != 0 {
		t.Errorf("everyone = %d: want 246 without bit 8", v)
	}
	if PresetDefault.Value() != 0 || StoredPermissions(0) != 0 {
		t.Error("the server default is 0 and stays 0")
	}
	for stored, want := range map[int]Preset{133: PresetListenOnly, 132: PresetListenOnly, 247: PresetEveryone, 0: PresetDefault} {
		if p, ok := PresetOf(stored); !ok || p != want {
			t.Errorf("PresetOf(%d) = %q %v, want %q", stored, p, ok, want)
		}
	}
	for _, other := range []int{5, 255, 113} { // the web UI's restricted and all [real F18, F19]
		if p, ok := PresetOf(other); ok {
			t.Errorf("PresetOf(%d) = %q, want none", other, p)
		}
	}
	for in, want := range map[string]Preset{"listen-only": PresetListenOnly, "Everyone": PresetEveryone, "default": PresetDefault} {
		if p, ok := ParsePreset(in); !ok || p != want {
			t.Errorf("ParsePreset(%q) = %q", in, p)
		}
	}
	if _, ok := ParsePreset("loud"); ok {
		t.Error("an unknown preset was read")
	}
}

func TestEffectivePermissions(t *testing.T) {
	for _, c := range []struct {
		t             ParticipantType
		own, def, eff int
	}{
		{ParticipantUser, 0, 0, 246},          // [real F02]
		{ParticipantUser, 0, 133, 133},        // [real F04]
		{ParticipantUser, 149, 133, 149},      // [real F38]
		{ParticipantModerator, 149, 133, 254}, // [real F62]
		{ParticipantGuestModerator, 0, 133, 254},
		{ParticipantOwner, 0, 255, 254},
		{ParticipantGuest, 0, 255, 255}, // [real F20]
	} {
		if got := EffectivePermissions(c.t, c.own, c.def); got != c.eff {
			t.Errorf("type %d own %d default %d: %d, want %d", c.t, c.own, c.def, got, c.eff)
		}
	}
}

func TestFloorReadings(t *testing.T) {
	// alice after "remove 16" while talking: 133/133, still inCall 3 [real F41, F42]
	alice := Participant{ParticipantType: ParticipantUser, Permissions: 133, AttendeePermissions: 133, InCall: 3}
	if alice.MaySpeak() || !alice.NotEnforcedYet() || !alice.HasOwnPermissions() {
		t.Errorf("alice: speak %v, not enforced %v, own %v", alice.MaySpeak(), alice.NotEnforcedYet(), alice.HasOwnPermissions())
	}
	floor := Participant{ParticipantType: ParticipantUser, Permissions: 245, AttendeePermissions: 245, InCall: 7}
	if !floor.HasFloor() || floor.NotEnforcedYet() {
		t.Error("245 with inCall 7 is the floor, enforced")
	}
	mod := Participant{ParticipantType: ParticipantModerator, Permissions: 254, AttendeePermissions: 0}
	bob := Participant{ParticipantType: ParticipantUser, Permissions: 133}
	got := LosesOwnPermissions([]Participant{alice, floor, mod, bob})
	if len(got) != 2 || got[0].Permissions != 133 || got[1].Permissions != 245 {
		t.Errorf("LosesOwnPermissions = %+v", got)
	}
}
