package tui

import (
	"testing"

	"github.com/talkmod/talkmod/tui/dialog"
)

// Each dialog component on its own: its View from its own state and the
// shared Common, at 80 columns (the root draws the box around it).
func TestGoldenDialogs(t *testing.T) {
	h := newDemo(t, 80, 24)
	c := h.m.c
	e := h.m.table.Find("748392")
	t.Run("confirm", func(t *testing.T) {
		d := newConfirm("Turn the lobby on · Town hall",
			[]string{"A call is running in Town hall. Turning the lobby on removes everyone who is not a moderator from the call."},
			"Turn the lobby on now and remove them from the call? y/n", "lobby unchanged: nothing was sent", actionReq{token: "748392"})
		checkGolden(t, d.View(c))
		// y only
		if _, res := d.Update(&c, keyMsg("enter")); res != (dialog.CancelledMsg{Payload: d.Payload, No: d.No}) {
			t.Errorf("enter: %#v", res)
		}
		if _, res := d.Update(&c, keyMsg("y")); res != (dialog.ConfirmedMsg{Payload: d.Payload}) {
			t.Errorf("y: %#v", res)
		}
	})
	t.Run("sip", func(t *testing.T) {
		var d dialog.Dialog = dialog.NewSIP(e.Room, e.Name, h.m.accts[0].Caps, nil)
		d, _ = d.Update(&c, keyMsg("down"))
		checkGolden(t, d.View(c))
		if _, res := d.Update(&c, keyMsg("enter")); res != (dialog.SIPChosenMsg{Token: "748392", State: dialog.SIPChoices[2].State, Label: dialog.SIPChoices[2].Label}) {
			t.Errorf("enter: %#v", res)
		}
		if _, res := d.Update(&c, keyMsg("esc")); res != (dialog.CancelledMsg{No: "SIP dial-in unchanged: nothing was sent"}) {
			t.Errorf("esc: %#v", res)
		}
	})
	t.Run("picker", func(t *testing.T) {
		var p dialog.Dialog = dialog.NewPicker(c, e.Room, e.Name)
		p, _ = p.Update(&c, keyMsg("+"))
		checkGolden(t, p.View(c))
		_, res := p.Update(&c, keyMsg("enter"))
		got, ok := res.(dialog.PickedMsg)
		if !ok || got.Timer == nil || !got.Timer.After(testNow) || got.Token != "748392" {
			t.Errorf("enter: %#v", res)
		}
		_, res = p.Update(&c, keyMsg("x"))
		if res != (dialog.PickedMsg{Token: "748392", Clear: true}) {
			t.Errorf("x: %#v", res)
		}
	})
}
