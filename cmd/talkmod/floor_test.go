package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
	"github.com/talkmod/talkmod/models"
)

// changeRequests lists the change requests sent (method and path).
func floorChanges(s *talktest.Server) []string {
	var out []string
	for _, r := range s.Requests() {
		if r.Method != http.MethodGet {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

func TestPermissionsShowAndSet(t *testing.T) {
	testenv.Isolate(t)
	w := newPeopleServer(t)
	useEnv(t, w.s)
	r := talkmod(t, "", "permissions", testenv.WebinarA)
	if r.code != 0 || !strings.Contains(r.stdout, "default permissions server default") || !strings.Contains(r.stdout, "RIGHTS") {
		t.Fatalf("show: exit %d\n%s", r.code, r.stdout)
	}
	r = talkmod(t, "", "permissions", testenv.WebinarA, "--json")
	var shown struct {
		DefaultPermissions *int             `json:"defaultPermissions"`
		Participants       []map[string]any `json:"participants"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &shown); err != nil || shown.DefaultPermissions == nil || len(shown.Participants) != 9 {
		t.Fatalf("--json: %v %s", err, r.stdout)
	}
	// carol holds rights of her own: listen-only would reset them
	r = talkmod(t, "", "permissions", testenv.WebinarA, "listen-only")
	if r.code != exit.Usage || len(floorChanges(w.s)) != 0 || !strings.Contains(r.stderr, "Carol Diaz") || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("without --yes: exit %d, changes %v, %q", r.code, floorChanges(w.s), r.stderr)
	}
	r = talkmod(t, "", "permissions", testenv.WebinarA, "loud")
	if r.code != exit.Usage || len(floorChanges(w.s)) != 0 {
		t.Fatalf("unknown preset: exit %d", r.code)
	}
	r = talkmod(t, "", "permissions", testenv.WebinarA, "listen-only", "--yes", "--json")
	if r.code != 0 || len(floorChanges(w.s)) != 1 {
		t.Fatalf("--yes: exit %d, changes %v\n%s", r.code, floorChanges(w.s), r.stderr)
	}
	var room map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &room); err != nil || room["defaultPermissions"] != 133.0 || room["token"] != testenv.WebinarA {
		t.Fatalf("--json after a change: the room as the server sent it: %v %s", err, r.stdout)
	}
	if c := person(t, w.s, w.carol); c.HasOwnPermissions() || c.MaySpeak() {
		t.Errorf("carol after listen-only: %+v", c)
	}
	// the same default again: nothing sent
	w.s.ResetRequests()
	r = talkmod(t, "", "permissions", testenv.WebinarA, "listen-only")
	if r.code != 0 || len(floorChanges(w.s)) != 0 || !strings.Contains(r.stdout, "already listen only") {
		t.Fatalf("same default: exit %d, %v, %q", r.code, floorChanges(w.s), r.stdout)
	}
	// nobody loses anything now: no --yes needed, one request
	r = talkmod(t, "", "permissions", testenv.WebinarA, "default")
	if r.code != 0 || len(floorChanges(w.s)) != 1 || !strings.Contains(r.stdout, "server default") {
		t.Fatalf("default: exit %d, %v, %q", r.code, floorChanges(w.s), r.stdout)
	}
}

func TestFloorGiveTake(t *testing.T) {
	testenv.Isolate(t)
	w := newPeopleServer(t)
	useEnv(t, w.s)
	w.s.SetDefaultPermissions(testenv.WebinarA, models.PresetListenOnly.Value())
	_ = w.s.SetPermissions(testenv.WebinarA, w.carol, 133|models.PermissionIgnoreLobby)
	_ = w.s.SetCallFlags(testenv.WebinarA, w.carol, models.InCallInCall)
	w.s.ResetRequests()
	r := talkmod(t, "", "floor", testenv.WebinarA, "Carol Diaz", "bob", "give", "--audio")
	if r.code != 0 || len(floorChanges(w.s)) != 2 || !strings.Contains(r.stdout, "floor given: audio") {
		t.Fatalf("give: exit %d, %v, %q", r.code, floorChanges(w.s), r.stdout)
	}
	if c := person(t, w.s, w.carol); !c.MaySpeak() || c.MayVideo() {
		t.Fatalf("carol: %+v", c)
	}
	// her app turns audio on; taking it back is not enforced at once
	_ = w.s.SetCallFlags(testenv.WebinarA, w.carol, models.InCallInCall|models.InCallAudio)
	r = talkmod(t, "", "floor", testenv.WebinarA, "Carol Diaz", "take", "--json")
	var res personResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || r.code != 0 || !res.OK || !strings.Contains(res.Outcome, "applies when their app next updates") {
		t.Fatalf("take: exit %d %v %s", r.code, err, r.stdout)
	}
	r = talkmod(t, "", "permissions", testenv.WebinarA)
	if !strings.Contains(r.stdout, "taken; applies when their app next updates") {
		t.Errorf("permissions does not mark carol:\n%s", r.stdout)
	}
	w.s.ResetRequests()
	for _, bad := range [][]string{{"floor", testenv.WebinarA, "carol", "lend"}, {"floor", testenv.WebinarA, "give"}, {"floor", testenv.WebinarA, "alice", "give"}, {"floor", testenv.WebinarA, "nobody", "give"}} {
		if r := talkmod(t, "", bad...); r.code != exit.Usage {
			t.Errorf("%v: exit %d", bad, r.code)
		}
	}
	if n := len(floorChanges(w.s)); n != 0 {
		t.Errorf("refused floor commands sent %d changes", n)
	}
}

func TestPromoteDemote(t *testing.T) {
	testenv.Isolate(t)
	w := newPeopleServer(t)
	useEnv(t, w.s)
	// carol holds rights of her own: promotion resets them, --yes needed
	r := talkmod(t, "", "promote", testenv.WebinarA, "carol")
	if r.code != exit.Usage || len(floorChanges(w.s)) != 0 || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("promote without --yes: exit %d %q", r.code, r.stderr)
	}
	r = talkmod(t, "", "promote", testenv.WebinarA, "carol", "bob", "--yes")
	if r.code != 0 || len(floorChanges(w.s)) != 2 || !person(t, w.s, w.carol).IsModerator() || !person(t, w.s, w.bob).IsModerator() {
		t.Fatalf("promote: exit %d, %v", r.code, floorChanges(w.s))
	}
	if !strings.Contains(r.stdout, "rights given to them were reset") {
		t.Errorf("promote does not say carol's rights were reset: %q", r.stdout)
	}
	r = talkmod(t, "", "demote", testenv.WebinarA, "alice")
	if r.code != exit.Usage || !strings.Contains(r.stderr, "is you") {
		t.Errorf("demote yourself: exit %d %q", r.code, r.stderr)
	}
	w.s.ResetRequests()
	r = talkmod(t, "", "demote", testenv.WebinarA, "bob", "--json")
	if r.code != 0 || len(floorChanges(w.s)) != 1 || person(t, w.s, w.bob).IsModerator() {
		t.Fatalf("demote: exit %d", r.code)
	}
	// demoting again: the server's 400, exit 7, in plain words
	r = talkmod(t, "", "demote", testenv.WebinarA, "bob")
	if r.code != exit.Refused || !strings.Contains(r.stdout+r.stderr, "not a moderator") {
		t.Errorf("demote twice: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
}

func TestEndCallAndAttendance(t *testing.T) {
	testenv.Isolate(t)
	w := newPeopleServer(t)
	useEnv(t, w.s)
	w.s.SetEmail("carol", "carol@example.com")
	r := talkmod(t, "", "end-call", testenv.WebinarA)
	if r.code != exit.Usage || len(floorChanges(w.s)) != 0 {
		t.Fatalf("end-call without --yes: exit %d, %v", r.code, floorChanges(w.s))
	}
	r = talkmod(t, "", "attendance", testenv.WebinarA)
	if r.code != 0 || r.stdout != "name,email,type,identifier\n\"Carol Diaz\",carol@example.com,users,carol\n" {
		t.Fatalf("attendance: exit %d %q", r.code, r.stdout)
	}
	out := filepath.Join(t.TempDir(), "att.csv")
	r = talkmod(t, "", "attendance", testenv.WebinarA, "--output", out)
	if fi, err := os.Stat(out); r.code != 0 || err != nil || fi.Mode().Perm() != 0o600 || !strings.Contains(r.stdout, out) {
		t.Fatalf("--output: exit %d, %v %v", r.code, err, r.stdout)
	}
	r = talkmod(t, "", "attendance", testenv.WebinarA, "--json")
	var rows []map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 1 || rows[0]["email"] != "carol@example.com" || rows[0]["identifier"] != "carol" {
		t.Fatalf("--json: %v %s", err, r.stdout)
	}
	w.s.ResetRequests()
	r = talkmod(t, "", "end-call", testenv.WebinarA, "--yes", "--json")
	var res endCallResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || r.code != 0 || !res.OK || res.InCall != 1 {
		t.Fatalf("end-call: exit %d %v %s", r.code, err, r.stdout)
	}
	if got := floorChanges(w.s); len(got) != 3 || !strings.HasPrefix(got[0], "POST") || !strings.HasPrefix(got[1], "DELETE /ocs/v2.php/apps/spreed/api/v4/call/") || !strings.HasSuffix(got[2], "/participants/active") {
		t.Errorf("end-call sent %v, want join, end, leave", got)
	}
	if c := person(t, w.s, w.carol); c.InCallNow() {
		t.Error("carol is still in the call")
	}
	for _, p := range w.s.Participants(testenv.WebinarA) {
		if p.ActorID == "alice" && p.Connected() {
			t.Error("end-call left a session of its own behind")
		}
	}
	r = talkmod(t, "", "attendance", testenv.WebinarA)
	if r.code != exit.Refused || !strings.Contains(r.stderr, "no call is running") {
		t.Errorf("attendance without a call: exit %d %q", r.code, r.stderr)
	}
	w.s.ResetRequests()
	r = talkmod(t, "", "end-call", testenv.WebinarA, "--yes")
	if r.code != 0 || len(floorChanges(w.s)) != 0 || !strings.Contains(r.stdout, "no call is running") {
		t.Errorf("end-call without a call: exit %d, %v, %q", r.code, floorChanges(w.s), r.stdout)
	}
}
