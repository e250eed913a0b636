package words

import (
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/models"
)

func TestChatWords(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	if got := ChatTime(now.Add(-time.Hour), now, berlin); got != "09:30" {
		t.Errorf("ChatTime = %q", got)
	}
	if got := ChatTime(now.Add(-48*time.Hour), now, time.UTC); got != "2026-12-05 09:30" {
		t.Errorf("ChatTime other day = %q", got)
	}
	for _, c := range []struct {
		m    models.ChatMessage
		want string
	}{
		{models.ChatMessage{ActorType: "users", ActorID: "alice", ActorDisplayName: "Alice"}, "Alice"},
		{models.ChatMessage{ActorType: "users", ActorID: "alice"}, "alice"},
		{models.ChatMessage{ActorType: "guests", ActorID: "ab12", ActorDisplayName: "Jo"}, "Jo (guest)"},
		{models.ChatMessage{ActorType: "guests", ActorID: "ab12"}, "Guest (guest)"},
		{models.ChatMessage{ActorType: "bots", ActorID: "bot-1", ActorDisplayName: "Reminder"}, "Reminder (bot)"},
		{models.ChatMessage{ActorType: "guests", ActorID: "system"}, "system"},
	} {
		if got := ChatAuthor(c.m); got != c.want {
			t.Errorf("ChatAuthor(%+v) = %q, want %q", c.m, got, c.want)
		}
	}
	mention := models.ChatMessage{ActorType: "users", ActorDisplayName: "Admin", Message: "Hello {mention-user1} and {mention-call1}",
		MessageParameters: models.MessageParameters{"mention-user1": {Type: "user", ID: "alice", Name: "Alice M"}, "mention-call1": {Type: "call", ID: "tok", Name: "Webinar"}}}
	if got := ChatText(mention); got != "Hello @Alice M and @all" {
		t.Errorf("ChatText = %q", got)
	}
	if !ChatMentions(mention, "alice") || !ChatMentions(mention, "bob") {
		t.Error("@all mentions everyone")
	}
	sys := models.ChatMessage{SystemMessage: "user_added", MessageType: "system", Message: "{actor} added {user}",
		MessageParameters: models.MessageParameters{"actor": {Type: "user", ID: "admin", Name: "Admin"}, "user": {Type: "user", ID: "bob", Name: "Bob"}}}
	if got := ChatText(sys); got != "Admin added Bob" {
		t.Errorf("system ChatText = %q", got)
	}
	if got := ChatLine(sys, now, time.UTC); !strings.HasSuffix(got, " * Admin added Bob") {
		t.Errorf("system ChatLine = %q", got)
	}
	for msg, want := range map[string]string{"Message deleted by you": "deleted by you", "Message deleted by author": "deleted by its author", "Message deleted by {actor}": "deleted by Morgan"} {
		d := models.ChatMessage{MessageType: models.MessageCommentDeleted, Deleted: true, Message: msg,
			MessageParameters: models.MessageParameters{"actor": {Type: "user", ID: "m", Name: "Morgan"}}}
		if got := ChatText(d); got != want {
			t.Errorf("%q → %q, want %q", msg, got, want)
		}
	}
	reply := models.ChatMessage{ActorType: "users", ActorDisplayName: "Admin", Message: "Sure", Timestamp: now.Unix(),
		Parent: &models.ChatMessage{ActorType: "users", ActorDisplayName: "Alice", Message: "Hi, a question please about the very long topic of today"}}
	if got := ChatLine(reply, now, time.UTC); got != "09:30 Admin: [↳ Alice: Hi, a question please about the very…] Sure" {
		t.Errorf("reply ChatLine = %q", got)
	}
	if got := FirstWords("one\ntwo  three", 40); got != "one two three" {
		t.Errorf("FirstWords = %q", got)
	}
	if got := NewBelow(1); got != "1 new message below ↓" {
		t.Errorf("NewBelow = %q", got)
	}
	if q := ReadOnlyQuestion("Webinar", true); !strings.Contains(q, "moderators included") || !strings.Contains(q, "call ends") {
		t.Errorf("ReadOnlyQuestion = %q", q)
	}
	if q := DeleteQuestion(reply); !strings.Contains(q, "Admin") || !strings.Contains(q, "“Sure”") {
		t.Errorf("DeleteQuestion = %q", q)
	}
}
