package tui

import (
	"context"
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
)

// Backoff after failed refreshes (network down, 5xx) and the pause after
// a 429.
const (
	backoffMin    = 5 * time.Second
	backoffMax    = 5 * time.Minute
	throttlePause = 5 * time.Minute
)

// Commands build from values only (never from a captured *Model).

func (m Model) capsCmd(seq int) tea.Cmd {
	be, ctx, timeout := m.backend, m.ctx, m.timeout
	if be == nil {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		caps, err := be.Capabilities(ctx)
		return capsMsg{seq: seq, caps: caps, err: err}
	}
}

func (m Model) listCmd(seq int, full bool, since int64) tea.Cmd {
	be, ctx, timeout := m.backend, m.ctx, m.timeout
	if be == nil {
		return nil
	}
	if full {
		since = 0
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		list, err := be.ListRooms(ctx, client.ListOptions{ModifiedSince: since})
		if err == nil && list == nil {
			list = &client.RoomList{}
		}
		return listMsg{seq: seq, full: full, list: list, err: err}
	}
}

// startList sends a list request; any older one in flight is out of date
// from now on, and so is the poll timer.
func (m *Model) startList(full bool) tea.Cmd {
	m.listSeq++
	m.pollGen++
	m.listInflight = true
	return m.listCmd(m.listSeq, full, m.modifiedSince)
}

func (m *Model) schedulePoll(d time.Duration) tea.Cmd {
	m.pollGen++
	return m.after(d, pollMsg{gen: m.pollGen})
}

func (m Model) manualRefresh() (Model, tea.Cmd) {
	if reason := m.refreshBlocked(); reason != "" {
		return m, m.setFlash(reason, levelWarn)
	}
	if m.listInflight {
		// one refresh at a time: its answer is on its way
		m.setFlashSticky("refreshing… (already asked: waiting for the server's answer)", levelInfo)
		m.refreshFlash = m.flash.id
		return m, nil
	}
	m.setFlashSticky("refreshing…", levelInfo)
	m.refreshFlash = m.flash.id
	if m.dialIn.state == dialInFailed {
		// the user asked: the numbers are tried once more
		m.dialIn.state = dialInUnread
	}
	return m, tea.Batch(m.startList(true), m.checkExpiry(false))
}

// refreshBlocked says why r does nothing now, or "".
func (m Model) refreshBlocked() string {
	switch {
	case m.backend == nil:
		return "no server to refresh from"
	case m.unauthorized:
		return "not refreshing: the server refused the login (401); run talkmod login, then start talkmod again"
	case m.c.Now().Before(m.pausedUntil):
		return "not refreshing: the server is throttling this address (429); polling resumes at " + m.c.clock(m.pausedUntil)
	}
	return ""
}

func (m Model) handlePoll(msg pollMsg) (Model, tea.Cmd) {
	if msg.gen != m.pollGen || m.unauthorized {
		return m, nil
	}
	now := m.c.Now()
	if now.Before(m.pausedUntil) {
		return m, m.schedulePoll(m.pausedUntil.Sub(now))
	}
	if m.listInflight {
		return m, nil // its answer schedules the next poll
	}
	full := m.needFull || m.modifiedSince == 0 || now.Sub(m.lastFull) >= m.fullEvery
	// rooms still showing a passed timer are read again, once per poll
	for _, st := range m.rooms {
		st.reread = 0
	}
	return m, tea.Batch(m.startList(full), m.checkExpiry(false))
}

func (m Model) handleList(msg listMsg) (Model, tea.Cmd) {
	if msg.seq != m.listSeq {
		return m, nil // out of date: a newer request was sent
	}
	m.listInflight = false
	if m.refreshFlash != 0 && m.flash.id == m.refreshFlash {
		// "refreshing…" ends with the answer
		m.flash = flash{}
	}
	m.refreshFlash = 0
	now := m.c.Now()
	if msg.err != nil {
		return m.listFailed(msg.err, now)
	}
	m.listErr, m.listErrNote, m.backoff = nil, "", 0
	m.loaded = true
	m.lastRefresh = now
	if msg.list.ModifiedBefore > 0 {
		m.modifiedSince = msg.list.ModifiedBefore
	}
	// rooms confirmed by an action after this request was sent keep the
	// newer state
	skip := func(token string) bool {
		st := m.rooms[token]
		return st != nil && st.confirmedSeq >= msg.seq
	}
	if msg.full {
		m.lastFull = now
		m.needFull = false
		rooms := msg.list.Rooms
		// keep what an action confirmed after this list was asked for
		if len(m.rooms) > 0 {
			rooms = append([]models.Room(nil), rooms...)
			for i, r := range rooms {
				if skip(r.Token) {
					if e := m.table.find(r.Token); e != nil {
						rooms[i] = e.room
					}
				}
			}
		}
		lost := m.table.setAll(rooms)
		present := make(map[string]bool, len(rooms))
		for _, r := range rooms {
			present[r.Token] = true
		}
		m.noteLost(lost) // before the prune: it reads the room's state
		m.pruneRooms(present)
	} else {
		m.noteLost(m.table.merge(msg.list.Rooms, skip))
	}
	m.chatRoomCheck()

	var cmds []tea.Cmd
	hashChanged := msg.list.TalkHash != "" && m.talkHash != "" && msg.list.TalkHash != m.talkHash
	if hashChanged || m.capsFailed {
		// the capabilities changed, or could not be read before (the
		// network was down at start): SIP controls follow them
		m.capsFailed = false
		m.capsSeq++
		cmds = append(cmds, m.capsCmd(m.capsSeq))
	}
	if hashChanged {
		// the dial-in text is part of the hash
		m.dialInHashChanged()
	}
	if msg.list.TalkHash != "" {
		m.talkHash = msg.list.TalkHash
	}
	cmds = append(cmds, m.schedulePoll(m.refreshEvery))
	return m, tea.Batch(cmds...)
}

