package serve

import (
	"context"
	"unicode/utf8"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/chat"
)

// The chat page in an SSH session (issue 18): reading passes through;
// a post, a deletion and the read-only lock are changes: audited (with
// the message id, never its text) and refused for a read-only key.

var _ chat.Backend = (*sessionBackend)(nil)

func (b *sessionBackend) ChatHistory(ctx context.Context, token string, opts client.HistoryOptions) (client.ChatPage, error) {
	p, err := b.c.ChatHistory(ctx, token, opts)
	return p, b.note(err)
}

func (b *sessionBackend) PollChat(ctx context.Context, token string, opts client.PollOptions) (client.ChatPage, error) {
	p, err := b.c.PollChat(ctx, token, opts)
	return p, b.note(err)
}

// PostMessage is audited with the new message's id and the text's length.
func (b *sessionBackend) PostMessage(ctx context.Context, token string, p client.PostOptions) (models.ChatMessage, error) {
	var m models.ChatMessage
	vals := map[string]any{"length": utf8.RuneCountInString(p.Message)}
	if p.ReplyTo != 0 {
		vals["replyTo"] = p.ReplyTo
	}
	if p.Silent {
		vals["silent"] = true
	}
	_, err := b.change("chat-post", token, vals, func() (models.Room, error) {
		var err error
		m, err = b.c.PostMessage(ctx, token, p)
		if err == nil {
			vals["messageId"] = m.ID
		}
		return models.Room{}, err
	})
	return m, err
}

// DeleteMessage is audited with the message's id.
func (b *sessionBackend) DeleteMessage(ctx context.Context, token string, id int64) (models.ChatMessage, error) {
	var m models.ChatMessage
	_, err := b.change("chat-delete", token, map[string]any{"messageId": id}, func() (models.Room, error) {
		var err error
		m, err = b.c.DeleteMessage(ctx, token, id)
		return models.Room{}, err
	})
	return m, err
}

// SetReadOnly is audited with the state.
func (b *sessionBackend) SetReadOnly(ctx context.Context, token string, on bool) (models.Room, error) {
	state := 0
	if on {
		state = 1
	}
	return b.change("read-only", token, map[string]any{"state": state}, func() (models.Room, error) {
		return b.c.SetReadOnly(ctx, token, on)
	})
}
