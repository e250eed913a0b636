package tui

import (
	"context"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// The header keeps the user and the zone when the server URL is long.
func TestHeaderKeepsUserAndZone(t *testing.T) {
	be := demoBackend()
	clock := &fakeClock{t: testNow}
	opts := testOptions(t, be, clock)
	opts.Server = "https://a-very-long-host-name.cloud.example.com/nextcloud/index.php"
	opts.User = "support-agent-alice"
	m := newModel(context.Background(), opts)
	for _, w := range []int{60, 80, 100, 120} {
		m.c.Width = w
		head := m.headerView(testNow)
		if ansi.StringWidth(head) > w {
			t.Errorf("%d: header %d wide", w, ansi.StringWidth(head))
		}
		mustContain(t, head, "support-agent-alice")
		mustContain(t, head, "CET")
	}
}
