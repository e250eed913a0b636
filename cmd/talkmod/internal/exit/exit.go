// Package exit holds talkmod's exit codes and the errors that carry them:
// Code maps any error to its exit code, Worst gives the code of several
// outcomes, JSON and Message say an error on stdout (--json) and stderr.
package exit

import (
	"errors"
	"slices"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
)

// Exit codes. They are part of talkmod's interface: scripts branch on them.
const (
	OK           = 0 // done
	Failure      = 1 // any other failure
	Usage        = 2 // bad command line or input refused before sending
	Unauthorized = 3 // not logged in, or 401 (app password revoked or wrong)
	Forbidden    = 4 // 403
	NotFound     = 5 // 404
	Precondition = 6 // 412 (e.g. SIP dial-in not configured)
	Refused      = 7 // other 400s, 406
	Throttled    = 8 // 429
	Unavailable  = 9 // 5xx, maintenance, timeouts, network down
)

// CodesHelp is shown in --help.
const CodesHelp = `Exit codes:
  0  done
  1  any other failure
  2  usage (bad command line, or a value refused before sending)
  3  not logged in, or the server said 401 (app password revoked or wrong)
  4  forbidden (403: not a moderator, not in the SIP groups)
  5  not found (404: the conversation is gone or you are not in it)
  6  precondition failed (412: e.g. SIP dial-in not configured on the server)
  7  refused by the server (other 400s, 406)
  8  throttled (429)
  9  server or network unavailable (timeouts, 5xx, maintenance)
With several rooms: 0 when every room changed, else the most severe code among
the rooms, in this order: 9, 8, 3, 4, 5, 6, 7, 1, 2.`

// NotLoggedInError says no account could be found (exit 3).
type NotLoggedInError struct{ Msg string }

func (e *NotLoggedInError) Error() string { return e.Msg }

// NotLoggedIn is the error when no account can be found; detail, when
// given, says why.
func NotLoggedIn(detail string) error {
	msg := "not logged in: run talkmod login (or set TALKMOD_SERVER, TALKMOD_USER and TALKMOD_APP_PASSWORD)"
	if detail != "" {
		msg = detail + ": run talkmod login (or set TALKMOD_SERVER, TALKMOD_USER and TALKMOD_APP_PASSWORD)"
	}
	return &NotLoggedInError{Msg: msg}
}

// FindNotLoggedIn is the "not logged in" in an error's chain (the account
// store's NotFoundError among them), or nil.
func FindNotLoggedIn(err error) *NotLoggedInError { return findOwn(err).notLoggedIn }

// Error carries an exit code chosen by a command, with its message.
type Error struct {
	Code int
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// ContextError puts talkmod's own words in front of an error while keeping
// it (its exit code and --json status come from the cause).
type ContextError struct {
	Msg string
	Err error
}

func (e *ContextError) Error() string { return e.Msg + ": " + e.Err.Error() }
func (e *ContextError) Unwrap() error { return e.Err }

// WordedError is an error in talkmod's own words, keeping its cause for
// the exit code and the --json status.
type WordedError struct {
	Msg string
	Err error
}

func (e *WordedError) Error() string { return e.Msg }
func (e *WordedError) Unwrap() error { return e.Err }

// RefusedError is a room talkmod did not send to, for a reason it knew
// before sending (exit 2): it cannot take the change (Kind "skipped"), or
// the change needs --yes (Kind "confirmation needed").
type RefusedError struct {
	Kind string
	Msg  string
}

func (e *RefusedError) Error() string { return e.Msg }

// Skipped refuses a room that cannot take the change.
func Skipped(reason string) error { return &RefusedError{Kind: "skipped", Msg: reason} }

// OutcomeError ends a command that already printed its outcome (one line or
// JSON object per room): only the summary (stderr) and the exit code remain.
type OutcomeError struct {
	Code    int
	Summary string
}

func (e *OutcomeError) Error() string { return e.Summary }

// PrintedOutcome reports whether the command printed its own outcome, so
// that no error JSON follows it on stdout.
func PrintedOutcome(err error) bool {
	var oe *OutcomeError
	return errors.As(err, &oe)
}

// severity orders the exit codes of failures, most severe first: a server
// or network that is down, throttling, a login that no longer works, then
// the server's per-room answers, then anything else, then what talkmod
// refused before sending.
var severity = []int{Unavailable, Throttled, Unauthorized, Forbidden, NotFound,
	Precondition, Refused, Failure, Usage}

// Worst is the exit code of several outcomes: 0 when all are 0, else
// the most severe (see severity).
func Worst(codes ...int) int {
	best := len(severity)
	worst := OK
	for _, c := range codes {
		if c == OK {
			continue
		}
		i := slices.Index(severity, c)
		if i < 0 {
			i = slices.Index(severity, Failure)
		}
		if i < best {
			best, worst = i, severity[i]
		}
	}
	return worst
}

// ownErrors are talkmod's own errors found in an error's chain (nil where
// none): Code, kindWord and words each decide from them.
type ownErrors struct {
	usage       *cmdutil.UsageError
	notLoggedIn *NotLoggedInError
	exit        *Error
	context     *ContextError
	refused     *RefusedError
	outcome     *OutcomeError
	notSent     *client.NotSentError
}

func findOwn(err error) ownErrors {
	var o ownErrors
	errors.As(err, &o.usage)
	errors.As(err, &o.notLoggedIn)
	errors.As(err, &o.exit)
	errors.As(err, &o.context)
	errors.As(err, &o.refused)
	errors.As(err, &o.outcome)
	errors.As(err, &o.notSent)
	// the account store's errors are the commands' "not logged in" and
	// "usage"
	var nf *account.NotFoundError
	if o.notLoggedIn == nil && errors.As(err, &nf) {
		o.notLoggedIn = &NotLoggedInError{Msg: nf.Msg}
	}
	var amb *account.AmbiguousError
	if o.usage == nil && errors.As(err, &amb) {
		o.usage = &cmdutil.UsageError{Err: amb}
	}
	return o
}

// Code maps an error to talkmod's exit code.
func Code(err error) int {
	if err == nil {
		return OK
	}
	o := findOwn(err)
	switch {
	case o.outcome != nil:
		return o.outcome.Code
	case o.notSent != nil:
		if o.notSent.Cause == nil {
			return Failure
		}
		return Code(o.notSent.Cause)
	case o.refused != nil:
		return Usage
	case o.exit != nil:
		return o.exit.Code
	case o.usage != nil:
		return Usage
	case o.notLoggedIn != nil:
		return Unauthorized
	}
	switch client.KindOf(err) {
	case client.KindInvalidInput:
		return Usage
	case client.KindUnauthorized:
		return Unauthorized
	case client.KindForbidden:
		return Forbidden
	case client.KindNotFound:
		return NotFound
	case client.KindPrecondition:
		return Precondition
	case client.KindBadRequest, client.KindNotAcceptable:
		return Refused
	case client.KindThrottled:
		return Throttled
	case client.KindUnavailable:
		return Unavailable
	case client.KindNetwork:
		var ne *client.NetworkError
		if errors.As(err, &ne) && ne.Cause == "canceled" {
			return Failure
		}
		return Unavailable
	}
	return Failure // context.Canceled among them
}
