package tui

import "github.com/talkmod/talkmod/tui/people"

// The words for people that the commands (talkmod people, admit, hold,
// remove) share with the console's people view; they live in tui/people
// and are named here for cmd/talkmod.
var (
	PersonName    = people.PersonName
	PersonState   = people.PersonState
	SectionOf     = people.SectionOf
	PeopleCounts  = people.PeopleCounts
	AdmitOutcome  = people.AdmitOutcome
	HoldOutcome   = people.HoldOutcome
	RemoveOutcome = people.RemoveOutcome
)
