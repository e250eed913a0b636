package client_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
)

func demoRoom(t *testing.T, srv *talktest.Server, name string) string {
	t.Helper()
	for _, tok := range srv.Rooms() {
		if r, _ := srv.Room(tok); r.Name == name {
			return tok
		}
	}
	t.Fatalf("no demo room %q", name)
	return ""
}

// TestChatAgainstTheDemo: the client against talktest's demo chat: the
// history (newest first, paged by LastGiven), a poll woken by the demo's
// next question, the spam deleted (405 the second time), the room locked
// (the moderator's own post refused, reading still works) and unlocked,
// and a user held by the lobby refused with 412 on read, poll and post.
func TestChatAgainstTheDemo(t *testing.T) {
	srv, acct, err := talktest.StartDemoWith(talktest.DemoConfig{FirstQuestionAfter: 300 * time.Millisecond, QuestionEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	tok := demoRoom(t, srv, talktest.DemoWaitingRoom)
	c, err := client.New(client.Config{BaseURL: acct.URL, User: acct.User, AppPassword: acct.AppPassword})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	ctx := context.Background()
	page, err := c.ChatHistory(ctx, tok, client.HistoryOptions{Limit: 3})
	if err != nil || len(page.Messages) != 3 {
		t.Fatalf("history: %+v, %v", page, err)
	}
	newest := page.Messages[0].ID
	if page.Messages[0].ID < page.Messages[2].ID || page.LastGiven != page.Messages[2].ID {
		t.Errorf("not newest first, or LastGiven %d", page.LastGiven)
	}
	older, err := c.ChatHistory(ctx, tok, client.HistoryOptions{Before: page.LastGiven, All: true})
	if err != nil || len(older.Messages) < 4 || older.Messages[0].ID >= page.LastGiven {
		t.Fatalf("older page: %+v, %v", older, err)
	}
	var spam, mention int64
	for _, m := range append(page.Messages, older.Messages...) {
		switch {
		case m.Message == talktest.DemoChatSpam:
			spam = m.ID
		case len(m.Mentions()) == 1 && m.Mentions()[0].ID == talktest.DemoUser:
			mention = m.ID
		}
	}
	if spam == 0 || mention == 0 {
		t.Fatalf("spam %d, mention %d not in the history", spam, mention)
	}
	// the next question wakes the poll
	got, err := c.PollChat(ctx, tok, client.PollOptions{After: newest, Timeout: 10 * time.Second})
	if err != nil || got.NotModified || len(got.Messages) != 1 || got.Messages[0].Message != talktest.DemoQuestions[0] {
		t.Fatalf("poll: %+v, %v", got, err)
	}
	// nothing new: 304 after the timeout
	idle, err := c.PollChat(ctx, tok, client.PollOptions{After: got.Messages[0].ID, Timeout: time.Second})
	if err != nil || !idle.NotModified {
		t.Fatalf("idle poll: %+v, %v", idle, err)
	}
	del, err := c.DeleteMessage(ctx, tok, spam)
	if err != nil || del.SystemMessage != "message_deleted" || del.Parent == nil || del.Parent.ID != spam || !del.Parent.IsDeleted() {
		t.Fatalf("delete: %+v, %v", del, err)
	}
	if _, err := c.DeleteMessage(ctx, tok, spam); !strings.Contains(client.Message(err), "already deleted") {
		t.Errorf("second delete: %v", client.Message(err))
	}
	room, err := c.SetReadOnly(ctx, tok, true)
	if err != nil || room.ReadOnly != 1 {
		t.Fatalf("read-only: %+v, %v", room.ReadOnly, err)
	}
	if _, err := c.PostMessage(ctx, tok, client.PostOptions{Message: "can the moderator write?"}); client.KindOf(err) != client.KindForbidden || !strings.Contains(client.Message(err), "moderators included") {
		t.Errorf("post while read-only: %v", client.Message(err))
	}
	if _, err := c.ChatHistory(ctx, tok, client.HistoryOptions{Limit: 1}); err != nil {
		t.Errorf("reading while read-only: %v", err)
	}
	if _, err := c.SetReadOnly(ctx, tok, false); err != nil {
		t.Fatal(err)
	}
	m, err := c.PostMessage(ctx, tok, client.PostOptions{Message: "Thanks @alice!", ReplyTo: mention, Silent: true})
	if err != nil || m.Parent == nil || m.Parent.ID != mention || !m.Silent || len(m.Mentions()) != 1 {
		t.Fatalf("reply: %+v, %v", m, err)
	}
	// dave waits in the lobby: 412 at once everywhere
	pw := srv.AddAppPassword("dave")
	dave, _ := client.New(client.Config{BaseURL: acct.URL, User: "dave", AppPassword: pw})
	defer dave.CloseIdleConnections()
	start := time.Now()
	_, errRead := dave.ChatHistory(ctx, tok, client.HistoryOptions{})
	_, errPoll := dave.PollChat(ctx, tok, client.PollOptions{After: 1})
	_, errPost := dave.PostMessage(ctx, tok, client.PostOptions{Message: "hello?"})
	for _, err := range []error{errRead, errPoll, errPost} {
		if client.KindOf(err) != client.KindPrecondition || !strings.Contains(client.Message(err), "lobby") {
			t.Errorf("dave: %v", err)
		}
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("the lobby's 412 took %v", time.Since(start))
	}
}
