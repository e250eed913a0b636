package tui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/keyhelp"
	"github.com/talkmod/talkmod/tui/roomlist"
)

// Page is a full-screen view over the room list, opened by its key on
// the selected room (the people view, tui/people). It owns its state,
// keys, Update and View; the root opens it, routes to it and lays it
// out. A new page is a type with these methods, in a package of its own
// under tui/, and one line in newModel that adds it to Model.pages.
//
// Pages are held by pointer: like the per-room states, a page is shared
// by the copies of a Model.
type Page interface {
	// Key opens the page on the selected room.
	Key(k *common.KeyMap) key.Binding
	// Refuse says why the page does not open on r: short for the full
	// help, long for the status line ("", "": it opens).
	Refuse(r models.Room) (short, long string)
	// Open opens the page on env.Room.
	Open(c common.Common, env common.Env) tea.Cmd
	// IsOpen says whether the page is on screen; Token is its room.
	IsOpen() bool
	Token() string
	// Update takes the page's own messages (open or not) and, while it
	// is on screen, the keys; ok is false for a message not its own.
	// The Note is for the status line.
	Update(c common.Common, env common.Env, msg tea.Msg) (cmd tea.Cmd, note common.Note, ok bool)
	// View renders the page in height lines; HelpLine is the key line
	// below it.
	View(c common.Common, env common.Env, now time.Time, height int) string
	HelpLine(c common.Common) string
	// Confirming says whether a question waits for its y: every key is
	// the page's then (q and ? too).
	Confirming() bool
	// Pending is the number of its changes on their way (q asks first).
	Pending() int
	// SyncKeys switches the page's own keys on while it is on screen.
	SyncKeys(k *common.KeyMap, on bool)
	// Changes says whether msg would change something (a read-only
	// session refuses it).
	Changes(k *common.KeyMap, msg tea.KeyMsg) bool
	// HelpText explains the page in the full help.
	HelpText() string
}

// A page may also have these methods (the root finds them with a type
// assertion; the chat page, tui/chat, has both):
//
// roomWatcher: told after each read of the list while the page is open
// (env.InList false: its room left the list); the Note, if any, stays on
// the status line.
type roomWatcher interface {
	RoomRead(c common.Common, env common.Env) common.Note
}

// quitHolder: something the page holds unsent (a draft) that q would
// drop: HoldQuit gives the words that stop this q ("": it quits); the
// next q quits.
type quitHolder interface {
	HoldQuit() string
}

// onScreen is the page on screen (nil: the list).
func (m Model) onScreen() Page {
	for _, p := range m.pages {
		if p.IsOpen() {
			return p
		}
	}
	return nil
}

// env is what p is told with each call: its room as the list has it now,
// and its room's own account's backend and what the console read of
// that server (a page names its room by token; the root knows the
// account: opened).
func (m Model) env(p Page) common.Env {
	id := m.opened[p]
	if roomlist.TokenOf(id) != p.Token() {
		id = p.Token()
	}
	return pageEnv(m, id, p.Token())
}

// pageEnv is the Env of a page on the room id (token: the page's name
// for it).
func pageEnv(m Model, id, token string) common.Env {
	a := m.accts.Of(id)
	env := common.Env{Backend: a.Backend, ID: id, User: m.user, Spin: common.SpinFrame(m.ticks.frame),
		Caps: a.Caps, ListReadAt: a.Sync.LastRefresh}
	env.DialIn, env.DialInErr = a.DialIn.Read()
	switch {
	case a.Sync.Unauthorized:
		env.Hold = "logged out (401)"
	case m.c.Now().Before(a.Sync.PausedUntil):
		env.Hold = "throttled (429)"
	}
	env.Room = models.Room{Token: token}
	if e := m.table.Find(id); e != nil {
		env.Room, env.InList = e.Room, true
	}
	return env
}

// openPage opens p on the selected room.
func (m Model) openPage(p Page) (Model, tea.Cmd) {
	e := m.table.Selected()
	if e == nil {
		return m, m.flash.set(m.c, m.noRoomReason(), common.LevelWarn)
	}
	if _, long := p.Refuse(e.Room); long != "" {
		return m, m.flash.set(m.c, long, common.LevelWarn)
	}
	m.opened[p] = e.ID
	env := pageEnv(m, e.ID, e.Room.Token)
	return m, p.Open(m.c, env)
}

// pageKey gives the page on screen a key: q and ? are the root's, unless
// a question of the page waits for its y.
func (m Model) pageKey(p Page, msg tea.KeyMsg) (Model, tea.Cmd) {
	if !p.Confirming() {
		if m.flash.level == common.LevelWarn || m.flash.level == common.LevelErr {
			m.flash.clear()
		}
		switch k := m.c.Keys; {
		case key.Matches(msg, k.Quit):
			if h, ok := p.(quitHolder); ok {
				if why := h.HoldQuit(); why != "" {
					return m, m.flash.set(m.c, why, common.LevelWarn)
				}
			}
			return m.quit(msg)
		case key.Matches(msg, k.Help):
			m.help = keyhelp.Screen{Show: true} // any key closes it, back to the page
			return m, nil
		}
	}
	cmd, note, _ := p.Update(m.c, m.env(p), msg)
	if note.Text != "" {
		cmd = tea.Batch(cmd, m.flash.set(m.c, note.Text, note.Level))
	}
	return m, cmd
}

// pageMsg offers msg to the floor (floor.go) and to each page; ok is
// false when none takes it.
func (m Model) pageMsg(msg tea.Msg) (Model, tea.Cmd, bool) {
	if m, cmd, ok := m.floorMsg(msg); ok {
		return m, cmd, true
	}
	for _, p := range m.pages {
		if cmd, note, ok := p.Update(m.c, m.env(p), msg); ok {
			if note.Text != "" {
				cmd = tea.Batch(cmd, m.flash.set(m.c, note.Text, note.Level))
			}
			if m.quitting && m.pendingCount() == 0 {
				// the last answer the user waited for: quit by itself
				return m, tea.Batch(cmd, tea.Quit), true
			}
			return m, cmd, true
		}
	}
	return m, nil, false
}
