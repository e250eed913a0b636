package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
	"github.com/talkmod/talkmod/models"
)

// chatServer is testenv.NewServer with a chat in webinar A: alice's welcome, bob's
// question that mentions alice, a guest's hostile message, bob's spam.
func chatServer(t *testing.T) (*talktest.Server, map[string]int64) {
	t.Helper()
	s := testenv.NewServer(t)
	s.SetParticipant(testenv.WebinarA, "bob", models.ParticipantUser)
	s.SetDisplayName("alice", "Alice Martin")
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

func TestChatCommand(t *testing.T) {
	testenv.Isolate(t)
	s, ids := chatServer(t)
	useEnv(t, s)
	t.Setenv("TZ", "UTC")
	r := talkmod(t, "", "chat", testenv.WebinarA)
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d lines, want 5 (created + 4):\n%s", len(lines), r.stdout)
	}
	for i, want := range []string{"* You created the conversation", "Alice Martin: Welcome everyone", "bob: @Alice Martin is there a recording?",
		"Evil ^[[31mGuest (guest): ^[]0;pwned^G^[[2Jclick here", "bob: BUY CHEAP FOLLOWERS"} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d = %q, want %q", i, lines[i], want)
		}
	}
	if strings.ContainsRune(r.stdout, '\x1b') {
		t.Error("an escape reached stdout")
	}
	// --limit
	if r := talkmod(t, "", "chat", testenv.WebinarA, "--limit", "2"); r.code != 0 || strings.Count(r.stdout, "\n") != 2 || !strings.HasSuffix(strings.TrimSpace(r.stdout), "BUY CHEAP FOLLOWERS") {
		t.Errorf("--limit 2: %d %q", r.code, r.stdout)
	}
	for _, bad := range []string{"0", "201", "x"} {
		if r := talkmod(t, "", "chat", testenv.WebinarA, "--limit", bad); r.code != exit.Usage {
			t.Errorf("--limit %s: exit %d", bad, r.code)
		}
	}
	// --json: the objects as sent, one a line, escapes kept as JSON escapes
	r = talkmod(t, "", "chat", testenv.WebinarA, "--json")
	jl := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(jl) != 5 || strings.ContainsRune(r.stdout, '\x1b') {
		t.Fatalf("--json: exit %d, %d lines", r.code, len(jl))
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(jl[1]), &m); err != nil || m["id"] != float64(ids["welcome"]) {
		t.Errorf("--json line: %v %v", m, err)
	}
	if _, ok := m["messageParameters"].([]any); !ok {
		t.Errorf("empty parameters not kept as []: %v", m["messageParameters"])
	}
	// the deleted spam reads "deleted by you"
	if r := talkmod(t, "", "delete-message", testenv.WebinarA, strconv.FormatInt(ids["spam"], 10), "--yes"); r.code != 0 || !strings.Contains(r.stdout, "of bob deleted") {
		t.Fatalf("delete: %d %q", r.code, r.stdout)
	}
	if r := talkmod(t, "", "chat", testenv.WebinarA, "--limit", "3"); !strings.Contains(r.stdout, "bob: (deleted by you)") || !strings.Contains(r.stdout, "* You deleted a message") {
		t.Errorf("after the deletion:\n%s", r.stdout)
	}
}

