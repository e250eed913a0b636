package serve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/safetext"
)

// event is one line of the audit log (JSON lines). It has no field
// for a password, a poll token or a cookie: none can be written.
type event struct {
	Time  time.Time `json:"time"`
	Event string    `json:"event"` // serve-start, serve-stop, session-start, session-end, change, login, keys-reloaded, warning
	// Who: the key as OpenSSH prints it, its role, the Nextcloud user, the
	// client's address.
	Fingerprint string `json:"fingerprint,omitempty"`
	Role        string `json:"role,omitempty"`
	User        string `json:"user,omitempty"`
	Remote      string `json:"remote,omitempty"`
	Session     string `json:"session,omitempty"`
	// A change: what, on which room, the values sent.
	Action   string         `json:"action,omitempty"`
	Token    string         `json:"token,omitempty"`
	RoomName string         `json:"roomName,omitempty"`
	Values   map[string]any `json:"values,omitempty"`
	// Outcome: "ok", "refused" (by talkmod, nothing sent), "error".
	Outcome string `json:"outcome,omitempty"`
	// Status is the HTTP status of the server's answer (0: none).
	Status int `json:"status,omitempty"`
	// Reason is the server's error word, or talkmod's.
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
	// Detail: session end reason, server address, ...
	Detail string `json:"detail,omitempty"`
}

// auditLog is the audit writer: JSON lines, one event a line, whole
// lines only, safe for concurrent use.
type auditLog struct {
	mu    sync.Mutex
	w     io.Writer
	close func() error
	now   func() time.Time
}

// openAudit opens the audit log: a file (created 0600, appended to), or
// w (standard error) when path is "".
func openAudit(path string, w io.Writer, now func() time.Time) (*auditLog, error) {
	if path == "" {
		return &auditLog{w: w, now: now}, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot open the audit log: %w", err)
	}
	if term.IsTerminal(int(f.Fd())) {
		f.Close()
		return nil, &UsageError{Err: fmt.Errorf("--audit-log %s is a terminal: leave --audit-log out to log to standard error", path)}
	}
	// an existing file may have been created with a wider mode
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, fmt.Errorf("cannot make the audit log private (chmod 600): %w", err)
	}
	return &auditLog{w: f, close: f.Close, now: now}, nil
}

func (a *auditLog) log(ev event) {
	if a == nil {
		return
	}
	if ev.Time.IsZero() {
		ev.Time = a.now().UTC()
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ev); err != nil {
		return
	}
	// C1 controls and bidi/format characters as \u escapes too: an
	// operator reading the log in a terminal sees data, never commands
	line := safetext.EscapeJSON(buf.Bytes())
	a.mu.Lock()
	defer a.mu.Unlock()
	a.w.Write(line)
}

func (a *auditLog) Close() error {
	if a == nil || a.close == nil {
		return nil
	}
	return a.close()
}
