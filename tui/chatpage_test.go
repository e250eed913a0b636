package tui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/accounts"
	"github.com/talkmod/talkmod/tui/chat"
	"github.com/talkmod/talkmod/tui/roomlist"
)

// chatOpen is the open chat of the console (nil: none).
func chatOpen(m Model) *chat.Model {
	for _, p := range m.pages {
		if cp, ok := p.(*chat.Page); ok {
			return cp.Chat()
		}
	}
	return nil
}

// chatFake is the fake backend with a chat: a history; a poll that either
// answers "cancelled" at once (block false: the synchronous harness) or
// waits until its context ends or the test is over (block true: teatest).
type chatFake struct {
	*fakeBackend
	block bool
	done  chan struct{}

	cmu   sync.Mutex
	polls []context.Context
	msgs  []models.ChatMessage
}

func newChatFake(t *testing.T, block bool) *chatFake {
	f := &chatFake{fakeBackend: demoBackend(), block: block, done: make(chan struct{})}
	t.Cleanup(func() { close(f.done) })
	at := func(min int) int64 { return testNow.Add(time.Duration(min) * time.Minute).Unix() }
	actor := models.MessageParameters{"actor": {Type: "user", ID: "alice", Name: "Alice Martin"}}
	f.msgs = []models.ChatMessage{
		{ID: 10, ActorType: "users", ActorID: "alice", ActorDisplayName: "Alice Martin", Timestamp: at(-30), Message: "You created the conversation",
			SystemMessage: "conversation_created", MessageType: "system", MessageParameters: actor},
		{ID: 11, ActorType: "users", ActorID: "alice", ActorDisplayName: "Alice Martin", Timestamp: at(-20), MessageType: "comment", IsReplyable: true,
			Message: "Welcome! We start at the top of the hour."},
		{ID: 12, ActorType: "users", ActorID: "carol", ActorDisplayName: "Carol Diaz", Timestamp: at(-15), MessageType: "comment", IsReplyable: true,
			Message: "{mention-user1} could you share the slides?", MessageParameters: models.MessageParameters{"mention-user1": {Type: "user", ID: "alice", Name: "Alice Martin"}}},
		{ID: 13, ActorType: "guests", ActorID: "f017ca99", ActorDisplayName: "\x1b]0;pwned\x07Jordan", Timestamp: at(-12), MessageType: "comment", IsReplyable: true,
			Message: "\x1b[2J\x1b[31mURGENT: log in again\x1b[0m"},
		{ID: 14, ActorType: "users", ActorID: "bob", ActorDisplayName: "Bob Chen", Timestamp: at(-10), MessageType: "comment_deleted", Deleted: true,
			Message: "Message deleted by you", MessageParameters: actor},
		{ID: 15, ActorType: "users", ActorID: "alice", ActorDisplayName: "Alice Martin", Timestamp: at(-5), MessageType: "comment", IsReplyable: true,
			Message: "Yes, after the session.", Parent: &models.ChatMessage{ActorType: "users", ActorDisplayName: "Carol Diaz", Message: "could you share the slides?"}},
		{ID: 16, ActorType: "users", ActorID: "alice", ActorDisplayName: "Alice Martin", Timestamp: at(-4), Message: "You locked the conversation",
			SystemMessage: "read_only", MessageType: "system", MessageParameters: actor},
		{ID: 17, ActorType: "users", ActorID: "alice", ActorDisplayName: "Alice Martin", Timestamp: at(-3), Message: "You unlocked the conversation",
			SystemMessage: "read_only_off", MessageType: "system", MessageParameters: actor},
	}
	return f
}

func (f *chatFake) ChatHistory(ctx context.Context, token string, opts client.HistoryOptions) (client.ChatPage, error) {
	f.record("chat history " + token)
	p := client.ChatPage{}
	for i := len(f.msgs) - 1; i >= 0; i-- {
		p.Messages = append(p.Messages, f.msgs[i])
	}
	return p, nil
}

func (f *chatFake) PollChat(ctx context.Context, token string, opts client.PollOptions) (client.ChatPage, error) {
	f.record(fmt.Sprintf("chat poll %s after %d", token, opts.After))
	f.cmu.Lock()
	f.polls = append(f.polls, ctx)
	f.cmu.Unlock()
	if f.block {
		select {
		case <-ctx.Done():
		case <-f.done:
		}
	}
	return client.ChatPage{}, context.Canceled
}

