package serve

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestAuditWriterWholeLinesOfData: the audit writer makes an existing
// file private, writes one JSON object a line even from many goroutines,
// and writes terminal controls in names as JSON escapes.
func TestAuditWriterWholeLinesOfData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	a, err := openAudit(path, nil, func() time.Time { return at })
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("audit log mode %v, want 0600", st.Mode().Perm())
	}
	name := "Webinar \x1b]0;pwned\a \u009b31m \u202e B"
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.log(event{Event: "change", RoomName: name, Values: map[string]any{"state": 1}})
		}()
	}
	wg.Wait()
	a.Close()
	raw, _ := os.ReadFile(path)
	if strings.ContainsAny(string(raw), "\x1b\x07\u009b\u202e") {
		t.Errorf("the audit log holds terminal controls:\n%q", raw)
	}
	n := 0
	sc := bufio.NewScanner(strings.NewReader(string(raw)))
	for sc.Scan() {
		var ev event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("line %d is not one JSON object: %q", n+1, sc.Text())
		}
		if ev.RoomName != name || !ev.Time.Equal(at) {
			t.Errorf("line %d: %+v", n+1, ev)
		}
		n++
	}
	if n != 50 {
		t.Errorf("%d lines, want 50", n)
	}
}

// TestAuditWriterRefusesATerminal: --audit-log naming a terminal is a
// usage error (the log would scribble over someone's screen).
func TestAuditWriterRefusesATerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	_, err = openAudit(tty.Name(), nil, time.Now)
	if _, ok := err.(*UsageError); !ok {
		t.Errorf("audit log on a terminal: %v, want a usage error", err)
	}
}
