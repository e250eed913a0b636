// Package cmdutil holds what the commands of talkmod and the packages that
// do their work share: the error for a mistake on the command line.
package cmdutil

import "fmt"

// UsageError is a mistake on the command line, or a value refused before
// sending (exit 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// UsageErrorf makes a UsageError from a format.
func UsageErrorf(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}
