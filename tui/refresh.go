package tui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/accounts"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/roomlist"
)

// manualRefresh is r: every account that can be asked is asked again
// (with one account, a reason it cannot be is said).
func (m Model) manualRefresh() (Model, tea.Cmd) {
	var cmds []tea.Cmd
	var reason string
	inflight := false
	for _, a := range m.accts {
		if why := a.RefreshBlocked(m.c); why != "" {
			if reason == "" {
				reason = why
				if m.accts.Multi() {
					reason = a.Who() + ": " + why
				}
			}
			continue
		}
		if a.Sync.ListInflight {
			inflight = true
			continue
		}
		a.DialIn.Retry() // the user asked: failed numbers are tried once more
		cmds = append(cmds, a.StartList(m.c, true))
	}
	if len(cmds) == 0 && !inflight {
		return m, m.flash.set(m.c, reason, common.LevelWarn)
	}
	if len(cmds) == 0 {
		// one refresh at a time: its answer is on its way
		m.flash.sticky("refreshing… (already asked: waiting for the server's answer)", common.LevelInfo)
	} else {
		m.flash.sticky("refreshing…", common.LevelInfo)
	}
	for _, a := range m.accts {
		a.Sync.RefreshFlash = m.flash.id
	}
	if len(cmds) == 0 {
		return m, nil
	}
	return m, tea.Batch(append(cmds, m.checkExpiry(false))...)
}

func (m Model) handlePoll(msg accounts.PollMsg) (Model, tea.Cmd) {
	a := m.accts[msg.Acct]
	cmd, asked := a.Poll(m.c, msg)
	if !asked {
		return m, cmd
	}
	// rooms still showing a passed timer are read again, once per poll
	for id, st := range m.rooms {
		if m.accts.Of(id) == a {
			st.reread = 0
		}
	}
	return m, tea.Batch(cmd, m.checkExpiry(false))
}

func (m Model) handleList(msg accounts.ListMsg) (Model, tea.Cmd) {
	a := m.accts[msg.Acct]
	if msg.Seq != a.Sync.ListSeq {
		return m, nil // out of date: a newer request was sent
	}
	a.Sync.ListInflight = false
	if a.Sync.RefreshFlash != 0 && m.flash.id == a.Sync.RefreshFlash && !m.accts.Loading() {
		// "refreshing…" ends with the (last) answer
		m.flash.clear()
	}
	a.Sync.RefreshFlash = 0
	now := m.c.Now()
	if msg.Err != nil {
		return m, a.ListFailed(m.c, msg.Err, now)
	}
	a.ListRead(msg, now)
	// rooms confirmed by an action after this request was sent keep the
	// newer state
	skip := func(id string) bool {
		st := m.rooms[id]
		return st != nil && st.confirmedSeq >= msg.Seq
	}
	if msg.Full {
		rooms := msg.List.Rooms
		// keep what an action confirmed after this list was asked for
		if len(m.rooms) > 0 {
			rooms = append([]models.Room(nil), rooms...)
			for i, r := range rooms {
				if id := roomlist.IDOf(a.Name, r.Token); skip(id) {
					if e := m.table.Find(id); e != nil {
						rooms[i] = e.Room
					}
				}
			}
		}
		lost := m.table.SetAccount(a.Account, rooms)
		present := make(map[string]bool, len(rooms))
		for _, r := range rooms {
			present[roomlist.IDOf(a.Name, r.Token)] = true
		}
		m = m.noteLost(lost) // before the prune: it reads the room's state
		m.rooms.prune(present, func(id string) bool { return m.accts.Of(id) == a })
	} else {
		m = m.noteLost(m.table.MergeAccount(a.Account, msg.List.Rooms, skip))
	}
	for _, p := range m.pages {
		if w, ok := p.(roomWatcher); ok && p.IsOpen() {
			if note := w.RoomRead(m.c, m.env(p)); note.Text != "" {
				m.flash.sticky(note.Text, note.Level)
			}
		}
	}
	return m, a.ListMerged(m.c, msg)
}

func (m Model) handleCaps(msg accounts.CapsMsg) (Model, tea.Cmd) {
	a := m.accts[msg.Acct]
	err := a.CapsRead(msg, m.c.Now())
	if err == nil {
		return m, nil
	}
	whose := "the server's"
	if m.accts.Multi() {
		whose = a.Who() + "'s"
	}
	return m, m.flash.set(m.c, "could not read "+whose+" capabilities: "+client.Message(err), common.LevelWarn)
}

// checkExpiry re-reads rooms whose lobby timer has passed (the server
// lifts the lobby lazily, on read). onScreen limits it to the rows shown.
func (m Model) checkExpiry(onScreen bool) tea.Cmd {
	now := m.c.Now()
	rows := m.table.All
	if onScreen {
		rows = m.table.OnScreen()
		if sel := m.table.Selected(); sel != nil {
			rows = append(append([]*roomlist.Entry(nil), rows...), sel)
		}
	}
	var cmds []tea.Cmd
	for _, e := range rows {
		r := e.Room
		if r.LobbyState != models.LobbyModeratorsOnly || r.LobbyTimer <= 0 || r.LobbyTimer > now.Unix() {
			continue
		}
		if m.accts.At(e).Held(now) {
			continue // throttled (429): no reads until the pause ends
		}
		if st := m.rooms[e.ID]; st != nil && (st.reread == r.LobbyTimer || st.gone || st.pending != 0) {
			continue
		}
		m.rooms.get(e.ID).reread = r.LobbyTimer
		cmds = append(cmds, m.rooms.reread(m.c, m.accts.At(e).Backend, e.ID, rereadExpiry))
	}
	return tea.Batch(cmds...)
}

// reread reads one room again; the answer carries the room's version.
// id is the room's identity; the backend is asked for its token.
func (rs roomStates) reread(c common.Common, be Backend, id string, why rereadWhy) tea.Cmd {
	v := rs.state(id).ver
	return c.Request(func(ctx context.Context) tea.Msg {
		room, err := be.GetRoom(ctx, roomlist.TokenOf(id))
		return rereadMsg{token: id, ver: v, why: why, room: room, err: err}
	})
}
