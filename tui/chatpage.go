package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/chat"
)

// The chat page (tui/chat) in the console: opened with c on the selected
// room, closed with esc, when the room leaves the list, or on quit. The
// root only routes: keys and chat.Msg go to the page, the page draws the
// body and the help line.

// openChat opens the chat of the selected room.
func (m Model) openChat() (Model, tea.Cmd) {
	e := m.table.selected()
	if e == nil {
		return m, m.setFlash(m.noRoomReason(), levelWarn)
	}
	be, ok := m.backend.(chat.Backend)
	if !ok {
		return m, m.setFlash("this connection cannot read the chat", levelWarn)
	}
	r := e.room
	if r.Type == models.ConversationOneToOne || r.Type == models.ConversationChangelog || r.Type == models.ConversationNoteToSelf {
		// one-to-one chats are private; the changelog has nothing to moderate
		return m, m.setFlash("the chat page is for group and public conversations, not a "+r.Type.String()+" one", levelWarn)
	}
	st := m.c.Styles
	c := chat.New(chat.Options{
		Backend: be, Ctx: m.ctx, Room: r, User: m.user, Now: m.c.Now, Loc: m.c.Loc,
		ReadOnlySession: m.c.ReadOnly, Timeout: m.timeout, After: m.after,
		Styles: chat.Styles{Dim: st.Dim, Bold: st.Title, Sel: st.RowSelected, Warn: st.Warn, Err: st.Err, OK: st.OK,
			Mention: st.Header, Title: st.Title},
	})
	c.SetSize(m.c.Width, m.c.Height-3)
	cmd := c.Init()
	m.chat = &c
	m.detailFull = false
	return m, cmd
}

// updateChat forwards a page message.
func (m Model) updateChat(msg chat.Msg) (Model, tea.Cmd) {
	if m.chat == nil {
		return m, nil
	}
	c, cmd := m.chat.Update(msg)
	m.chat = &c
	return m, cmd
}

// chatKey forwards a key: q quits unless the input has the keys, ? opens
// the help (any key closes it, back to the page).
func (m Model) chatKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	if !m.chat.Typing() && !m.chat.Asking() {
		switch {
		case msg.String() == "q" && m.chat.HasDraft() && !m.chatQuitAsked:
			// a draft is never lost unseen
			m.chatQuitAsked = true
			return m, m.setFlash("your chat draft is not sent: q again quits and drops it", levelWarn)
		case msg.String() == "q":
			m.closeChat()
			return m.quit(msg)
		case msg.String() == "?":
			m.showHelp, m.helpOffset = true, 0
			return m, nil
		}
	}
	m.chatQuitAsked = false
	m.chat.SetSize(m.c.Width, m.c.Height-3) // the window may have changed
	c, cmd := m.chat.Update(msg)
	m.chat = &c
	if c.Closed() {
		m.chat = nil
	}
	return m, cmd
}

// closeChat cancels the page's requests and drops it.
func (m *Model) closeChat() {
	if m.chat != nil {
		m.chat.Close()
		m.chat = nil
	}
}

// chatRoomCheck closes the page when its room left the list, and keeps
// its room (lock, call) as the list read it.
func (m *Model) chatRoomCheck() {
	if m.chat == nil {
		return
	}
	e := m.table.find(m.chat.Token())
	if e == nil {
		name := sanitizeLine(m.chat.RoomName())
		m.closeChat()
		m.setFlashSticky("the chat of "+name+" was closed: the conversation is no longer in your list", levelWarn)
		return
	}
	m.chat.SetRoom(e.room)
}

// chatView is the page in the body.
func (m Model) chatView(height int) []string {
	c := *m.chat
	c.SetSize(m.c.Width, height)
	return strings.Split(c.View(), "\n")
}
