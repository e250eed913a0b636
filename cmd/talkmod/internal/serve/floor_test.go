package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
	"github.com/talkmod/talkmod/models"
)

// TestServeFloorReadOnlyAndAudit: a read-only key's backend refuses every
// floor and call change (and the attendance list) without sending, and
// writes a "refused" audit line; a read-write key's changes are sent once
// each and audited with their outcome.
func TestServeFloorReadOnlyAndAudit(t *testing.T) {
	s := testenv.NewServer(t)
	s.SetParticipant(testenv.WebinarA, "bob", models.ParticipantUser)
	bob, err := s.JoinRoom(testenv.WebinarA, "bob")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.JoinCall(testenv.WebinarA, bob, models.InCallAudio); err != nil {
		t.Fatal(err)
	}
	s.ResetRequests()
	c, err := client.New(client.Config{BaseURL: s.URL, User: "alice", AppPassword: testenv.AlicePW})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var audit bytes.Buffer
	sv := &server{audit: &auditLog{w: &audit, now: time.Now}, o: withDefaults(Options{})}
	calls := []struct {
		action string
		do     func(b *sessionBackend) error
	}{
		{"default-permissions", func(b *sessionBackend) error {
			_, err := b.SetDefaultPermissions(ctx, testenv.WebinarA, models.PresetListenOnly.Value())
			return err
		}},
		{"promote", func(b *sessionBackend) error { return b.PromoteModerator(ctx, testenv.WebinarA, bob) }},
		{"demote", func(b *sessionBackend) error { return b.DemoteModerator(ctx, testenv.WebinarA, bob) }},
		{"attendance", func(b *sessionBackend) error { _, err := b.Attendance(ctx, testenv.WebinarA); return err }},
		{"end-call", func(b *sessionBackend) error { return b.EndCallForEveryone(ctx, testenv.WebinarA) }},
	}
	ro := &sessionBackend{c: c, readOnly: true, sv: sv, sess: &session{}, ctx: ctx}
	for _, call := range calls {
		if err := call.do(ro); !errors.As(err, new(readOnlyError)) {
			t.Errorf("read-only %s: %v", call.action, err)
		}
	}
	if n := len(s.Requests()); n != 0 {
		t.Fatalf("a read-only key sent %d requests", n)
	}
	lines := strings.Split(strings.TrimSpace(audit.String()), "\n")
	if len(lines) != len(calls) {
		t.Fatalf("%d audit lines for %d refusals:\n%s", len(lines), len(calls), audit.String())
	}
	for i, l := range lines {
		var ev map[string]any
		if err := json.Unmarshal([]byte(l), &ev); err != nil || ev["action"] != calls[i].action || ev["outcome"] != "refused" || ev["token"] != testenv.WebinarA {
			t.Errorf("audit line %d: %v %s", i, err, l)
		}
	}
	audit.Reset()
	rw := &sessionBackend{c: c, sv: sv, sess: &session{}, ctx: ctx}
	want := map[string]int{"default-permissions": 1, "promote": 1, "demote": 1, "attendance": 1, "end-call": 3}
	for _, call := range calls {
		s.ResetRequests()
		if err := call.do(rw); err != nil {
			t.Errorf("%s: %v", call.action, err)
		}
		if n := len(s.Requests()); n != want[call.action] {
			t.Errorf("%s sent %d requests, want %d", call.action, n, want[call.action])
		}
	}
	lines = strings.Split(strings.TrimSpace(audit.String()), "\n")
	if len(lines) != len(calls) {
		t.Fatalf("%d audit lines for %d changes", len(lines), len(calls))
	}
	for i, l := range lines {
		var ev map[string]any
		if err := json.Unmarshal([]byte(l), &ev); err != nil || ev["action"] != calls[i].action || ev["outcome"] != "ok" {
			t.Errorf("audit line %d: %v %s", i, err, l)
		}
	}
	// a failure is audited with its status: the call is over now
	audit.Reset()
	if _, err := rw.Attendance(ctx, testenv.WebinarA); !client.IsNoCall(err) {
		t.Fatalf("attendance after the end: %v", err)
	}
	if !strings.Contains(audit.String(), `"outcome":"error"`) || !strings.Contains(audit.String(), `"status":400`) {
		t.Errorf("failure audit: %s", audit.String())
	}
}
