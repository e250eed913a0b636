package output

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestJSONOutputEscapesTerminalRunes: --json keeps every string's value
// but writes the characters a terminal may act on (C1 controls, bidi
// overrides) as \u escapes, which encoding/json alone leaves raw.
func TestJSONOutputEscapesTerminalRunes(t *testing.T) {
	evil := "Q&A \u009b31m\u202eevil\x1b]0;x\a 👍🏽 Ünïcödé"
	var buf strings.Builder
	if err := JSON(&buf, map[string]string{"displayName": evil}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"\u009b", "\u202e", "\x1b", "\a"} {
		if strings.Contains(out, bad) {
			t.Errorf("raw %q in the JSON output: %q", bad, out)
		}
	}
	if !strings.Contains(out, `\u009b`) || !strings.Contains(out, `\u202e`) || !strings.Contains(out, "Q&A") || !strings.Contains(out, "Ünïcödé") {
		t.Errorf("output = %s", out)
	}
	var back map[string]string
	if err := json.Unmarshal([]byte(out), &back); err != nil || back["displayName"] != evil {
		t.Errorf("round trip: %q, %v", back["displayName"], err)
	}
}
