package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/words"
)

// The all-rooms view greys exactly the rooms talkmod rooms --all lists
// with a CAN'T CHANGE reason (words.CantChange), breakout rooms and
// tokens with letters among them; the default view does not grey them.
func TestAllViewGreysWhatRoomsAllCannotChange(t *testing.T) {
	be := &fakeBackend{rooms: demoRooms(), caps: fullCaps()}
	h := newHarness(t, be, 120, 40)
	h.press("a")
	h.m.flash = flash{}
	v := h.view()
	greyed := map[string]bool{}
	for _, l := range strings.Split(v, "\n") {
		for _, r := range be.rooms {
			if strings.Contains(l, " "+r.DisplayName+" ") || strings.Contains(l, "·"+r.DisplayName+" ") {
				greyed[r.Token] = strings.Contains(l, "·"+r.DisplayName)
			}
		}
	}
	for _, r := range be.rooms {
		want := words.CantChange(r, be.caps) != ""
		if got, ok := greyed[r.Token]; !ok || got != want {
			t.Errorf("%s (%s): greyed %v (listed %v), want %v (%q)", r.Token, r.DisplayName, got, ok, want, words.CantChange(r, be.caps))
		}
	}
	for _, tok := range []string{"brk1", "abcd2xyz"} {
		if !greyed[tok] {
			t.Errorf("%s not greyed in the a view", tok)
		}
	}
	h.press("a")
	if strings.Contains(h.view(), "·Breakout room 1") {
		t.Error("a breakout room greyed in the default view")
	}
}

func TestDetailNamesBreakoutParent(t *testing.T) {
	rooms := demoRooms()
	rooms = append(rooms, models.Room{Token: "parent7", Type: models.ConversationGroup, DisplayName: "Partner workshop",
		ParticipantType: models.ParticipantOwner})
	for i := range rooms {
		if rooms[i].Token == "brk1" {
			rooms[i].ObjectID = "parent7"
		}
	}
	h := newHarness(t, &fakeBackend{rooms: rooms, caps: fullCaps()}, 120, 40)
	h.selectRoom("brk1")
	mustContain(t, h.view(), "Main:  a breakout room of Partner workshop (token parent7)")
}

func TestNarrowListKeepsNameAndServer(t *testing.T) {
	h := newDemo(t, 60, 16)
	v := h.view()
	lines := strings.Split(v, "\n")
	mustContain(t, lines[0], "alice @ cloud.example.com")
	mustContain(t, v, "> Q3 all-hands webinar ")
	mustContain(t, v, " on · in 25m ")
}

func TestFarTimerNeverCutMidWordAndOpensColumn(t *testing.T) {
	rooms := demoRooms()
	far := testNow.Add(364*24*time.Hour + 22*time.Hour + 30*time.Minute) // "in 364d 23h"
	for i := range rooms {
		if rooms[i].Token == "913572" {
			rooms[i].LobbyTimer = far.Unix()
		}
	}
	for _, w := range []int{60, 72, 80, 100, 120, 160} {
		h := newHarness(t, &fakeBackend{rooms: rooms, caps: fullCaps()}, w, 24)
		var row string
		for _, l := range strings.Split(h.view(), "\n") {
			if strings.Contains(l, "Board meeting ") {
				row = l
			}
		}
		if row == "" {
			t.Fatalf("%d: no row", w)
		}
		cell := words.LobbyCell(h.row("913572"), testNow)
		short := strings.Replace(cell, "opens in", "in", 1)
		if !strings.Contains(row, " "+cell+" ") && !strings.Contains(row, " "+short+" ") && !strings.Contains(row, " on ") {
			t.Errorf("%d: lobby cut mid-word: %q", w, row)
		}
		if strings.Contains(row, "…") {
			t.Errorf("%d: a cut in %q", w, row)
		}
		opens := words.Clock(far, testNow, h.m.c.Loc())
		header := h.m.table.headerLine(h.m.rowCtx(testNow))
		if w >= 100 {
			mustContain(t, header, "OPENS")
			mustContain(t, row, opens)
		} else if strings.Contains(header, "OPENS") {
			t.Errorf("%d: OPENS on a narrow terminal", w)
		}
	}
}
