package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/muesli/termenv"
)

// Tests of the colour profile and of where styles come from.

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