func TestChatCommandExitCodes(t *testing.T) {
	testenv.Isolate(t)
	s, _ := chatServer(t)
	// not logged in
	if r := talkmod(t, "", "chat", testenv.WebinarA); r.code != exit.Unauthorized {
		t.Errorf("not logged in: exit %d", r.code)
	}
	useEnv(t, s)
	if r := talkmod(t, "", "chat", "1111111111"); r.code != exit.NotFound {
		t.Errorf("unknown room: exit %d", r.code)
	}
	if r := talkmod(t, "", "chat"); r.code != exit.Usage {
		t.Errorf("no room: exit %d", r.code)
	}
	// bob waits in the lobby: 412 in plain words
	s.UpdateRoom(testenv.WebinarA, func(r *talktest.Room) { r.LobbyState = models.LobbyModeratorsOnly })
	t.Setenv("TALKMOD_USER", "bob")
	t.Setenv("TALKMOD_APP_PASSWORD", testenv.BobPW)
	for _, args := range [][]string{{"chat", testenv.WebinarA}, {"say", testenv.WebinarA, "hello?"}, {"chat", testenv.WebinarA, "--follow"}} {
		if r := talkmod(t, "", args...); r.code != exit.Precondition || !strings.Contains(r.stderr, "waiting in the lobby") {
			t.Errorf("%v in the lobby: exit %d %q", args, r.code, r.stderr)
		}
	}
	useEnv(t, s)
	s.FailNext("/chat/"+testenv.WebinarA, 1, 429, `{"ocs":{"meta":{"status":"failure","statuscode":429,"message":""},"data":[]}}`)
	if r := talkmod(t, "", "chat", testenv.WebinarA); r.code != exit.Throttled {
		t.Errorf("429: exit %d", r.code)
	}
	t.Setenv("TALKMOD_SERVER", testenv.DeadURL(t))
	if r := talkmod(t, "", "chat", testenv.WebinarA); r.code != exit.Unavailable {
		t.Errorf("dead server: exit %d", r.code)
	}
}

func TestSayCommand(t *testing.T) {
	testenv.Isolate(t)
	s, ids := chatServer(t)
	useEnv(t, s)
	r := talkmod(t, "", "say", testenv.WebinarA, "Thanks", "@bob,", "good", "question")
	id, err := strconv.ParseInt(strings.TrimSpace(r.stdout), 10, 64)
	if r.code != 0 || err != nil {
		t.Fatalf("say: %d %q", r.code, r.stdout)
	}
	msgs := s.ChatMessages(testenv.WebinarA)
	last := msgs[len(msgs)-1]
	if last.ID != id || last.Text != "Thanks {mention-user1}, good question" || last.ActorID != "alice" {
		t.Errorf("posted %+v", last)
	}
	// a reply, silent, from stdin
	r = talkmod(t, "Line one\nline two\n", "say", testenv.WebinarA, "-", "--reply-to", strconv.FormatInt(ids["question"], 10), "--silent")
	if r.code != 0 {
		t.Fatalf("say -: %d", r.code)
	}
	msgs = s.ChatMessages(testenv.WebinarA)
	last = msgs[len(msgs)-1]
	if last.Text != "Line one\nline two" || last.ReplyTo != ids["question"] || !last.Silent {
		t.Errorf("reply posted %+v", last)
	}
	n := len(msgs)
	for name, c := range map[string]struct {
		args []string
		code int
		says string
	}{
		"empty":            {[]string{"say", testenv.WebinarA, "  "}, exit.Usage, "empty"},
		"no text":          {[]string{"say", testenv.WebinarA}, exit.Usage, "needs"},
		"reply to system":  {[]string{"say", testenv.WebinarA, "x", "--reply-to", strconv.FormatInt(msgs[0].ID, 10)}, exit.Refused, "cannot be answered"},
		"reply to unknown": {[]string{"say", testenv.WebinarA, "x", "--reply-to", "999999"}, exit.Refused, "cannot be answered"},
		"bad reply id":     {[]string{"say", testenv.WebinarA, "x", "--reply-to", "-3"}, exit.Usage, "message id"},
		"not a member":     {[]string{"say", "1111111111", "x"}, exit.NotFound, "gone"},
	} {
		if r := talkmod(t, "", c.args...); r.code != c.code || !strings.Contains(r.stderr, c.says) {
			t.Errorf("%s: exit %d %q, want %d %q", name, r.code, r.stderr, c.code, c.says)
		}
	}
	if len(s.ChatMessages(testenv.WebinarA)) != n {
		t.Error("a refused say posted")
	}
	// too long: 32001 characters are refused before sending
	if r := talkmod(t, strings.Repeat("x", 32001), "say", testenv.WebinarA, "-"); r.code != exit.Usage || !strings.Contains(r.stderr, "too long") {
		t.Errorf("too long: %d %q", r.code, r.stderr)
	}
	// read-only: nobody writes, the owner neither (403, exit 4)
	if err := s.SetReadOnly(testenv.WebinarA, "alice", true); err != nil {
		t.Fatal(err)
	}
	if r := talkmod(t, "", "say", testenv.WebinarA, "hello"); r.code != exit.Forbidden || !strings.Contains(r.stderr, "read-only") || !strings.Contains(r.stderr, "moderators included") {
		t.Errorf("read-only: %d %q", r.code, r.stderr)
	}
}

