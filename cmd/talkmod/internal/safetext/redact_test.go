package safetext

import (
	"log/slog"
	"strings"
	"testing"
)

func TestRedactAttr(t *testing.T) {
	for _, c := range []struct{ key, val string }{
		{"Authorization", "Basic YWxpY2U6c2VjcmV0"},
		{"appPassword", "xyz"},
		{"poll_token", "xyz"},
		{"msg", "header Authorization: Basic YWxpY2U6c2VjcmV0 sent"},
	} {
		got := RedactAttr(nil, slog.String(c.key, c.val)).Value.String()
		if strings.Contains(got, "YWxpY2U6c2VjcmV0") || strings.Contains(got, "xyz") {
			t.Errorf("%s=%q not redacted: %q", c.key, c.val, got)
		}
	}
	if got := RedactAttr(nil, slog.String("token", "abcd1234")).Value.String(); got != "abcd1234" {
		t.Errorf("a conversation token was redacted: %q", got)
	}
}
