package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/output"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/roster"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/people"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// The people of a webinar: talkmod people, admit, hold and remove.

const whoHelp = `WHO is an attendee id (21 or #21, as "talkmod people" shows it), a user id,
or a display name (exact, case-insensitive). A WHO that matches nobody or more
than one person exits 2 and lists the candidates; then nothing is sent. Each
person is tried in turn; the exit code is the most severe of their outcomes.
With --json, one result object per person is printed: {"who", "attendeeId",
"name", "action", "ok", "outcome"} and, for a failure, "error" as below; when
one failed the usual {"error": {...}} object follows.`

const peopleJSONHelp = `With --json the participant objects are printed as the server sent them (a JSON
array; nothing added): attendeeId, actorType, actorId, displayName,
participantType (1 owner, 2 moderator, 3 user, 4 guest, 5 user by link,
6 guest moderator), permissions (effective bits; 8 = skips the lobby),
attendeePermissions, inCall (1 in call, 2 audio, 4 video, 8 phone), lastPing,
sessionIds (empty = not connected), …`

// peopleFlag adds --json for the people commands.
func (a *app) peopleJSONFlag(cmd *cobra.Command, what string) {
	cmd.Flags().BoolVar(&a.jsonOut, "json", false, what)
}

// peopleOptions are the argument and flags of talkmod people.
type peopleOptions struct {
	// Room is the TOKEN_OR_LINK.
	Room string
	// Waiting lists only those waiting in the lobby.
	Waiting bool
}

func (a *app) peopleCmd() *cobra.Command {
	opts := &peopleOptions{}
	cmd := &cobra.Command{
		Use:   "people TOKEN_OR_LINK [--waiting] [--json]",
		Short: "List who is in a webinar: waiting in the lobby, in the call, let in, moderators",
		Long: `List the people of a conversation (moderators only): name, kind, state and
since when the server last heard from them (their join or last ping), in the
display zone. States: waiting in the lobby, in the call (audio, video, phone),
in the call, not let in (sent back to the lobby during the call: the server
does not end their call), let in, connected, not connected. With --waiting,
only those waiting in the lobby now.

` + peopleJSONHelp + `

` + exit.CodesHelp,
		Example: `  talkmod people 123456789
  talkmod people https://cloud.example.com/call/123456789 --waiting --json`,
		Args: exactArgs(1, "a conversation token or link"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Room = args[0]
			return a.runPeople(cmd.Context(), opts)
		},
		ValidArgsFunction: a.completeTokens(),
	}
	cmd.Flags().BoolVar(&opts.Waiting, "waiting", false, "only the people waiting in the lobby now")
	a.peopleJSONFlag(cmd, "print the participant objects as the server sent them (errors as {\"error\":{...}})")
	return cmd
}

// runPeople lists the people of a room.
func (a *app) runPeople(ctx context.Context, opts *peopleOptions) error {
	rp, err := a.roomPeople(ctx, opts.Room)
	if err != nil {
		return err
	}
	room, people := rp.room, rp.people
	if opts.Waiting {
		people = roster.Filter(people, func(p models.Participant) bool { return p.State(room) == models.StateWaiting })
	}
	if a.jsonOut {
		return output.JSON(a.stdout, roster.Raw(people))
	}
	roster.Print(a.stdout, room, people, a.now(), rp.s.zone, opts.Waiting)
	return nil
}

// roomRead is a room and its people as read for a people command, with
// the client and account it was read with.
type roomRead struct {
	c      *client.Client
	s      *resolvedAccount
	token  string
	room   models.Room
	people []models.Participant
}

// roomPeople is the people commands' one "parse TOKEN_OR_LINK → account
// and client → read the room and its people" step.
func (a *app) roomPeople(ctx context.Context, arg string) (roomRead, error) {
	c, s, token, err := a.oneRoom(arg)
	if err != nil {
		return roomRead{}, err
	}
	room, people, err := roster.Read(ctx, c, token)
	if err != nil {
		return roomRead{}, err
	}
	return roomRead{c: c, s: s, token: token, room: room, people: people}, nil
}

