package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-resty/resty/v2"

	"github.com/talkmod/talkmod/models"
)

// The chat of a conversation (Talk chat API v1; the recorded behaviour is in
// client/testdata/recorded/FCM-NOTES.md §9-§14).

const chatAPI = "/ocs/v2.php/apps/spreed/api/v1/chat/"

// Operations of this file (APIError.Op).
const (
	opChatRead   = "read chat"
	opChatPoll   = "wait for chat messages"
	opChatPost   = "post message"
	opChatDelete = "delete message"
	opReadOnly   = "set read-only"
)

// Chat limits of the server.
const (
	// MaxPollTimeout is the longest a poll waits: the server caps
	// timeout at 30 s [real M32].
	MaxPollTimeout = 30 * time.Second
	// MaxHistoryLimit is the largest page the server gives (limit is
	// capped at 200; limit=0 means everything).
	MaxHistoryLimit = 200
	// MaxReferenceID is how long a referenceId may be (the server cuts
	// it at 64 characters).
	MaxReferenceID = 64
)

// ChatPage is one answer of ChatHistory or PollChat.
type ChatPage struct {
	// Messages: for a history page newest first, for a poll oldest
	// first, as the server sent them.
	Messages []models.ChatMessage
	// LastGiven is X-Chat-Last-Given: for history the oldest id of the
	// page (the next page's Before), for a poll the newest. 0 when absent.
	LastGiven int64
	// LastCommonRead is X-Chat-Last-Common-Read (the newest message every
	// reader has read; -2 after a history clear); HasLastCommonRead says
	// whether the header came.
	LastCommonRead    int64
	HasLastCommonRead bool
	// NotModified: a poll's 304, nothing new within the timeout. Not an
	// error: poll again from the same id.
	NotModified bool
}

// HistoryOptions choose a page of ChatHistory.
type HistoryOptions struct {
	// Before reads the messages older than this id (0: the newest); pass
	// the previous page's LastGiven for the next older page.
	Before int64
	// IncludeBefore includes the message Before itself.
	IncludeBefore bool
	// Limit is the page size (0: the server's default, 100; at most
	// MaxHistoryLimit). All reads every message instead (limit=0).
	Limit int
	All   bool
}

// PollOptions are the options of PollChat.
type PollOptions struct {
	// After is the newest message id the caller has (the newest id of
	// the history). It must be positive: 0 would give the room's oldest
	// messages, not the new ones [real M24].
	After int64
	// Limit caps the messages of one answer (0: the server's default).
	Limit int
	// Timeout is how long the server waits for a message (0 or more than
	// MaxPollTimeout: MaxPollTimeout). The request's own deadline is this
	// plus the client's Timeout.
	Timeout time.Duration
	// LastCommonRead, when positive, is sent as lastCommonReadId: the
	// server then answers at once (200, no messages) when the read marker
	// has moved, with the new X-Chat-Last-Common-Read [real M27].
	LastCommonRead int64
}

// PostOptions are what PostMessage sends.
type PostOptions struct {
	// Message is the text; "@user" mentions become {mention-user1}
	// placeholders on the server. Whitespace only is refused (the
	// server's 400), as is more than models.MaxMessageLength characters.
	Message string
	// ReplyTo is the id of the message answered (0: none).
	ReplyTo int64
	// Silent posts without notifying anyone.
	Silent bool
	// ReferenceID is the caller's own id for the message (echoed back;
	// at most MaxReferenceID characters).
	ReferenceID string
}

// ChatHistory reads a page of the chat, newest first (lookIntoFuture=0).
// Moderators may read while the lobby is on; others get 412.
func (c *Client) ChatHistory(ctx context.Context, token string, opts HistoryOptions) (ChatPage, error) {
	if err := checkToken(token); err != nil {
		return ChatPage{}, err
	}
	if opts.Before < 0 || opts.Limit < 0 || opts.Limit > MaxHistoryLimit {
		return ChatPage{}, &ValidationError{Field: "limit", Problem: fmt.Sprintf("a chat page holds 1 to %d messages", MaxHistoryLimit)}
	}
	q := url.Values{"lookIntoFuture": {"0"}}
	switch {
	case opts.All:
		q.Set("limit", "0")
	case opts.Limit > 0:
		q.Set("limit", strconv.Itoa(opts.Limit))
	}
	if opts.Before > 0 {
		q.Set("lastKnownMessageId", strconv.FormatInt(opts.Before, 10))
		if opts.IncludeBefore {
			q.Set("includeLastKnown", "1")
		}
	}
	return c.chatRead(ctx, opChatRead, token, q, c.cfg.Timeout)
}

// PollChat waits for messages newer than opts.After (lookIntoFuture=1):
// the server answers as soon as one is there (about a second after it was
// posted), or with 304 after the timeout: NotModified, nothing new. While
// the lobby holds the user it answers 412 at once. A poll holds one of the
// server's PHP workers for its whole wait: run one at a time.
func (c *Client) PollChat(ctx context.Context, token string, opts PollOptions) (ChatPage, error) {
	if err := checkToken(token); err != nil {
		return ChatPage{}, err
	}
	if opts.After <= 0 {
		return ChatPage{}, &ValidationError{Field: "after", Problem: "a poll needs the newest message id known (read the history first): from 0 the server sends the oldest messages"}
	}
	if opts.Limit < 0 || opts.Limit > MaxHistoryLimit {
		return ChatPage{}, &ValidationError{Field: "limit", Problem: fmt.Sprintf("a chat page holds 1 to %d messages", MaxHistoryLimit)}
	}
	timeout := opts.Timeout
	if timeout <= 0 || timeout > MaxPollTimeout {
		timeout = MaxPollTimeout
	}
	secs := int64((timeout + time.Second - 1) / time.Second)
	q := url.Values{
		"lookIntoFuture":     {"1"},
		"lastKnownMessageId": {strconv.FormatInt(opts.After, 10)},
		"timeout":            {strconv.FormatInt(secs, 10)},
	}
	if opts.Limit > 0 {
		q.Set("limit", strconv.Itoa(opts.Limit))
	}
	if opts.LastCommonRead > 0 {
		q.Set("lastCommonReadId", strconv.FormatInt(opts.LastCommonRead, 10))
	}
	// The server may wait the whole timeout before it answers: the
	// request's deadline is that plus the usual one.
	return c.chatRead(ctx, opChatPoll, token, q, time.Duration(secs)*time.Second+c.cfg.Timeout)
}

