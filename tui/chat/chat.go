// Package chat is the console's chat page (issue 18): the chat of one
// conversation, live. It reads the recent history, then keeps exactly one
// long poll open at a time (the server holds a PHP worker for each),
// cancelled when the page closes; a 429 pauses it, a dead network backs
// off. It shows every message with its time (display zone), author
// (guests and bots marked), mentions as @name, a reply's short quote,
// system messages in words and deleted messages as "deleted by …", every
// server string through tui/sanitize. Keys: ↑/↓ select, i writes (enter
// sends, esc leaves the input keeping the draft), R replies to the
// selected message, x deletes it (y only), L locks or unlocks the chat
// (y only to lock).
//
// Model is the chat of one conversation (New, Init, Update for Msg and
// keys, View, HelpLine; Close cancels its poll). *Page (page.go) is the
// console's page around it: a tui.Page, opened by c on the selected room.
package chat

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// Backend is what the chat page asks of the server. *client.Client
// satisfies it; the root finds it with a type assertion on its own
// backend.
type Backend interface {
	ChatHistory(ctx context.Context, token string, opts client.HistoryOptions) (client.ChatPage, error)
	PollChat(ctx context.Context, token string, opts client.PollOptions) (client.ChatPage, error)
	PostMessage(ctx context.Context, token string, p client.PostOptions) (models.ChatMessage, error)
	DeleteMessage(ctx context.Context, token string, id int64) (models.ChatMessage, error)
	SetReadOnly(ctx context.Context, token string, on bool) (models.Room, error)
}

var _ Backend = (*client.Client)(nil)

// HelpText is the chat page's paragraph of the console's help.
const HelpText = "c opens the chat of the selected conversation: the recent messages, then new ones as they arrive " +
	"(one request waits on the server at a time). ↑/↓ select a message; i writes (enter sends, esc leaves the input " +
	"and keeps the draft); R replies to the selected message; x deletes it (y only); L locks the chat (read-only: " +
	"nobody can write, moderators included, and everyone's call ends; y only) or unlocks it; esc goes back."

// Options open a chat page.
type Options struct {
	Backend Backend
	// Ctx is the console's context: every request derives from it, and
	// Close cancels the page's own.
	Ctx  context.Context
	Room models.Room
	// User is the viewer's user id (mentions of them stand out).
	User string
	Now  func() time.Time
	// Loc is the display zone now (the console's z changes it).
	Loc func() *time.Location
	// ReadOnlySession: a read-only SSH session may read, not write,
	// delete or lock.
	ReadOnlySession bool
	// Styles come from the console's (zero styles draw plain text).
	Styles Styles
	// Timeout bounds the requests other than the poll (default 30 s).
	Timeout time.Duration
	// History is how many recent messages are read (default 100).
	History int
	// After schedules a message (default tea.Tick); tests replace it.
	After func(d time.Duration, msg tea.Msg) tea.Cmd
	// Keys are the console's (default common.DefaultKeyMap()): the
	// page's own are ChatBack, Write, Reply, DeleteMsg and Lock.
	Keys *common.KeyMap
}

// Msg carries the page's own messages through the root: forward every
// Msg to Update.
type Msg struct {
	gen   int
	inner any
}

type historyMsg struct {
	page client.ChatPage
	err  error
}

type pollMsg struct {
	after int64
	page  client.ChatPage
	err   error
}

type resumeMsg struct{}

type postMsg struct {
	text    string
	replyTo int64
	msg     models.ChatMessage
	err     error
}

type deleteMsg struct {
	id  int64
	sys models.ChatMessage
	err error
}

type lockMsg struct {
	on   bool
	room models.Room
	err  error
}

type question int

const (
	noQuestion question = iota
	askDelete
	askLock
)

type level int

const (
	levelInfo level = iota
	levelOK
	levelWarn
	levelErr
)

