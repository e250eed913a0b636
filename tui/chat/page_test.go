package chat

import (
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
)

// pageBackend is the console's backend with a chat: the room and people
// calls are not used by the page (nil), the chat's are the fake's.
type pageBackend struct {
	common.Backend
	*fakeBackend
}

func pageCommon() common.Common {
	return common.Common{
		Styles: common.NewStyles(lipgloss.NewRenderer(io.Discard)), Keys: common.DefaultKeyMap(),
		Width: 80, Height: 24, Now: func() time.Time { return testNow }, Zones: []*time.Location{time.UTC},
		Timeout: time.Second, After: func(time.Duration, tea.Msg) tea.Cmd { return nil },
	}
}

func pageEnv(be *fakeBackend, token, name string) common.Env {
	return common.Env{Backend: pageBackend{fakeBackend: be}, InList: true, User: "morgan",
		Room: models.Room{Token: token, Name: name, Type: models.ConversationPublic, ParticipantType: models.ParticipantOwner}}
}

func pageKey(t *testing.T, p *Page, c common.Common, env common.Env, ks ...string) tea.Cmd {
	t.Helper()
	var cmd tea.Cmd
	for _, k := range ks {
		km := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		switch k {
		case "esc":
			km = tea.KeyMsg{Type: tea.KeyEsc}
		case "enter":
			km = tea.KeyMsg{Type: tea.KeyEnter}
		}
		var ok bool
		cmd, _, ok = p.Update(c, env, km)
		if !ok {
			t.Fatalf("%s: the open page did not take the key", k)
		}
	}
	return cmd
}

// TestPageDropsAnEarlierChatsAnswer: a chat closed and another opened at
// once: the first one's late history is not shown in the second.
func TestPageDropsAnEarlierChatsAnswer(t *testing.T) {
	n := 0
	be := &fakeBackend{history: func(client.HistoryOptions) (client.ChatPage, error) {
		n++
		m := msg(101, "Alice", "said in room A")
		if n > 1 {
			m = msg(102, "Bob", "said in room B")
		}
		return newestFirst([]models.ChatMessage{m}), nil
	}}
	c := pageCommon()
	p := NewPage()
	envA, envB := pageEnv(be, "aaaaaaaa", "Room A"), pageEnv(be, "bbbbbbbb", "Room B")
	readA := p.Open(c, envA)
	pageKey(t, p, c, envA, "esc")
	if p.IsOpen() {
		t.Fatal("esc did not close the page")
	}
	readB := p.Open(c, envB)
	lateA := readA()
	readBMsg := readB()
	if _, _, ok := p.Update(c, envB, lateA); !ok {
		t.Fatal("the page did not take its own late answer")
	}
	if v := p.View(c, envB, testNow, 20); strings.Contains(v, "room A") {
		t.Fatalf("room A's history in room B's chat:\n%s", v)
	}
	p.Update(c, envB, readBMsg)
	v := p.View(c, envB, testNow, 20)
	if !strings.Contains(v, "Bob: said in room B") || strings.Contains(v, "room A") {
		t.Fatalf("room B's chat:\n%s", v)
	}
}

// TestPageKeysPendingAndQuit: the input and the question take every key;
// a read-only session refuses i, R, x, L, enter in the input and y on a
// question, nothing else; a post on its way is pending; a draft holds the
// first q, not the second.
func TestPageKeysPendingAndQuit(t *testing.T) {
	be := &fakeBackend{history: func(client.HistoryOptions) (client.ChatPage, error) { return newestFirst(history(3)), nil },
		post: func(p client.PostOptions) (models.ChatMessage, error) { return msg(200, "Morgan", p.Message), nil }}
	c := pageCommon()
	k := c.Keys
	p := NewPage()
	if p.Changes(k, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")}) != true {
		t.Error("x is not a change")
	}
	env := pageEnv(be, "1234567890", "Customer Webinar")
	p.Update(c, env, p.Open(c, env)())
	runes := func(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }
	for _, s := range []string{"i", "R", "x", "L"} {
		if !p.Changes(k, runes(s)) {
			t.Errorf("%s is not a change", s)
		}
	}
	if p.Changes(k, runes("k")) || p.Changes(k, tea.KeyMsg{Type: tea.KeyEnter}) || p.Confirming() {
		t.Error("↑ or enter on the list is a change, or the page confirms")
	}
	pageKey(t, p, c, env, "i", "h")
	if !p.Confirming() || p.Changes(k, runes("x")) || p.Changes(k, runes("q")) || !p.Changes(k, tea.KeyMsg{Type: tea.KeyEnter}) {
		t.Errorf("in the input: confirming %v, x change %v, enter change %v", p.Confirming(), p.Changes(k, runes("x")), p.Changes(k, tea.KeyMsg{Type: tea.KeyEnter}))
	}
	pageKey(t, p, c, env, "esc")
	if why := p.HoldQuit(); !strings.Contains(why, "draft is not sent") {
		t.Errorf("the first q with a draft: %q", why)
	}
	if why := p.HoldQuit(); why != "" {
		t.Errorf("the second q: %q", why)
	}
	post := pageKey(t, p, c, env, "i", "enter")
	if post == nil || p.Pending() != 1 {
		t.Fatalf("the post: command %v, pending %d", post != nil, p.Pending())
	}
	if why := p.HoldQuit(); why != "" {
		t.Errorf("q without a draft: %q", why)
	}
	p.Update(c, env, post())
	if p.Pending() != 0 {
		t.Errorf("pending %d after the answer", p.Pending())
	}
}

// TestPageRoomRead: the list read with the room: the page stays; without
// it: the page closes and says so; a one-to-one is refused.
func TestPageRoomRead(t *testing.T) {
	be := &fakeBackend{history: func(client.HistoryOptions) (client.ChatPage, error) { return newestFirst(history(3)), nil }}
	c := pageCommon()
	p := NewPage()
	env := pageEnv(be, "1234567890", "Customer Webinar")
	p.Open(c, env)
	if note := p.RoomRead(c, env); note.Text != "" || !p.IsOpen() {
		t.Fatalf("the room in the list: note %q, open %v", note.Text, p.IsOpen())
	}
	env.InList, env.Room = false, models.Room{Token: env.Room.Token}
	note := p.RoomRead(c, env)
	if p.IsOpen() || note.Level != common.LevelWarn || note.Text != "the chat of Customer Webinar was closed: the conversation is no longer in your list" {
		t.Fatalf("the room left the list: open %v, note %+v", p.IsOpen(), note)
	}
	if short, long := p.Refuse(models.Room{Type: models.ConversationOneToOne}); short == "" || !strings.Contains(long, "group and public") {
		t.Errorf("one-to-one: %q, %q", short, long)
	}
	if short, long := p.Refuse(pageEnv(be, "x", "y").Room); short != "" || long != "" {
		t.Errorf("a public room refused: %q", long)
	}
}
