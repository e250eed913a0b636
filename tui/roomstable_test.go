package tui

import (
	"fmt"
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
	// what · means is said whole on the narrowest terminal
	small := newHarness(t, &fakeBackend{rooms: demoRooms(), caps: fullCaps()}, 60, 16)
	small.press("a")
	if s := small.m.statusView(testNow); strings.Contains(s, "…") || !strings.Contains(s, "· marks") {
		t.Errorf("a at 60 columns: %q", s)
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
		header := h.m.table.HeaderLine(h.m.rowCtx(testNow))
		if w >= 100 {
			mustContain(t, header, "OPENS")
			mustContain(t, row, opens)
		} else if strings.Contains(header, "OPENS") {
			t.Errorf("%d: OPENS on a narrow terminal", w)
		}
	}
}

func TestGreyedRoomsBehindAll(t *testing.T) {
	h := newDemo(t, 120, 40)
	if h.m.table.Find("bob1") == nil {
		t.Fatal("all rooms are kept")
	}
	for _, e := range h.m.table.Visible {
		if e.Greyed {
			t.Fatalf("greyed %s listed by default", e.Room.Token)
		}
	}
	h.press("a")
	if len(h.m.table.Visible) != 7 {
		t.Fatalf("a shows %d", len(h.m.table.Visible))
	}
	h.selectRoom("watch1")
	v := h.view()
	mustContain(t, v, "cannot be changed here: you are not a moderator of this conversation (you are a participant)")
	h.press("l")
	if countCalls(h.be, "lobby") != 0 {
		t.Fatal("action on a greyed room sent")
	}
	mustContain(t, h.m.flash.text, "cannot change All staff (I only watch): you are not a moderator")
	h.press("a")
	if len(h.m.table.Visible) != 5 {
		t.Fatal("a again did not hide")
	}
}

func TestFilterByNameOrToken(t *testing.T) {
	h := newDemo(t, 80, 24)
	h.press("/", "t", "o", "w", "n")
	if len(h.m.table.Visible) != 1 || h.m.table.Visible[0].Room.Token != "748392" {
		t.Fatalf("filter town: %d", len(h.m.table.Visible))
	}
	// q is typed, not quit
	h.press("q")
	if h.m.filter.Input != "townq" {
		t.Fatalf("filter %q", h.m.filter.Input)
	}
	h.press("backspace", "enter")
	if h.m.filter.Typing || len(h.m.table.Visible) != 1 {
		t.Fatal("enter should keep the filter")
	}
	mustContain(t, h.view(), "/town")
	h.press("esc")
	if h.m.filter.Input != "" || len(h.m.table.Visible) != 5 {
		t.Fatal("esc did not clear")
	}
	h.press("/", "9", "1", "3")
	if len(h.m.table.Visible) != 1 || h.m.table.Visible[0].Room.Token != "913572" {
		t.Fatal("filter by token")
	}
	h.press("esc")
	if h.m.filter.Typing || len(h.m.table.Visible) != 5 {
		t.Fatal("esc while typing did not clear")
	}
}

func TestNavigationKeys(t *testing.T) {
	be := &fakeBackend{caps: fullCaps()}
	for i := 0; i < 100; i++ {
		be.rooms = append(be.rooms, models.Room{Token: fmt.Sprintf("t%03d", i), DisplayName: fmt.Sprintf("room %03d", i),
			Type: models.ConversationGroup, ParticipantType: models.ParticipantOwner, LastActivity: int64(1000 - i)})
	}
	h := newHarness(t, be, 80, 24)
	page := h.m.table.Height
	h.press("j", "j", "down")
	if h.m.table.Cursor != 3 {
		t.Fatalf("cursor %d", h.m.table.Cursor)
	}
	h.press("k", "up")
	if h.m.table.Cursor != 1 {
		t.Fatal("up")
	}
	h.press("pgdown")
	if h.m.table.Cursor != 1+page {
		t.Fatalf("pgdn: %d", h.m.table.Cursor)
	}
	h.press("G")
	if h.m.table.Cursor != 99 || h.m.table.Offset != 100-page {
		t.Fatalf("G: cursor %d offset %d", h.m.table.Cursor, h.m.table.Offset)
	}
	mustContain(t, h.view(), "> room 099")
	h.press("pgup", "g")
	if h.m.table.Cursor != 0 || h.m.table.Offset != 0 {
		t.Fatal("g")
	}
}