// Model is the chat page.
type Model struct {
	opts   Options
	ctx    context.Context
	cancel context.CancelFunc
	gen    int
	st     Styles

	room models.Room
	// msgs are the messages, ascending; index maps an id to its place.
	msgs  []models.ChatMessage
	index map[int64]int
	last  int64 // the newest id known (the poll's lastKnownMessageId)

	loaded  bool
	loadErr error
	// polling: a poll is on its way (never more than one); stopped: the
	// poll is not resumed (lobby, gone, 401 …), with why.
	polling     bool
	stopped     string
	pausedUntil time.Time
	backoff     time.Duration
	netProblem  string
	requests    int // requests sent by this page (for the measurements)

	// sel is the selected message (an index), -1 = none: the page
	// follows the newest. unseen counts arrivals while scrolled up.
	sel    int
	unseen int

	typing bool
	draft  []rune
	// dropDraft: esc was pressed once with a draft (the next one drops it)
	dropDraft bool
	replyTo   int64
	sending   bool

	ask      question
	askID    int64
	askLock  bool
	pending  map[int64]bool // deletions on their way
	locking  bool
	flash    string
	flashLvl level

	width, height int
	closed        bool
}

// New opens the page; Init reads the history.
func New(opts Options) Model {
	if opts.Ctx == nil {
		opts.Ctx = context.Background()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Loc == nil {
		opts.Loc = func() *time.Location { return time.Local }
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.Keys == nil {
		opts.Keys = common.DefaultKeyMap()
	}
	if opts.History <= 0 {
		opts.History = 100
	}
	if opts.After == nil {
		opts.After = func(d time.Duration, msg tea.Msg) tea.Cmd {
			return tea.Tick(d, func(time.Time) tea.Msg { return msg })
		}
	}
	ctx, cancel := context.WithCancel(opts.Ctx)
	return Model{opts: opts, ctx: ctx, cancel: cancel, gen: 1, st: opts.Styles, room: opts.Room,
		index: map[int64]int{}, sel: -1, pending: map[int64]bool{}, width: 80, height: 20}
}

// Token is the page's conversation.
func (m Model) Token() string { return m.room.Token }

// RoomName is the page's conversation's name (raw: sanitize it).
func (m Model) RoomName() string { return m.room.Label() }

// HasDraft reports text typed and not sent.
func (m Model) HasDraft() bool { return len(m.draft) > 0 }

// Closed reports that the user left the page (esc): the root drops it.
func (m Model) Closed() bool { return m.closed }

// Typing reports that the input has the keys (the root's q must not quit).
func (m Model) Typing() bool { return m.typing }

// Asking reports that a y-only question is open.
func (m Model) Asking() bool { return m.ask != noQuestion }

// Polling reports that a poll is on its way.
func (m Model) Polling() bool { return m.polling }

// Requests is how many requests the page has sent.
func (m Model) Requests() int { return m.requests }

// Pending says whether a post, deletion or lock waits for the server.
func (m Model) Pending() bool { return m.sending || len(m.pending) > 0 || m.locking }

// Close cancels the page's requests (the poll among them); their answers
// are dropped.
func (m *Model) Close() {
	m.cancel()
	m.gen++
	m.polling = false
	m.closed = true
}

// SetSize sets the page's size (the body of the console).
func (m *Model) SetSize(w, h int) { m.width, m.height = max(w, 20), max(h, 4) }

// SetRoom updates the room as the list read it (read-only, call).
func (m *Model) SetRoom(r models.Room) {
	if r.Token == m.room.Token {
		m.room = r
	}
}

func (m Model) wrap(inner any) tea.Msg { return Msg{gen: m.gen, inner: inner} }

// Init reads the history.
func (m *Model) Init() tea.Cmd {
	be, ctx, token, limit, gen := m.opts.Backend, m.ctx, m.room.Token, m.opts.History, m.gen
	timeout := m.opts.Timeout
	m.requests++
	return func() tea.Msg {
		c, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		page, err := be.ChatHistory(c, token, client.HistoryOptions{Limit: limit})
		return Msg{gen: gen, inner: historyMsg{page: page, err: err}}
	}
}

// poll starts the one poll (unless one is on its way, or it is stopped
// or paused).
func (m *Model) poll() tea.Cmd {
	if m.polling || m.stopped != "" || m.closed || m.last <= 0 {
		return nil
	}
	m.polling = true
	m.requests++
	be, ctx, token, after, gen := m.opts.Backend, m.ctx, m.room.Token, m.last, m.gen
	return func() tea.Msg {
		page, err := be.PollChat(ctx, token, client.PollOptions{After: after, Timeout: client.MaxPollTimeout})
		return Msg{gen: gen, inner: pollMsg{after: after, page: page, err: err}}
	}
}

// Update handles the page's messages (Msg) and keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case Msg:
		if msg.gen != m.gen {
			return m, nil // an answer for a page that was closed
		}
		return m.handle(msg.inner)
	case tea.KeyMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m Model) handle(inner any) (Model, tea.Cmd) {
	switch r := inner.(type) {
	case historyMsg:
		m.loaded = true
		if r.err != nil {
			m.loadErr = r.err
			m.stopFor(r.err)
			return m, nil
		}
		for i := len(r.page.Messages) - 1; i >= 0; i-- {
			m.add(r.page.Messages[i])
		}
		return m, m.poll()
	case pollMsg:
		m.polling = false
		if r.err != nil {
			return m.pollFailed(r.err)
		}
		m.backoff, m.netProblem = 0, ""
		for _, msg := range r.page.Messages {
			m.add(msg)
		}
		return m, m.poll()
	case resumeMsg:
		m.pausedUntil = time.Time{}
		return m, m.poll()
	case postMsg:
		m.sending = false
		if r.err != nil {
			// the draft comes back: nothing typed is lost
			if len(m.draft) == 0 {
				m.draft = []rune(r.text)
				m.replyTo = r.replyTo
			}
			m.setFlash("not sent: "+client.Message(r.err)+" (your text is kept)", levelErr)
			return m, nil
		}
		m.add(r.msg)
		m.setFlash("sent", levelOK)
		return m, nil
	case deleteMsg:
		delete(m.pending, r.id)
		if r.err != nil {
			m.setFlash("not deleted: "+client.Message(r.err), levelErr)
			return m, nil
		}
		m.add(r.sys)
		m.setFlash("message deleted (everyone sees it as deleted by you; this cannot be undone)", levelOK)
		return m, nil
	case lockMsg:
		m.locking = false
		if r.err != nil {
			m.setFlash("not changed: "+client.Message(r.err), levelErr)
			return m, nil
		}
		m.room.ReadOnly = r.room.ReadOnly
		if r.room.Token == "" {
			m.room.ReadOnly = boolInt(r.on)
		}
		text := words.ReadOnlyOutcome(r.on)
		if r.on {
			text += "; L unlocks it"
		}
		m.setFlash(text, levelOK)
		return m, nil
	}
	return m, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pollFailed: 429 pauses, a dead network or server backs off, anything
// else stops the poll with its words.
func (m Model) pollFailed(err error) (Model, tea.Cmd) {
	if errors.Is(err, context.Canceled) || m.ctx.Err() != nil {
		return m, nil
	}
	switch client.KindOf(err) {
	case client.KindThrottled:
		wait := 30 * time.Second
		var ae *client.APIError
		if errors.As(err, &ae) && ae.RetryAfter > 0 {
			wait = ae.RetryAfter
		}
		m.pausedUntil = m.opts.Now().Add(wait)
		m.netProblem = "the server is throttling (429): new messages paused until " + words.ChatTime(m.pausedUntil, m.opts.Now(), m.opts.Loc())
		return m, m.opts.After(wait, m.wrap(resumeMsg{}))
	case client.KindNetwork, client.KindUnavailable:
		m.backoff = min(max(2*m.backoff, time.Second), 30*time.Second)
		m.pausedUntil = m.opts.Now().Add(m.backoff)
		m.netProblem = client.Message(err) + ": trying again in " + words.Duration(m.backoff)
		return m, m.opts.After(m.backoff, m.wrap(resumeMsg{}))
	}
	m.stopFor(err)
	return m, nil
}

func (m *Model) stopFor(err error) {
	m.stopped = client.Message(err)
	m.netProblem = ""
}

// add puts a message in its place (or updates it); a message_deleted
// system message also updates the deleted one (its parent); read-only
// changes update the lock.
func (m *Model) add(msg models.ChatMessage) {
	if msg.ID <= 0 {
		return
	}
	if msg.SystemMessage == "message_deleted" && msg.Parent != nil {
		if i, ok := m.index[msg.Parent.ID]; ok {
			p := *msg.Parent
			m.msgs[i] = p
		}
	}
	switch msg.SystemMessage {
	case "read_only":
		m.room.ReadOnly = 1
	case "read_only_off":
		m.room.ReadOnly = 0
	}
	if i, ok := m.index[msg.ID]; ok {
		m.msgs[i] = msg
		return
	}
	if msg.ID > m.last {
		m.last = msg.ID
	}
	if n := len(m.msgs); n == 0 || m.msgs[n-1].ID < msg.ID {
		m.msgs = append(m.msgs, msg)
		m.index[msg.ID] = len(m.msgs) - 1
		if m.sel >= 0 {
			m.unseen++
		}
		return
	}
	// an older one (rare): insert in order and re-index
	i := 0
	for i < len(m.msgs) && m.msgs[i].ID < msg.ID {
		i++
	}
	m.msgs = append(m.msgs[:i], append([]models.ChatMessage{msg}, m.msgs[i:]...)...)
	for j := i; j < len(m.msgs); j++ {
		m.index[m.msgs[j].ID] = j
	}
	if m.sel >= i {
		m.sel++
	}
}

func (m *Model) setFlash(text string, l level) { m.flash, m.flashLvl = text, l }

// key handles a key press.
func (m Model) key(msg tea.KeyMsg) (Model, tea.Cmd) {
	if m.ask != noQuestion {
		return m.answer(msg)
	}
	if m.typing {
		return m.typeKey(msg)
	}
	if m.flashLvl == levelWarn || m.flashLvl == levelErr {
		m.flash = ""
	}
	k := m.opts.Keys
	if !key.Matches(msg, k.ChatBack) {
		m.dropDraft = false
	}
	switch {
	case key.Matches(msg, k.ChatBack):
		if len(m.draft) > 0 && !m.dropDraft {
			// a draft is never lost unseen: the second esc drops it
			m.dropDraft = true
			m.setFlash("your draft is not sent: "+msg.String()+" again closes the chat and drops it, i goes on writing", levelWarn)
			return m, nil
		}
		m.Close()
		return m, nil
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.PageUp):
		m.move(-max(m.listHeight()/2, 1))
	case key.Matches(msg, k.PageDown):
		m.move(max(m.listHeight()/2, 1))
	case key.Matches(msg, k.Top):
		if len(m.msgs) > 0 {
			m.sel = 0
		}
	case key.Matches(msg, k.Bottom):
		m.sel, m.unseen = -1, 0
	case key.Matches(msg, k.Write):
		if why := m.writeBlocked(); why != "" {
			m.setFlash(why, levelWarn)
			return m, nil
		}
		m.typing = true
	case key.Matches(msg, k.Reply):
		sel, ok := m.selected()
		switch {
		case !ok:
			m.setFlash("select a message with ↑ first, then R answers it", levelWarn)
		case !sel.IsReplyable || sel.IsSystem() || sel.IsDeleted():
			m.setFlash("this message cannot be answered (a system message, or deleted)", levelWarn)
		case m.writeBlocked() != "":
			m.setFlash(m.writeBlocked(), levelWarn)
		default:
			m.replyTo = sel.ID
			m.typing = true
		}
	case key.Matches(msg, k.DeleteMsg):
		sel, ok := m.selected()
		switch {
		case m.opts.ReadOnlySession:
			m.setFlash(readOnlyNote, levelWarn)
		case !ok:
			m.setFlash("select a message with ↑ first, then x deletes it", levelWarn)
		case !sel.CanBeDeleted():
			m.setFlash("this message cannot be deleted: it is a system message or already deleted", levelWarn)
		case m.pending[sel.ID]:
			m.setFlash("this message's deletion is on its way", levelInfo)
		default:
			m.ask, m.askID = askDelete, sel.ID
		}
	case key.Matches(msg, k.Lock):
		switch {
		case m.opts.ReadOnlySession:
			m.setFlash(readOnlyNote, levelWarn)
		case !m.room.IsModerator():
			m.setFlash("only moderators can lock or unlock the chat", levelWarn)
		case m.locking:
			m.setFlash("the lock is being changed", levelInfo)
		case m.room.ReadOnly == 1:
			// unlocking loses nothing: no question
			return m, m.setLock(false)
		default:
			m.ask, m.askLock = askLock, true
		}
	}
	return m, nil
}

const readOnlyNote = "read-only session: you may read the chat, not write, delete or lock"

// writeBlocked says why nothing can be written now ("" when it can).
func (m Model) writeBlocked() string {
	switch {
	case m.opts.ReadOnlySession:
		return readOnlyNote
	case m.room.ReadOnly == 1:
		return "the chat is locked (read-only): nobody can write, moderators included; L unlocks it"
	case m.stopped != "" && !m.loaded:
		return m.stopped
	}
	return ""
}

func (m *Model) move(d int) {
	n := len(m.msgs)
	if n == 0 {
		return
	}
	cur := m.sel
	if cur < 0 {
		cur = n
	}
	cur += d
	switch {
	case cur < 0:
		cur = 0
	case cur >= n:
		m.sel, m.unseen = -1, 0 // past the newest: follow again
		return
	}
	m.sel = cur
}

func (m Model) selected() (models.ChatMessage, bool) {
	if m.sel < 0 || m.sel >= len(m.msgs) {
		return models.ChatMessage{}, false
	}
	return m.msgs[m.sel], true
}

// answer takes y (yes) or any other key (no) for the open question.
func (m Model) answer(msg tea.KeyMsg) (Model, tea.Cmd) {
	ask, id := m.ask, m.askID
	m.ask = noQuestion
	if !key.Matches(msg, m.opts.Keys.Yes) {
		m.setFlash("nothing was sent", levelInfo)
		return m, nil
	}
	switch ask {
	case askDelete:
		i, ok := m.index[id]
		if !ok || !m.msgs[i].CanBeDeleted() {
			m.setFlash("the message changed meanwhile: nothing was sent", levelWarn)
			return m, nil
		}
		m.pending[id] = true
		m.requests++
		be, ctx, token, gen, timeout := m.opts.Backend, m.ctx, m.room.Token, m.gen, m.opts.Timeout
		return m, func() tea.Msg {
			c, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			sys, err := be.DeleteMessage(c, token, id)
			return Msg{gen: gen, inner: deleteMsg{id: id, sys: sys, err: err}}
		}
	case askLock:
		return m, m.setLock(true)
	}
	return m, nil
}

func (m *Model) setLock(on bool) tea.Cmd {
	m.locking = true
	m.requests++
	be, ctx, token, gen, timeout := m.opts.Backend, m.ctx, m.room.Token, m.gen, m.opts.Timeout
	return func() tea.Msg {
		c, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		room, err := be.SetReadOnly(c, token, on)
		return Msg{gen: gen, inner: lockMsg{on: on, room: room, err: err}}
	}
}

// typeKey edits the draft: enter sends, esc leaves (the draft stays).
func (m Model) typeKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEsc:
		m.typing = false
		return m, nil
	case tea.KeyEnter:
		return m.send()
	case tea.KeyBackspace:
		if len(m.draft) > 0 {
			m.draft = m.draft[:len(m.draft)-1]
		} else if m.replyTo != 0 {
			m.replyTo = 0 // backspace on an empty draft drops the reply
		}
	case tea.KeySpace:
		m.draft = append(m.draft, ' ')
	case tea.KeyRunes:
		m.draft = append(m.draft, msg.Runes...)
	case tea.KeyCtrlU:
		m.draft = m.draft[:0]
	}
	return m, nil
}

