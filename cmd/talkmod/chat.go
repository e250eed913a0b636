package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/chatfeed"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// The webinar's chat: talkmod chat, say, delete-message and read-only
// (issue 18). Every word comes from tui/words, as in the console.

const chatErrorsHelp = `While the lobby holds you back (you are not a moderator and were not let in),
the server refuses to read or write the chat (exit 6). While the conversation
is read-only (locked), nobody can write, moderators included (exit 4).`

// chatOptions are the argument and flags of talkmod chat.
type chatOptions struct {
	Room   string
	Limit  int
	Follow bool
}

// defaultChatLimit is how many messages talkmod chat prints.
const defaultChatLimit = 20

func (a *app) chatCmd() *cobra.Command {
	opts := &chatOptions{}
	cmd := &cobra.Command{
		Use:   "chat TOKEN_OR_LINK [--limit N] [--follow] [--json]",
		Short: "Read a webinar's chat: the last messages, and with --follow the new ones as they come",
		Long: `Print the last messages of a conversation's chat (default 20), oldest first,
one a line: time (display zone), author (guests and bots marked), text
(mentions as @name; a reply with a short quote of the message it answers;
system messages in words; a deleted message as "deleted by …").

With --follow it goes on printing new messages as they come, like tail -f,
until interrupted (ctrl+c: exit 0). It keeps one request open at a time (a
long poll of up to 30 s, as the web interface does): a throttled server (429)
pauses it, a lost connection is retried with growing pauses.

With --json each message object is printed as the server sent it, one per
line: id, token, actorType (users, guests, bots), actorId, actorDisplayName,
timestamp (unix seconds), message (with {placeholders}), messageParameters
([] or an object), systemMessage, messageType (comment, system,
comment_deleted), parent (the message answered), deleted, silent, …

` + chatErrorsHelp + `

` + exit.CodesHelp,
		Example: `  talkmod chat 123456789
  talkmod chat https://cloud.example.com/call/123456789 --limit 50 --follow
  talkmod chat 123456789 --json | jq -r .message`,
		Args: exactArgs(1, "a conversation token or link"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Room = args[0]
			if opts.Limit < 1 || opts.Limit > client.MaxHistoryLimit {
				return cmdutil.UsageErrorf("--limit must be 1 to %d", client.MaxHistoryLimit)
			}
			return a.runChat(cmd.Context(), opts)
		},
		ValidArgsFunction: a.completeTokens(),
	}
	cmd.Flags().IntVar(&opts.Limit, "limit", defaultChatLimit, "how many of the last messages to print (1 to 200)")
	cmd.Flags().BoolVarP(&opts.Follow, "follow", "f", false, "go on printing new messages until interrupted")
	cmd.Flags().BoolVar(&a.jsonOut, "json", false, "print the message objects as the server sent them, one per line")
	return cmd
}

// runChat prints the history, then follows.
func (a *app) runChat(ctx context.Context, opts *chatOptions) error {
	c, s, token, err := a.oneRoom(opts.Room)
	if err != nil {
		return err
	}
	page, err := c.ChatHistory(ctx, token, client.HistoryOptions{Limit: opts.Limit})
	if err != nil {
		return err
	}
	loc := time.Local
	if s != nil && s.zone != nil {
		loc = s.zone
	}
	p := chatfeed.NewPrinter(a.stdout, a.jsonOut, a.now, loc)
	var last int64
	for i := len(page.Messages) - 1; i >= 0; i-- {
		p.Print(page.Messages[i])
		last = max(last, page.Messages[i].ID)
	}
	if err := p.Flush(); err != nil || !opts.Follow {
		return err
	}
	return chatfeed.Follow(ctx, c, token, last, p, func(err error, wait time.Duration) {
		fmt.Fprintf(a.stderr, "talkmod: %s; trying again in %s\n", exit.Message(err), words.Duration(wait))
	})
}

// sayOptions are the arguments and flags of talkmod say.
type sayOptions struct {
	Room    string
	Text    []string
	ReplyTo int64
	Silent  bool
}

