package tui

import "testing"

// Each dialog component on its own: its View from its own state and the
// shared Common, at 80 columns (the root draws the box around it).
func TestGoldenDialogs(t *testing.T) {
	h := newDemo(t, 80, 24)
	c := h.m.c
	hm := h.m.c.Help
	e := h.m.table.find("748392")
	t.Run("confirm", func(t *testing.T) {
		d := newConfirm("Turn the lobby on · Town hall",
			[]string{"A call is running in Town hall. Turning the lobby on removes everyone who is not a moderator from the call."},
			"Turn the lobby on now and remove them from the call? y/n", "lobby unchanged: nothing was sent", actionReq{token: "748392"})
		checkGolden(t, d.View(c, hm))
		// y only
		if _, res := d.Update(c, keyMsg("enter")); res != (confirmCancelledMsg{Payload: d.Payload, No: d.No}) {
			t.Errorf("enter: %#v", res)
		}
		if _, res := d.Update(c, keyMsg("y")); res != (confirmedMsg{Payload: d.Payload}) {
			t.Errorf("y: %#v", res)
		}
	})
	t.Run("sip", func(t *testing.T) {
		d := newSIPDialog(e, h.m.caps, nil)
		d, _ = d.Update(c, keyMsg("down"))
		checkGolden(t, d.View(c, hm))
		if _, res := d.Update(c, keyMsg("enter")); res != (sipChosenMsg{token: "748392", state: sipChoices[2].state, label: sipChoices[2].label}) {
			t.Errorf("enter: %#v", res)
		}
		if _, res := d.Update(c, keyMsg("esc")); res != (sipCancelledMsg{}) {
			t.Errorf("esc: %#v", res)
		}
	})
	t.Run("picker", func(t *testing.T) {
		p := newPicker(c, e)
		p, _ = p.Update(&c, keyMsg("+"))
		checkGolden(t, p.View(c))
		_, res := p.Update(&c, keyMsg("enter"))
		got, ok := res.(pickedMsg)
		if !ok || got.timer == nil || !got.timer.After(testNow) || got.token != "748392" {
			t.Errorf("enter: %#v", res)
		}
		_, res = p.Update(&c, keyMsg("x"))
		if res != (pickedMsg{token: "748392", clear: true}) {
			t.Errorf("x: %#v", res)
		}
	})
}