func (m Model) send() (Model, tea.Cmd) {
	text := string(m.draft)
	switch {
	case strings.TrimSpace(text) == "":
		m.setFlash("the message is empty: write something first", levelWarn)
		return m, nil
	case m.sending:
		m.setFlash("the last message is still on its way", levelInfo)
		return m, nil
	case m.writeBlocked() != "":
		m.setFlash(m.writeBlocked()+" (your text is kept)", levelWarn)
		return m, nil
	}
	replyTo := m.replyTo
	m.draft, m.replyTo, m.typing, m.sending = nil, 0, false, true
	m.sel, m.unseen = -1, 0
	m.requests++
	be, ctx, token, gen, timeout := m.opts.Backend, m.ctx, m.room.Token, m.gen, m.opts.Timeout
	return m, func() tea.Msg {
		c, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		msg, err := be.PostMessage(c, token, client.PostOptions{Message: text, ReplyTo: replyTo})
		return Msg{gen: gen, inner: postMsg{text: text, replyTo: replyTo, msg: msg, err: err}}
	}
}

// ---- view ----

// Styles are the page's styles, all taken from the console's.
type Styles struct {
	Dim, Bold, Sel, Warn, Err, OK, Mention, Title lipgloss.Style
}

// listHeight is the height of the messages: the page less its title,
// status and input lines.
func (m Model) listHeight() int { return max(m.height-3, 1) }

