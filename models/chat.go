package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Chat (the Talk chat API v1, client/testdata/recorded/FCM-NOTES.md §9-§14).

// Message types ("messageType").
const (
	MessageComment        = "comment"
	MessageSystem         = "system"
	MessageCommentDeleted = "comment_deleted"
)

// Actor type of bots and of changelog/system authors.
const (
	ActorBots = "bots"
)

// MaxMessageLength is the server's default config.chat.max-length (32001
// characters → 413).
const MaxMessageLength = 32000

// ChatMessage is one chat message as the server sends it. Every string in
// it is untrusted: sanitize before showing it.
type ChatMessage struct {
	ID                  int64             `json:"id"`
	Token               string            `json:"token"`
	ActorType           string            `json:"actorType"`
	ActorID             string            `json:"actorId"`
	ActorDisplayName    string            `json:"actorDisplayName"`
	Timestamp           int64             `json:"timestamp"`
	Message             string            `json:"message"`
	MessageParameters   MessageParameters `json:"messageParameters"`
	SystemMessage       string            `json:"systemMessage"`
	MessageType         string            `json:"messageType"`
	IsReplyable         bool              `json:"isReplyable"`
	ReferenceID         string            `json:"referenceId"`
	ExpirationTimestamp int64             `json:"expirationTimestamp"`
	Markdown            bool              `json:"markdown"`
	// Silent is set on a message posted without notifications.
	Silent bool `json:"silent,omitempty"`
	// Deleted is set on a deleted message (messageType comment_deleted).
	Deleted bool `json:"deleted,omitempty"`
	// Parent is the message replied to (a full message object); for a
	// message_deleted system message, the deleted message.
	Parent *ChatMessage `json:"parent,omitempty"`

	// Raw is the message object as the server sent it (nil for one built
	// in code): --json prints it.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the object and keeps its raw bytes in Raw.
func (m *ChatMessage) UnmarshalJSON(data []byte) error {
	type plain ChatMessage
	var q plain
	if err := json.Unmarshal(data, &q); err != nil {
		return err
	}
	*m = ChatMessage(q)
	m.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// Time is the message's timestamp.
func (m ChatMessage) Time() time.Time { return time.Unix(m.Timestamp, 0) }

// IsSystem reports a system message (systemMessage set, or messageType system).
func (m ChatMessage) IsSystem() bool {
	return m.SystemMessage != "" || m.MessageType == MessageSystem
}

// IsDeleted reports a deleted comment ("Message deleted by …").
func (m ChatMessage) IsDeleted() bool {
	return m.Deleted || m.MessageType == MessageCommentDeleted
}

// CanBeDeleted reports whether the message can be deleted: only comments can (system and deleted ones
// answer 405).
func (m ChatMessage) CanBeDeleted() bool { return !m.IsSystem() && !m.IsDeleted() }

// DeletedBy is the name of whoever deleted a deleted message (its "actor"
// parameter), "" when unknown.
func (m ChatMessage) DeletedBy() string {
	if !m.IsDeleted() {
		return ""
	}
	return m.MessageParameters["actor"].Name
}

// Expand replaces the {placeholders} of the message with what param gives
// for each known parameter; unknown placeholders stay as they are.
func (m ChatMessage) Expand(param func(key string, p MessageParameter) string) string {
	if len(m.MessageParameters) == 0 || !strings.Contains(m.Message, "{") {
		return m.Message
	}
	var b strings.Builder
	s := m.Message
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			break
		}
		key := s[i+1 : i+j]
		if p, ok := m.MessageParameters[key]; ok {
			b.WriteString(s[:i])
			b.WriteString(param(key, p))
			s = s[i+j+1:]
			continue
		}
		b.WriteString(s[:i+1])
		s = s[i+1:]
	}
	return b.String()
}

// Mentions are the mention parameters of a message (mention-user1,
// mention-call1, mention-guest1, …), sorted by key.
func (m ChatMessage) Mentions() []MessageParameter {
	var keys []string
	for k := range m.MessageParameters {
		if strings.HasPrefix(k, "mention-") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([]MessageParameter, 0, len(keys))
	for _, k := range keys {
		out = append(out, m.MessageParameters[k])
	}
	return out
}

// MessageParameter is one rich-object parameter of a message: a user, a
// guest, the call (@all), a file… Only the fields talkmod shows are kept.
type MessageParameter struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Name string `json:"name"`
}

// UnmarshalJSON takes type, id and name, as strings or numbers (rich
// objects of other apps may send a numeric id); other fields are ignored.
func (p *MessageParameter) UnmarshalJSON(data []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	text := func(raw json.RawMessage) string {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			return n.String()
		}
		return ""
	}
	*p = MessageParameter{Type: text(m["type"]), ID: text(m["id"]), Name: text(m["name"])}
	return nil
}

// MessageParameters are a message's parameters by placeholder key. The
// server sends [] when there are none and an object otherwise; both
// decode (to nil and to a map).
type MessageParameters map[string]MessageParameter

// UnmarshalJSON accepts [] (and null) as no parameters, and an object.
func (p *MessageParameters) UnmarshalJSON(data []byte) error {
	d := bytes.TrimSpace(data)
	switch {
	case bytes.Equal(d, []byte("null")):
		*p = nil
		return nil
	case len(d) > 0 && d[0] == '[':
		var list []json.RawMessage
		if err := json.Unmarshal(d, &list); err != nil {
			return err
		}
		if len(list) != 0 {
			return fmt.Errorf("messageParameters: a non-empty list (%d items), want an object", len(list))
		}
		*p = nil
		return nil
	}
	m := map[string]MessageParameter{}
	if err := json.Unmarshal(d, &m); err != nil {
		return err
	}
	*p = m
	return nil
}

// MarshalJSON writes no parameters as [] like the server does.
func (p MessageParameters) MarshalJSON() ([]byte, error) {
	if len(p) == 0 {
		return []byte("[]"), nil
	}
	return json.Marshal(map[string]MessageParameter(p))
}
