package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/output"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/roster"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// The floor and the call: talkmod permissions, floor, promote, demote,
// end-call and attendance (issue 17).

const permissionsLong = `Without a preset: the room's default permissions and each person's rights
(audio, video, screen: what they may turn on), and where those come from
(moderator, given to them, or the room default). "taken; applies when their
app next updates" marks someone whose call still shows audio or video their
rights no longer allow: the server refuses those flags only at their next
join or update, so muting is their app's job.

With a preset, the room default is set:
  listen-only  attendees join the call and chat; moderators and those given
               the floor speak (sent as 132, stored as 133; such people
               cannot start the call)
  everyone     every right: start and join the call, audio, video, screen,
               chat (246; the lobby stays as it is)
  default      the server default (0)
Setting the default RESETS the rights given to people (the floor, and being
let in past the lobby): when someone would lose theirs, talkmod names them
and exits 2 without sending, unless --yes. The preset the room already has:
nothing is sent. Undo: set the previous preset again (given rights must be
given again).

With --json: {"defaultPermissions": N, "participants": [...]} with the
participant objects as the server sent them; after a change, the room object
the server answered with.`

func (a *app) permissionsCmd() *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "permissions TOKEN_OR_LINK [listen-only|everyone|default] [--yes] [--json]",
		Short: "Show or set who may speak: the room's default permissions and each person's rights",
		Long:  permissionsLong + "\n\n" + exit.CodesHelp,
		Example: `  talkmod permissions 123456789
  talkmod permissions 123456789 listen-only
  talkmod permissions 123456789 everyone --yes`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 1 || len(args) > 2 {
				return cmdutil.UsageErrorf("%s needs a conversation token or link, and optionally listen-only, everyone or default (usage: %s)", cmd.CommandPath(), cmd.UseLine())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				return a.showPermissions(cmd.Context(), args[0])
			}
			p, ok := models.ParsePreset(args[1])
			if !ok {
				return cmdutil.UsageErrorf("%q is not a preset: use listen-only, everyone or default (nothing was sent)", sanitize.Line(args[1]))
			}
			return a.setPermissions(cmd.Context(), args[0], p, yes)
		},
		ValidArgsFunction: a.completeTokens(),
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "set the default even though people lose the rights given to them")
	a.peopleJSONFlag(cmd, "print what the server sent (errors as {\"error\":{...}})")
	return cmd
}

// showPermissions prints the room default and everyone's rights.
func (a *app) showPermissions(ctx context.Context, arg string) error {
	rp, err := a.roomPeople(ctx, arg)
	if err != nil {
		return err
	}
	if a.jsonOut {
		return output.JSON(a.stdout, struct {
			DefaultPermissions int               `json:"defaultPermissions"`
			Participants       []json.RawMessage `json:"participants"`
		}{rp.room.DefaultPermissions, roster.Raw(rp.people)})
	}
	roster.PrintPermissions(a.stdout, rp.room, rp.people)
	return nil
}

