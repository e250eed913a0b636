package floor

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/words"
)

// The floor in the people view: f gives the selected person the floor
// (audio, video, screen), F takes it back, m promotes them to moderator
// or demotes them (asking first, y only, when promotion resets rights
// given to them). Outcomes show beside the person, as the people view's
// own do; the view re-reads the people after each answer.

// Act is an action on a person.
type Act int

// The actions.
const (
	ActGive Act = iota + 1
	ActTake
	ActPromote
	ActDemote
)

func (a Act) pendingWord() string {
	switch a {
	case ActGive:
		return "giving the floor…"
	case ActTake:
		return "taking the floor…"
	case ActPromote:
		return "promoting…"
	}
	return "demoting…"
}

func (a Act) failWord() string {
	switch a {
	case ActGive:
		return "floor not given: "
	case ActTake:
		return "floor not taken: "
	case ActPromote:
		return "not promoted: "
	}
	return "not demoted: "
}

// ActMsg is the server's answer to an action on a person.
type ActMsg struct {
	// ID is the room's identity in the list, Token its token.
	ID     string
	Token  string
	Act    Act
	Before models.Participant
	Err    error
}

// People is the floor's part of the people view: its actions on their
// way and the promotion question. The outcomes stand with the view's own,
// beside the person.
type People struct {
	pending map[int64]Act
	// confirm is the person a promotion waits a y for (nil: none).
	confirm *models.Participant
}

// Pending counts the actions on their way.
func (p People) Pending() int { return len(p.pending) }

// Asking reports the promotion question.
func (p People) Asking() bool { return p.confirm != nil }

// Runner runs a backend call with the console's deadline and context.
type Runner func(do func(ctx context.Context) tea.Msg) tea.Cmd

// Key handles f, F and m on the selected person, and the answer to the
// promotion question. handled is false for any other key (the people
// view handles it). flash is a message for the status line ("" none).
// be is the room's own backend; id its identity in the list.
func (p *People) Key(k *common.KeyMap, msg tea.KeyMsg, be Backend, run Runner, id, token string, sel *models.Participant, self bool) (handled bool, cmd tea.Cmd, flash string) {
	if p.confirm != nil {
		who := *p.confirm
		p.confirm = nil
		if key.Matches(msg, k.Yes) {
			return true, p.send(be, run, id, token, ActPromote, who), ""
		}
		return true, nil, "kept " + words.PersonName(who) + " as they are: nothing was sent"
	}
	if !key.Matches(msg, k.GiveFloor, k.TakeFloor, k.Moderator) {
		return false, nil, ""
	}
	switch {
	case be == nil:
		return true, nil, "this console cannot change the floor (no server to send to)"
	case sel == nil:
		return true, nil, "nobody is selected"
	case p.pending[sel.AttendeeID] != 0:
		return true, nil, "waiting for the server's answer about " + words.PersonName(*sel)
	}
	who := *sel
	switch {
	case key.Matches(msg, k.GiveFloor, k.TakeFloor):
		if who.IsModerator() {
			return true, nil, words.PersonName(who) + " is a moderator: moderators always have the floor (nothing sent)"
		}
		act := ActGive
		if key.Matches(msg, k.TakeFloor) {
			act = ActTake
		}
		return true, p.send(be, run, id, token, act, who), ""
	case self:
		return true, nil, "that is you: you cannot change your own role (nothing sent)"
	case who.IsModerator():
		if who.ParticipantType == models.ParticipantOwner {
			return true, nil, words.PersonName(who) + " owns the conversation: the owner stays a moderator (nothing sent)"
		}
		return true, p.send(be, run, id, token, ActDemote, who), ""
	case who.HasOwnPermissions():
		p.confirm = &who
		return true, nil, ""
	}
	return true, p.send(be, run, id, token, ActPromote, who), ""
}

// Question is the promotion question's lines ("" none).
func (p People) Question(room string) string {
	if p.confirm == nil {
		return ""
	}
	return "Promote " + words.PersonName(*p.confirm) + " in " + room + " to moderator? Promotion resets the rights given to them (" +
		words.GivenRights(p.confirm.Permissions) + "). y promotes · any other key keeps them as they are"
}

func (p *People) send(be Backend, run Runner, id, token string, act Act, who models.Participant) tea.Cmd {
	if p.pending == nil {
		p.pending = map[int64]Act{}
	}
	p.pending[who.AttendeeID] = act
	return run(func(ctx context.Context) tea.Msg {
		var err error
		switch act {
		case ActGive:
			_, err = be.SetAttendeePermissions(ctx, token, who.AttendeeID, client.PermissionAdd, models.PermissionsFloor)
		case ActTake:
			_, err = be.SetAttendeePermissions(ctx, token, who.AttendeeID, client.PermissionRemove, models.PermissionsFloor)
		case ActPromote:
			err = be.PromoteModerator(ctx, token, who.AttendeeID)
		default:
			err = be.DemoteModerator(ctx, token, who.AttendeeID)
		}
		return ActMsg{ID: id, Token: token, Act: act, Before: who, Err: err}
	})
}

// Answered takes an answer in: the action is no longer on its way; ok
// and text are its outcome, to show beside the person.
func (p *People) Answered(msg ActMsg) (ok bool, text string) {
	delete(p.pending, msg.Before.AttendeeID)
	switch {
	case msg.Err != nil:
		return false, msg.Act.failWord() + client.Message(msg.Err)
	case msg.Act == ActGive:
		return true, words.FloorOutcome(true, models.PermissionsFloor, msg.Before)
	case msg.Act == ActTake:
		return true, words.FloorOutcome(false, models.PermissionsFloor, msg.Before)
	case msg.Act == ActPromote:
		return true, words.PromoteOutcome(msg.Before)
	}
	return true, words.DemoteOutcome(msg.Before)
}

// PendingWord is the floor's action on its way for a person, in words
// ("giving the floor…"); false when none is.
func (p People) PendingWord(id int64) (string, bool) {
	act, ok := p.pending[id]
	if !ok {
		return "", false
	}
	return act.pendingWord(), true
}

// RightsCell is the person's rights for the row: symbols (🎤 📹 🖥) when
// symbols is true, else words ("audio video screen", "listens only"),
// fitted to width cells.
func RightsCell(q models.Participant, symbols bool, width int) string {
	text := words.RightsWords(q.Permissions)
	if symbols {
		text = strings.TrimRight(words.RightsSymbols(q.Permissions), " ")
		if q.Permissions&models.PermissionsFloor == 0 {
			text = "—"
		}
	}
	return fitLine(text, width)
}

// RightsWidth is the width of the rights column.
func RightsWidth(symbols bool) int {
	if symbols {
		return 8
	}
	return len("audio video screen")
}