func (m Model) listFailed(err error, now time.Time) (Model, tea.Cmd) {
	m.listErr = err
	switch client.KindOf(err) {
	case client.KindUnauthorized:
		m.unauthorized = true
		m.listErrNote = "polling stopped"
		return m, nil
	case client.KindThrottled:
		m.pause(err, now)
		m.listErrNote = "polling paused until " + m.c.clock(m.pausedUntil)
		return m, m.schedulePoll(m.pausedUntil.Sub(now))
	}
	if m.backoff == 0 {
		m.backoff = backoffMin
	} else {
		m.backoff *= 2
	}
	if m.backoff > backoffMax {
		m.backoff = backoffMax
	}
	m.listErrNote = "retrying at " + now.Add(m.backoff).In(m.c.Loc()).Format("15:04:05")
	return m, m.schedulePoll(m.backoff)
}

// pause stops polling after a 429.
func (m *Model) pause(err error, now time.Time) { m.pausedUntil = throttledUntil(err, now) }

// throttledUntil is when to ask again after a 429: the server's
// Retry-After, or the console's throttle pause if that is longer.
func throttledUntil(err error, now time.Time) time.Time {
	d := throttlePause
	var ae *client.APIError
	if errors.As(err, &ae) && ae.RetryAfter > d {
		d = ae.RetryAfter
	}
	return now.Add(d)
}

// request runs do in a command with the console's context and the
// request timeout: every backend call goes through it.
func (m Model) request(do func(ctx context.Context) tea.Msg) tea.Cmd {
	ctx, timeout := m.ctx, m.timeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		return do(ctx)
	}
}

func (m Model) handleCaps(msg capsMsg) (Model, tea.Cmd) {
	if msg.seq != m.capsSeq {
		return m, nil
	}
	if msg.err != nil {
		switch client.KindOf(msg.err) {
		case client.KindUnauthorized:
			m.unauthorized = true
		case client.KindThrottled:
			m.pause(msg.err, m.c.Now())
			m.capsFailed = true
		default:
			m.capsFailed = true // read again after the next good list
		}
		return m, m.setFlash("could not read the server's capabilities: "+client.Message(msg.err), levelWarn)
	}
	m.caps = msg.caps
	return m, nil
}

// checkExpiry re-reads rooms whose lobby timer has passed (the server
// lifts the lobby lazily, on read). onScreen limits it to the rows shown.
func (m Model) checkExpiry(onScreen bool) tea.Cmd {
	if m.backend == nil || m.unauthorized {
		return nil
	}
	now := m.c.Now()
	if now.Before(m.pausedUntil) {
		return nil // throttled (429): no reads until the pause ends
	}
	rows := m.table.all
	if onScreen {
		rows = m.table.onScreen()
		if sel := m.table.selected(); sel != nil {
			rows = append(append([]*entry(nil), rows...), sel)
		}
	}
	var cmds []tea.Cmd
	for _, e := range rows {
		r := e.room
		if r.LobbyState != models.LobbyModeratorsOnly || r.LobbyTimer <= 0 || r.LobbyTimer > now.Unix() {
			continue
		}
		if st := m.rooms[r.Token]; st != nil && (st.reread == r.LobbyTimer || st.gone || st.pending != 0) {
			continue
		}
		m.rs(r.Token).reread = r.LobbyTimer
		cmds = append(cmds, m.getRoomCmd(r.Token, rereadExpiry))
	}
	return tea.Batch(cmds...)
}

func (m Model) getRoomCmd(token string, why rereadWhy) tea.Cmd {
	be, ctx, timeout := m.backend, m.ctx, m.timeout
	v := m.state(token).ver
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		room, err := be.GetRoom(ctx, token)
		return rereadMsg{token: token, ver: v, why: why, room: room, err: err}
	}
}