// setPermissions sets the room default, first naming who would lose the
// rights given to them (exit 2 without --yes).
func (a *app) setPermissions(ctx context.Context, arg string, preset models.Preset, yes bool) error {
	rp, err := a.roomPeople(ctx, arg)
	if err != nil {
		return err
	}
	if cur, ok := models.PresetOf(rp.room.DefaultPermissions); ok && cur == preset {
		// as the console: the same default again would only reset the
		// rights given to people
		if a.jsonOut {
			return output.JSON(a.stdout, rp.room.Raw)
		}
		fmt.Fprintf(a.stdout, "%s: the default is already %s: nothing was sent\n", sanitize.Line(rp.room.Label()), words.Preset(preset))
		return nil
	}
	losers := models.LosesOwnPermissions(rp.people)
	if len(losers) > 0 && !yes {
		return &exit.RefusedError{Kind: "confirmation needed", Msg: fmt.Sprintf("setting the default of %s to %s resets the rights given to people (%s): %s%s. Add --yes to go ahead (nothing was sent)",
			sanitize.Line(rp.room.Label()), words.Preset(preset), words.LoseRightsNote(len(losers)), words.LosersList(losers, words.PersonName, 20), roster.LobbyNote(rp.room, losers))}
	}
	room, err := rp.c.SetDefaultPermissions(ctx, rp.token, preset.Value())
	if err != nil {
		return err
	}
	if a.jsonOut {
		if room.Raw != nil {
			return output.JSON(a.stdout, room.Raw)
		}
		return output.JSON(a.stdout, room)
	}
	fmt.Fprintf(a.stdout, "%s: default permissions now %s (stored as %d): %s\n", sanitize.Line(room.Label()), words.Preset(preset), room.DefaultPermissions, words.PresetMeaning(preset))
	if len(losers) > 0 {
		fmt.Fprintf(a.stdout, "%s: %s%s\n", words.RightsReset(len(losers)), words.LosersList(losers, words.PersonName, 20), roster.LobbyNote(rp.room, losers))
	}
	return nil
}

// floorCheck refuses moderators (they always have every right).
func floorCheck(_ *client.Client, p models.Participant, _ *personOptions) error {
	if p.IsModerator() {
		return cmdutil.UsageErrorf("%s (#%d) is a moderator: moderators always have the floor (nothing was sent)", words.PersonName(p), p.AttendeeID)
	}
	return nil
}

// floorAction gives (add) or takes (remove) bits of the floor.
func floorAction(give bool, bits int) personAction {
	name, method := "take", client.PermissionRemove
	if give {
		name, method = "give", client.PermissionAdd
	}
	return personAction{name: "floor " + name,
		do: func(ctx context.Context, c *client.Client, token string, p models.Participant) error {
			_, err := c.SetAttendeePermissions(ctx, token, p.AttendeeID, method, bits)
			return err
		},
		word:  func(before models.Participant) string { return words.FloorOutcome(give, bits, before) },
		check: floorCheck}
}

func (a *app) floorCmd() *cobra.Command {
	var audio, video, screen bool
	cmd := &cobra.Command{
		Use:   "floor TOKEN_OR_LINK WHO... give|take [--audio] [--video] [--screen]",
		Short: "Give people the floor (audio, video, screen) or take it back",
		Long: `Give people the floor: the rights to turn on audio, video and share a screen
(with none of --audio, --video, --screen named: all three), or take it back.
One request per person; the rights are theirs until the room's default is
changed or they are promoted (both reset them).

Taking the floor does not end anything at once: the server refuses audio or
video only at the person's next join or call update, so their app mutes them
("taken; applies when their app next updates"). Moderators always have the
floor. Undo: the other verb.

` + whoHelp + "\n\n" + exit.CodesHelp,
		Example: `  talkmod floor 123456789 "Bob Chen" give
  talkmod floor 123456789 '#24' bob take --video`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 3 {
				return cmdutil.UsageErrorf("%s needs a conversation token or link, WHO and give or take (usage: %s)", cmd.CommandPath(), cmd.UseLine())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			verb := strings.ToLower(args[len(args)-1])
			if verb != "give" && verb != "take" {
				return cmdutil.UsageErrorf("the last word must be give or take, not %q (nothing was sent)", sanitize.Line(args[len(args)-1]))
			}
			bits := 0
			if audio {
				bits |= models.PermissionAudio
			}
			if video {
				bits |= models.PermissionVideo
			}
			if screen {
				bits |= models.PermissionScreen
			}
			if bits == 0 {
				bits = models.PermissionsFloor
			}
			opts := &personOptions{Room: args[0], Who: args[1 : len(args)-1], Action: floorAction(verb == "give", bits)}
			return a.runPersonAction(cmd.Context(), opts)
		},
		ValidArgsFunction: a.completeTokens(),
	}
	cmd.Flags().BoolVar(&audio, "audio", false, "audio (the microphone)")
	cmd.Flags().BoolVar(&video, "video", false, "video (the camera)")
	cmd.Flags().BoolVar(&screen, "screen", false, "screen sharing")
	a.peopleJSONFlag(cmd, "print one result object per person")
	return cmd
}