// render is one message's lines at width w (unstyled text, sanitized).
func (m Model) render(msg models.ChatMessage, w int, now time.Time, loc *time.Location) (lines []string, kind int) {
	at := words.ChatTime(msg.Time(), now, loc)
	var head string
	switch {
	case msg.IsSystem():
		head, kind = at+" * "+sanitize.Block(words.ChatText(msg)), kindSystem
	case msg.IsDeleted():
		head, kind = at+" "+sanitize.Line(words.ChatAuthor(msg))+": ("+sanitize.Line(words.ChatText(msg))+")", kindSystem
	default:
		head = at + " " + sanitize.Line(words.ChatAuthor(msg)) + ": " + sanitize.Block(words.ChatText(msg))
		if m.opts.User != "" && words.ChatMentions(msg, m.opts.User) {
			kind = kindMention
		}
	}
	if msg.Parent != nil && !msg.IsSystem() && !msg.IsDeleted() {
		lines = append(lines, "      "+ansi.Truncate(sanitize.Line(words.ChatQuote(*msg.Parent)), max(w-6, 1), "…"))
	}
	for li, l := range strings.Split(head, "\n") {
		for i, wl := range strings.Split(ansi.Wrap(l, max(w-6, 10), ""), "\n") {
			if li > 0 || i > 0 {
				wl = "      " + wl
			}
			lines = append(lines, wl)
		}
	}
	return lines, kind
}

