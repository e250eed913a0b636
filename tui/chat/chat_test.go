package chat

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
)

var testNow = time.Date(2026, 12, 1, 14, 35, 0, 0, time.UTC)

// fakeBackend answers from funcs and records the calls.
type fakeBackend struct {
	mu      sync.Mutex
	calls   []string
	history func(opts client.HistoryOptions) (client.ChatPage, error)
	poll    func(ctx context.Context, opts client.PollOptions) (client.ChatPage, error)
	post    func(p client.PostOptions) (models.ChatMessage, error)
	del     func(id int64) (models.ChatMessage, error)
	lock    func(on bool) (models.Room, error)
}

func (f *fakeBackend) record(s string) {
	f.mu.Lock()
	f.calls = append(f.calls, s)
	f.mu.Unlock()
}

func (f *fakeBackend) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeBackend) ChatHistory(ctx context.Context, token string, opts client.HistoryOptions) (client.ChatPage, error) {
	f.record(fmt.Sprintf("history %s %d", token, opts.Limit))
	return f.history(opts)
}

func (f *fakeBackend) PollChat(ctx context.Context, token string, opts client.PollOptions) (client.ChatPage, error) {
	f.record(fmt.Sprintf("poll %s after %d timeout %s", token, opts.After, opts.Timeout))
	if f.poll == nil {
		return client.ChatPage{NotModified: true}, nil
	}
	return f.poll(ctx, opts)
}

func (f *fakeBackend) PostMessage(ctx context.Context, token string, p client.PostOptions) (models.ChatMessage, error) {
	f.record(fmt.Sprintf("post %q reply %d", p.Message, p.ReplyTo))
	return f.post(p)
}

func (f *fakeBackend) DeleteMessage(ctx context.Context, token string, id int64) (models.ChatMessage, error) {
	f.record(fmt.Sprintf("delete %d", id))
	return f.del(id)
}

func (f *fakeBackend) SetReadOnly(ctx context.Context, token string, on bool) (models.Room, error) {
	f.record(fmt.Sprintf("read-only %v", on))
	return f.lock(on)
}

func msg(id int64, who, text string) models.ChatMessage {
	return models.ChatMessage{ID: id, Token: "1234567890", ActorType: "users", ActorID: strings.ToLower(who), ActorDisplayName: who,
		Timestamp: testNow.Add(time.Duration(id-100) * time.Minute).Unix(), Message: text, MessageType: "comment", IsReplyable: true}
}

// history is a chat: created, then messages 101..100+n.
func history(n int) []models.ChatMessage {
	out := []models.ChatMessage{{ID: 100, ActorType: "users", ActorID: "morgan", ActorDisplayName: "Morgan Lee", Timestamp: testNow.Add(-time.Hour).Unix(),
		Message: "You created the conversation", SystemMessage: "conversation_created", MessageType: "system",
		MessageParameters: models.MessageParameters{"actor": {Type: "user", ID: "morgan", Name: "Morgan Lee"}}}}
	for i := 1; i <= n; i++ {
		out = append(out, msg(int64(100+i), []string{"Alice", "Bob", "Carol"}[i%3], fmt.Sprintf("message number %d", i)))
	}
	return out
}

// newestFirst is a history page as the server sends it.
func newestFirst(ms []models.ChatMessage) client.ChatPage {
	p := client.ChatPage{}
	for i := len(ms) - 1; i >= 0; i-- {
		p.Messages = append(p.Messages, ms[i])
	}
	if len(ms) > 0 {
		p.LastGiven = ms[0].ID
	}
	return p
}

type afterCall struct {
	d   time.Duration
	msg tea.Msg
}

func newPage(t *testing.T, be *fakeBackend, room models.Room) (Model, *[]afterCall) {
	t.Helper()
	afters := &[]afterCall{}
	if room.Token == "" {
		room = models.Room{Token: "1234567890", Name: "Customer Webinar", Type: models.ConversationPublic, ParticipantType: models.ParticipantOwner}
	}
	m := New(Options{Backend: be, Room: room, User: "morgan", Now: func() time.Time { return testNow },
		Loc:   func() *time.Location { return time.UTC },
		After: func(d time.Duration, msg tea.Msg) tea.Cmd { *afters = append(*afters, afterCall{d, msg}); return nil }})
	m.SetSize(80, 20)
	return m, afters
}

// run runs a command and feeds its message back, once.
func run(t *testing.T, m Model, cmd tea.Cmd) (Model, tea.Cmd) {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command")
	}
	return m.Update(cmd())
}

