package main

import (
	"errors"
	"slices"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
)

// Exit codes. They are part of talkmod's interface: scripts branch on them.
const (
	exitOK           = 0 // done
	exitFailure      = 1 // any other failure
	exitUsage        = 2 // bad command line or input refused before sending
	exitUnauthorized = 3 // not logged in, or 401 (app password revoked or wrong)
	exitForbidden    = 4 // 403
	exitNotFound     = 5 // 404
	exitPrecondition = 6 // 412 (e.g. SIP dial-in not configured)
	exitRefused      = 7 // other 400s, 406
	exitThrottled    = 8 // 429
	exitUnavailable  = 9 // 5xx, maintenance, timeouts, network down
)

// exitCodesHelp is shown in --help.
const exitCodesHelp = `Exit codes:
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

// notLoggedInError says no account could be found (exit 3).
type notLoggedInError struct{ msg string }

func (e *notLoggedInError) Error() string { return e.msg }

// exitError carries an exit code chosen by a command, with its message.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// contextError puts talkmod's own words in front of an error while keeping
// it (its exit code and --json status come from the cause).
type contextError struct {
	msg string
	err error
}

func (e *contextError) Error() string { return e.msg + ": " + e.err.Error() }
func (e *contextError) Unwrap() error { return e.err }

// refusedError is a room talkmod did not send to, for a reason it knew
// before sending (exit 2): it cannot take the change ("skipped"), or the
// change needs --yes ("confirmation needed").
type refusedError struct {
	kind string
	msg  string
}

func (e *refusedError) Error() string { return e.msg }

func skipped(reason string) error { return &refusedError{kind: "skipped", msg: reason} }

// outcomeError ends a command that already printed its outcome (one line or
// JSON object per room): only the summary (stderr) and the exit code remain.
type outcomeError struct {
	code    int
	summary string
}

func (e *outcomeError) Error() string { return e.summary }

// printedOutcome reports whether the command printed its own outcome, so
// that no error JSON follows it on stdout.
func printedOutcome(err error) bool {
	var oe *outcomeError
	return errors.As(err, &oe)
}

// severity orders the exit codes of failures, most severe first: a server
// or network that is down, throttling, a login that no longer works, then
// the server's per-room answers, then anything else, then what talkmod
// refused before sending.
var severity = []int{exitUnavailable, exitThrottled, exitUnauthorized, exitForbidden, exitNotFound,
	exitPrecondition, exitRefused, exitFailure, exitUsage}

// worstExit is the exit code of several outcomes: 0 when all are 0, else
// the most severe (see severity).
func worstExit(codes ...int) int {
	best := len(severity)
	worst := exitOK
	for _, c := range codes {
		if c == exitOK {
			continue
		}
		i := slices.Index(severity, c)
		if i < 0 {
			i = slices.Index(severity, exitFailure)
		}
		if i < best {
			best, worst = i, severity[i]
		}
	}
	return worst
}

// ownErrors are talkmod's own errors found in an error's chain (nil where
// none): exitCode, errorKindWord and errorWords each decide from them.
type ownErrors struct {
	usage       *cmdutil.UsageError
	notLoggedIn *notLoggedInError
	exit        *exitError
	context     *contextError
	refused     *refusedError
	outcome     *outcomeError
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
		o.notLoggedIn = &notLoggedInError{msg: nf.Msg}
	}
	var amb *account.AmbiguousError
	if o.usage == nil && errors.As(err, &amb) {
		o.usage = &cmdutil.UsageError{Err: amb}
	}
	return o
}

// exitCode maps an error to talkmod's exit code.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	o := findOwn(err)
	switch {
	case o.outcome != nil:
		return o.outcome.code
	case o.notSent != nil:
		if o.notSent.Cause == nil {
			return exitFailure
		}
		return exitCode(o.notSent.Cause)
	case o.refused != nil:
		return exitUsage
	case o.exit != nil:
		return o.exit.code
	case o.usage != nil:
		return exitUsage
	case o.notLoggedIn != nil:
		return exitUnauthorized
	}
	switch client.KindOf(err) {
	case client.KindInvalidInput:
		return exitUsage
	case client.KindUnauthorized:
		return exitUnauthorized
	case client.KindForbidden:
		return exitForbidden
	case client.KindNotFound:
		return exitNotFound
	case client.KindPrecondition:
		return exitPrecondition
	case client.KindBadRequest, client.KindNotAcceptable:
		return exitRefused
	case client.KindThrottled:
		return exitThrottled
	case client.KindUnavailable:
		return exitUnavailable
	case client.KindNetwork:
		var ne *client.NetworkError
		if errors.As(err, &ne) && ne.Cause == "canceled" {
			return exitFailure
		}
		return exitUnavailable
	}
	return exitFailure // context.Canceled among them
}