func (c *Client) chatRead(ctx context.Context, op, token string, q url.Values, timeout time.Duration) (ChatPage, error) {
	var msgs []models.ChatMessage
	resp, notModified, err := c.send(ctx, timeout, op, http.MethodGet, chatAPI+token+"?"+q.Encode(), nil, &msgs, false)
	if err != nil {
		return ChatPage{}, err
	}
	page := ChatPage{NotModified: notModified, Messages: msgs}
	if page.Messages == nil {
		page.Messages = []models.ChatMessage{}
	}
	if notModified {
		return page, nil
	}
	h := resp.Header()
	page.LastGiven, _ = strconv.ParseInt(h.Get("X-Chat-Last-Given"), 10, 64)
	if v := h.Get("X-Chat-Last-Common-Read"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			page.LastCommonRead, page.HasLastCommonRead = n, true
		}
	}
	return page, nil
}

// PostMessage posts a message and returns it as the server stored it
// (with parent for a reply). It is never retried: a lost answer would
// post it twice. Read-only rooms refuse everyone, moderators included
// (403); the lobby refuses those waiting (412).
func (c *Client) PostMessage(ctx context.Context, token string, p PostOptions) (models.ChatMessage, error) {
	if err := checkToken(token); err != nil {
		return models.ChatMessage{}, err
	}
	if strings.TrimSpace(p.Message) == "" {
		return models.ChatMessage{}, &ValidationError{Field: "message", Problem: "the message is empty: write something first"}
	}
	if n := utf8.RuneCountInString(p.Message); n > models.MaxMessageLength {
		return models.ChatMessage{}, &ValidationError{Field: "message", Problem: fmt.Sprintf("the message is too long: %d characters, at most %d", n, models.MaxMessageLength)}
	}
	if p.ReplyTo < 0 {
		return models.ChatMessage{}, &ValidationError{Field: "replyTo", Problem: fmt.Sprintf("%d is not a message id", p.ReplyTo)}
	}
	if utf8.RuneCountInString(p.ReferenceID) > MaxReferenceID {
		return models.ChatMessage{}, &ValidationError{Field: "referenceId", Problem: fmt.Sprintf("a reference id has at most %d characters", MaxReferenceID)}
	}
	form := url.Values{"message": {p.Message}}
	if p.ReplyTo > 0 {
		form.Set("replyTo", strconv.FormatInt(p.ReplyTo, 10))
	}
	if p.Silent {
		form.Set("silent", "true")
	}
	if p.ReferenceID != "" {
		form.Set("referenceId", p.ReferenceID)
	}
	var m models.ChatMessage
	if _, _, err := c.send(ctx, c.cfg.Timeout, opChatPost, http.MethodPost, chatAPI+token, form, &m, true); err != nil {
		return models.ChatMessage{}, err
	}
	if m.ID == 0 {
		return models.ChatMessage{}, &ResponseError{Op: opChatPost, HTTPStatus: http.StatusCreated, Problem: "the answer holds no message"}
	}
	return m, nil
}

// DeleteMessage deletes a message: the author may, and a moderator (not a
// guest moderator) outside one-to-one conversations; there is no age
// limit. The answer is the new message_deleted system message, whose
// Parent is the deleted message as it now reads. System messages and
// deleted ones answer 405.
func (c *Client) DeleteMessage(ctx context.Context, token string, id int64) (models.ChatMessage, error) {
	if err := checkToken(token); err != nil {
		return models.ChatMessage{}, err
	}
	if id <= 0 {
		return models.ChatMessage{}, &ValidationError{Field: "message", Problem: fmt.Sprintf("%d is not a message id (a positive number)", id)}
	}
	var m models.ChatMessage
	if _, _, err := c.send(ctx, c.cfg.Timeout, opChatDelete, http.MethodDelete, chatAPI+token+"/"+strconv.FormatInt(id, 10), nil, &m, true); err != nil {
		return models.ChatMessage{}, err
	}
	return m, nil
}

// SetReadOnly locks (on) or unlocks the conversation. While it is locked
// nobody can post, moderators included, and turning it on ends everyone's
// call (the room keeps hasCall). Group and public conversations only; a
// one-to-one accepts only "off".
func (c *Client) SetReadOnly(ctx context.Context, token string, on bool) (models.Room, error) {
	if err := checkToken(token); err != nil {
		return models.Room{}, err
	}
	state := "0"
	if on {
		state = "1"
	}
	return c.putRoom(ctx, opReadOnly, token, "/read-only", url.Values{"state": {state}})
}

// noRetryKey marks a request's context: not retried (retrySafe).
type noRetryKey struct{}

// notRetried reports a request marked by send as not to be retried.
func notRetried(resp *resty.Response) bool {
	return resp != nil && resp.Request != nil && resp.Request.Context() != nil && resp.Request.Context().Value(noRetryKey{}) != nil
}
