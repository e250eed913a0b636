// Package output writes what talkmod's commands print: aligned tables and
// JSON, with every string made safe for a terminal.
package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mattn/go-runewidth"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/safetext"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// Table prints an aligned table. Every cell is sanitized here, so
// callers may pass server strings as they came.
func Table(w io.Writer, header []string, rows [][]string) {
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

// JSON prints v as indented JSON. Rooms the client kept as sent
// (models.Room.Raw) are printed as sent: every field, unknown ones too.
func JSON(w io.Writer, v any) error {
	switch x := v.(type) {
	case []models.Room:
		if allRaw(x) {
			return rawRooms(w, x)
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

// rawRooms prints a JSON array of the rooms as the server sent them,
// one room a line (a 10,000-room list is not re-indented: that would cost
// more than reading it).
func rawRooms(w io.Writer, rooms []models.Room) error {
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