func (a *app) sayCmd() *cobra.Command {
	opts := &sayOptions{}
	cmd := &cobra.Command{
		Use:   "say TOKEN_OR_LINK TEXT... | - [--reply-to ID] [--silent]",
		Short: "Post a message in a webinar's chat",
		Long: `Post a message in a conversation's chat and print its id. The words of TEXT
are joined by spaces; with "-" the text is read from stdin (up to 32000
characters; line breaks are kept). @user mentions a participant by user id,
@all everyone. --reply-to answers a message (its id, as talkmod chat --json
shows it); --silent posts without notifying anyone. A post is sent once and
never retried (a retry could post it twice).

` + chatErrorsHelp + `

` + exit.CodesHelp,
		Example: `  talkmod say 123456789 Welcome, we start in five minutes
  talkmod say 123456789 --reply-to 4711 Yes, the slides will be shared
  echo "The recording is online" | talkmod say 123456789 -`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 2 {
				return cmdutil.UsageErrorf("%s needs a conversation and the text (usage: %s)", cmd.CommandPath(), cmd.UseLine())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Room, opts.Text = args[0], args[1:]
			if opts.ReplyTo < 0 {
				return cmdutil.UsageErrorf("--reply-to needs a message id (a positive number)")
			}
			return a.runSay(cmd.Context(), opts)
		},
		ValidArgsFunction: a.completeTokens(),
	}
	cmd.Flags().Int64Var(&opts.ReplyTo, "reply-to", 0, "the id of the message this answers")
	cmd.Flags().BoolVar(&opts.Silent, "silent", false, "post without notifying anyone")
	return cmd
}

func (a *app) runSay(ctx context.Context, opts *sayOptions) error {
	text := strings.Join(opts.Text, " ")
	if len(opts.Text) == 1 && opts.Text[0] == "-" {
		b, err := io.ReadAll(io.LimitReader(a.stdin, 4*models.MaxMessageLength+4))
		if err != nil {
			return cmdutil.UsageErrorf("cannot read the message from stdin: %v", err)
		}
		text = strings.TrimRight(string(b), "\r\n")
	}
	if strings.TrimSpace(text) == "" {
		return cmdutil.UsageErrorf("the message is empty: write something first")
	}
	c, _, token, err := a.oneRoom(opts.Room)
	if err != nil {
		return err
	}
	m, err := c.PostMessage(ctx, token, client.PostOptions{Message: text, ReplyTo: opts.ReplyTo, Silent: opts.Silent})
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, m.ID)
	return nil
}

// deleteMessageOptions are the arguments and flags of talkmod
// delete-message.
type deleteMessageOptions struct {
	Room string
	IDs  []int64
	Yes  bool
}

func (a *app) deleteMessageCmd() *cobra.Command {
	opts := &deleteMessageOptions{}
	cmd := &cobra.Command{
		Use:   "delete-message TOKEN_OR_LINK ID... --yes",
		Short: "Delete messages from a webinar's chat (asks for --yes)",
		Long: `Delete messages of a conversation's chat by id (as talkmod chat --json shows
them). Authors may delete their own messages, moderators anyone's (not in
one-to-one conversations); there is no age limit. A deleted message stays in
the chat as "deleted by …" for everyone; this cannot be undone, so it needs
--yes (without it: exit 2, nothing sent). System messages and messages
already deleted cannot be deleted (exit 7). One line per message on stdout;
the exit code is the most severe of the messages' outcomes.

` + chatErrorsHelp + `

` + exit.CodesHelp,
		Example: `  talkmod delete-message 123456789 4711 --yes`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 2 {
				return cmdutil.UsageErrorf("%s needs a conversation and at least one message id (usage: %s)", cmd.CommandPath(), cmd.UseLine())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Room = args[0]
			opts.IDs = nil
			for _, s := range args[1:] {
				id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
				if err != nil || id <= 0 {
					return cmdutil.UsageErrorf("%q is not a message id (a positive number)", s)
				}
				opts.IDs = append(opts.IDs, id)
			}
			return a.runDeleteMessage(cmd.Context(), opts)
		},
		ValidArgsFunction: a.completeTokens(),
	}
	yesFlag(cmd, &opts.Yes)
	return cmd
}

