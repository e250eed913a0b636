package tui

import (
	"github.com/talkmod/talkmod/tui/accounts"
	"github.com/talkmod/talkmod/tui/roomlist"
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

// newAccounts builds the accounts of opts: opts.Accounts when it has
// two or more, else the one backend, unnamed.
func newAccounts(opts Options, s accounts.Sync) accounts.List {
	if len(opts.Accounts) < 2 {
		be := opts.Backend
		if be == nil && len(opts.Accounts) == 1 {
			be = opts.Accounts[0].Backend
		}
		return accounts.List{{Backend: be, Server: opts.Server, Sync: s}}
	}
	out := make(accounts.List, len(opts.Accounts))
	for i, a := range opts.Accounts {
		out[i] = &accounts.Account{Account: roomlist.Account{Index: i, Name: a.Name, Label: a.Label},
			Server: a.Server, Backend: a.Backend, Sync: s}
	}
	return out
}