const (
	kindPlain = iota
	kindSystem
	kindMention
)

// View draws the page in its size.
func (m Model) View() string {
	w, h := m.width, m.height
	now := m.opts.Now()
	loc := m.opts.Loc()
	out := make([]string, 0, h)
	title := "Chat · " + sanitize.Line(m.room.Label()) + " · " + words.ReadOnly(m.room.ReadOnly == 1) + " · times " + words.ZoneShort(loc, now)
	out = append(out, m.st.Title.Render(ansi.Truncate(title, w, "…")))
	status := m.statusLines(w)
	lh := max(h-2-len(status), 1)
	body := m.listView(w, lh, now, loc)
	out = append(out, body...)
	out = append(out, status...)
	out = append(out, m.inputLine(w))
	return strings.Join(out, "\n")
}

// listView draws the messages that fit, the selected one (or the newest)
// at the bottom or in view. Only the messages on screen are rendered.
func (m Model) listView(w, lh int, now time.Time, loc *time.Location) []string {
	if !m.loaded {
		return pad([]string{m.st.Dim.Render("reading the chat…")}, lh)
	}
	if m.loadErr != nil && len(m.msgs) == 0 {
		return pad([]string{m.st.Err.Render(ansi.Truncate("the chat could not be read: "+sanitize.Line(client.Message(m.loadErr)), w, "…"))}, lh)
	}
	if len(m.msgs) == 0 {
		return pad([]string{m.st.Dim.Render("no messages yet")}, lh)
	}
	end := len(m.msgs) - 1
	if m.sel >= 0 {
		// the selection stays on screen, with up to a third of the
		// height of newer messages below it
		end = m.sel
		used, _ := m.render(m.msgs[m.sel], w-2, now, loc)
		n := len(used)
		for i := m.sel + 1; i < len(m.msgs); i++ {
			ls, _ := m.render(m.msgs[i], w-2, now, loc)
			if n+len(ls) > lh/3 {
				break
			}
			n += len(ls)
			end = i
		}
	}
	var lines []string
	for i := end; i >= 0 && len(lines) < lh; i-- {
		ls, kind := m.render(m.msgs[i], w-2, now, loc)
		styled := make([]string, len(ls))
		for j, l := range ls {
			mark := "  "
			if i == m.sel {
				mark = "▌ "
			}
			switch {
			case i == m.sel:
				styled[j] = m.st.Sel.Render(mark + l)
			case kind == kindSystem:
				styled[j] = m.st.Dim.Render(mark + l)
			case kind == kindMention:
				styled[j] = m.st.Mention.Render(mark + l)
			case m.pending[m.msgs[i].ID]:
				styled[j] = m.st.Dim.Render(mark + l + " (deleting…)")
			default:
				styled[j] = mark + l
			}
		}
		lines = append(styled, lines...)
	}
	if len(lines) > lh {
		lines = lines[len(lines)-lh:]
	}
	return pad(lines, lh)
}

