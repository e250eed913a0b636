package accounts

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
)

// Backoff after failed refreshes (network down, 5xx).
const (
	BackoffMin = 5 * time.Second
	BackoffMax = 5 * time.Minute
)

// Sync is the polling of an account's list: the requests in flight and
// their sequence numbers, the last answers, the back-off and the pauses.
type Sync struct {
	RefreshEvery, FullEvery time.Duration

	CapsSeq       int
	CapsFailed    bool // the last read failed: read again after a good list
	TalkHash      string
	ListSeq       int
	ListInflight  bool
	ModifiedSince int64
	LastFull      time.Time
	LastRefresh   time.Time
	Loaded        bool
	ListErr       error
	ListErrNote   string
	NeedFull      bool
	PollGen       int
	Backoff       time.Duration
	PausedUntil   time.Time
	Unauthorized  bool
	// RefreshFlash is the id of the "refreshing…" status message, which
	// ends with the list's answer.
	RefreshFlash int
}

// ListMsg is the answer of ListRooms; Seq drops answers that are out of
// date.
type ListMsg struct {
	Acct int // the account's index (0 with one)
	Seq  int
	Full bool
	List *client.RoomList
	Err  error
}

// CapsMsg is the answer of Capabilities.
type CapsMsg struct {
	Acct int
	Seq  int
	Caps models.Capabilities
	Err  error
}

// PollMsg is the refresh timer; Gen drops timers that were replaced.
type PollMsg struct{ Acct, Gen int }

// Commands build from values only (never from a captured account).

// CapsCmd reads the capabilities.
func (a *Account) CapsCmd(c common.Common) tea.Cmd {
	be := a.Backend
	if be == nil {
		return nil
	}
	seq, acct := a.Sync.CapsSeq, a.Index
	return c.Request(func(ctx context.Context) tea.Msg {
		caps, err := be.Capabilities(ctx)
		return CapsMsg{Acct: acct, Seq: seq, Caps: caps, Err: err}
	})
}

// ListCmd reads the list: all of it when full, else what changed since
// the last answer.
func (a *Account) ListCmd(c common.Common, full bool) tea.Cmd {
	be, s, acct := a.Backend, &a.Sync, a.Index
	if be == nil {
		return nil
	}
	seq, since := s.ListSeq, s.ModifiedSince
	if full {
		since = 0
	}
	return c.Request(func(ctx context.Context) tea.Msg {
		list, err := be.ListRooms(ctx, client.ListOptions{ModifiedSince: since})
		if err == nil && list == nil {
			list = &client.RoomList{}
		}
		return ListMsg{Acct: acct, Seq: seq, Full: full, List: list, Err: err}
	})
}

// StartList sends a list request; any older one in flight is out of date
// from now on, and so is the poll timer.
func (a *Account) StartList(c common.Common, full bool) tea.Cmd {
	a.Sync.ListSeq++
	a.Sync.PollGen++
	a.Sync.ListInflight = true
	return a.ListCmd(c, full)
}

// schedulePoll arms the poll timer; the one armed before is out of date.
func (a *Account) schedulePoll(c common.Common, d time.Duration) tea.Cmd {
	a.Sync.PollGen++
	return c.After(d, PollMsg{Acct: a.Index, Gen: a.Sync.PollGen})
}

// RefreshBlocked says why r does not ask a now, or "".
func (a *Account) RefreshBlocked(c common.Common) string {
	switch s := &a.Sync; {
	case a.Backend == nil:
		return "no server to refresh from"
	case s.Unauthorized:
		return "not refreshing: the server refused the login (401); run talkmod login, then start talkmod again"
	case c.Now().Before(s.PausedUntil):
		return "not refreshing: the server is throttling this address (429); polling resumes at " + c.Clock(s.PausedUntil)
	}
	return ""
}

// Held says whether nothing may be asked of a now: no backend, logged
// out (401), or throttled (429) until the pause ends.
func (a *Account) Held(now time.Time) bool {
	return a.Backend == nil || a.Sync.Unauthorized || now.Before(a.Sync.PausedUntil)
}

// Poll takes the poll timer: it asks for the list (in full when due) and
// says so, or waits out a 429 pause; an out-of-date timer, a logged-out
// account or a list on its way ask nothing.
func (a *Account) Poll(c common.Common, msg PollMsg) (cmd tea.Cmd, asked bool) {
	s := &a.Sync
	if msg.Gen != s.PollGen || s.Unauthorized {
		return nil, false
	}
	now := c.Now()
	if now.Before(s.PausedUntil) {
		return a.schedulePoll(c, s.PausedUntil.Sub(now)), false
	}
	if s.ListInflight {
		return nil, false // its answer schedules the next poll
	}
	full := s.NeedFull || s.ModifiedSince == 0 || now.Sub(s.LastFull) >= s.FullEvery
	return a.StartList(c, full), true
}