func (a *app) runDeleteMessage(ctx context.Context, opts *deleteMessageOptions) error {
	if !opts.Yes {
		return &exit.RefusedError{Kind: "confirmation needed",
			Msg: fmt.Sprintf("deleting %s cannot be undone (everyone then sees it as deleted): add --yes; nothing was sent", words.Count(len(opts.IDs), "message", "messages"))}
	}
	c, _, token, err := a.oneRoom(opts.Room)
	if err != nil {
		return err
	}
	var codes []int
	var firstErr error
	for _, id := range opts.IDs {
		sys, err := c.DeleteMessage(ctx, token, id)
		if err != nil {
			codes = append(codes, exit.Code(err))
			if firstErr == nil {
				firstErr = err
			}
			if len(opts.IDs) > 1 { // one alone: its error says it (stderr)
				fmt.Fprintf(a.stdout, "%d: not deleted: %s\n", id, exit.Message(err))
			}
			continue
		}
		codes = append(codes, exit.OK)
		author := "?"
		if sys.Parent != nil {
			author = words.ChatAuthor(*sys.Parent)
		}
		fmt.Fprintln(a.stdout, sanitize.Line(words.MessageDeleted(id, author)))
	}
	if code := exit.Worst(codes...); code != exit.OK {
		if len(opts.IDs) == 1 {
			return firstErr
		}
		return &exit.OutcomeError{Code: code, Summary: fmt.Sprintf("%s not deleted", words.Count(countNot(codes), "message", "messages"))}
	}
	return nil
}

func countNot(codes []int) int {
	n := 0
	for _, c := range codes {
		if c != exit.OK {
			n++
		}
	}
	return n
}

// readOnlyOptions are the arguments and flags of talkmod read-only.
type readOnlyOptions struct {
	Room string
	On   bool
	Yes  bool
}

func (a *app) readOnlyCmd() *cobra.Command {
	opts := &readOnlyOptions{}
	cmd := &cobra.Command{
		Use:   "read-only TOKEN_OR_LINK on|off [--yes]",
		Short: "Lock (read-only) or unlock a webinar's chat",
		Long: `Lock a conversation (on: read-only) or unlock it (off). While it is locked
` + words.ReadOnlyLockWarning + `; reading still works. Locking while a
call runs therefore needs --yes (without it: exit 2, nothing sent). Undo with
"talkmod read-only TOKEN off" (the call does not come back: people rejoin).
Moderators only; group and public conversations only.

` + exit.CodesHelp,
		Example: `  talkmod read-only 123456789 on --yes
  talkmod read-only 123456789 off`,
		Args: exactArgs(2, "a conversation and on or off"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Room = args[0]
			switch strings.ToLower(args[1]) {
			case "on":
				opts.On = true
			case "off":
				opts.On = false
			default:
				return cmdutil.UsageErrorf("read-only takes on or off, not %q", args[1])
			}
			return a.runReadOnly(cmd.Context(), opts)
		},
		ValidArgsFunction: a.completeTokens("on", "off"),
	}
	yesFlag(cmd, &opts.Yes)
	return cmd
}

func (a *app) runReadOnly(ctx context.Context, opts *readOnlyOptions) error {
	c, _, token, err := a.oneRoom(opts.Room)
	if err != nil {
		return err
	}
	if opts.On && !opts.Yes {
		room, err := c.GetRoom(ctx, token)
		if err != nil {
			return err
		}
		if room.HasCall {
			return &exit.RefusedError{Kind: "confirmation needed",
				Msg: sanitize.Line(room.Label()) + ": a call is running, and locking ends it for everyone in it (" + words.ReadOnlyLockWarning + "): add --yes; nothing was sent"}
		}
	}
	room, err := c.SetReadOnly(ctx, token, opts.On)
	if err != nil {
		return err
	}
	line := sanitize.Line(room.Label()) + ": " + words.ReadOnlyOutcome(opts.On)
	if opts.On {
		line += "; undo: talkmod read-only " + token + " off"
	}
	fmt.Fprintln(a.stdout, line)
	return nil
}