func keys(m Model, ks ...string) (Model, tea.Cmd) {
	var cmd tea.Cmd
	for _, k := range ks {
		var km tea.KeyMsg
		switch k {
		case "up", "down", "esc", "enter", "backspace", "pgup", "pgdown":
			km = tea.KeyMsg{Type: map[string]tea.KeyType{"up": tea.KeyUp, "down": tea.KeyDown, "esc": tea.KeyEsc, "enter": tea.KeyEnter,
				"backspace": tea.KeyBackspace, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown}[k]}
		case " ":
			km = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
		default:
			km = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		m, cmd = m.Update(km)
	}
	return m, cmd
}

func typeText(m Model, s string) Model {
	for _, r := range s {
		m, _ = keys(m, string(r))
	}
	return m
}

// TestHistoryThenOnePoll: the page reads the history, then polls from its
// newest id, one poll at a time; a 304 starts the next one, with no other
// request in between.
func TestHistoryThenOnePoll(t *testing.T) {
	be := &fakeBackend{history: func(client.HistoryOptions) (client.ChatPage, error) { return newestFirst(history(5)), nil }}
	m, _ := newPage(t, be, models.Room{})
	cmd := m.Init()
	m, cmd = run(t, m, cmd)
	if got := be.Calls(); len(got) != 1 || got[0] != "history 1234567890 100" {
		t.Fatalf("calls %v", got)
	}
	if !m.Polling() || cmd == nil {
		t.Fatal("no poll after the history")
	}
	// nothing else starts a second poll while one is on its way
	m2, again := m.Update(Msg{gen: m.gen, inner: resumeMsg{}})
	if again != nil || !m2.Polling() {
		t.Error("a second poll was started")
	}
	// the 304: the next poll, from the same id
	m, cmd = run(t, m, cmd)
	if cmd == nil || !m.Polling() {
		t.Fatal("no poll after the 304")
	}
	m, _ = run(t, m, cmd)
	calls := be.Calls()
	if len(calls) != 3 || calls[1] != "poll 1234567890 after 105 timeout 30s" || calls[2] != calls[1] {
		t.Errorf("calls %v", calls)
	}
	if m.Requests() != 4 { // history, 2 polls answered, 1 on its way
		t.Errorf("%d requests counted", m.Requests())
	}
	if v := m.View(); !strings.Contains(v, "message number 5") || !strings.Contains(v, "live:") || !strings.Contains(v, "* You created the conversation") {
		t.Errorf("view:\n%s", v)
	}
}

// TestPollCancelledOnClose: closing the page cancels the poll on its way,
// and its late answer starts nothing.
func TestPollCancelledOnClose(t *testing.T) {
	started := make(chan struct{})
	be := &fakeBackend{history: func(client.HistoryOptions) (client.ChatPage, error) { return newestFirst(history(1)), nil },
		poll: func(ctx context.Context, _ client.PollOptions) (client.ChatPage, error) {
			close(started)
			<-ctx.Done()
			return client.ChatPage{}, &client.NetworkError{Op: "wait", Cause: "canceled", Err: ctx.Err()}
		}}
	m, afters := newPage(t, be, models.Room{})
	m, cmd := run(t, m, m.Init())
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	<-started
	m.Close()
	var late tea.Msg
	select {
	case late = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the poll was not cancelled by Close")
	}
	m, next := m.Update(late)
	if next != nil || len(*afters) != 0 || !m.Closed() {
		t.Error("the cancelled poll's answer started something")
	}
}

// TestArrivalWhileScrolledUp: a message that arrives shows; while the
// reader is scrolled up it is counted as new below; G goes there.
func TestArrivalWhileScrolledUp(t *testing.T) {
	arrive := []models.ChatMessage{msg(106, "Dave", "a new question")}
	be := &fakeBackend{history: func(client.HistoryOptions) (client.ChatPage, error) { return newestFirst(history(5)), nil },
		poll: func(_ context.Context, o client.PollOptions) (client.ChatPage, error) {
			if o.After == 105 {
				return client.ChatPage{Messages: arrive, LastGiven: 106}, nil
			}
			return client.ChatPage{NotModified: true}, nil
		}}
	m, _ := newPage(t, be, models.Room{})
	m, cmd := run(t, m, m.Init())
	m, _ = keys(m, "up", "up")
	m, cmd = run(t, m, cmd)
	if !strings.Contains(m.View(), "1 new message below") {
		t.Errorf("no count of new messages:\n%s", m.View())
	}
	m, _ = keys(m, "G")
	if v := m.View(); !strings.Contains(v, "Dave: a new question") || strings.Contains(v, "new message below") {
		t.Errorf("after G:\n%s", v)
	}
	if !strings.Contains(be.Calls()[len(be.Calls())-1], "") || cmd == nil {
		t.Error("no poll after the arrival")
	}
	m, _ = run(t, m, cmd)
	if last := be.Calls()[len(be.Calls())-1]; last != "poll 1234567890 after 106 timeout 30s" {
		t.Errorf("next poll %q", last)
	}
}

// TestThrottledPausesAndNetworkBacksOff: 429 waits its Retry-After, a dead
// network 1 s, 2 s, 4 s …; a lobby's 412 stops the page's poll in words.
func TestThrottledPausesAndNetworkBacksOff(t *testing.T) {
	var next error
	be := &fakeBackend{history: func(client.HistoryOptions) (client.ChatPage, error) { return newestFirst(history(1)), nil },
		poll: func(context.Context, client.PollOptions) (client.ChatPage, error) { return client.ChatPage{}, next }}
	m, afters := newPage(t, be, models.Room{})
	m, cmd := run(t, m, m.Init())
	next = &client.APIError{HTTPStatus: 429, RetryAfter: 42 * time.Second}
	m, cmd = run(t, m, cmd)
	if cmd != nil || len(*afters) != 1 || (*afters)[0].d != 42*time.Second || !strings.Contains(m.View(), "throttling") {
		t.Fatalf("429: afters %v\n%s", *afters, m.View())
	}
	for i, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second} {
		next = &client.NetworkError{Op: "wait", Host: "cloud", Cause: "refused"}
		m, cmd = m.Update((*afters)[len(*afters)-1].msg) // the pause ends: one poll
		if cmd == nil {
			t.Fatalf("round %d: no poll after the pause", i)
		}
		m, _ = run(t, m, cmd)
		if got := (*afters)[len(*afters)-1].d; got != want {
			t.Errorf("round %d: waits %v, want %v", i, got, want)
		}
	}
	if !strings.Contains(m.View(), "trying again in") {
		t.Errorf("no word of the network:\n%s", m.View())
	}
	next = &client.APIError{HTTPStatus: 412, Op: "wait for chat messages"}
	m, cmd = m.Update((*afters)[len(*afters)-1].msg)
	m, cmd = run(t, m, cmd)
	if cmd != nil || m.Polling() || !strings.Contains(m.View(), "lobby") {
		t.Errorf("412: still polling, or no words:\n%s", m.View())
	}
}

