package tui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/roomlist"
)

// Backoff after failed refreshes (network down, 5xx) and the pause after
// a 429.
const (
	backoffMin    = 5 * time.Second
	backoffMax    = 5 * time.Minute
	throttlePause = common.ThrottlePause
)

// Commands build from values only (never from a captured *Model).

func (a *account) capsCmd(c common.Common) tea.Cmd {
	be := a.backend
	if be == nil {
		return nil
	}
	seq, acct := a.sync.capsSeq, a.Index
	return c.Request(func(ctx context.Context) tea.Msg {
		caps, err := be.Capabilities(ctx)
		return capsMsg{acct: acct, seq: seq, caps: caps, err: err}
	})
}

func (a *account) listCmd(c common.Common, full bool) tea.Cmd {
	be, s, acct := a.backend, &a.sync, a.Index
	if be == nil {
		return nil
	}
	seq, since := s.listSeq, s.modifiedSince
	if full {
		since = 0
	}
	return c.Request(func(ctx context.Context) tea.Msg {
		list, err := be.ListRooms(ctx, client.ListOptions{ModifiedSince: since})
		if err == nil && list == nil {
			list = &client.RoomList{}
		}
		return listMsg{acct: acct, seq: seq, full: full, list: list, err: err}
	})
}

// startList sends a list request; any older one in flight is out of date
// from now on, and so is the poll timer.
func (a *account) startList(c common.Common, full bool) tea.Cmd {
	a.sync.listSeq++
	a.sync.pollGen++
	a.sync.listInflight = true
	return a.listCmd(c, full)
}

// schedulePoll arms the poll timer; the one armed before is out of date.
func (a *account) schedulePoll(c common.Common, d time.Duration) tea.Cmd {
	a.sync.pollGen++
	return c.After(d, pollMsg{acct: a.Index, gen: a.sync.pollGen})
}

// manualRefresh is r: every account that can be asked is asked again
// (with one account, a reason it cannot be is said).
func (m Model) manualRefresh() (Model, tea.Cmd) {
	var cmds []tea.Cmd
	var reason string
	inflight := false
	for _, a := range m.accts {
		if why := a.sync.blocked(m.c, a.backend); why != "" {
			if reason == "" {
				reason = why
				if m.accts.multi() {
					reason = a.who() + ": " + why
				}
			}
			continue
		}
		if a.sync.listInflight {
			inflight = true
			continue
		}
		if a.dialIn.state == dialInFailed {
			// the user asked: the numbers are tried once more
			a.dialIn.state = dialInUnread
		}
		cmds = append(cmds, a.startList(m.c, true))
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
		a.sync.refreshFlash = m.flash.id
	}
	if len(cmds) == 0 {
		return m, nil
	}
	return m, tea.Batch(append(cmds, m.checkExpiry(false))...)
}

// refreshBlocked says why r does nothing now, or "".
func (s *syncState) blocked(c common.Common, be Backend) string {
	switch {
	case be == nil:
		return "no server to refresh from"
	case s.unauthorized:
		return "not refreshing: the server refused the login (401); run talkmod login, then start talkmod again"
	case c.Now().Before(s.pausedUntil):
		return "not refreshing: the server is throttling this address (429); polling resumes at " + c.Clock(s.pausedUntil)
	}
	return ""
}

func (m Model) handlePoll(msg pollMsg) (Model, tea.Cmd) {
	a := m.accts[msg.acct]
	if msg.gen != a.sync.pollGen || a.sync.unauthorized {
		return m, nil
	}
	now := m.c.Now()
	if now.Before(a.sync.pausedUntil) {
		return m, a.schedulePoll(m.c, a.sync.pausedUntil.Sub(now))
	}
	if a.sync.listInflight {
		return m, nil // its answer schedules the next poll
	}
	full := a.sync.needFull || a.sync.modifiedSince == 0 || now.Sub(a.sync.lastFull) >= a.sync.fullEvery
	// rooms still showing a passed timer are read again, once per poll
	for id, st := range m.rooms {
		if m.accts.of(id) == a {
			st.reread = 0
		}
	}
	return m, tea.Batch(a.startList(m.c, full), m.checkExpiry(false))
}

