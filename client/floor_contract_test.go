package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/talkmod/talkmod/client/internal/recorded"
	"github.com/talkmod/talkmod/models"
)

// seqReplay answers the requests it gets with recorded exchanges in turn
// (the last one again when they run out), with all their headers, and
// keeps what the client sent.
type seqReplay struct {
	*httptest.Server
	mu    sync.Mutex
	reqs  []*http.Request
	forms []string
}

func newSeqReplay(t *testing.T, exs ...recorded.Exchange) *seqReplay {
	t.Helper()
	r := &seqReplay{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		n := len(r.reqs)
		r.reqs = append(r.reqs, req)
		r.forms = append(r.forms, string(body))
		r.mu.Unlock()
		ex := exs[min(n, len(exs)-1)]
		for k, vs := range ex.Header {
			switch k {
			case "Content-Length", "Connection", "Date", "Host", "Transfer-Encoding":
				continue
			}
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		w.WriteHeader(ex.Status)
		body = ex.Body
		if strings.HasPrefix(ex.Header.Get("Content-Type"), "text/csv") {
			body = append(append([]byte(nil), body...), '\n') // the recording's text drops the last \n
		}
		_, _ = w.Write(body)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *seqReplay) sent() ([]*http.Request, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*http.Request(nil), r.reqs...), append([]string(nil), r.forms...)
}

func load(t *testing.T, name string) recorded.Exchange {
	t.Helper()
	rec, err := recorded.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return rec.First()
}

// okNull is the leave answer (DELETE participants/active → 200 null); the
// C series did not record a leave, its envelope is the one of C49.
func okNull(t *testing.T) recorded.Exchange { return load(t, "C49-end-call-for-everyone") }

// TestRecordedFloorAndCallDecode decodes every F and C exchange: success
// answers without error, failures as an error with plain words.
func TestRecordedFloorAndCallDecode(t *testing.T) {
	recs, err := recorded.All("F", "C")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 198 {
		t.Fatalf("%d F and C recordings, want 198", len(recs))
	}
	for _, rec := range recs {
		ex := rec.First()
		if ex.Status >= 300 {
			err := decodeAnswer(opDefaultPermissions, ex.Status, ex.Header, ex.Body, nil)
			if strings.HasSuffix(ex.URL.Path, "/download") && len(ex.Body) == 0 {
				continue // the empty 400: Attendance's own case (below)
			}
			if err == nil || Message(err) == "" {
				t.Errorf("%s: recorded %d decoded as %v", rec.Name, ex.Status, err)
			}
		}
	}
}

// TestRecordedDefaultPermissions sends what the F recordings sent to
// permissions/default where talkmod can express it, and reads the answer:
// the room with defaultPermissions as stored (132 → 133), or the error in
// plain words. 256 and -1 are refused before sending.
func TestRecordedDefaultPermissions(t *testing.T) {
	words := map[string]string{
		"F06-mode-call-removed":               "no call permissions any more",
		"F11-default-non-moderator-alice":     "not a moderator",
		"F12-default-one-to-one":              "one-to-one conversation has no default permissions",
		"F13-default-not-member-bob":          "conversation is gone",
		"F14-default-plain-participant-admin": "not a moderator",
		"F15-default-unknown-token":           "conversation is gone",
		"F10-default-missing-permissions":     "talkmod bug",
	}
	stored := map[string]int{"F03-default-listen-only-132": 133, "F17-default-json-body": 133, "F18-default-restricted-4": 5,
		"F19-default-all-254": 255, "F21-default-reset-0": 0, "F30-default-listen-only-132-again": 133, "F49-default-132-while-alice-custom-in-call": 133}
	recs, err := recorded.All("F")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, rec := range recs {
		ex := rec.First()
		if !strings.Contains(ex.URL.Path, "/permissions/") {
			continue
		}
		seen++
		t.Run(rec.Name, func(t *testing.T) {
			srv := newSeqReplay(t, ex)
			c := newTestClient(t, srv.URL, recordedAt(t, rec.Name))
			parts := strings.Split(ex.URL.Path, "/")
			token := parts[8]
			perms, perr := strconv.Atoi(ex.Form.Get("permissions"))
			if ex.JSONBody != "" {
				perms, perr = 132, nil
			}
			if !strings.HasSuffix(ex.URL.Path, "/permissions/default") || perr != nil || ex.User == "-" {
				// another mode, permissions missing or "abc", no login:
				// talkmod never sends these; the answers decode
				err := decodeAnswer(opDefaultPermissions, ex.Status, ex.Header, ex.Body, &maybeRoom{})
				if ex.Status >= 300 && (err == nil || Message(err) == "") {
					t.Fatalf("decoded as %v", err)
				}
				if w := words[rec.Name]; w != "" && !strings.Contains(Message(err), w) {
					t.Errorf("%q lacks %q", Message(err), w)
				}
				return
			}
			room, err := c.SetDefaultPermissions(context.Background(), token, perms)
			reqs, forms := srv.sent()
			if perms < 0 || perms > 255 {
				var ve *ValidationError
				if !errors.As(err, &ve) || len(reqs) != 0 {
					t.Fatalf("not refused before sending: %v, %d requests", err, len(reqs))
				}
				return
			}
			if len(reqs) != 1 || reqs[0].Method != http.MethodPut || reqs[0].URL.Path != ex.URL.Path {
				t.Fatalf("sent %d requests: %v", len(reqs), reqs)
			}
			if sent, _ := url.ParseQuery(forms[0]); sent.Get("permissions") != strconv.Itoa(perms) {
				t.Errorf("sent %q, want permissions=%d", forms[0], perms)
			}
			if ex.Status != 200 {
				checkFailure(t, err, ex)
				if w := words[rec.Name]; w != "" && !strings.Contains(Message(err), w) {
					t.Errorf("%q lacks %q", Message(err), w)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkRoom(t, room, expected(t, ex).room)
			if room.DefaultPermissions != stored[rec.Name] {
				t.Errorf("defaultPermissions %d, recorded %d", room.DefaultPermissions, stored[rec.Name])
			}
		})
	}
	if seen != 19 {
		t.Errorf("%d permission recordings, want 19", seen)
	}
}

// TestRecordedModerators sends every recorded promotion and demotion
// through PromoteModerator and DemoteModerator: the same method, path and
// attendee id, and the answer's words: 403 null (yourself) and 403 [] (not
// a moderator), 404 null (no such person) and 404 [] (no conversation),
// 400 null (already, owner, one-to-one).
func TestRecordedModerators(t *testing.T) {
	words := map[string]string{
		"F63-promote-alice-again":              "a moderator already",
		"F64-alice-promotes-owner-admin":       "owns the conversation",
		"F65-alice-demotes-owner-admin":        "not a moderator or owns",
		"F66-alice-promotes-self":              "your own role",
		"F67-admin-promotes-self":              "your own role",
		"F68-admin-demotes-self":               "your own role",
		"F69-bob-non-moderator-promotes-bob":   "you are not a moderator",
		"F72-demote-alice-again":               "not a moderator or owns",
		"F73-promote-unknown-attendee":         "no longer in the conversation",
		"F75-promote-attendee-of-other-room":   "no longer in the conversation",
		"F76-promote-one-to-one-bob":           "one-to-one",
		"F77-demote-one-to-one-bob":            "one-to-one",
		"F83-guest-non-moderator-promotes-bob": "you are not a moderator",
		"F88-guest-moderator-promotes-self":    "your own role",
	}
	recs, err := recorded.All("F")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, rec := range recs {
		ex := rec.First()
		if !strings.HasSuffix(ex.URL.Path, "/moderators") {
			continue
		}
		seen++
		t.Run(rec.Name, func(t *testing.T) {
			srv := newSeqReplay(t, ex)
			c := newTestClient(t, srv.URL, recordedAt(t, rec.Name))
			token := strings.Split(ex.URL.Path, "/")[8]
			raw := ex.Form.Get("attendeeId")
			if raw == "" {
				raw = ex.URL.Query().Get("attendeeId")
			}
			if ex.JSONBody != "" {
				raw = strings.Trim(strings.TrimPrefix(strings.TrimSpace(ex.JSONBody), `{"attendeeId":`), " }")
			}
			id, perr := strconv.ParseInt(raw, 10, 64)
			if perr != nil {
				// F74: no attendeeId, a 500 XML 996; talkmod refuses id 0
				checkFailure(t, decodeAnswer(opPromote, ex.Status, ex.Header, ex.Body, nil), ex)
				if err := c.PromoteModerator(context.Background(), token, 0); KindOf(err) != KindInvalidInput || srv.count() != 0 {
					t.Errorf("id 0 not refused before sending: %v", err)
				}
				return
			}
			var err error
			if ex.Method == http.MethodPost {
				err = c.PromoteModerator(context.Background(), token, id)
			} else {
				err = c.DemoteModerator(context.Background(), token, id)
			}
			reqs, forms := srv.sent()
			if len(reqs) != 1 || reqs[0].Method != ex.Method || reqs[0].URL.Path != ex.URL.Path {
				t.Fatalf("sent %v", reqs)
			}
			sentID := reqs[0].URL.Query().Get("attendeeId")
			if ex.Method == http.MethodPost {
				f, _ := url.ParseQuery(forms[0])
				sentID = f.Get("attendeeId")
			}
			if sentID != strconv.FormatInt(id, 10) {
				t.Errorf("sent attendee %q, want %d", sentID, id)
			}
			if ex.Status != 200 {
				checkFailure(t, err, ex)
				if w := words[rec.Name]; !strings.Contains(Message(err), w) {
					t.Errorf("%q lacks %q", Message(err), w)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
		})
	}
	if seen < 25 {
		t.Errorf("%d moderator recordings, want at least 25", seen)
	}
}

func (r *seqReplay) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

// TestRecordedAttendance reads the recorded attendance answers through
// Attendance: no format parameter sent, the CSV byte for byte, the
// server's file name, the rows; the empty 400 is "no call is running";
// 403 and 404 in plain words.
func TestRecordedAttendance(t *testing.T) {
	for _, c := range []struct {
		name  string
		rows  int
		words string
	}{
		{"C32-download-csv-during-call", 3, ""},
		{"C33-download-no-format", 3, ""},
		{"C39-download-admin-no-session", 3, ""},
		{"C72-download-csv-stale-call", -1, ""},
		{"C83-download-csv-alice-left-guest-not-joined", -1, ""},
		{"C95-download-csv-read-only", -1, ""},
		{"C04-download-no-call", 0, "no call is running"},
		{"C54-download-after-end", 0, "no call is running"},
		{"C85-download-csv-after-last-left", 0, "no call is running"},
		{"C59-download-no-format-non-moderator", 0, "not a moderator"},
		{"C60-download-no-format-unknown-room", 0, "conversation is gone"},
		{"C36-download-non-moderator-alice", 0, "not a moderator"}, // XML, as format=csv gets it
		{"C38-download-unknown-room", 0, "conversation is gone"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ex := load(t, c.name)
			srv := newSeqReplay(t, ex)
			cl := newTestClient(t, srv.URL, recordedAt(t, c.name))
			token := strings.Split(ex.URL.Path, "/")[8]
			a, err := cl.Attendance(context.Background(), token)
			reqs, _ := srv.sent()
			if len(reqs) != 1 || reqs[0].URL.Path != ex.URL.Path || reqs[0].URL.RawQuery != "" {
				t.Fatalf("sent %v (want no query: no format)", reqs)
			}
			if u, p, ok := reqs[0].BasicAuth(); !ok || u != "admin" || p == "" || reqs[0].Header.Get("OCS-APIRequest") != "true" {
				t.Errorf("sent without the login or the OCS header: %v", reqs[0].Header)
			}
			if c.words != "" {
				if err == nil || !strings.Contains(Message(err), c.words) {
					t.Fatalf("error %v: %q lacks %q", err, Message(err), c.words)
				}
				if IsNoCall(err) != (c.words == "no call is running") || KindOf(err) == KindOther {
					t.Errorf("IsNoCall %v, kind %v", IsNoCall(err), KindOf(err))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(a.CSV) != string(ex.Body)+"\n" || !strings.HasPrefix(a.ContentType, "text/csv") {
				t.Errorf("CSV %q (%s), recorded %q", a.CSV, a.ContentType, ex.Body)
			}
			if !strings.HasSuffix(a.FileName, " 2026-12-07.csv") || strings.ContainsAny(a.FileName, "/\\") {
				t.Errorf("file name %q", a.FileName)
			}
			rows, err := a.Rows()
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.Count(string(ex.Body), "\n"); len(rows) != want || (c.rows >= 0 && len(rows) != c.rows) {
				t.Errorf("%d rows, recorded %d", len(rows), want)
			}
			for _, r := range rows {
				if r.Type == "" || r.Identifier == "" {
					t.Errorf("row %+v lacks type or identifier", r)
				}
			}
			if c.name == "C32-download-csv-during-call" {
				want := []AttendanceRow{{"admin", "", "users", "admin"}, {"alice", "alice@example.com", "users", "alice"},
					{"Webinar Guest", "", "guests", "48209702d4a41887f9f4ca6feb98a6e77e97e5e8"}}
				for i := range want {
					if rows[i] != want[i] {
						t.Errorf("row %d = %+v, want %+v", i, rows[i], want[i])
					}
				}
				if a.FileName != "SIP-Public 2026-12-07.csv" {
					t.Errorf("file name %q", a.FileName)
				}
			}
		})
	}
}

// TestRecordedEndCallForEveryone: join (a session of talkmod's own, its
// cookie kept), DELETE /call?all=true, leave: three requests, the two
// last with the session cookie. The 404 null of a missing session says the
// call goes on, and talkmod still leaves.
func TestRecordedEndCallForEveryone(t *testing.T) {
	join := load(t, "C02-admin-join-room")
	t.Run("ended", func(t *testing.T) {
		srv := newSeqReplay(t, join, load(t, "C49-end-call-for-everyone"), okNull(t))
		c := newTestClient(t, srv.URL, recordedAt(t, "C49-end-call-for-everyone"))
		if err := c.EndCallForEveryone(context.Background(), "6259521717"); err != nil {
			t.Fatal(err)
		}
		reqs, forms := srv.sent()
		if len(reqs) != 3 {
			t.Fatalf("%d requests, want join, end, leave", len(reqs))
		}
		want := []struct{ method, path, query string }{
			{http.MethodPost, "/ocs/v2.php/apps/spreed/api/v4/room/6259521717/participants/active", ""},
			{http.MethodDelete, "/ocs/v2.php/apps/spreed/api/v4/call/6259521717", "true"},
			{http.MethodDelete, "/ocs/v2.php/apps/spreed/api/v4/room/6259521717/participants/active", ""},
		}
		for i, w := range want {
			if reqs[i].Method != w.method || reqs[i].URL.Path != w.path || reqs[i].URL.Query().Get("all") != w.query {
				t.Errorf("request %d: %s %s, want %s %s all=%q", i, reqs[i].Method, reqs[i].URL, w.method, w.path, w.query)
			}
		}
		if f, _ := url.ParseQuery(forms[0]); f.Get("force") != "true" {
			t.Errorf("join sent %q", forms[0])
		}
		for _, r := range reqs[1:] {
			if ck, err := r.Cookie("ocqj08y3z8hn"); err != nil || ck.Value == "" {
				t.Errorf("%s %s without the session cookie of the join", r.Method, r.URL.Path)
			}
		}
	})
	t.Run("no own session", func(t *testing.T) {
		srv := newSeqReplay(t, join, load(t, "C86-end-all-without-own-session"), okNull(t))
		c := newTestClient(t, srv.URL, recordedAt(t, "C86-end-all-without-own-session"))
		err := c.EndCallForEveryone(context.Background(), "6259521717")
		if KindOf(err) != KindNotFound || !strings.Contains(Message(err), "not ended and goes on") {
			t.Errorf("error %v: %q", err, Message(err))
		}
		if n := srv.count(); n != 3 {
			t.Errorf("%d requests: talkmod must leave again after a failed end", n)
		}
	})
	t.Run("join refused", func(t *testing.T) {
		srv := newSeqReplay(t, load(t, "C43-peers-not-member"))
		c := newTestClient(t, srv.URL, recordedAt(t, "C43-peers-not-member"))
		err := c.EndCallForEveryone(context.Background(), "6259521717")
		if KindOf(err) != KindNotFound || srv.count() != 1 {
			t.Errorf("error %v after %d requests, want a 404 after the join alone", err, srv.count())
		}
	})
	t.Run("leave fails", func(t *testing.T) {
		srv := newSeqReplay(t, join, load(t, "C49-end-call-for-everyone"), load(t, "C43-peers-not-member"))
		c := newTestClient(t, srv.URL, recordedAt(t, "C49-end-call-for-everyone"))
		err := c.EndCallForEveryone(context.Background(), "6259521717")
		var le *LeaveError
		if !errors.As(err, &le) || !strings.Contains(Message(err), "the call was ended") {
			t.Errorf("error %v: %q", err, Message(err))
		}
	})
	t.Run("refused before sending", func(t *testing.T) {
		c := newTestClient(t, "http://127.0.0.1:1", recordedAt(t, "C49-end-call-for-everyone"))
		if err := c.EndCallForEveryone(context.Background(), "NOT A TOKEN"); KindOf(err) != KindInvalidInput {
			t.Errorf("error %v", err)
		}
	})
}

func TestSafeFileName(t *testing.T) {
	for in, want := range map[string]string{
		"SIP-Public 2026-12-07.csv":   "SIP-Public 2026-12-07.csv",
		"../../etc/passwd":            "etc-passwd.csv",
		"\x1b[31mred\x1b[0m 2026.csv": "[31mred[0m 2026.csv",
		"":                            "fallback.csv",
		".hidden.csv":                 "hidden.csv",
		"a\u202eb.csv":                "ab.csv",
		"Webinar: Q&A 2026-12-07":     "Webinar: Q&A 2026-12-07.csv",
	} {
		if got := SafeFileName(in, "fallback.csv"); got != want {
			t.Errorf("SafeFileName(%q) = %q, want %q", in, got, want)
		}
	}
	_ = models.PermissionsFloor
}