// notYou refuses your own attendee (the server's 403).
func notYou(c *client.Client, p models.Participant) error {
	if p.ActorType == models.ActorUsers && strings.EqualFold(p.ActorID, c.User()) {
		return cmdutil.UsageErrorf("%s (#%d) is you: you cannot change your own role (nothing was sent)", words.PersonName(p), p.AttendeeID)
	}
	return nil
}

func (a *app) promoteCmd() *cobra.Command {
	opts := &personOptions{}
	opts.Action = personAction{name: "promote",
		do: func(ctx context.Context, c *client.Client, token string, p models.Participant) error {
			return c.PromoteModerator(ctx, token, p.AttendeeID)
		},
		word: words.PromoteOutcome,
		check: func(c *client.Client, p models.Participant, o *personOptions) error {
			if err := notYou(c, p); err != nil {
				return err
			}
			if p.HasOwnPermissions() && !o.Yes {
				return &exit.RefusedError{Kind: "confirmation needed", Msg: fmt.Sprintf("promoting %s (#%d) resets the rights given to them (%s); add --yes to go ahead (nothing was sent)",
					words.PersonName(p), p.AttendeeID, words.GivenRights(p.Permissions))}
			}
			return nil
		}}
	cmd := a.personCmd(opts, "promote TOKEN_OR_LINK WHO... [--yes]",
		"Make people co-moderators",
		`Make people moderators of the conversation (a guest becomes a guest
moderator): they may then do all that you can here. They stay in the call.
Promotion resets the rights given to them (the floor, being let in): when
someone has such rights, nothing is sent without --yes (exit 2). Undo:
talkmod demote.`, `  talkmod promote 123456789 "Carol Diaz"`)
	cmd.Flags().BoolVar(&opts.Yes, "yes", false, "promote even people whose given rights are reset by it")
	return cmd
}

func (a *app) demoteCmd() *cobra.Command {
	opts := &personOptions{}
	opts.Action = personAction{name: "demote",
		do: func(ctx context.Context, c *client.Client, token string, p models.Participant) error {
			return c.DemoteModerator(ctx, token, p.AttendeeID)
		},
		word:  words.DemoteOutcome,
		check: func(c *client.Client, p models.Participant, _ *personOptions) error { return notYou(c, p) }}
	return a.personCmd(opts, "demote TOKEN_OR_LINK WHO...",
		"Make co-moderators plain participants again",
		`Make moderators plain participants again (a guest moderator a guest): the
room's default permissions then apply to them. The owner cannot be demoted
(400). Undo: talkmod promote.`, "")
}

func (a *app) endCallCmd() *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "end-call TOKEN_OR_LINK --yes",
		Short: "End the call for everyone (needs --yes)",
		Long: `End the room's call for everyone in it. Without --yes nothing is sent (exit 2).
The server does this only for a moderator with a session of their own in the
conversation, so talkmod joins it for a moment (not the call), ends the call,
and leaves again: three requests, and no session is left behind. People stay
in the conversation; they can start a new call. With no call running,
nothing is sent.

With --json: {"token", "name", "inCall", "ok", "outcome"}.

` + exit.CodesHelp,
		Example: `  talkmod end-call 123456789 --yes`,
		Args:    exactArgs(1, "a conversation token or link"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !yes {
				return cmdutil.UsageErrorf("end-call ends the call for everyone in it: add --yes to confirm (nothing was sent)")
			}
			return a.runEndCall(cmd.Context(), args[0])
		},
		ValidArgsFunction: a.completeTokens(),
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "confirm ending the call for everyone")
	a.peopleJSONFlag(cmd, "print the result as a JSON object")
	return cmd
}