func (m Model) handleList(msg listMsg) (Model, tea.Cmd) {
	a := m.accts[msg.acct]
	if msg.seq != a.sync.listSeq {
		return m, nil // out of date: a newer request was sent
	}
	a.sync.listInflight = false
	if a.sync.refreshFlash != 0 && m.flash.id == a.sync.refreshFlash && !m.accts.loading() {
		// "refreshing…" ends with the (last) answer
		m.flash.clear()
	}
	a.sync.refreshFlash = 0
	now := m.c.Now()
	if msg.err != nil {
		if a.downSince.IsZero() && downKind(msg.err) {
			a.downSince = now
		}
		return m, a.listFailed(m.c, msg.err, now)
	}
	a.downSince = time.Time{}
	a.sync.listErr, a.sync.listErrNote, a.sync.backoff = nil, "", 0
	a.sync.loaded = true
	a.sync.lastRefresh = now
	if msg.list.ModifiedBefore > 0 {
		a.sync.modifiedSince = msg.list.ModifiedBefore
	}
	// rooms confirmed by an action after this request was sent keep the
	// newer state
	skip := func(id string) bool {
		st := m.rooms[id]
		return st != nil && st.confirmedSeq >= msg.seq
	}
	if msg.full {
		a.sync.lastFull = now
		a.sync.needFull = false
		rooms := msg.list.Rooms
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
		m.rooms.prune(present, func(id string) bool { return m.accts.of(id) == a })
	} else {
		m = m.noteLost(m.table.MergeAccount(a.Account, msg.list.Rooms, skip))
	}
	for _, p := range m.pages {
		if w, ok := p.(roomWatcher); ok && p.IsOpen() {
			if note := w.RoomRead(m.c, m.env(p)); note.Text != "" {
				m.flash.sticky(note.Text, note.Level)
			}
		}
	}

	var cmds []tea.Cmd
	hashChanged := msg.list.TalkHash != "" && a.sync.talkHash != "" && msg.list.TalkHash != a.sync.talkHash
	if hashChanged || a.sync.capsFailed {
		// the capabilities changed, or could not be read before (the
		// network was down at start): SIP controls follow them
		a.sync.capsFailed = false
		a.sync.capsSeq++
		cmds = append(cmds, a.capsCmd(m.c))
	}
	if hashChanged {
		// the dial-in text is part of the hash
		a.dialIn.hashChanged()
	}
	if msg.list.TalkHash != "" {
		a.sync.talkHash = msg.list.TalkHash
	}
	cmds = append(cmds, a.schedulePoll(m.c, a.sync.refreshEvery))
	return m, tea.Batch(cmds...)
}

// downKind says whether err means the server does not answer (the
// network, a timeout, a 5xx or maintenance), rather than an answer.
func downKind(err error) bool {
	switch client.KindOf(err) {
	case client.KindNetwork, client.KindUnavailable, client.KindBadResponse:
		return true
	}
	return false
}

// listFailed takes a failed list answer: a 401 stops the polling, a 429
// pauses it, anything else backs off.
func (a *account) listFailed(c common.Common, err error, now time.Time) tea.Cmd {
	s := &a.sync
	s.listErr = err
	switch client.KindOf(err) {
	case client.KindUnauthorized:
		s.unauthorized = true
		s.listErrNote = "polling stopped"
		return nil
	case client.KindThrottled:
		s.pause(err, now)
		s.listErrNote = "polling paused until " + c.Clock(s.pausedUntil)
		return a.schedulePoll(c, s.pausedUntil.Sub(now))
	}
	if s.backoff == 0 {
		s.backoff = backoffMin
	} else {
		s.backoff *= 2
	}
	if s.backoff > backoffMax {
		s.backoff = backoffMax
	}
	s.listErrNote = "retrying at " + now.Add(s.backoff).In(c.Loc()).Format("15:04:05")
	return a.schedulePoll(c, s.backoff)
}

// pause stops polling after a 429.
func (s *syncState) pause(err error, now time.Time) { s.pausedUntil = common.ThrottledUntil(err, now) }

func (m Model) handleCaps(msg capsMsg) (Model, tea.Cmd) {
	a := m.accts[msg.acct]
	if msg.seq != a.sync.capsSeq {
		return m, nil
	}
	if msg.err != nil {
		switch client.KindOf(msg.err) {
		case client.KindUnauthorized:
			a.sync.unauthorized = true
		case client.KindThrottled:
			a.sync.pause(msg.err, m.c.Now())
			a.sync.capsFailed = true
		default:
			a.sync.capsFailed = true // read again after the next good list
		}
		whose := "the server's"
		if m.accts.multi() {
			whose = a.who() + "'s"
		}
		return m, m.flash.set(m.c, "could not read "+whose+" capabilities: "+client.Message(msg.err), common.LevelWarn)
	}
	a.caps = msg.caps
	return m, nil
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
		if a := m.accts.at(e); a.backend == nil || a.sync.unauthorized || now.Before(a.sync.pausedUntil) {
			continue // throttled (429): no reads until the pause ends
		}
		if st := m.rooms[e.ID]; st != nil && (st.reread == r.LobbyTimer || st.gone || st.pending != 0) {
			continue
		}
		m.rooms.get(e.ID).reread = r.LobbyTimer
		cmds = append(cmds, m.rooms.reread(m.c, m.accts.at(e).backend, e.ID, rereadExpiry))
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

// syncState is the polling of the list: the requests in flight and their
// sequence numbers, the last answers, the back-off and the pauses.
type syncState struct {
	refreshEvery, fullEvery time.Duration

	capsSeq       int
	capsFailed    bool // the last read failed: read again after a good list
	talkHash      string
	listSeq       int
	listInflight  bool
	modifiedSince int64
	lastFull      time.Time
	lastRefresh   time.Time
	loaded        bool
	listErr       error
	listErrNote   string
	needFull      bool
	pollGen       int
	backoff       time.Duration
	pausedUntil   time.Time
	unauthorized  bool
	// refreshFlash is the id of the "refreshing…" status message, which
	// ends with the list's answer
	refreshFlash int
}
