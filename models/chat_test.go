package models

import (
	"encoding/json"
	"testing"
)

func TestMessageParametersBothShapes(t *testing.T) {
	var m ChatMessage
	if err := json.Unmarshal([]byte(`{"id":1,"message":"hi","messageParameters":[]}`), &m); err != nil || m.MessageParameters != nil {
		t.Fatalf("[]: %v %v", m.MessageParameters, err)
	}
	body := `{"id":2,"message":"Hello {mention-user1}, and {unknown} {mention-call1}","messageParameters":{"mention-user1":{"type":"user","id":"alice","name":"Alice M"},"mention-call1":{"type":"call","id":"tok","name":"Webinar","call-type":"public"},"file":{"type":"file","id":42,"name":"a.pdf"}}}`
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.MessageParameters) != 3 || m.MessageParameters["file"].ID != "42" || m.MessageParameters["mention-user1"].Name != "Alice M" {
		t.Fatalf("parameters %+v", m.MessageParameters)
	}
	if string(m.Raw) != body {
		t.Errorf("Raw %s", m.Raw)
	}
	got := m.Expand(func(k string, p MessageParameter) string { return "@" + p.Name })
	if want := "Hello @Alice M, and {unknown} @Webinar"; got != want {
		t.Errorf("Expand = %q, want %q", got, want)
	}
	if ms := m.Mentions(); len(ms) != 2 || ms[0].Type != "call" || ms[1].ID != "alice" {
		t.Errorf("Mentions %+v", ms)
	}
	if err := json.Unmarshal([]byte(`{"messageParameters":[1]}`), &m); err == nil {
		t.Error("a non-empty list decoded")
	}
	if err := json.Unmarshal([]byte(`{"messageParameters":null}`), &m); err != nil || m.MessageParameters != nil {
		t.Errorf("null: %v", err)
	}
	out, _ := json.Marshal(ChatMessage{ID: 3})
	var back map[string]any
	_ = json.Unmarshal(out, &back)
	if _, ok := back["messageParameters"].([]any); !ok {
		t.Errorf("no parameters marshal as %v, want []", back["messageParameters"])
	}
}

func TestMessageKinds(t *testing.T) {
	deleted := ChatMessage{MessageType: MessageCommentDeleted, Message: "Message deleted by you", Deleted: true,
		MessageParameters: MessageParameters{"actor": {Type: "user", ID: "admin", Name: "Admin A"}}}
	if !deleted.IsDeleted() || deleted.CanBeDeleted() || deleted.DeletedBy() != "Admin A" || deleted.IsSystem() {
		t.Errorf("deleted: %+v", deleted)
	}
	sys := ChatMessage{MessageType: MessageSystem, SystemMessage: "read_only"}
	if !sys.IsSystem() || sys.CanBeDeleted() || sys.DeletedBy() != "" {
		t.Errorf("system: %+v", sys)
	}
	c := ChatMessage{MessageType: MessageComment, Message: "{broken"}
	if !c.CanBeDeleted() || c.Expand(nil) != "{broken" {
		t.Errorf("comment: %+v", c)
	}
}
