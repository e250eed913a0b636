package tui

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

// Account is one stored account of a console on several accounts
// (Options.Accounts, talkmod --all-accounts).
type Account struct {
	// Name is the stored account's name (login@host): part of the
	// identity of its rooms, and the name a 401 says to log in again.
	Name string
	// Label is its SERVER column: the host, or login@host when two
	// accounts share a host.
	Label string
	// Server is its address (for talkmod login).
	Server string
	// Backend is its own client.
	Backend Backend
}

// account is one account's backend and everything the console keeps
// about it: capabilities, the polling of its list (its own back-off,
// 429 pause and 401), its dial-in text, and since when it does not
// answer. With one account (Options.Backend) there is one, unnamed: the
// console is as it always was. Accounts are held by pointer, shared by
// the copies of a Model like the per-room states.
type account struct {
	roomlist.Account
	server  string
	backend Backend
	caps    models.Capabilities
	sync    syncState
	dialIn  dialInCache
	// downSince is the first failed list of the current run of failures
	// of a server that does not answer (zero: it answers)
	downSince time.Time
}

// accounts are the console's accounts in their order (the list's).
type accounts []*account

// newAccounts builds the accounts of opts: opts.Accounts when it has
// two or more, else the one backend, unnamed.
func newAccounts(opts Options, s syncState) accounts {
	if len(opts.Accounts) < 2 {
		be := opts.Backend
		if be == nil && len(opts.Accounts) == 1 {
			be = opts.Accounts[0].Backend
		}
		return accounts{{backend: be, server: opts.Server, sync: s}}
	}
	out := make(accounts, len(opts.Accounts))
	for i, a := range opts.Accounts {
		out[i] = &account{Account: roomlist.Account{Index: i, Name: a.Name, Label: a.Label},
			server: a.Server, backend: a.Backend, sync: s}
	}
	return out
}

// multi says whether the console shows several accounts.
func (as accounts) multi() bool { return len(as) > 1 }

// of is the account of a room identity (the first with one account).
func (as accounts) of(id string) *account {
	if name := roomlist.AccountOf(id); name != "" {
		for _, a := range as {
			if a.Name == name {
				return a
			}
		}
	}
	return as[0]
}

// at is the account of an entry (the first for none).
func (as accounts) at(e *roomlist.Entry) *account {
	if e == nil || e.Acct < 0 || e.Acct >= len(as) {
		return as[0]
	}
	return as[e.Acct]
}

// loaded: some account's list arrived; loading: none arrived and one is
// on its way; failed: none arrived and one failed.
func (as accounts) loaded() bool {
	for _, a := range as {
		if a.sync.loaded {
			return true
		}
	}
	return false
}

func (as accounts) failed() bool {
	for _, a := range as {
		if a.sync.listErr != nil {
			return true
		}
	}
	return false
}

func (as accounts) loading() bool {
	for _, a := range as {
		if a.sync.listInflight {
			return true
		}
	}
	return false
}

// who names the account in a sentence: its name, or "the server".
func (a *account) who() string {
	if a.Name == "" {
		return "the server"
	}
	return sanitize.Line(a.Label)
}

// unauthorizedWords is what an action on a room of a logged-out account
// says.
func (a *account) unauthorizedWords() string {
	if a.Name == "" {
		return "the server refused the login (401): run talkmod login, then start talkmod again"
	}
	return "the login of " + sanitize.Line(a.Name) + " no longer works (401): run talkmod login " + sanitize.Line(a.server) + ", then start talkmod again"
}

// downWords says that a's server does not answer, since when, and what
// its rooms show ("" while it answers).
func (a *account) downWords(c common.Common, rooms int) string {
	if a.downSince.IsZero() {
		return ""
	}
	text := a.who() + " cannot be reached since " + c.Clock(a.downSince)
	if a.sync.listErr != nil {
		text += " (" + sanitize.Line(client.Message(a.sync.listErr)) + ")"
	}
	if !a.sync.lastRefresh.IsZero() && rooms > 0 {
		text += ": its " + words.Count(rooms, "room", "rooms") + " show their state of " + c.Clock(a.sync.lastRefresh)
	}
	return text
}

// stale says whether a's rooms are not current: its server does not
// answer, or refused the login.
func (a *account) stale() bool { return !a.downSince.IsZero() || a.sync.unauthorized }

// trouble is the one line about the accounts that need attention, for
// the status bar of a console on several accounts ("": none).
func (as accounts) trouble(c common.Common, t *roomlist.Table) string {
	if !as.multi() {
		return ""
	}
	var first string
	n := 0
	for _, a := range as {
		var text string
		switch {
		case a.sync.unauthorized:
			text = a.unauthorizedWords()
		case !a.downSince.IsZero():
			rooms := 0
			for _, e := range t.All {
				if e.Acct == a.Index {
					rooms++
				}
			}
			text = a.downWords(c, rooms)
		case c.Now().Before(a.sync.pausedUntil):
			text = a.who() + " is throttling this address (429): its polling paused until " + c.Clock(a.sync.pausedUntil)
		case a.sync.listErr != nil:
			text = a.who() + ": refresh failed: " + sanitize.Line(client.Message(a.sync.listErr))
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

// summary is the accounts' polling in one for the header: loading while
// none arrived, refreshed at the oldest list of those that answer, a
// failure when one failed (the status line says which).
func (as accounts) summary() syncState {
	var s syncState
	for _, a := range as {
		s.listInflight = s.listInflight || a.sync.listInflight
		s.loaded = s.loaded || a.sync.loaded
		if s.listErr == nil {
			s.listErr = a.sync.listErr
		}
		if t := a.sync.lastRefresh; !t.IsZero() && (s.lastRefresh.IsZero() || t.Before(s.lastRefresh)) {
			s.lastRefresh = t
		}
	}
	return s
}

// headerWords count the servers and those that answer: "3 servers · 2
// answering".
func (as accounts) headerWords() string {
	ok := 0
	for _, a := range as {
		if a.sync.loaded && a.downSince.IsZero() && !a.sync.unauthorized {
			ok++
		}
	}
	text := strconv.Itoa(len(as)) + " servers"
	if ok < len(as) {
		text += " · " + strconv.Itoa(ok) + " answering"
	}
	return text
}

// refreshBlocked says why r asks no account ("" : it asks one at least).
func (as accounts) refreshBlocked(c common.Common) string {
	var first string
	for _, a := range as {
		why := a.sync.blocked(c, a.backend)
		if why == "" {
			return ""
		}
		if first == "" {
			first = why
		}
	}
	return first
}