func TestDeleteMessageCommand(t *testing.T) {
	testenv.Isolate(t)
	s, ids := chatServer(t)
	useEnv(t, s)
	spam := strconv.FormatInt(ids["spam"], 10)
	// without --yes: exit 2, nothing sent
	s.ResetRequests()
	if r := talkmod(t, "", "delete-message", testenv.WebinarA, spam); r.code != exit.Usage || !strings.Contains(r.stderr, "--yes") {
		t.Errorf("without --yes: %d %q", r.code, r.stderr)
	}
	if len(s.Requests()) != 0 {
		t.Errorf("%d requests sent without --yes", len(s.Requests()))
	}
	for _, bad := range []string{"x", "0", "-1"} {
		if r := talkmod(t, "", "delete-message", testenv.WebinarA, bad, "--yes"); r.code != exit.Usage {
			t.Errorf("id %q: exit %d", bad, r.code)
		}
	}
	r := talkmod(t, "", "delete-message", testenv.WebinarA, spam, "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "message "+spam+" of bob deleted") {
		t.Fatalf("delete: %d %q", r.code, r.stdout)
	}
	for _, m := range s.ChatMessages(testenv.WebinarA) {
		if m.ID == ids["spam"] && !m.Deleted {
			t.Error("not deleted on the server")
		}
	}
	created := strconv.FormatInt(s.ChatMessages(testenv.WebinarA)[0].ID, 10)
	for name, c := range map[string]struct {
		ids  []string
		code int
		says string
	}{
		"again":  {[]string{spam}, exit.Refused, "already deleted"},
		"system": {[]string{created}, exit.Refused, "system message"},
		"gone":   {[]string{"999999"}, exit.NotFound, "no such message"},
		// several: one each, the most severe code
		"several": {[]string{strconv.FormatInt(ids["evil"], 10), "999999", spam}, exit.NotFound, "2 messages not deleted"},
	} {
		r := talkmod(t, "", append(append([]string{"delete-message", testenv.WebinarA}, c.ids...), "--yes")...)
		if r.code != c.code || !strings.Contains(r.stdout+r.stderr, c.says) {
			t.Errorf("%s: exit %d %q %q, want %d %q", name, r.code, r.stdout, r.stderr, c.code, c.says)
		}
	}
	// bob may not delete alice's message (403 permission, exit 4)
	t.Setenv("TALKMOD_USER", "bob")
	t.Setenv("TALKMOD_APP_PASSWORD", testenv.BobPW)
	if r := talkmod(t, "", "delete-message", testenv.WebinarA, strconv.FormatInt(ids["welcome"], 10), "--yes"); r.code != exit.Forbidden || !strings.Contains(r.stderr, "only your own") {
		t.Errorf("bob deletes alice's: %d %q", r.code, r.stderr)
	}
}

