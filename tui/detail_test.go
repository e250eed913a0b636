package tui

import (
	"testing"
)

func TestSIPDialInCard(t *testing.T) {
	h := newDemo(t, 120, 40)
	h.selectRoom("748392")
	mustContain(t, h.view(), "on with PIN · dial in: meeting ID 748392, your PIN 846213")
}

func TestDetailKeyAndHelp(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.press("enter")
	if !h.m.detailFull {
		t.Fatal("enter")
	}
	v := h.view()
	mustContain(t, v, "Quarterly results")
	mustContain(t, v, "and questions")
	h.press("esc")
	if h.m.detailFull {
		t.Fatal("esc")
	}
	h.press("?")
	mustContain(t, h.view(), "Keys")
	h.press("?")
	if h.m.help.Show {
		t.Fatal("? again")
	}
}
