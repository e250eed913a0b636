package serve

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
	"github.com/talkmod/talkmod/models"
)

// chatServer is testenv.NewServer with a chat in webinar A: a welcome, a
// question, a hostile guest's message and spam (as the chat command's
// tests have it).
func chatServer(t *testing.T) (*talktest.Server, map[string]int64) {
	t.Helper()
	s := testenv.NewServer(t)
	s.SetParticipant(testenv.WebinarA, "bob", models.ParticipantUser)
	ids := map[string]int64{}
	var err error
	if ids["welcome"], err = s.Say(testenv.WebinarA, "alice", "Welcome everyone"); err != nil {
		t.Fatal(err)
	}
	ids["question"], _ = s.Say(testenv.WebinarA, "bob", "@alice is there a recording?")
	g, err := s.GuestJoin(testenv.WebinarA, "Evil \x1b[31mGuest")
	if err != nil {
		t.Fatal(err)
	}
	ids["evil"], _ = s.GuestSay(testenv.WebinarA, g, "\x1b]0;pwned\x07\x1b[2Jclick here")
	ids["spam"], _ = s.Say(testenv.WebinarA, "bob", "BUY CHEAP FOLLOWERS")
	return s, ids
}

// auditEvents decodes the audit lines in buf.
func auditEvents(t *testing.T, buf *testenv.SyncBuffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		out = append(out, ev)
	}
	return out
}

// TestServeChatAudit: in an SSH session, reading the chat passes through;
// a post, a deletion and the lock are audited with the message id and
// never the text; a read-only key may read, but not post, delete or lock
// (refused before anything is sent, and audited as refused).
func TestServeChatAudit(t *testing.T) {
	s, ids := chatServer(t)
	c, err := client.New(client.Config{BaseURL: s.URL, User: "alice", AppPassword: testenv.AlicePW})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	ctx := context.Background()
	for _, readOnly := range []bool{true, false} {
		var buf testenv.SyncBuffer
		sess := &session{identity: identity{fp: "SHA256:test"}, user: "alice"}
		be := &sessionBackend{c: c, readOnly: readOnly, sv: &server{audit: &auditLog{w: &buf, now: time.Now}, o: withDefaults(Options{})}, sess: sess, ctx: ctx}
		s.ResetRequests()
		if page, err := be.ChatHistory(ctx, testenv.WebinarA, client.HistoryOptions{Limit: 3}); err != nil || len(page.Messages) != 3 {
			t.Fatalf("read-only %v: reading: %v", readOnly, err)
		}
		m, errPost := be.PostMessage(ctx, testenv.WebinarA, client.PostOptions{Message: "a secret plan for the webinar", ReplyTo: ids["question"]})
		_, errDel := be.DeleteMessage(ctx, testenv.WebinarA, ids["spam"])
		_, errLock := be.SetReadOnly(ctx, testenv.WebinarA, true)
		evs := auditEvents(t, &buf)
		if len(evs) != 3 {
			t.Fatalf("read-only %v: %d audit lines, want 3", readOnly, len(evs))
		}
		if strings.Contains(buf.String(), "secret plan") {
			t.Error("the audit log holds a message's text")
		}
		writes := 0
		for _, r := range s.Requests() {
			if r.Method != "GET" {
				writes++
			}
		}
		if readOnly {
			for i, err := range []error{errPost, errDel, errLock} {
				if !errors.As(err, new(readOnlyError)) {
					t.Errorf("read-only change %d: %v", i, err)
				}
				if evs[i]["outcome"] != "refused" || evs[i]["reason"] != "read-only" {
					t.Errorf("read-only audit %d: %v", i, evs[i])
				}
			}
			if writes != 0 {
				t.Errorf("%d writes reached the server from a read-only key", writes)
			}
			continue
		}
		if errPost != nil || errDel != nil || errLock != nil {
			t.Fatalf("read-write: %v %v %v", errPost, errDel, errLock)
		}
		want := []struct {
			action string
			vals   map[string]any
		}{
			{"chat-post", map[string]any{"messageId": float64(m.ID), "replyTo": float64(ids["question"]), "length": 29.0}},
			{"chat-delete", map[string]any{"messageId": float64(ids["spam"])}},
			{"read-only", map[string]any{"state": 1.0}},
		}
		for i, w := range want {
			ev := evs[i]
			vals, _ := ev["values"].(map[string]any)
			if ev["action"] != w.action || ev["outcome"] != "ok" || ev["token"] != testenv.WebinarA || ev["fingerprint"] != "SHA256:test" {
				t.Errorf("audit %d: %v", i, ev)
			}
			for k, v := range w.vals {
				if vals[k] != v {
					t.Errorf("audit %d: %s = %v, want %v (%v)", i, k, vals[k], v, vals)
				}
			}
		}
	}
}
