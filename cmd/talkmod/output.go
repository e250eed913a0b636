package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"

	"github.com/talkmod/talkmod/client"
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
				_, err = w.Write(escapeTerminalRunes(buf.Bytes()))
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
	_, err := w.Write(escapeTerminalRunes(buf.Bytes()))
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
		writeTerminalSafe(bw, r.Raw)
	}
	if len(rooms) > 0 {
		bw.WriteByte('\n')
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

// escapeTerminalRunes writes the characters a terminal may act on that
// encoding/json leaves as they are — C1 controls (U+0080–U+009F, among
// them the 8-bit CSI U+009B) and format characters such as the bidi
// override U+202E — as \uXXXX escapes. In encoded JSON such characters
// can only stand inside strings, so the result is the same JSON value;
// C0 controls and DEL are escaped by encoding/json already.
//
// Bytes that are not UTF-8 (which a server's raw JSON may hold; encoding/json
// never writes them) become \ufffd, as encoding/json would have decoded
// them: a lone 0x9b byte is CSI to an 8-bit terminal.
func escapeTerminalRunes(b []byte) []byte {
	clean := true
	for i := 0; i < len(b); {
		i += asciiRun(b[i:])
		if i >= len(b) {
			break
		}
		r, size := utf8.DecodeRune(b[i:])
		if terminalRune(r) || (r == utf8.RuneError && size == 1) {
			clean = false
			break
		}
		i += size
	}
	if clean {
		return b
	}
	var buf bytes.Buffer
	buf.Grow(len(b) + 16)
	writeTerminalSafe(&buf, b)
	return buf.Bytes()
}

// writeTerminalSafe writes b with escapeTerminalRunes' escapes, the
// clean runs as they are.
func writeTerminalSafe(w io.Writer, b []byte) {
	start := 0
	for i := 0; i < len(b); {
		i += asciiRun(b[i:])
		if i >= len(b) {
			break
		}
		r, size := utf8.DecodeRune(b[i:])
		bad := r == utf8.RuneError && size == 1
		if !bad && !terminalRune(r) {
			i += size
			continue
		}
		w.Write(b[start:i])
		w.Write(terminalEscape(nil, r, bad))
		i += size
		start = i
	}
	w.Write(b[start:])
}

// asciiRun counts b's leading ASCII bytes, eight at a time.
func asciiRun(b []byte) int {
	i := 0
	for i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 == 0 {
		i += 8
	}
	for i < len(b) && b[i] < utf8.RuneSelf {
		i++
	}
	return i
}

// terminalEscape appends the JSON escape of r (\ufffd for a byte that is
// not UTF-8).
func terminalEscape(out []byte, r rune, bad bool) []byte {
	switch {
	case bad:
		return append(out, `\ufffd`...)
	case r > 0xFFFF: // a surrogate pair, as JSON spells it
		r1, r2 := utf16.EncodeRune(r)
		return fmt.Appendf(out, "\\u%04x\\u%04x", r1, r2)
	}
	return fmt.Appendf(out, "\\u%04x", r)
}

// terminalRune is the one terminal-safe-rune predicate (sanitize.TerminalRune).
func terminalRune(r rune) bool { return sanitize.TerminalRune(r) }

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
func errorMessage(err error) string { return redactURLs(errorWords(err)) }

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
