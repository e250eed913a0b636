package tui

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
)

// Tests of the console's life: starting without a server, quitting with
// requests on their way.

// Without a server the console starts, asks nothing (Init has no
// command at all) and says why r does nothing.
func TestNewWithoutBackend(t *testing.T) {
	m := New(Options{Renderer: asciiRenderer()})
	if cmd := m.Init(); cmd != nil {
		t.Fatalf("Init without a backend returned a command (it would ask a server): %T", cmd())
	}
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	nm, _ = nm.Update(keyMsg("r"))
	v := nm.View()
	if !strings.Contains(v, "talkmod") || !strings.Contains(v, "no server to refresh from") {
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