func pad(lines []string, h int) []string {
	for len(lines) < h {
		lines = append([]string{""}, lines...)
	}
	return lines
}

// statusLines: the question (wrapped: it is read whole), else the
// outcome of the last action, else new messages below, else the poll's
// state.
func (m Model) statusLines(w int) []string {
	fit := func(s string) string { return ansi.Truncate(s, w, "…") }
	wrapped := func(st lipgloss.Style, s string) []string {
		ls := strings.Split(ansi.Wrap(s, w, ""), "\n")
		if len(ls) > 4 {
			ls = append(ls[:3], fit(strings.Join(ls[3:], " ")))
		}
		for i, l := range ls {
			ls[i] = st.Render(l)
		}
		return ls
	}
	switch m.ask {
	case askDelete:
		if i, ok := m.index[m.askID]; ok {
			return wrapped(m.st.Warn, sanitize.Line(words.DeleteQuestion(m.msgs[i]))+" y deletes · any other key keeps it")
		}
	case askLock:
		return wrapped(m.st.Warn, sanitize.Line(words.ReadOnlyQuestion(m.room.Label(), m.room.HasCall))+" y locks · any other key keeps it open")
	}
	if m.flash != "" {
		st := m.st.Dim
		switch m.flashLvl {
		case levelOK:
			st = m.st.OK
		case levelWarn:
			st = m.st.Warn
		case levelErr:
			st = m.st.Err
		}
		return wrapped(st, sanitize.Line(m.flash))
	}
	if m.unseen > 0 && m.sel >= 0 {
		return []string{m.st.Bold.Render(fit(words.NewBelow(m.unseen) + " (G or ↓ past the last goes there)"))}
	}
	switch {
	case m.stopped != "":
		return wrapped(m.st.Err, "not following the chat: "+sanitize.Line(m.stopped))
	case m.netProblem != "":
		return wrapped(m.st.Warn, sanitize.Line(m.netProblem))
	case m.polling:
		return []string{m.st.Dim.Render(fit("live: new messages appear as they arrive"))}
	}
	return []string{""}
}

