package chat

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// Page is the chat page of the console: *Page is a tui.Page, opened by
// c (common.KeyMap.Chat) on the selected room. It holds the open chat
// (nil: closed); the root gives it the Common and the room as the list
// has it with each call.
type Page struct {
	m *Model
	// gen numbers the chats opened here: an answer for an earlier one
	// (another room, perhaps) is dropped by it
	gen int
	// quitWarned: q was pressed once with a draft (the next q quits)
	quitWarned bool
}

// NewPage is the chat page, closed.
func NewPage() *Page { return &Page{} }

// noteMsg is a word for the status line from a command of the page.
type noteMsg struct{ note common.Note }

// Key opens the page.
func (p *Page) Key(k *common.KeyMap) key.Binding { return k.Chat }

// Refuse says why the page does not open on r: one-to-one chats are
// private, the changelog and the notes have nothing to moderate.
func (p *Page) Refuse(r models.Room) (short, long string) {
	switch r.Type {
	case models.ConversationOneToOne, models.ConversationChangelog, models.ConversationNoteToSelf:
		short = "a " + words.Type(r.Type) + " conversation has no chat to moderate"
		return short, "the chat page is for group and public conversations, not a " + words.Type(r.Type) + " one"
	}
	return "", ""
}

// Open opens the chat of env.Room: it reads the history, then polls.
func (p *Page) Open(c common.Common, env common.Env) tea.Cmd {
	p.Close()
	be, ok := env.Backend.(Backend)
	if !ok {
		return func() tea.Msg {
			return noteMsg{common.Note{Text: "this connection cannot read the chat", Level: common.LevelWarn}}
		}
	}
	st := c.Styles
	m := New(Options{
		Backend: be, Ctx: c.Ctx, Room: env.Room, User: env.User, Now: c.Now, Loc: c.Loc,
		ReadOnlySession: c.ReadOnly, Timeout: c.Timeout, After: c.After, Keys: c.Keys,
		Styles: Styles{Dim: st.Dim, Bold: st.Title, Sel: st.RowSelected, Warn: st.Warn, Err: st.Err, OK: st.OK,
			Mention: st.Header, Title: st.Title},
	})
	p.gen += 2 // Close moves a chat's gen one on
	m.gen = p.gen
	m.SetSize(c.Width, c.Height-3)
	p.m = &m
	return p.m.Init()
}

// Close cancels the page's requests (its poll among them) and closes it.
func (p *Page) Close() {
	if p.m != nil {
		p.m.Close()
		p.m = nil
	}
	p.quitWarned = false
}

// IsOpen says whether the page is on screen.
func (p *Page) IsOpen() bool { return p.m != nil }

// Token is the page's room ("" when closed).
func (p *Page) Token() string {
	if p.m == nil {
		return ""
	}
	return p.m.Token()
}

// Chat is the open chat (nil: closed).
func (p *Page) Chat() *Model { return p.m }

// fresh gives the open chat what the console knows now: its size, the
// display zone, its room as the list read it (lock, call).
func (p *Page) fresh(c common.Common, env common.Env, height int) {
	p.m.SetSize(c.Width, height)
	p.m.opts.Loc = c.Loc
	if env.InList {
		p.m.SetRoom(env.Room)
	}
}

// Update takes the page's answers (dropped when it is closed) and, while
// it is on screen, its keys. The chat says its outcomes on its own
// status line: the Note is only for what the root shows.
func (p *Page) Update(c common.Common, env common.Env, msg tea.Msg) (tea.Cmd, common.Note, bool) {
	switch msg := msg.(type) {
	case noteMsg:
		return nil, msg.note, true
	case Msg:
		if p.m == nil {
			return nil, common.Note{}, true // an answer for a page that was closed
		}
		p.fresh(c, env, c.Height-3)
		m, cmd := p.m.Update(msg)
		p.m = &m
		return cmd, common.Note{}, true
	case tea.KeyMsg:
		if p.m == nil {
			return nil, common.Note{}, true
		}
		p.quitWarned = false
		p.fresh(c, env, c.Height-3) // the window may have changed
		m, cmd := p.m.Update(msg)
		p.m = &m
		if m.Closed() {
			p.m = nil
		}
		return cmd, common.Note{}, true
	}
	return nil, common.Note{}, false
}

// RoomRead is told after each read of the list while the page is open:
// when its room left the list the page closes (its poll is cancelled)
// and says so.
func (p *Page) RoomRead(c common.Common, env common.Env) common.Note {
	if p.m == nil || env.InList {
		return common.Note{}
	}
	name := sanitize.Line(p.m.RoomName())
	p.Close()
	return common.Note{Text: "the chat of " + name + " was closed: the conversation is no longer in your list", Level: common.LevelWarn}
}

// HoldQuit stops the first q while a draft is not sent (a draft is never
// lost unseen): the words say so, the next q quits.
func (p *Page) HoldQuit() string {
	if p.m == nil || !p.m.HasDraft() || p.quitWarned {
		return ""
	}
	p.quitWarned = true
	return "your chat draft is not sent: q again quits and drops it"
}

// View renders the page in height lines.
func (p *Page) View(c common.Common, env common.Env, now time.Time, height int) string {
	if p.m == nil {
		return ""
	}
	m := *p.m
	m.SetSize(c.Width, height)
	m.opts.Loc = c.Loc
	if env.InList {
		m.SetRoom(env.Room)
	}
	return m.View()
}

// HelpLine is the key line below the page.
func (p *Page) HelpLine(c common.Common) string {
	if p.m == nil {
		return ""
	}
	return p.m.HelpLine(c.Width)
}

// Confirming is true while the input has the keys or a question waits for its
// y: every key is the page's then (q and ? too).
func (p *Page) Confirming() bool {
	return p.m != nil && (p.m.Typing() || p.m.Asking())
}

// Pending is the number of the page's changes on their way: a message
// being sent, deletions, the lock.
func (p *Page) Pending() int {
	if p.m == nil {
		return 0
	}
	n := len(p.m.pending)
	if p.m.sending {
		n++
	}
	if p.m.locking {
		n++
	}
	return n
}

// SyncKeys switches the page's own keys on while it is on screen.
func (p *Page) SyncKeys(k *common.KeyMap, on bool) {
	for _, b := range []*key.Binding{&k.ChatBack, &k.Write, &k.Reply, &k.DeleteMsg, &k.Lock} {
		b.SetEnabled(on)
	}
}

// Changes says whether msg would write, delete or lock (a read-only
// session refuses it): in the input only enter sends, on a question
// only y acts.
func (p *Page) Changes(k *common.KeyMap, msg tea.KeyMsg) bool {
	switch {
	case p.m != nil && p.m.Typing():
		return msg.Type == tea.KeyEnter
	case p.m != nil && p.m.Asking():
		return key.Matches(msg, k.Yes)
	}
	return key.Matches(msg, k.Write, k.Reply, k.DeleteMsg, k.Lock)
}

// HelpText explains the page in the full help.
func (p *Page) HelpText() string { return HelpText }