// personAction is admit, hold or remove.
type personAction struct {
	name string // "admit", "hold", "remove"
	do   func(ctx context.Context, c *client.Client, token string, p models.Participant) error
	word func(before models.Participant) string
	// check, when set, refuses a person before anything is sent (floor,
	// promote, demote: cmd/talkmod/floor.go).
	check func(c *client.Client, p models.Participant, opts *personOptions) error
}

var (
	admitAction = personAction{name: "admit",
		do: func(ctx context.Context, c *client.Client, token string, p models.Participant) error {
			_, err := c.SetAttendeePermissions(ctx, token, p.AttendeeID, client.PermissionAdd, models.PermissionIgnoreLobby)
			return err
		}, word: people.AdmitOutcome}
	holdAction = personAction{name: "hold",
		do: func(ctx context.Context, c *client.Client, token string, p models.Participant) error {
			_, err := c.SetAttendeePermissions(ctx, token, p.AttendeeID, client.PermissionRemove, models.PermissionIgnoreLobby)
			return err
		}, word: people.HoldOutcome}
	removeAction = personAction{name: "remove",
		do: func(ctx context.Context, c *client.Client, token string, p models.Participant) error {
			return c.RemoveAttendee(ctx, token, p.AttendeeID)
		}, word: people.RemoveOutcome}
)

// personOptions are the arguments and flags of talkmod admit, hold and
// remove.
type personOptions struct {
	// Room is the TOKEN_OR_LINK, Who the people named after it.
	Room string
	Who  []string
	// AllWaiting (admit) adds everyone waiting in the lobby now.
	AllWaiting bool
	// Yes (remove) confirms the removal.
	Yes    bool
	Action personAction
}

// personArgs checks TOKEN_OR_LINK WHO... (WHO may be left out when
// whoOptional says so: admit --all-waiting; AllWaiting is false for the
// others).
func personArgs(whoOptional func() bool) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < 1 || (len(args) < 2 && !whoOptional()) {
			or := ""
			if cmd.Flags().Lookup("all-waiting") != nil {
				or = " (or --all-waiting)"
			}
			return cmdutil.UsageErrorf("%s needs a conversation token or link and WHO%s (usage: %s)", cmd.CommandPath(), or, cmd.UseLine())
		}
		return nil
	}
}

// personRun fills opts from the arguments and runs the action.
func (a *app) personRun(opts *personOptions) func(cmd *cobra.Command, args []string) error {
	return func(cmd *cobra.Command, args []string) error {
		opts.Room, opts.Who = args[0], args[1:]
		if opts.Action.name == "remove" && !opts.Yes {
			return cmdutil.UsageErrorf("remove takes people out of the conversation and its call: add --yes to confirm (nothing was sent)")
		}
		return a.runPersonAction(cmd.Context(), opts)
	}
}

// personCmd builds admit, hold or remove: TOKEN_OR_LINK WHO..., the token
// completion and --json; the caller adds its own flags.
func (a *app) personCmd(opts *personOptions, use, short, long, example string) *cobra.Command {
	cmd := &cobra.Command{
		Use:     use,
		Short:   short,
		Long:    long + "\n\n" + whoHelp + "\n\n" + exit.CodesHelp,
		Example: example,
		Args:    personArgs(func() bool { return opts.AllWaiting }),
		RunE:    a.personRun(opts),

		ValidArgsFunction: a.completeTokens(),
	}
	a.peopleJSONFlag(cmd, "print one result object per person")
	return cmd
}

func (a *app) admitCmd() *cobra.Command {
	opts := &personOptions{Action: admitAction}
	cmd := a.personCmd(opts, "admit TOKEN_OR_LINK WHO... [--all-waiting]",
		"Let people past the lobby (the web UI's \"Move to conversation\")",
		`Let people past the lobby without lifting it: they may join the call and the
chat while the lobby stays on for everyone else (permission 8 added). With
--all-waiting, everyone waiting in the lobby now, one request each.
Undo: talkmod hold.`,
		`  talkmod admit 123456789 "Jordan Smith" '#24'
  talkmod admit 123456789 --all-waiting`)
	cmd.Flags().BoolVar(&opts.AllWaiting, "all-waiting", false, "let in everyone waiting in the lobby now (the lobby stays on)")
	return cmd
}

