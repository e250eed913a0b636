package tui

import (
	"github.com/talkmod/talkmod/tui/login"
	"github.com/talkmod/talkmod/tui/people"
	"github.com/talkmod/talkmod/tui/words"
)

// The words for people that the commands (talkmod people, admit, hold,
// remove) share with the console's people view; they live in tui/people
// and are named here for cmd/talkmod.
var (
	PersonName    = words.PersonName
	PersonState   = people.PersonState
	SectionOf     = people.SectionOf
	PeopleCounts  = people.PeopleCounts
	AdmitOutcome  = people.AdmitOutcome
	HoldOutcome   = people.HoldOutcome
	RemoveOutcome = people.RemoveOutcome
)

// The in-terminal sign-in of talkmod serve (tui/login).
type (
	LoginOptions = login.Options
	LoginModel   = login.Model
	LoginDoneMsg = login.DoneMsg
)

// NewLogin builds the sign-in screen (login.New).
var NewLogin = login.New