// TestWriteSendAndKeepDraft: i types, esc keeps the draft, enter sends;
// a refused post gives the text back.
func TestWriteSendAndKeepDraft(t *testing.T) {
	var fail error
	be := &fakeBackend{history: func(client.HistoryOptions) (client.ChatPage, error) { return newestFirst(history(2)), nil },
		post: func(p client.PostOptions) (models.ChatMessage, error) {
			if fail != nil {
				return models.ChatMessage{}, fail
			}
			return msg(200, "Morgan Lee", p.Message), nil
		}}
	m, _ := newPage(t, be, models.Room{})
	m, _ = run(t, m, m.Init())
	m, _ = keys(m, "i")
	m = typeText(m, "hello q world")
	m, _ = keys(m, "esc")
	if m.Typing() || !strings.Contains(m.View(), "hello q world") {
		t.Fatalf("esc lost the draft:\n%s", m.View())
	}
	m, _ = keys(m, "i", "!")
	fail = &client.APIError{HTTPStatus: 403, Op: "post message"}
	m, cmd := keys(m, "enter")
	m, _ = run(t, m, cmd)
	if !strings.Contains(m.View(), "hello q world!") || !strings.Contains(m.View(), "not sent") {
		t.Fatalf("a refused post lost the text:\n%s", m.View())
	}
	fail = nil
	m, _ = keys(m, "i")
	m, cmd = keys(m, "enter")
	m, _ = run(t, m, cmd)
	if c := be.Calls(); c[len(c)-1] != `post "hello q world!" reply 0` {
		t.Errorf("calls %v", c)
	}
	if v := m.View(); !strings.Contains(v, "Morgan Lee: hello q world!") || strings.Contains(v, "draft") {
		t.Errorf("after sending:\n%s", v)
	}
	// a reply: R on the selected message
	m, _ = keys(m, "up", "up", "R")
	m = typeText(m, "yes")
	if !strings.Contains(m.View(), "↳ Carol ›") {
		t.Errorf("no reply marker:\n%s", m.View())
	}
	m, cmd = keys(m, "enter")
	m, _ = run(t, m, cmd)
	if c := be.Calls(); c[len(c)-1] != `post "yes" reply 102` {
		t.Errorf("reply calls %v", c)
	}
	// closing with a draft: the first esc warns, the second drops it
	m, _ = keys(m, "i")
	m = typeText(m, "unsent")
	m, _ = keys(m, "esc", "esc")
	if m.Closed() || !strings.Contains(m.View(), "your draft is not sent") {
		t.Fatalf("the draft was dropped unseen:\n%s", m.View())
	}
	m, _ = keys(m, "esc")
	if !m.Closed() {
		t.Error("the second esc did not close")
	}
}

