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

func (s *syncState) capsCmd(c common.Common, be Backend) tea.Cmd {
	if be == nil {
		return nil
	}
	seq := s.capsSeq
	return c.Request(func(ctx context.Context) tea.Msg {
		caps, err := be.Capabilities(ctx)
		return capsMsg{seq: seq, caps: caps, err: err}
	})
}

func (s *syncState) listCmd(c common.Common, be Backend, full bool) tea.Cmd {
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
		return listMsg{seq: seq, full: full, list: list, err: err}
	})
}

// startList sends a list request; any older one in flight is out of date
// from now on, and so is the poll timer.
func (s *syncState) startList(c common.Common, be Backend, full bool) tea.Cmd {
	s.listSeq++
	s.pollGen++
	s.listInflight = true
	return s.listCmd(c, be, full)
}

// schedulePoll arms the poll timer; the one armed before is out of date.
func (s *syncState) schedulePoll(c common.Common, d time.Duration) tea.Cmd {
	s.pollGen++
	return c.After(d, pollMsg{gen: s.pollGen})
}

func (m Model) manualRefresh() (Model, tea.Cmd) {
	if reason := m.sync.blocked(m.c, m.backend); reason != "" {
		return m, m.flash.set(m.c, reason, common.LevelWarn)
	}
	if m.sync.listInflight {
		// one refresh at a time: its answer is on its way
		m.flash.sticky("refreshing… (already asked: waiting for the server's answer)", common.LevelInfo)
		m.sync.refreshFlash = m.flash.id
		return m, nil
	}
	m.flash.sticky("refreshing…", common.LevelInfo)
	m.sync.refreshFlash = m.flash.id
	if m.dialIn.state == dialInFailed {
		// the user asked: the numbers are tried once more
		m.dialIn.state = dialInUnread
	}
	return m, tea.Batch(m.sync.startList(m.c, m.backend, true), m.checkExpiry(false))
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
	if msg.gen != m.sync.pollGen || m.sync.unauthorized {
		return m, nil
	}
	now := m.c.Now()
	if now.Before(m.sync.pausedUntil) {
		return m, m.sync.schedulePoll(m.c, m.sync.pausedUntil.Sub(now))
	}
	if m.sync.listInflight {
		return m, nil // its answer schedules the next poll
	}
	full := m.sync.needFull || m.sync.modifiedSince == 0 || now.Sub(m.sync.lastFull) >= m.sync.fullEvery
	// rooms still showing a passed timer are read again, once per poll
	for _, st := range m.rooms {
		st.reread = 0
	}
	return m, tea.Batch(m.sync.startList(m.c, m.backend, full), m.checkExpiry(false))
}

func (m Model) handleList(msg listMsg) (Model, tea.Cmd) {
	if msg.seq != m.sync.listSeq {
		return m, nil // out of date: a newer request was sent
	}
	m.sync.listInflight = false
	if m.sync.refreshFlash != 0 && m.flash.id == m.sync.refreshFlash {
		// "refreshing…" ends with the answer
		m.flash.clear()
	}
	m.sync.refreshFlash = 0
	now := m.c.Now()
	if msg.err != nil {
		return m, m.sync.listFailed(m.c, msg.err, now)
	}
	m.sync.listErr, m.sync.listErrNote, m.sync.backoff = nil, "", 0
	m.sync.loaded = true
	m.sync.lastRefresh = now
	if msg.list.ModifiedBefore > 0 {
		m.sync.modifiedSince = msg.list.ModifiedBefore
	}
	// rooms confirmed by an action after this request was sent keep the
	// newer state
	skip := func(token string) bool {
		st := m.rooms[token]
		return st != nil && st.confirmedSeq >= msg.seq
	}
	if msg.full {
		m.sync.lastFull = now
		m.sync.needFull = false
		rooms := msg.list.Rooms
		// keep what an action confirmed after this list was asked for
		if len(m.rooms) > 0 {
			rooms = append([]models.Room(nil), rooms...)
			for i, r := range rooms {
				if skip(r.Token) {
					if e := m.table.Find(r.Token); e != nil {
						rooms[i] = e.Room
					}
				}
			}
		}
		lost := m.table.SetAll(rooms)
		present := make(map[string]bool, len(rooms))
		for _, r := range rooms {
			present[r.Token] = true
		}
		m = m.noteLost(lost) // before the prune: it reads the room's state
		m.rooms.prune(present)
	} else {
		m = m.noteLost(m.table.Merge(msg.list.Rooms, skip))
	}
	for _, p := range m.pages {
		if w, ok := p.(roomWatcher); ok && p.IsOpen() {
			if note := w.RoomRead(m.c, m.env(p)); note.Text != "" {
				m.flash.sticky(note.Text, note.Level)
			}
		}
	}

	var cmds []tea.Cmd
	hashChanged := msg.list.TalkHash != "" && m.sync.talkHash != "" && msg.list.TalkHash != m.sync.talkHash
	if hashChanged || m.sync.capsFailed {
		// the capabilities changed, or could not be read before (the
		// network was down at start): SIP controls follow them
		m.sync.capsFailed = false
		m.sync.capsSeq++
		cmds = append(cmds, m.sync.capsCmd(m.c, m.backend))
	}
	if hashChanged {
		// the dial-in text is part of the hash
		m.dialIn.hashChanged()
	}
	if msg.list.TalkHash != "" {
		m.sync.talkHash = msg.list.TalkHash
	}
	cmds = append(cmds, m.sync.schedulePoll(m.c, m.sync.refreshEvery))
	return m, tea.Batch(cmds...)
}

