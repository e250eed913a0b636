package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/talkmod/talkmod/client"
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
  9  server or network unavailable (timeouts, 5xx, maintenance)`

// usageError is a mistake on the command line (exit 2).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

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

// exitCode maps an error to talkmod's exit code.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ue *usageError
	var nl *notLoggedInError
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &nl):
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
	if errors.Is(err, context.Canceled) {
		return exitFailure
	}
	return exitFailure
}
