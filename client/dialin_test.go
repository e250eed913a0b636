package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// signalingOK is the shape of a real answer (Talk 21: TalkSignalingSettings),
// trimmed of secrets.
const signalingOK = `{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":{"signalingMode":"internal","userId":"mod","hideWarning":false,"server":"","ticket":"t","helloAuthParams":{"1.0":{"userid":"mod","ticket":"t"},"2.0":{"token":"x"}},"federation":null,"stunservers":[{"urls":["stun:stun.nextcloud.com:443"]}],"turnservers":[],"sipDialinInfo":"+49 30 1234567 (Germany)\n+1 555 0100 (USA)"}}}`

func TestDialInInfoRequestAndShape(t *testing.T) {
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write([]byte(signalingOK))
	}))
	defer srv.Close()
	text, err := newTestClient(t, srv.URL, time.Now()).DialInInfo(context.Background(), "3759050267")
	if err != nil || text != "+49 30 1234567 (Germany)\n+1 555 0100 (USA)" {
		t.Fatalf("DialInInfo = %q, %v", text, err)
	}
	if got.Method != http.MethodGet || got.URL.Path != "/ocs/v2.php/apps/spreed/api/v3/signaling/settings" {
		t.Errorf("request %s %s", got.Method, got.URL.Path)
	}
	q := got.URL.Query()
	if q.Get("token") != "3759050267" || q.Get("format") != "json" {
		t.Errorf("query %q", got.URL.RawQuery)
	}
	if got.Header.Get("OCS-APIRequest") != "true" || got.Header.Get("Accept") != "application/json" || got.Header.Get("Authorization") == "" {
		t.Errorf("headers %v", got.Header)
	}
}

func TestDialInInfoLenientData(t *testing.T) {
	cases := []struct {
		name, data, want string
	}{
		{"not configured", `{"signalingMode":"internal","sipDialinInfo":""}`, ""},
		{"field missing (old server)", `{"signalingMode":"internal"}`, ""},
		{"field null", `{"sipDialinInfo":null}`, ""},
		{"empty array", `[]`, ""},
		{"null data", `null`, ""},
		{"control characters kept for the caller to sanitize", `{"sipDialinInfo":"\u001b[31m+1 555\r\n\u202e0100"}`, "\x1b[31m+1 555\r\n\u202e0100"},
	}
	for _, c := range cases {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":` + c.data + `}}`))
		}))
		text, err := newTestClient(t, srv.URL, time.Now()).DialInInfo(context.Background(), "3759050267")
		srv.Close()
		if err != nil || text != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, text, err, c.want)
		}
	}
}

func TestDialInInfoBadShapes(t *testing.T) {
	for _, data := range []string{`"text"`, `42`, `{"sipDialinInfo":42}`, `{"sipDialinInfo":["a"]}`} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":` + data + `}}`))
		}))
		_, err := newTestClient(t, srv.URL, time.Now()).DialInInfo(context.Background(), "3759050267")
		srv.Close()
		var re *ResponseError
		if !errors.As(err, &re) || KindOf(err) != KindBadResponse {
			t.Errorf("data %s: err %v, want a ResponseError", data, err)
		}
	}
}

func TestDialInInfoErrors(t *testing.T) {
	cases := []struct {
		status int
		body   string
		kind   Kind
		words  string
	}{
		// the real controller: unknown room or not a participant → 404
		// (data [] on Talk ≤ 20, null on newer servers)
		{404, `{"ocs":{"meta":{"status":"failure","statuscode":404,"message":""},"data":null}}`, KindNotFound, "conversation is gone"},
		{404, `{"ocs":{"meta":{"status":"failure","statuscode":404,"message":""},"data":[]}}`, KindNotFound, "conversation is gone"},
		// a server without the v3 signaling route: OCS 998
		{404, `{"ocs":{"meta":{"status":"failure","statuscode":998,"message":"Invalid query"},"data":[]}}`, KindNotFound, "does not know this address"},
		{401, `{"ocs":{"meta":{"status":"failure","statuscode":997,"message":"Unauthorised"},"data":[]}}`, KindUnauthorized, "talkmod login"},
		{429, `{"ocs":{"meta":{"status":"failure","statuscode":429,"message":"Reached maximum delay"},"data":[]}}`, KindThrottled, "throttling"},
		{500, `<html>oops</html>`, KindUnavailable, "try again later"},
	}
	for _, c := range cases {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(c.status)
			_, _ = w.Write([]byte(c.body))
		}))
		text, err := newTestClient(t, srv.URL, time.Now()).DialInInfo(context.Background(), "3759050267")
		srv.Close()
		if err == nil || text != "" || KindOf(err) != c.kind || !strings.Contains(Message(err), c.words) {
			t.Errorf("HTTP %d: %q, kind %v, message %q; want kind %v with %q", c.status, text, KindOf(err), Message(err), c.kind, c.words)
		}
		if n.Load() != 1 {
			t.Errorf("HTTP %d: %d attempts, want 1 (never retried)", c.status, n.Load())
		}
	}
}

func TestDialInInfoChecksTheToken(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) }))
	defer srv.Close()
	cl := newTestClient(t, srv.URL, time.Now())
	for _, tok := range []string{"", "ABC", "abc", "a/b/c1", "12345&format=xml"} {
		if _, err := cl.DialInInfo(context.Background(), tok); KindOf(err) != KindInvalidInput {
			t.Errorf("token %q: err %v, want invalid input", tok, err)
		}
	}
	if n.Load() != 0 {
		t.Errorf("%d requests sent for bad tokens", n.Load())
	}
}