func TestReadOnlyCommand(t *testing.T) {
	testenv.Isolate(t)
	s, _ := chatServer(t)
	useEnv(t, s)
	// webinar B has a call: on without --yes is refused, nothing sent
	s.ResetRequests()
	r := talkmod(t, "", "read-only", testenv.WebinarB, "on")
	if r.code != exit.Usage || !strings.Contains(r.stderr, "ends it for everyone") || s.ReadOnly(testenv.WebinarB) {
		t.Errorf("on during a call: %d %q", r.code, r.stderr)
	}
	for _, q := range s.Requests() {
		if q.Method != "GET" {
			t.Errorf("sent %s %s", q.Method, q.Path)
		}
	}
	if r := talkmod(t, "", "read-only", testenv.WebinarB, "on", "--yes"); r.code != 0 || !s.ReadOnly(testenv.WebinarB) || !strings.Contains(r.stdout, "undo: talkmod read-only "+testenv.WebinarB+" off") {
		t.Errorf("on --yes: %d %q", r.code, r.stdout)
	}
	if r := talkmod(t, "", "read-only", testenv.WebinarB, "off"); r.code != 0 || s.ReadOnly(testenv.WebinarB) || !strings.Contains(r.stdout, "unlocked") {
		t.Errorf("off: %d %q", r.code, r.stdout)
	}
	// no call: no question
	if r := talkmod(t, "", "read-only", testenv.WebinarA, "on"); r.code != 0 || !s.ReadOnly(testenv.WebinarA) {
		t.Errorf("on without a call: %d %q", r.code, r.stderr)
	}
	for name, c := range map[string]struct {
		args []string
		code int
		says string
	}{
		"bad state":      {[]string{"read-only", testenv.WebinarA, "maybe"}, exit.Usage, "on or off"},
		"one-to-one":     {[]string{"read-only", testenv.OneToOne, "on"}, exit.Refused, "only group and public"},
		"not moderator":  {[]string{"read-only", testenv.NotModTok, "on", "--yes"}, exit.Forbidden, "not a moderator"},
		"unknown room":   {[]string{"read-only", "1111111111", "off"}, exit.NotFound, "gone"},
		"missing state":  {[]string{"read-only", testenv.WebinarA}, exit.Usage, "needs"},
		"one-to-one off": {[]string{"read-only", testenv.OneToOne, "off"}, exit.OK, "unlocked"},
	} {
		r := talkmod(t, "", c.args...)
		if r.code != c.code || !strings.Contains(r.stdout+r.stderr, c.says) {
			t.Errorf("%s: exit %d %q %q, want %d %q", name, r.code, r.stdout, r.stderr, c.code, c.says)
		}
	}
}

// TestChatFollow runs the binary: --follow prints the history, then a
// message posted while it waits, and ends with exit 0 on ctrl+c.
func TestChatFollow(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses SIGINT")
	}
	bin := buildBinary(t)
	testenv.Isolate(t)
	s, _ := chatServer(t)
	// stdout is a file, not a pipe: what the binary wrote before its poll
	// reached the server is in it then (a pipe's copy may lag behind)
	outFile, err := os.Create(filepath.Join(t.TempDir(), "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	defer outFile.Close()
	out := fileText(outFile.Name())
	var errb testenv.SyncBuffer
	cmd := exec.Command(bin, "chat", testenv.WebinarA, "--follow")
	cmd.Env = append(os.Environ(), "TALKMOD_SERVER="+s.URL, "TALKMOD_USER=alice", "TALKMOD_APP_PASSWORD="+testenv.AlicePW, "TZ=UTC")
	cmd.Stdout, cmd.Stderr = outFile, &errb
	polling := s.ChatPollStarted(testenv.WebinarA)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	select {
	case <-polling:
	case <-time.After(e2eDeadline):
		t.Fatalf("no poll; stdout %q stderr %q", out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "BUY CHEAP FOLLOWERS") {
		t.Fatalf("history not printed before the poll: %q", out.String())
	}
	if _, err := s.Say(testenv.WebinarA, "bob", "posted while it waits"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(e2eDeadline)
	for !strings.Contains(out.String(), "bob: posted while it waits") {
		if time.Now().After(deadline) {
			t.Fatalf("the new message was not printed: %q", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := s.ChatPolls(testenv.WebinarA); n > 1 {
		t.Errorf("%d polls at once", n)
	}
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(e2eDeadline):
		t.Fatal("--follow did not end after ctrl+c")
	}
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("exit %d after ctrl+c; stderr %q", code, errb.String())
	}
}

// fileText reads a file's text whenever String is called.
type fileText string

func (f fileText) String() string {
	b, _ := os.ReadFile(string(f))
	return string(b)
}
