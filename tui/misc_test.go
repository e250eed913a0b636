package tui

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/talkmod/talkmod/client"
)

func TestNoColorAndDumbTerminal(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	if p := DefaultRenderer().ColorProfile(); p != termenv.Ascii {
		t.Fatalf("NO_COLOR: profile %v", p)
	}
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "dumb")
	if p := DefaultRenderer().ColorProfile(); p != termenv.Ascii {
		t.Fatalf("TERM=dumb: profile %v", p)
	}
}

// TestStylesOnlyFromRenderer guards the rule that every style comes from
// the session's renderer (styles.go), never the global one.
func TestStylesOnlyFromRenderer(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "styles.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"lipgloss.NewStyle(", "DefaultRenderer()", "help.New(", "spinner.New("} {
			src := string(b)
			if f == "app.go" && bad == "DefaultRenderer()" {
				src = strings.ReplaceAll(src, "func DefaultRenderer()", "")
				src = strings.ReplaceAll(src, "r = DefaultRenderer()", "")
			}
			if strings.Contains(src, bad) {
				t.Errorf("%s uses %s", f, bad)
			}
		}
	}
}

func TestNewWithoutBackend(t *testing.T) {
	m := New(Options{Renderer: asciiRenderer()})
	if m.Init() == nil {
		// Init batches nil commands: nothing to load, nothing breaks
	}
	nm, _ := m.Update(keyMsg("r"))
	if v := nm.View(); !strings.Contains(v, "talkmod") {
		t.Fatalf("view: %q", v)
	}
}

// Quitting cancels the requests still on their way: no goroutine waits
// on a slow server after the console is gone.
func TestQuitCancelsRequestsInFlight(t *testing.T) {
	started := make(chan struct{})
	cancelled := make(chan struct{})
	be := &ctxBackend{fakeBackend: demoBackend(), started: started, cancelled: cancelled}
	clock := &fakeClock{t: testNow}
	opts := testOptions(t, be, clock)
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), opts, tea.WithInput(pr), tea.WithOutput(io.Discard))
	}()
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("the list was never asked for")
	}
	if _, err := pw.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("q did not quit")
	}
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the request on its way was not cancelled at quit")
	}
	pw.Close()
}

// ctxBackend's ListRooms waits for its context to end.
type ctxBackend struct {
	*fakeBackend
	started, cancelled chan struct{}
	once               sync.Once
}

func (b *ctxBackend) ListRooms(ctx context.Context, _ client.ListOptions) (*client.RoomList, error) {
	b.once.Do(func() { close(b.started) })
	<-ctx.Done()
	close(b.cancelled)
	return nil, ctx.Err()
}