func (m Model) inputLine(w int) string {
	prefix := "› "
	if m.replyTo != 0 {
		if i, ok := m.index[m.replyTo]; ok {
			prefix = "↳ " + sanitize.Line(words.FirstWords(words.ChatAuthor(m.msgs[i]), 16)) + " › "
		}
	}
	switch {
	case m.typing:
		text := sanitize.Line(string(m.draft))
		line := prefix + text + "█"
		if ansi.StringWidth(line) > w {
			// the end of the draft stays in view
			line = "…" + ansi.TruncateLeft(line, ansi.StringWidth(line)-w+1, "")
		}
		return line
	case len(m.draft) > 0:
		return m.st.Dim.Render(ansi.Truncate(prefix+sanitize.Line(string(m.draft))+"  (draft: i goes on writing)", w, "…"))
	case m.writeBlocked() != "":
		return m.st.Dim.Render(ansi.Truncate(m.writeBlocked(), w, "…"))
	}
	return m.st.Dim.Render(ansi.Truncate("i writes a message", w, "…"))
}

// HelpLine is the bottom line while the page is open.
func (m Model) HelpLine(w int) string {
	text := "↑/↓ select · i write · R reply · x delete · L lock · esc back · ? help"
	switch {
	case m.ask != noQuestion:
		text = "y yes · any other key no: nothing is sent"
	case m.typing:
		text = "enter send · esc leave the input (the draft stays) · backspace on empty: no reply · ctrl+c quit"
	case m.opts.ReadOnlySession:
		// a read-only session offers no change key (Page.Changes refuses them)
		text = "read-only session · ↑/↓ select · esc back · ? help"
	}
	return m.st.Dim.Render(ansi.Truncate(text, w, "…"))
}