func (f *chatFake) PostMessage(ctx context.Context, token string, p client.PostOptions) (models.ChatMessage, error) {
	f.record("chat post " + p.Message)
	return models.ChatMessage{ID: 99, ActorType: "users", ActorID: "alice", ActorDisplayName: "Alice Martin", Message: p.Message, MessageType: "comment", Timestamp: testNow.Unix()}, nil
}

func (f *chatFake) DeleteMessage(ctx context.Context, token string, id int64) (models.ChatMessage, error) {
	f.record(fmt.Sprintf("chat delete %d", id))
	return models.ChatMessage{}, &client.APIError{HTTPStatus: 405, Reason: "message", Op: "delete message"}
}

func (f *chatFake) SetReadOnly(ctx context.Context, token string, on bool) (models.Room, error) {
	f.record(fmt.Sprintf("chat read-only %v", on))
	r, _ := f.find(token)
	r.ReadOnly = boolToInt(on)
	return r, nil
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (f *chatFake) pollCtxs() []context.Context {
	f.cmu.Lock()
	defer f.cmu.Unlock()
	return append([]context.Context(nil), f.polls...)
}

func (f *chatFake) chatCalls() []string {
	var out []string
	for _, c := range f.fakeBackend.Calls() {
		if strings.HasPrefix(c, "chat ") {
			out = append(out, c)
		}
	}
	return out
}

// TestChatPageOpensPollsAndCloses: c opens the selected room's chat (the
// history, then one poll from its newest id); esc closes it and cancels
// the poll; the page closes by itself, and cancels its poll, when the room
// leaves the list.
func TestChatPageOpensPollsAndCloses(t *testing.T) {
	f := newChatFake(t, false)
	h := newHarnessSorted(t, f.fakeBackend, 120, 40, roomlist.SortByActivity)
	h.m.accts[0].Backend = f
	h.selectRoom("748392")
	h.press("c")
	if chatOpen(h.m) == nil {
		t.Fatalf("no chat page; flash %q", h.m.flash.text)
	}
	if got := f.chatCalls(); len(got) != 2 || got[0] != "chat history 748392" || got[1] != "chat poll 748392 after 17" {
		t.Fatalf("calls %v", got)
	}
	v := h.view()
	for _, want := range []string{"Chat · Town hall · open", "Alice Martin: Welcome!", "Carol Diaz: @Alice Martin could you share",
		"^[]0;pwned^GJordan (guest): ^[[2J^[[31mURGENT", "Bob Chen: (deleted by you)", "↳ Carol Diaz: could you share the slides?", "* You unlocked the conversation",
		"i write"} {
		mustContain(t, v, want)
	}
	if escapeIn(v) {
		t.Fatal("escape in the view")
	}
	// q typed in the input is text, not quit
	h.press("i", "q", "esc")
	if chatOpen(h.m) == nil {
		t.Fatal("q in the input closed the page")
	}
	ctx := f.pollCtxs()[0]
	if ctx.Err() != nil {
		t.Fatal("the poll's context ended while the page is open")
	}
	// q with a draft warns first
	h.press("i", "d", "esc", "q")
	if chatOpen(h.m) == nil {
		t.Fatal("q dropped the draft unseen")
	}
	mustContain(t, h.view(), "your chat draft is not sent: q again quits")
	h.press("esc") // warns about the draft
	h.press("esc")
	if chatOpen(h.m) != nil || ctx.Err() == nil {
		t.Fatalf("esc: page %v, poll context %v", chatOpen(h.m) != nil, ctx.Err())
	}
	mustContain(t, h.view(), "Town hall")
	// the room leaves the list while its chat is open
	h.press("c")
	ctx = f.pollCtxs()[len(f.pollCtxs())-1]
	f.mu.Lock()
	var keep []models.Room
	for _, r := range f.rooms {
		if r.Token != "748392" {
			keep = append(keep, r)
		}
	}
	f.rooms = keep
	f.mu.Unlock()
	h.m.accts[0].Sync.ListSeq++
	list, _ := f.ListRooms(context.Background(), client.ListOptions{})
	h.settle(accounts.ListMsg{Seq: h.m.accts[0].Sync.ListSeq, Full: true, List: list})
	if chatOpen(h.m) != nil || ctx.Err() == nil {
		t.Fatalf("the room left the list: page %v, poll context %v", chatOpen(h.m) != nil, ctx.Err())
	}
	mustContain(t, h.view(), "the chat of Town hall was closed")
}

// TestChatPageNotForOneToOne: the page is for group and public rooms.
func TestChatPageNotForOneToOne(t *testing.T) {
	f := newChatFake(t, false)
	h := newHarnessSorted(t, f.fakeBackend, 120, 40, roomlist.SortByActivity)
	h.m.accts[0].Backend = f
	h.m.table.SetShowAll(true)
	h.selectRoom("bob1")
	h.press("c")
	if chatOpen(h.m) != nil || len(f.chatCalls()) != 0 {
		t.Fatal("opened the chat of a one-to-one")
	}
	mustContain(t, h.view(), "group and public conversations")
}

// TestGoldenChat: the chat page at 80x24 and 120x40, and with the delete
// question open.
func TestGoldenChat(t *testing.T) {
	for _, sz := range goldenSizes {
		for name, steps := range map[string][]goldenStep{
			"chat":            {{keys: []string{"c"}, wait: "live:"}},
			"delete-question": {{keys: []string{"c"}, wait: "live:"}, {keys: []string{"up", "up", "up", "x"}, wait: "y deletes"}},
		} {
			t.Run(sizeName(sz)+"/"+name, func(t *testing.T) {
				f := newChatFake(t, true)
				checkGolden(t, runGolden(t, f, sz[0], sz[1], steps...))
			})
		}
	}
}

var _ chat.Backend = (*chatFake)(nil)

// TestChatPageReadOnlySession: a read-only SSH session reads the chat but
// i, x and L say so and send nothing.
func TestChatPageReadOnlySession(t *testing.T) {
	f := newChatFake(t, false)
	h := newHarnessSorted(t, f.fakeBackend, 120, 40, roomlist.SortByActivity)
	h.m.accts[0].Backend = f
	h.m.c.ReadOnly = true
	var refused []string
	h.m.c.ReadOnlyRefused = func(key string) { refused = append(refused, key) }
	h.selectRoom("748392")
	h.press("c")
	if chatOpen(h.m) == nil {
		t.Fatal("a read-only session cannot read the chat")
	}
	// the key bar offers none of the chat's changes
	line := h.m.pages[1].HelpLine(h.m.c)
	for _, w := range []string{"write", "reply", "delete", "lock"} {
		if strings.Contains(line, w) {
			t.Errorf("a read-only chat offers %q: %s", w, line)
		}
	}
	mustContain(t, line, "read-only session")
	for _, k := range []string{"i", "up", "x", "L", "R"} {
		h.press(k)
	}
	h.press("y")
	if want := "i,x,L,R"; strings.Join(refused, ",") != want {
		t.Errorf("refused keys told: %q, want %s", refused, want)
	}
	for _, c := range f.chatCalls() {
		if !strings.HasPrefix(c, "chat history") && !strings.HasPrefix(c, "chat poll") {
			t.Errorf("a read-only session sent %q", c)
		}
	}
	mustContain(t, h.view(), "read-only session")
}

// TestChatPageWithoutChat: a backend without the chat calls: c says so
// and opens nothing; ? on the open page shows the help, any key goes back.
func TestChatPageWithoutChat(t *testing.T) {
	h := newHarnessSorted(t, demoBackend(), 120, 40, roomlist.SortByActivity)
	h.selectRoom("748392")
	h.press("c")
	if chatOpen(h.m) != nil {
		t.Fatal("a chat without a chat backend")
	}
	mustContain(t, h.m.flash.text, "this connection cannot read the chat")

	f := newChatFake(t, false)
	h = newHarnessSorted(t, f.fakeBackend, 120, 40, roomlist.SortByActivity)
	h.m.accts[0].Backend = f
	h.selectRoom("748392")
	h.press("c", "?")
	mustContain(t, h.view(), "c opens the chat of the selected conversation")
	h.press("x")
	if chatOpen(h.m) == nil || h.m.help.Show {
		t.Fatal("a key on the help did not go back to the chat")
	}
	v := h.view()
	mustContain(t, v, "Chat · Town hall")
	if strings.Contains(v, "then x deletes it") {
		t.Errorf("the key that closed the help reached the chat:\n%s", v)
	}
}
