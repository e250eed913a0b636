package tui

import (
	"strings"
	"testing"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/dialog"
	"github.com/talkmod/talkmod/tui/words"
)

func TestSIPNumberKeysPickAsNumbered(t *testing.T) {
	for _, c := range []struct {
		key  string
		want string
	}{
		{"1", "sip 913572 off"},
		{"2", "sip 913572 on with PIN"},
		{"3", "sip 913572 on without PIN"},
	} {
		be := &fakeBackend{rooms: demoRooms(), caps: fullCaps()}
		h := newHarness(t, be, 80, 24)
		h.selectRoom("913572")
		if c.key == "1" {
			// off is the room's state: start from on with PIN
			h.press("s", "2", "enter")
		}
		h.press("s")
		mustContain(t, h.view(), c.key+" ")
		h.press(c.key, "enter")
		calls := be.Calls()
		if got := calls[len(calls)-1]; got != c.want {
			t.Errorf("%s: sent %q, want %q", c.key, got, c.want)
		}
	}
	// 0 is no choice
	h := newDemo(t, 80, 24)
	h.selectRoom("913572")
	h.press("s", "j", "0")
	if h.m.dialog.(dialog.SIP).Cursor != 1 {
		t.Errorf("0 moved the cursor to %d", h.m.dialog.(dialog.SIP).Cursor)
	}
}

func TestSIPForcedRefusalWarnsBeforeNextTry(t *testing.T) {
	be := &fakeBackend{rooms: demoRooms(), caps: fullCaps()}
	one := int(models.SIPEnabled)
	be.sipFn = func(token string, state models.SIPState) (models.Room, error) {
		return models.Room{}, &client.APIError{HTTPStatus: 400, OCSStatus: 400, Reason: "forced", Forced: &one, Op: "set SIP"}
	}
	h := newHarness(t, be, 100, 30)
	h.selectRoom("913572")
	h.press("s")
	if strings.Contains(h.view(), "fixed SIP dial-in") {
		t.Fatal("warned before any refusal")
	}
	h.press("3", "enter")
	if countCalls(be, "sip") != 1 {
		t.Fatalf("%v", be.Calls())
	}
	h.press("s")
	v := h.view()
	mustContain(t, v, "the last try was refused: an administrator fixed SIP dial-in")
	mustContain(t, v, "(forced")
	h.press("esc")
	// a confirmed change ends the warning
	be.sipFn = nil
	h.press("s", "2", "enter")
	h.press("s")
	if strings.Contains(h.view(), "fixed SIP dial-in") {
		t.Fatal("still warned after a confirmed change")
	}
}

// s is refused for the capability reasons of the one rule
// (words.SIPUnavailableReason), in its words; room-level reasons only
// warn.
func TestSIPBlockedIsTheModelsRule(t *testing.T) {
	no := false
	for name, edit := range map[string]func(*models.Capabilities){
		"no talk":        func(c *models.Capabilities) { c.HasTalk = false },
		"no sip feature": func(c *models.Capabilities) { delete(c.Features, models.FeatureSIP) },
		"not configured": func(c *models.Capabilities) { c.SIPConfigured = &no },
		"not in groups":  func(c *models.Capabilities) { c.CanEnableSIP = &no },
	} {
		caps := fullCaps()
		caps.Features = map[string]bool{}
		for k, v := range fullCaps().Features {
			caps.Features[k] = v
		}
		edit(&caps)
		want := words.SIPUnavailableReason(models.Room{Token: "3759050267", Type: models.ConversationGroup, ParticipantType: models.ParticipantOwner, CanEnableSIP: true}, caps)
		if got := sipBlocked(caps); got == "" || got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	// a room-level reason (a token with letters) only warns: the
	// capabilities alone decide
	if got := sipBlocked(fullCaps()); got != "" {
		t.Errorf("full capabilities block s: %q", got)
	}
}

func TestSIPDialog(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.selectRoom("913572")
	h.press("s")
	if modal(h.m) != modalSIP || h.m.dialog.(dialog.SIP).Cursor != 0 {
		t.Fatalf("modal %v cursor %d", modal(h.m), h.m.dialog.(dialog.SIP).Cursor)
	}
	h.press("j", "j", "enter")
	if got := h.be.Calls(); got[len(got)-1] != "sip 913572 on without PIN" {
		t.Fatalf("sent %v", got)
	}
	mustContain(t, h.view(), "no PIN")
	if got := h.outcome("913572").text; got != "SIP dial-in on without PIN" {
		t.Fatalf("outcome %q", got)
	}
	// the same state again sends nothing
	h.press("s", "enter")
	if n := countCalls(h.be, "sip"); n != 1 {
		t.Fatal("same state sent")
	}
	// esc cancels
	h.press("s", "k", "esc")
	if n := countCalls(h.be, "sip"); n != 1 {
		t.Fatal("esc sent")
	}
}

func TestSIPNoPINNeedsCapability(t *testing.T) {
	be := &fakeBackend{rooms: demoRooms(), caps: fullCaps()}
	delete(be.caps.Features, models.FeatureSIPNoPIN)
	h := newHarness(t, be, 80, 24)
	h.selectRoom("913572")
	h.press("s", "3")
	mustContain(t, h.view(), "on without PIN · unavailable")
	h.press("enter")
	if modal(h.m) != modalSIP || countCalls(be, "sip") != 0 {
		t.Fatal("state 2 sent without sip-support-nopin")
	}
	mustContain(t, h.view(), "sip-support-nopin")
	h.press("2", "enter")
	if countCalls(be, "sip 913572 on with PIN") != 1 {
		t.Fatalf("%v", be.Calls())
	}
	mustContain(t, h.view(), "your PIN")
}