// TestDeleteAsksYOnly: x names the author and the first words; only y
// sends; the answer shows the message as deleted.
func TestDeleteAsksYOnly(t *testing.T) {
	hist := history(3)
	be := &fakeBackend{history: func(client.HistoryOptions) (client.ChatPage, error) { return newestFirst(hist), nil },
		del: func(id int64) (models.ChatMessage, error) {
			p := hist[id-100]
			p.MessageType, p.Deleted, p.Message = models.MessageCommentDeleted, true, "Message deleted by you"
			p.MessageParameters = models.MessageParameters{"actor": {Type: "user", ID: "morgan", Name: "Morgan Lee"}}
			return models.ChatMessage{ID: 300, ActorType: "users", ActorID: "morgan", ActorDisplayName: "Morgan Lee", Message: "You deleted a message",
				SystemMessage: "message_deleted", MessageType: "system", Parent: &p, Timestamp: testNow.Unix()}, nil
		}}
	m, _ := newPage(t, be, models.Room{})
	m, _ = run(t, m, m.Init())
	m, _ = keys(m, "up", "x")
	if v := strings.ReplaceAll(m.View(), "\n", " "); !strings.Contains(v, "Delete the message of Alice: “message number 3”?") || !strings.Contains(v, "y deletes") {
		t.Fatalf("question:\n%s", v)
	}
	m, cmd := keys(m, "enter") // not y: no
	if cmd != nil || strings.Contains(strings.Join(be.Calls(), ","), "delete") {
		t.Fatal("enter deleted")
	}
	m, _ = keys(m, "x")
	m, cmd = keys(m, "y")
	m, _ = run(t, m, cmd)
	if c := be.Calls(); c[len(c)-1] != "delete 103" {
		t.Errorf("calls %v", c)
	}
	if v := m.View(); !strings.Contains(v, "Alice: (deleted by you)") || !strings.Contains(v, "You deleted a message") {
		t.Errorf("after deleting:\n%s", v)
	}
	// system messages cannot be deleted: no question
	m, _ = keys(m, "g", "x")
	if m.Asking() || !strings.Contains(m.View(), "cannot be deleted") {
		t.Errorf("system message:\n%s", m.View())
	}
}

// TestReadOnlyQuestion: L asks (y only), saying that nobody writes,
// moderators included, and that the call ends; L on a locked chat
// unlocks at once; a read-only session may only read.
func TestReadOnlyQuestion(t *testing.T) {
	be := &fakeBackend{history: func(client.HistoryOptions) (client.ChatPage, error) { return newestFirst(history(1)), nil },
		lock: func(on bool) (models.Room, error) {
			return models.Room{Token: "1234567890", ReadOnly: boolInt(on)}, nil
		}}
	room := models.Room{Token: "1234567890", Name: "Customer Webinar", Type: models.ConversationPublic, ParticipantType: models.ParticipantOwner, HasCall: true}
	m, _ := newPage(t, be, room)
	m, _ = run(t, m, m.Init())
	m, _ = keys(m, "L")
	v := strings.ReplaceAll(m.View(), "\n", " ")
	if !strings.Contains(v, "moderators included") || !strings.Contains(v, "the call ends for all") || !strings.Contains(v, "y locks") {
		t.Fatalf("question:\n%s", v)
	}
	m, cmd := keys(m, "n")
	if cmd != nil {
		t.Fatal("n locked")
	}
	m, _ = keys(m, "L")
	m, cmd = keys(m, "y")
	m, _ = run(t, m, cmd)
	if c := be.Calls(); c[len(c)-1] != "read-only true" || !strings.Contains(m.View(), "locked (read-only)") {
		t.Fatalf("lock: %v\n%s", c, m.View())
	}
	m, _ = keys(m, "i")
	if m.Typing() || !strings.Contains(m.View(), "moderators included") {
		t.Error("typing in a locked chat")
	}
	m, cmd = keys(m, "L") // unlocking asks nothing
	m, _ = run(t, m, cmd)
	if c := be.Calls(); c[len(c)-1] != "read-only false" {
		t.Errorf("unlock: %v", c)
	}
	// a read-only SSH session
	ro, _ := newPage(t, be, room)
	ro.opts.ReadOnlySession = true
	ro, _ = run(t, ro, ro.Init())
	n := len(be.Calls())
	ro, _ = keys(ro, "i", "up", "x", "L")
	if ro.Typing() || ro.Asking() || len(be.Calls()) != n {
		t.Error("a read-only session changed something")
	}
}