// ListFailed takes a failed list answer: a 401 stops the polling, a 429
// pauses it, anything else backs off; a server that does not answer is
// down from now.
func (a *Account) ListFailed(c common.Common, err error, now time.Time) tea.Cmd {
	if a.DownSince.IsZero() && downKind(err) {
		a.DownSince = now
	}
	s := &a.Sync
	s.ListErr = err
	switch client.KindOf(err) {
	case client.KindUnauthorized:
		s.Unauthorized = true
		s.ListErrNote = "polling stopped"
		return nil
	case client.KindThrottled:
		s.pause(err, now)
		s.ListErrNote = "polling paused until " + c.Clock(s.PausedUntil)
		return a.schedulePoll(c, s.PausedUntil.Sub(now))
	}
	if s.Backoff == 0 {
		s.Backoff = BackoffMin
	} else {
		s.Backoff *= 2
	}
	if s.Backoff > BackoffMax {
		s.Backoff = BackoffMax
	}
	s.ListErrNote = "retrying at " + now.Add(s.Backoff).In(c.Loc()).Format("15:04:05")
	return a.schedulePoll(c, s.Backoff)
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

// ListRead takes a good list answer, before the root merges its rooms:
// the server answers, the failures are over.
func (a *Account) ListRead(msg ListMsg, now time.Time) {
	s := &a.Sync
	a.DownSince = time.Time{}
	s.ListErr, s.ListErrNote, s.Backoff = nil, "", 0
	s.Loaded = true
	s.LastRefresh = now
	if msg.List.ModifiedBefore > 0 {
		s.ModifiedSince = msg.List.ModifiedBefore
	}
	if msg.Full {
		s.LastFull = now
		s.NeedFull = false
	}
}

// ListMerged follows a good list answer once its rooms are merged: the
// capabilities are read again when the Talk hash changed or they could
// not be read before, the dial-in text when the hash changed, and the
// next poll is armed.
func (a *Account) ListMerged(c common.Common, msg ListMsg) tea.Cmd {
	var cmds []tea.Cmd
	s := &a.Sync
	hashChanged := msg.List.TalkHash != "" && s.TalkHash != "" && msg.List.TalkHash != s.TalkHash
	if hashChanged || s.CapsFailed {
		// the capabilities changed, or could not be read before (the
		// network was down at start): SIP controls follow them
		s.CapsFailed = false
		s.CapsSeq++
		cmds = append(cmds, a.CapsCmd(c))
	}
	if hashChanged {
		// the dial-in text is part of the hash
		a.DialIn.HashChanged()
	}
	if msg.List.TalkHash != "" {
		s.TalkHash = msg.List.TalkHash
	}
	cmds = append(cmds, a.schedulePoll(c, s.RefreshEvery))
	return tea.Batch(cmds...)
}

// CapsRead takes the answer of Capabilities and returns the error to
// say (nil: none, or an answer out of date). A failed read is tried
// again after the next good list.
func (a *Account) CapsRead(msg CapsMsg, now time.Time) error {
	s := &a.Sync
	if msg.Seq != s.CapsSeq {
		return nil
	}
	if msg.Err != nil {
		switch client.KindOf(msg.Err) {
		case client.KindUnauthorized:
			s.Unauthorized = true
		case client.KindThrottled:
			s.pause(msg.Err, now)
			s.CapsFailed = true
		default:
			s.CapsFailed = true // read again after the next good list
		}
		return msg.Err
	}
	a.Caps = msg.Caps
	return nil
}

// LoggedOut takes a 401 to a change: no more polling (a 401 is never
// retried).
func (a *Account) LoggedOut() {
	a.Sync.Unauthorized = true
	a.Sync.PollGen++
}

// Throttled takes a 429 to a change or a read: polling pauses, and the
// returned timer resumes it.
func (a *Account) Throttled(c common.Common, err error, now time.Time) tea.Cmd {
	a.Sync.pause(err, now)
	return a.schedulePoll(c, a.Sync.PausedUntil.Sub(now))
}

// pause stops polling after a 429.
func (s *Sync) pause(err error, now time.Time) { s.PausedUntil = common.ThrottledUntil(err, now) }