// endCallResult is end-call's --json.
type endCallResult struct {
	Token   string `json:"token"`
	Name    string `json:"name"`
	InCall  int    `json:"inCall"`
	OK      bool   `json:"ok"`
	Outcome string `json:"outcome"`
}

func (a *app) runEndCall(ctx context.Context, arg string) error {
	rp, err := a.roomPeople(ctx, arg)
	if err != nil {
		return err
	}
	res := endCallResult{Token: rp.token, Name: sanitize.Line(rp.room.Label()), InCall: roster.InCall(rp.people)}
	if !rp.room.HasCall {
		res.OK, res.Outcome = true, words.NoCall+": nothing to end (nothing was sent)"
	} else {
		if err := rp.c.EndCallForEveryone(ctx, rp.token); err != nil {
			return err
		}
		res.OK, res.Outcome = true, words.CallEnded
	}
	if a.jsonOut {
		return output.JSON(a.stdout, res)
	}
	if res.InCall > 0 && rp.room.HasCall {
		fmt.Fprintf(a.stdout, "%s: %s; %d were in the call\n", res.Name, res.Outcome, res.InCall)
	} else {
		fmt.Fprintf(a.stdout, "%s: %s\n", res.Name, res.Outcome)
	}
	return nil
}

func (a *app) attendanceCmd() *cobra.Command {
	var outFile string
	cmd := &cobra.Command{
		Use:   "attendance TOKEN_OR_LINK [--output FILE] [--json]",
		Short: "Download the attendance list of the running call (CSV)",
		Long: `Download who attended the running call: everyone who joined since it started,
those who already left included, as the server's CSV (name,email,type,
identifier). To stdout (control characters removed), or with --output to FILE
byte for byte (created 0600: it holds e-mail addresses). With --json: an
array of {"name", "email", "type", "identifier"}. The list exists only while
a call runs: otherwise exit 7 with "no call is running". Needs no session and
sends no format parameter (csv is the server's default).

` + exit.CodesHelp,
		Example: `  talkmod attendance 123456789
  talkmod attendance 123456789 --output webinar.csv`,
		Args: exactArgs(1, "a conversation token or link"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runAttendance(cmd.Context(), args[0], outFile)
		},
		ValidArgsFunction: a.completeTokens(),
	}
	cmd.Flags().StringVarP(&outFile, "output", "o", "", "write the CSV to this file (the server's bytes)")
	a.peopleJSONFlag(cmd, "print the rows as a JSON array")
	return cmd
}

func (a *app) runAttendance(ctx context.Context, arg, outFile string) error {
	c, _, token, err := a.oneRoom(arg)
	if err != nil {
		return err
	}
	att, err := c.Attendance(ctx, token)
	if err != nil {
		return err
	}
	rows, err := att.Rows()
	if err != nil {
		return err
	}
	if outFile != "" {
		if err := writePrivateFile(outFile, att.CSV); err != nil {
			return &exit.Error{Code: exit.Failure, Err: fmt.Errorf("cannot write the attendance list: %w", err)}
		}
	}
	switch {
	case a.jsonOut:
		return output.JSON(a.stdout, rows)
	case outFile != "":
		fmt.Fprintln(a.stdout, words.AttendanceSaved(len(rows), sanitize.Line(outFile)))
	default:
		_, err := fmt.Fprint(a.stdout, sanitize.Block(string(att.CSV)))
		return err
	}
	return nil
}

// writePrivateFile writes data to path, created 0600 (it replaces an
// existing file, keeping nothing of it), through a temporary file in the
// same folder.
func writePrivateFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".talkmod-attendance-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// consoleDownloadDir is --download-dir made absolute, so that the path the
// console shows is the whole path.
func (a *app) consoleDownloadDir() string {
	dir := a.downloadDir
	if dir == "" {
		dir = "."
	}
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}