// TestEvilTextAndMentions: escapes in names, texts and parameters reach
// the screen as visible escapes; mentions read @name.
func TestEvilTextAndMentions(t *testing.T) {
	evil := "\x1b]0;pwned\x07\x1b[2J\x1b[31m"
	ms := []models.ChatMessage{
		{ID: 101, ActorType: "guests", ActorID: "abc", ActorDisplayName: evil + "Guest", Timestamp: testNow.Unix(), Message: evil + "click {mention-user1}",
			MessageType: "comment", MessageParameters: models.MessageParameters{"mention-user1": {Type: "user", ID: "morgan", Name: "Morgan " + evil}}},
		{ID: 102, ActorType: "users", ActorID: "alice", ActorDisplayName: "Alice", Timestamp: testNow.Unix(), Message: "Hello {mention-call1}",
			MessageType: "comment", MessageParameters: models.MessageParameters{"mention-call1": {Type: "call", ID: "tok", Name: "Webinar"}}},
		{ID: 103, ActorType: "bots", ActorID: "bot", ActorDisplayName: "Reminder", Timestamp: testNow.Unix(), Message: "line one\nline two\r\x9b31m", MessageType: "comment",
			Parent: &models.ChatMessage{ActorType: "users", ActorDisplayName: "Alice", Message: "Hello {mention-call1}", MessageParameters: models.MessageParameters{"mention-call1": {Type: "call"}}}},
	}
	be := &fakeBackend{history: func(client.HistoryOptions) (client.ChatPage, error) { return newestFirst(ms), nil }}
	m, _ := newPage(t, be, models.Room{})
	m, _ = run(t, m, m.Init())
	v := m.View()
	if strings.ContainsAny(v, "\x1b\x07\r\u009b") {
		t.Fatalf("an escape reached the view: %q", v)
	}
	for _, want := range []string{"^[]0;pwned^G^[[2J^[[31mGuest (guest): ^[]0;pwned", "@Morgan ^[]0;pwned", "Alice: Hello @all",
		"Reminder (bot): line one", "line two^M", "↳ Alice: Hello @all"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
}

// BenchmarkKeyIn5000 is a key press (↑, then the view) in a chat of 5,000
// messages: goal under 1 ms.
func BenchmarkKeyIn5000(b *testing.B) {
	hist := history(5000)
	be := &fakeBackend{history: func(client.HistoryOptions) (client.ChatPage, error) { return newestFirst(hist), nil }}
	m := New(Options{Backend: be, Room: models.Room{Token: "1234567890", Name: "Big"}, Now: func() time.Time { return testNow },
		Loc: func() *time.Location { return time.UTC }, After: func(time.Duration, tea.Msg) tea.Cmd { return nil }})
	m.SetSize(120, 37)
	m, _ = m.Update(m.Init()())
	up := tea.KeyMsg{Type: tea.KeyUp}
	down := tea.KeyMsg{Type: tea.KeyDown}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := up
		if i%4000 >= 2000 {
			k = down
		}
		m, _ = m.Update(k)
		_ = m.View()
	}
}

// TestSelectionStaysOnScreen: a tall message below the selected one does
// not push the selection off the page.
func TestSelectionStaysOnScreen(t *testing.T) {
	hist := history(3)
	hist = append(hist, msg(104, "Dave", strings.Repeat("a long line of text that wraps ", 60)))
	be := &fakeBackend{history: func(client.HistoryOptions) (client.ChatPage, error) { return newestFirst(hist), nil }}
	m, _ := newPage(t, be, models.Room{})
	m, _ = run(t, m, m.Init())
	m, _ = keys(m, "up", "up")
	if v := m.View(); !strings.Contains(v, "▌ 14:38 Alice: message number 3") {
		t.Errorf("the selection is off the page:\n%s", v)
	}
}