// listFailed takes a failed list answer: a 401 stops the polling, a 429
// pauses it, anything else backs off.
func (s *syncState) listFailed(c common.Common, err error, now time.Time) tea.Cmd {
	s.listErr = err
	switch client.KindOf(err) {
	case client.KindUnauthorized:
		s.unauthorized = true
		s.listErrNote = "polling stopped"
		return nil
	case client.KindThrottled:
		s.pause(err, now)
		s.listErrNote = "polling paused until " + c.Clock(s.pausedUntil)
		return s.schedulePoll(c, s.pausedUntil.Sub(now))
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
	return s.schedulePoll(c, s.backoff)
}

// pause stops polling after a 429.
func (s *syncState) pause(err error, now time.Time) { s.pausedUntil = common.ThrottledUntil(err, now) }

func (m Model) handleCaps(msg capsMsg) (Model, tea.Cmd) {
	if msg.seq != m.sync.capsSeq {
		return m, nil
	}
	if msg.err != nil {
		switch client.KindOf(msg.err) {
		case client.KindUnauthorized:
			m.sync.unauthorized = true
		case client.KindThrottled:
			m.sync.pause(msg.err, m.c.Now())
			m.sync.capsFailed = true
		default:
			m.sync.capsFailed = true // read again after the next good list
		}
		return m, m.flash.set(m.c, "could not read the server's capabilities: "+client.Message(msg.err), common.LevelWarn)
	}
	m.caps = msg.caps
	return m, nil
}

// checkExpiry re-reads rooms whose lobby timer has passed (the server
// lifts the lobby lazily, on read). onScreen limits it to the rows shown.
func (m Model) checkExpiry(onScreen bool) tea.Cmd {
	if m.backend == nil || m.sync.unauthorized {
		return nil
	}
	now := m.c.Now()
	if now.Before(m.sync.pausedUntil) {
		return nil // throttled (429): no reads until the pause ends
	}
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
		if st := m.rooms[r.Token]; st != nil && (st.reread == r.LobbyTimer || st.gone || st.pending != 0) {
			continue
		}
		m.rooms.get(r.Token).reread = r.LobbyTimer
		cmds = append(cmds, m.rooms.reread(m.c, m.backend, r.Token, rereadExpiry))
	}
	return tea.Batch(cmds...)
}

// reread reads one room again; the answer carries the room's version.
func (rs roomStates) reread(c common.Common, be Backend, token string, why rereadWhy) tea.Cmd {
	v := rs.state(token).ver
	return c.Request(func(ctx context.Context) tea.Msg {
		room, err := be.GetRoom(ctx, token)
		return rereadMsg{token: token, ver: v, why: why, room: room, err: err}
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
