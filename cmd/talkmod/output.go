package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mattn/go-runewidth"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/safetext"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// cleanBlock is sanitize.Line keeping the line breaks (and a tab as two spaces),
// for messages laid out on lines, such as cobra's "Did you mean this?".
func cleanBlock(s string) string {
	return strings.TrimRight(sanitize.Block(strings.ReplaceAll(s, "\t", "  ")), "\n ")
}

// writeTable prints an aligned table. Every cell is sanitized here, so
// callers may pass server strings as they came.
func writeTable(w io.Writer, header []string, rows [][]string) {
	all := append([][]string{header}, rows...)
	widths := make([]int, len(header))
	for i, row := range all {
		for j := range row {
			row[j] = sanitize.Line(row[j])
			if j < len(widths) {
				widths[j] = max(widths[j], runewidth.StringWidth(row[j]))
			}
		}
		all[i] = row
	}
	var b strings.Builder
	for _, row := range all {
		b.Reset()
		for j, cell := range row {
			if j == len(row)-1 {
				b.WriteString(cell)
				break
			}
			b.WriteString(cell)
			b.WriteString(strings.Repeat(" ", widths[j]-runewidth.StringWidth(cell)+2))
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// writeJSON prints v as indented JSON. Rooms the client kept as sent
// (models.Room.Raw) are printed as sent: every field, unknown ones too.
func writeJSON(w io.Writer, v any) error {
	switch x := v.(type) {
	case []models.Room:
		if allRaw(x) {
			return writeRawRooms(w, x)
		}
	case models.Room:
		if len(x.Raw) > 0 {
			var buf bytes.Buffer
			if err := json.Indent(&buf, x.Raw, "", "  "); err == nil {
				buf.WriteByte('\n')
				_, err = w.Write(safetext.EscapeJSON(buf.Bytes()))
				return err
			}
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	// Names like "Q&A" stay as they are ("Q\u0026A" helps nobody in a shell).
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(safetext.EscapeJSON(buf.Bytes()))
	return err
}

func allRaw(rooms []models.Room) bool {
	for _, r := range rooms {
		if len(r.Raw) == 0 {
			return false
		}
	}
	return true
}

// writeRawRooms prints a JSON array of the rooms as the server sent them,
// one room a line (a 10,000-room list is not re-indented: that would cost
// more than reading it).
func writeRawRooms(w io.Writer, rooms []models.Room) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("[")
	for i, r := range rooms {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n  ")
		safetext.WriteJSON(bw, r.Raw)
	}
	if len(rooms) > 0 {
		bw.WriteByte('\n')
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

// jsonError is the shape of an error on stdout with --json:
// {"error": {"status": 403, "reason": "config", "message": "..."}}.
type jsonError struct {
	Error jsonErrorBody `json:"error"`
}

type jsonErrorBody struct {
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

func errorJSON(err error) jsonError {
	body := jsonErrorBody{Kind: errorKindWord(err), ExitCode: exitCode(err), Message: errorMessage(err)}
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
	return jsonError{Error: body}
}

func errorKindWord(err error) string {
	o := findOwn(err)
	switch {
	case o.notSent != nil:
		return "not sent"
	case o.refused != nil:
		return o.refused.kind
	case o.usage != nil:
		return "usage"
	case o.notLoggedIn != nil:
		return "not logged in"
	}
	return client.KindOf(err).String()
}

// errorMessage says what went wrong in plain words, safe for a terminal.
func errorMessage(err error) string { return safetext.RedactURLs(errorWords(err)) }

func errorWords(err error) string {
	o := findOwn(err)
	if o.context != nil {
		return sanitize.Line(o.context.msg) + ": " + errorWords(o.context.err)
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
