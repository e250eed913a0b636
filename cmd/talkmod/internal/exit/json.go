package exit

import (
	"errors"
	"strings"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/safetext"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// JSONError is the shape of an error on stdout with --json:
// {"error": {"status": 403, "reason": "config", "message": "..."}}.
type JSONError struct {
	Error JSONErrorBody `json:"error"`
}

// JSONErrorBody is the object under "error".
type JSONErrorBody struct {
	// Status is the HTTP status of the server's answer, 0 when there was none.
	Status int `json:"status"`
	// Reason is the server's error word (data.error), e.g. "config", or "".
	Reason string `json:"reason"`
	// Forced is the value an administrator forced (reason "forced").
	Forced *int `json:"forced,omitempty"`
	// Kind is talkmod's class of the error ("forbidden", "network", ...).
	Kind string `json:"kind"`
	// ExitCode is the process's exit code.
	ExitCode int `json:"exitCode"`
	// Message says it in plain words.
	Message string `json:"message"`
}

// JSON is an error as --json prints it.
func JSON(err error) JSONError {
	body := JSONErrorBody{Kind: kindWord(err), ExitCode: Code(err), Message: Message(err)}
	var ae *client.APIError
	var re *client.ResponseError
	switch {
	case errors.As(err, &ae):
		body.Status = ae.HTTPStatus
		body.Reason = ae.Reason
		body.Forced = ae.Forced
	case errors.As(err, &re):
		body.Status = re.HTTPStatus
	}
	return JSONError{Error: body}
}

func kindWord(err error) string {
	o := findOwn(err)
	switch {
	case o.notSent != nil:
		return "not sent"
	case o.refused != nil:
		return o.refused.Kind
	case o.usage != nil:
		return "usage"
	case o.notLoggedIn != nil:
		return "not logged in"
	}
	return client.KindOf(err).String()
}

// Message says what went wrong in plain words, safe for a terminal.
func Message(err error) string { return safetext.RedactURLs(words(err)) }

func words(err error) string {
	o := findOwn(err)
	if o.context != nil {
		return sanitize.Line(o.context.Msg) + ": " + words(o.context.Err)
	}
	switch {
	case o.notSent != nil:
		return sanitize.Line(o.notSent.Error())
	case o.usage != nil, o.notLoggedIn != nil, o.exit != nil, o.refused != nil, o.outcome != nil:
		return cleanBlock(err.Error())
	}
	if client.KindOf(err) == client.KindOther {
		return sanitize.Line(err.Error())
	}
	return sanitize.Line(client.Message(err))
}

// cleanBlock is sanitize.Line keeping the line breaks (and a tab as two spaces),
// for messages laid out on lines, such as cobra's "Did you mean this?".
func cleanBlock(s string) string {
	return strings.TrimRight(sanitize.Block(strings.ReplaceAll(s, "\t", "  ")), "\n ")
}
