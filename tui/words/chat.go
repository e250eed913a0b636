package words

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/talkmod/talkmod/models"
)

// The chat's words, shared by the console's chat page and the commands
// chat, say, delete-message and read-only. Every result is raw text: pass
// it through tui/sanitize before it reaches a terminal (it holds names and
// text from the server).

// ChatTime is a message's time in loc: "15:04" on now's day there, else
// "2026-01-02 15:04". The zone is said once, where the chat is shown.
func ChatTime(t, now time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	lt, ln := t.In(loc), now.In(loc)
	if lt.Year() != ln.Year() || lt.YearDay() != ln.YearDay() {
		return lt.Format("2006-01-02 15:04")
	}
	return lt.Format("15:04")
}

// ChatAuthor is who wrote a message, with guests and bots marked: "Alice
// Martin", "Jordan Smith (guest)", "Guest (guest)", "Reminder (bot)".
func ChatAuthor(m models.ChatMessage) string {
	name := m.ActorDisplayName
	switch m.ActorType {
	case models.ActorGuests:
		if m.ActorID == "system" || m.ActorID == "cli" {
			return "system"
		}
		if strings.TrimSpace(name) == "" {
			name = "Guest"
		}
		return name + " (guest)"
	case models.ActorBots:
		if name == "" {
			name = m.ActorID
		}
		return name + " (bot)"
	case models.ActorUsers, "":
		if strings.TrimSpace(name) == "" {
			return m.ActorID
		}
		return name
	}
	if name == "" {
		name = m.ActorID
	}
	return name + " (" + m.ActorType + ")"
}

// ChatText is what a message says, in one string: mentions as @name (@all
// for the whole conversation), other parameters by their names, a deleted
// message as "deleted by …", system messages in the server's words with
// the names filled in.
func ChatText(m models.ChatMessage) string {
	if m.IsDeleted() {
		return ChatDeleted(m)
	}
	return m.Expand(func(key string, p models.MessageParameter) string {
		name := p.Name
		if name == "" {
			name = p.ID
		}
		if strings.HasPrefix(key, "mention-") || (!m.IsSystem() && (p.Type == "user" || p.Type == "guest" || p.Type == "call")) {
			if p.Type == "call" {
				return "@all"
			}
			return "@" + name
		}
		return name
	})
}

// ChatDeleted is a deleted message: "deleted by you", "deleted by its
// author", "deleted by Morgan Lee".
func ChatDeleted(m models.ChatMessage) string {
	switch {
	case strings.HasSuffix(m.Message, "by you"):
		return "deleted by you"
	case strings.HasSuffix(m.Message, "by author"):
		return "deleted by its author"
	case m.DeletedBy() != "":
		return "deleted by " + m.DeletedBy()
	}
	return "deleted"
}

// ChatMentions says whether a message mentions user id (directly or with
// @all).
func ChatMentions(m models.ChatMessage, user string) bool {
	for _, p := range m.Mentions() {
		if (p.Type == "user" && p.ID == user) || p.Type == "call" {
			return true
		}
	}
	return false
}

// FirstWords is the start of a text, cut at a word boundary near max
// characters, with "…" when cut; line breaks become spaces.
func FirstWords(text string, max int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= max {
		return text
	}
	r := []rune(text)[:max]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > max/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

// ChatQuote is the short quote of the message replied to: "↳ Alice: Hi,
// a question…".
func ChatQuote(parent models.ChatMessage) string {
	return "↳ " + ChatAuthor(parent) + ": " + FirstWords(ChatText(parent), 40)
}

// ChatLine is one message on one line for the chat command: "15:04
// Alice Martin: text", a reply with its quote in brackets, a system
// message as "15:04 * text".
func ChatLine(m models.ChatMessage, now time.Time, loc *time.Location) string {
	at := ChatTime(m.Time(), now, loc)
	if m.IsSystem() {
		return at + " * " + ChatText(m)
	}
	line := at + " " + ChatAuthor(m) + ": "
	if m.Parent != nil && !m.IsDeleted() {
		line += "[" + ChatQuote(*m.Parent) + "] "
	}
	if m.IsDeleted() {
		return line + "(" + ChatText(m) + ")"
	}
	return line + ChatText(m)
}

// ReadOnly is the lock's state: "locked (read-only)" or "open".
func ReadOnly(on bool) string {
	if on {
		return "locked (read-only)"
	}
	return "open"
}

// ReadOnlyLockWarning is what locking does, said before it is done (the
// console's question, the command's refusal without --yes).
const ReadOnlyLockWarning = "nobody can write while it is locked, moderators included, and it ends the call for everyone in it"

// ReadOnlyQuestion asks before locking a conversation.
func ReadOnlyQuestion(room string, hasCall bool) string {
	q := "Lock the chat of " + room + "? Nobody can write while it is locked, moderators included"
	if hasCall {
		q += ", and everyone in the call is removed from it: the call ends for all"
	} else {
		q += ", and it ends everyone's call (none runs now): nobody can join one while it is locked"
	}
	return q + ". Undo: unlock it."
}

// ReadOnlyOutcome says what changed: "chat locked (read-only): unlock
// with talkmod read-only TOKEN off".
func ReadOnlyOutcome(on bool) string {
	if on {
		return "chat locked (read-only): nobody can write, moderators included"
	}
	return "chat unlocked: people can write again"
}

// DeleteQuestion asks before deleting a message: "Delete the message of
// Alice Martin: “Hi, a question…”? It stays as “deleted by you”; this
// cannot be undone."
func DeleteQuestion(m models.ChatMessage) string {
	return "Delete the message of " + ChatAuthor(m) + ": “" + FirstWords(ChatText(m), 40) + "”? Everyone then sees it as deleted by you; this cannot be undone."
}

// MessageDeleted is the outcome of a deletion.
func MessageDeleted(id int64, author string) string {
	return "message " + strconv.FormatInt(id, 10) + " of " + author + " deleted"
}

// NewBelow says how many messages arrived while the reader was scrolled
// up: "3 new messages below ↓".
func NewBelow(n int) string {
	return Count(n, "new message", "new messages") + " below ↓"
}
