// Package accounts is what the console keeps about each of its accounts:
// the backend, the capabilities, the polling of the account's list (its
// sequence numbers, back-off, 429 pause and 401), the dial-in text, and
// since when its server does not answer; the requests that keep them
// current and the words that say how each account is doing. With one
// account (no name) the console is as it always was. The root routes the
// messages here (ListMsg, CapsMsg, PollMsg, DialInMsg) and merges the
// rooms a list brings into its table.
package accounts

import (
	"strconv"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/roomlist"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// Account is one account's backend and everything the console keeps
// about it. Accounts are held by pointer, shared by the copies of the
// root model like the per-room states.
type Account struct {
	roomlist.Account
	// Server is its address (for talkmod login).
	Server  string
	Backend common.Backend
	Caps    models.Capabilities
	Sync    Sync
	DialIn  DialIn
	// DownSince is the first failed list of the current run of failures
	// of a server that does not answer (zero: it answers).
	DownSince time.Time
}

// List are the console's accounts in their order (the list's).
type List []*Account

// Multi says whether the console shows several accounts.
func (as List) Multi() bool { return len(as) > 1 }

// Of is the account of a room identity (the first with one account).
func (as List) Of(id string) *Account {
	if name := roomlist.AccountOf(id); name != "" {
		for _, a := range as {
			if a.Name == name {
				return a
			}
		}
	}
	return as[0]
}

// At is the account of an entry (the first for none).
func (as List) At(e *roomlist.Entry) *Account {
	if e == nil || e.Acct < 0 || e.Acct >= len(as) {
		return as[0]
	}
	return as[e.Acct]
}

// Loaded says whether some account's list arrived.
func (as List) Loaded() bool {
	for _, a := range as {
		if a.Sync.Loaded {
			return true
		}
	}
	return false
}

// Failed says whether some account's last list failed (with Loaded
// false: none arrived and one failed).
func (as List) Failed() bool {
	for _, a := range as {
		if a.Sync.ListErr != nil {
			return true
		}
	}
	return false
}

// Loading says whether some account's list is on its way.
func (as List) Loading() bool {
	for _, a := range as {
		if a.Sync.ListInflight {
			return true
		}
	}
	return false
}

// Who names the account in a sentence: its name, or "the server".
func (a *Account) Who() string {
	if a.Name == "" {
		return "the server"
	}
	return sanitize.Line(a.Label)
}

// UnauthorizedWords is what an action on a room of a logged-out account
// says.
func (a *Account) UnauthorizedWords() string {
	if a.Name == "" {
		return "the server refused the login (401): run talkmod login, then start talkmod again"
	}
	return "the login of " + sanitize.Line(a.Name) + " no longer works (401): run talkmod login " + sanitize.Line(a.Server) + ", then start talkmod again"
}

// DownWords says that a's server does not answer, since when, and what
// its rooms show ("" while it answers).
func (a *Account) DownWords(c common.Common, rooms int) string {
	if a.DownSince.IsZero() {
		return ""
	}
	text := a.Who() + " cannot be reached since " + c.Clock(a.DownSince)
	if a.Sync.ListErr != nil {
		text += " (" + sanitize.Line(client.Message(a.Sync.ListErr)) + ")"
	}
	if !a.Sync.LastRefresh.IsZero() && rooms > 0 {
		text += ": its " + words.Count(rooms, "room", "rooms") + " show their state of " + c.Clock(a.Sync.LastRefresh)
	}
	return text
}

// Stale says whether a's rooms are not current: its server does not
// answer, or refused the login.
func (a *Account) Stale() bool { return !a.DownSince.IsZero() || a.Sync.Unauthorized }

// Trouble is the one line about the accounts that need attention, for
// the status bar of a console on several accounts ("": none).
func (as List) Trouble(c common.Common, t *roomlist.Table) string {
	if !as.Multi() {
		return ""
	}
	var first string
	n := 0
	for _, a := range as {
		var text string
		switch {
		case a.Sync.Unauthorized:
			text = a.UnauthorizedWords()
		case !a.DownSince.IsZero():
			rooms := 0
			for _, e := range t.All {
				if e.Acct == a.Index {
					rooms++
				}
			}
			text = a.DownWords(c, rooms)
		case c.Now().Before(a.Sync.PausedUntil):
			text = a.Who() + " is throttling this address (429): its polling paused until " + c.Clock(a.Sync.PausedUntil)
		case a.Sync.ListErr != nil:
			text = a.Who() + ": refresh failed: " + sanitize.Line(client.Message(a.Sync.ListErr))
		default:
			continue
		}
		n++
		if first == "" {
			first = text
		}
	}
	if n > 1 {
		first += " (and " + strconv.Itoa(n-1) + " more: enter on their rooms says)"
	}
	return first
}

// Summary is the accounts' polling in one for the header: loading while
// none arrived, refreshed at the oldest list of those that answer, a
// failure when one failed (the status line says which).
func (as List) Summary() Sync {
	var s Sync
	for _, a := range as {
		s.ListInflight = s.ListInflight || a.Sync.ListInflight
		s.Loaded = s.Loaded || a.Sync.Loaded
		if s.ListErr == nil {
			s.ListErr = a.Sync.ListErr
		}
		if t := a.Sync.LastRefresh; !t.IsZero() && (s.LastRefresh.IsZero() || t.Before(s.LastRefresh)) {
			s.LastRefresh = t
		}
	}
	return s
}

// HeaderWords count the servers and those that answer: "3 servers · 2
// answering".
func (as List) HeaderWords() string {
	ok := 0
	for _, a := range as {
		if a.Sync.Loaded && a.DownSince.IsZero() && !a.Sync.Unauthorized {
			ok++
		}
	}
	text := strconv.Itoa(len(as)) + " servers"
	if ok < len(as) {
		text += " · " + strconv.Itoa(ok) + " answering"
	}
	return text
}

// RefreshBlocked says why r asks no account ("": it asks one at least).
func (as List) RefreshBlocked(c common.Common) string {
	var first string
	for _, a := range as {
		why := a.RefreshBlocked(c)
		if why == "" {
			return ""
		}
		if first == "" {
			first = why
		}
	}
	return first
}
