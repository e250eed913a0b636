package floor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
)

// AttendanceMsg is the outcome of writing the attendance list.
type AttendanceMsg struct {
	// ID is the room's identity in the list, Token its token.
	ID, Token string
	// Path is where the file was written; N how many people it lists.
	Path string
	N    int
	// At is when it was written.
	At time.Time
	// Rows are the list's lines as the server sent them (untrusted:
	// sanitize before showing), kept even when writing the file failed;
	// nil when the list could not be read.
	Rows []client.AttendanceRow
	Err  error
}

// DownloadAttendance reads the attendance list of the running call and
// writes it, byte for byte, to the server's file name in dir (0600: it
// holds e-mail addresses). An existing file is never replaced: " (2)",
// " (3)"… is added to the name. id is the room's identity in the list.
func DownloadAttendance(be Backend, run Runner, id, token, dir string, now func() time.Time) tea.Cmd {
	return run(func(ctx context.Context) tea.Msg {
		a, err := be.Attendance(ctx, token)
		if err != nil {
			return AttendanceMsg{ID: id, Token: token, Err: err}
		}
		rows, err := a.Rows()
		if err != nil {
			return AttendanceMsg{ID: id, Token: token, Err: err}
		}
		path, err := writeNew(dir, a.FileName, a.CSV)
		return AttendanceMsg{ID: id, Token: token, Path: path, N: len(rows), At: now(), Rows: rows, Err: err}
	})
}

// writeNew creates dir/name (or name (2)…) with data, mode 0600.
func writeNew(dir, name string, data []byte) (string, error) {
	name = client.SafeFileName(name, "attendance.csv")
	base, ext := strings.TrimSuffix(name, filepath.Ext(name)), filepath.Ext(name)
	for i := 1; i < 100; i++ {
		n := name
		if i > 1 {
			n = fmt.Sprintf("%s (%d)%s", base, i, ext)
		}
		path := filepath.Join(dir, n)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("cannot write the attendance list in %s: %w", dir, err)
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			os.Remove(path)
			return "", fmt.Errorf("cannot write %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return "", fmt.Errorf("cannot write %s: %w", path, err)
		}
		return path, nil
	}
	return "", fmt.Errorf("cannot write the attendance list: %s and 98 numbered copies exist in %s", name, dir)
}