func (a *app) holdCmd() *cobra.Command {
	return a.personCmd(&personOptions{Action: holdAction}, "hold TOKEN_OR_LINK WHO...",
		"Send people back to the lobby (the web UI's \"Move back to lobby\")",
		`Send people back to the lobby (permission 8 removed). Someone in the call
stays in it: the server does not end their call ("in the call, not let in");
remove them to end it. Undo: talkmod admit.`, "")
}

func (a *app) removeCmd() *cobra.Command {
	opts := &personOptions{Action: removeAction}
	cmd := a.personCmd(opts, "remove TOKEN_OR_LINK WHO... --yes",
		"Remove people from a conversation (needs --yes)",
		`Remove people from the conversation (and so from its call). Without --yes
nothing is sent (exit 2). Undo: add them again in Talk; they get a new attendee
id. A guest can come back through the public link. The owner cannot be removed
(403 owner); removing yourself as the last moderator is refused (400).`, "")
	cmd.Flags().BoolVar(&opts.Yes, "yes", false, "confirm the removal")
	return cmd
}

// personResult is one person's outcome (--json).
type personResult struct {
	Who        string              `json:"who"`
	AttendeeID int64               `json:"attendeeId"`
	Name       string              `json:"name"`
	Action     string              `json:"action"`
	OK         bool                `json:"ok"`
	Outcome    string              `json:"outcome"`
	Error      *exit.JSONErrorBody `json:"error,omitempty"`
}

// runPersonAction admits, holds or removes the people opts names.
func (a *app) runPersonAction(ctx context.Context, opts *personOptions) error {
	act := opts.Action
	rp, err := a.roomPeople(ctx, opts.Room)
	if err != nil {
		return err
	}
	c, token, room, people := rp.c, rp.token, rp.room, rp.people
	type target struct {
		who string
		p   models.Participant
	}
	var targets []target
	seen := map[int64]bool{}
	add := func(who string, p models.Participant) {
		if !seen[p.AttendeeID] {
			seen[p.AttendeeID] = true
			targets = append(targets, target{who, p})
		}
	}
	if opts.AllWaiting {
		for _, p := range people {
			if p.State(room) == models.StateWaiting {
				add("--all-waiting", p)
			}
		}
	}
	for _, who := range opts.Who {
		p, err := roster.Resolve(who, people, room)
		if err != nil {
			return err // nothing sent
		}
		if act.name == "remove" && p.ActorType == models.ActorUsers && strings.EqualFold(p.ActorID, c.User()) {
			// your own attendee id means "leave"; the last user leaving
			// deletes the conversation
			return cmdutil.UsageErrorf("%s (#%d) is you: talkmod does not remove you; leave the conversation in Talk (nothing was sent)", words.PersonName(p), p.AttendeeID)
		}
		if act.check != nil {
			if err := act.check(c, p, opts); err != nil {
				return err // nothing sent
			}
		}
		add(who, p)
	}
	if len(targets) == 0 {
		if a.jsonOut {
			return output.JSON(a.stdout, []personResult{})
		}
		fmt.Fprintf(a.stdout, "%s: nobody is waiting in the lobby.\n", sanitize.Line(room.Label()))
		return nil
	}
	var worst error
	failed := 0
	for _, t := range targets {
		err := act.do(ctx, c, token, t.p)
		res := personResult{Who: t.who, AttendeeID: t.p.AttendeeID, Name: words.PersonName(t.p), Action: act.name, OK: err == nil}
		if err == nil {
			res.Outcome = act.word(t.p)
		} else {
			failed++
			body := exit.JSON(err).Error
			res.Error = &body
			res.Outcome = "not done: " + exit.Message(err)
			if worst == nil || exit.Worst(exit.Code(err), exit.Code(worst)) != exit.Code(worst) {
				worst = err
			}
		}
		if a.jsonOut {
			if err := output.JSON(a.stdout, res); err != nil {
				return err
			}
		} else {
			fmt.Fprintf(a.stdout, "%s (#%d): %s\n", res.Name, res.AttendeeID, res.Outcome)
		}
	}
	if worst != nil {
		return &exit.ContextError{Msg: fmt.Sprintf("%d of %d not done", failed, len(targets)), Err: worst}
	}
	return nil
}
