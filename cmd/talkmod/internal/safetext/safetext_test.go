package safetext

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestEscapeJSONSameValueNoControls: C1 controls, bidi overrides and bytes
// that are not UTF-8 become escapes; the JSON value is the same (bad
// bytes read as U+FFFD, as encoding/json reads them); clean input is
// returned as it is.
func TestEscapeJSONSameValueNoControls(t *testing.T) {
	in := []byte("{\"name\":\"A\u009b31m \u202eB \xff C\"}\n")
	out := EscapeJSON(in)
	if bytes.ContainsAny(out, "\u009b\u202e") || bytes.Contains(out, []byte{0xff}) {
		t.Errorf("terminal controls left: %q", out)
	}
	var a, b map[string]string
	if err := json.Unmarshal(in, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out, &b); err != nil || a["name"] != b["name"] {
		t.Errorf("another value: %q → %q (%v)", a["name"], b["name"], err)
	}
	clean := []byte(`{"name":"Webinar A – Q&A"}`)
	if got := EscapeJSON(clean); !bytes.Equal(got, clean) {
		t.Errorf("clean input changed: %q", got)
	}
}

func TestRedactURLs(t *testing.T) {
	if got := RedactURLs("see https://a:b@h/x and http://h/y"); got != "see https://[REDACTED]@h/x and http://h/y" {
		t.Errorf("RedactURLs = %q", got)
	}
}
