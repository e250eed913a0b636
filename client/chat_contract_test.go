package client

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/internal/recorded"
	"github.com/talkmod/talkmod/models"
)

// chatReplay answers every request with one recorded response, all its
// headers included (the X-Chat ones matter), and keeps what was sent.
type chatReplay struct {
	*httptest.Server
	mu    sync.Mutex
	reqs  []*http.Request
	forms []url.Values
}

func newChatReplay(t *testing.T, ex recorded.Exchange) *chatReplay {
	t.Helper()
	r := &chatReplay{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		form, _ := url.ParseQuery(string(body))
		r.mu.Lock()
		r.reqs = append(r.reqs, req)
		r.forms = append(r.forms, form)
		r.mu.Unlock()
		for k, vs := range ex.Header {
			switch http.CanonicalHeaderKey(k) {
			case "Content-Length", "Connection", "Host", "Date":
				continue
			}
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		w.WriteHeader(ex.Status)
		_, _ = w.Write(ex.Body)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *chatReplay) sent() ([]*http.Request, []url.Values) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*http.Request(nil), r.reqs...), append([]url.Values(nil), r.forms...)
}

// recordedMessages reads the data of a recorded chat answer: the raw
// message objects (one object or a list).
func recordedMessages(t *testing.T, body []byte) []json.RawMessage {
	t.Helper()
	var env struct {
		OCS struct {
			Data json.RawMessage `json:"data"`
		} `json:"ocs"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	d := bytes.TrimSpace(env.OCS.Data)
	if len(d) > 0 && d[0] == '{' {
		return []json.RawMessage{d}
	}
	var list []json.RawMessage
	if err := json.Unmarshal(d, &list); err != nil {
		t.Fatal(err)
	}
	return list
}

// checkMessage compares a decoded message with its recorded object, field
// by field, the parent and the raw bytes included.
func checkMessage(t *testing.T, got models.ChatMessage, raw json.RawMessage) {
	t.Helper()
	var want map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&want); err != nil {
		t.Fatal(err)
	}
	if n, _ := want["id"].(json.Number).Int64(); n != got.ID {
		t.Errorf("id = %d, recorded %v", got.ID, want["id"])
	}
	if n, _ := want["timestamp"].(json.Number).Int64(); n != got.Timestamp {
		t.Errorf("message %d: timestamp = %d, recorded %v", got.ID, got.Timestamp, want["timestamp"])
	}
	for field, g := range map[string]string{"token": got.Token, "actorType": got.ActorType, "actorId": got.ActorID,
		"actorDisplayName": got.ActorDisplayName, "message": got.Message, "systemMessage": got.SystemMessage,
		"messageType": got.MessageType, "referenceId": got.ReferenceID} {
		if want[field] != g {
			t.Errorf("message %d: %s = %q, recorded %v", got.ID, field, g, want[field])
		}
	}
	if want["isReplyable"] != got.IsReplyable || want["markdown"] != got.Markdown {
		t.Errorf("message %d: isReplyable/markdown = %v/%v, recorded %v/%v", got.ID, got.IsReplyable, got.Markdown, want["isReplyable"], want["markdown"])
	}
	if w, _ := want["silent"].(bool); w != got.Silent {
		t.Errorf("message %d: silent = %v, recorded %v", got.ID, got.Silent, want["silent"])
	}
	if w, _ := want["deleted"].(bool); w != got.Deleted {
		t.Errorf("message %d: deleted = %v, recorded %v", got.ID, got.Deleted, want["deleted"])
	}
	switch params := want["messageParameters"].(type) {
	case []any:
		if len(params) != 0 || got.MessageParameters != nil {
			t.Errorf("message %d: parameters %v, recorded %v", got.ID, got.MessageParameters, params)
		}
	case map[string]any:
		if len(params) != len(got.MessageParameters) || len(params) == 0 {
			t.Errorf("message %d: %d parameters, recorded %d", got.ID, len(got.MessageParameters), len(params))
		}
		for k, v := range params {
			p := v.(map[string]any)
			g := got.MessageParameters[k]
			if g.Type != p["type"] || g.Name != p["name"] || g.ID != p["id"] {
				t.Errorf("message %d: parameter %s = %+v, recorded %v", got.ID, k, g, p)
			}
		}
	default:
		t.Errorf("message %d: recorded messageParameters of type %T", got.ID, params)
	}
	if p, ok := want["parent"]; ok {
		if got.Parent == nil {
			t.Fatalf("message %d: no parent, recorded %v", got.ID, p)
		}
		var rawParent struct {
			Parent json.RawMessage `json:"parent"`
		}
		if err := json.Unmarshal(raw, &rawParent); err != nil {
			t.Fatal(err)
		}
		checkMessage(t, *got.Parent, rawParent.Parent)
	} else if got.Parent != nil {
		t.Errorf("message %d: parent %d, none recorded", got.ID, got.Parent.ID)
	}
	if !bytes.Equal(got.Raw, raw) {
		t.Errorf("message %d: Raw is not the recorded object", got.ID)
	}
}

// chatWords are words each recorded chat error's message must hold.
var chatWords = map[int]string{412: "lobby", 405: "system message", 413: "too long"}

// TestRecordedChat replays every chat and read-only recording of the M
// series through the client's own calls: the request sent is the
// recorded one where talkmod can express it (method, path, query or
// form), a request talkmod refuses (whitespace only, too long, a poll from
// 0, no message at all) is refused before sending, and every answer
// decodes: messages field by field with their raw bytes, both shapes of
// messageParameters, parents, the X-Chat headers, the 304 without a body
// as "nothing new", and every error as an APIError in plain words.
func TestRecordedChat(t *testing.T) {
	recs, err := recorded.All("M")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 99 {
		t.Fatalf("%d M recordings, want 99", len(recs))
	}
	seen := map[string]int{}
	for _, rec := range recs {
		ex := rec.First()
		path := ex.URL.Path
		isChat := strings.Contains(path, "/api/v1/chat/")
		isReadOnly := strings.HasSuffix(path, "/read-only")
		if !isChat && !isReadOnly {
			continue
		}
		t.Run(rec.Name, func(t *testing.T) {
			srv := newChatReplay(t, ex)
			c := newTestClient(t, srv.URL, recordedAt(t, rec.Name))
			ctx := context.Background()
			parts := strings.Split(path, "/")
			token := parts[8]
			q := ex.URL.Query()
			var err error
			var page ChatPage
			var msg models.ChatMessage
			var room models.Room
			sentQuery := func(want url.Values) {
				t.Helper()
				reqs, _ := srv.sent()
				if len(reqs) != 1 || reqs[0].Method != ex.Method || reqs[0].URL.Path != path {
					t.Fatalf("sent %d requests: %v", len(reqs), reqs)
				}
				got := reqs[0].URL.Query()
				got.Del("format")
				if got.Encode() != want.Encode() {
					t.Errorf("query %s, recorded %s", got.Encode(), want.Encode())
				}
			}
			refused := func(err error) {
				t.Helper()
				if KindOf(err) != KindInvalidInput {
					t.Errorf("not refused before sending: %v", err)
				}
				if reqs, _ := srv.sent(); len(reqs) != 0 {
					t.Errorf("sent %d requests", len(reqs))
				}
			}
			var op string
			switch {
			case isReadOnly:
				op = opReadOnly
				seen["read-only"]++
				st := ex.Form.Get("state")
				if st != "0" && st != "1" {
					refusedNothing := decodeAnswer(op, ex.Status, ex.Header, ex.Body, &maybeRoom{})
					checkChatFailure(t, refusedNothing, ex)
					return
				}
				room, err = c.SetReadOnly(ctx, token, st == "1")
				_, forms := srv.sent()
				if len(forms) < 1 || forms[0].Get("state") != st {
					t.Fatalf("sent %v, recorded state=%s", forms, st)
				}
			case ex.Method == http.MethodGet && !q.Has("lookIntoFuture"):
				// M29: talkmod always says which way it reads
				seen["unexpressible"]++
				checkChatFailure(t, decodeAnswer(opChatRead, ex.Status, ex.Header, ex.Body, &[]models.ChatMessage{}), ex)
				return
			case ex.Method == http.MethodGet && q.Get("lookIntoFuture") == "0":
				op = opChatRead
				seen["history"]++
				opts := HistoryOptions{IncludeBefore: q.Get("includeLastKnown") == "1"}
				opts.Before, _ = strconv.ParseInt(q.Get("lastKnownMessageId"), 10, 64)
				if q.Get("limit") == "0" {
					opts.All = true
				} else {
					opts.Limit, _ = strconv.Atoi(q.Get("limit"))
				}
				page, err = c.ChatHistory(ctx, token, opts)
				sentQuery(q)
			case ex.Method == http.MethodGet:
				op = opChatPoll
				seen["poll"]++
				opts := PollOptions{}
				opts.After, _ = strconv.ParseInt(q.Get("lastKnownMessageId"), 10, 64)
				opts.Limit, _ = strconv.Atoi(q.Get("limit"))
				secs, _ := strconv.Atoi(q.Get("timeout"))
				opts.Timeout = time.Duration(secs) * time.Second
				opts.LastCommonRead, _ = strconv.ParseInt(q.Get("lastCommonReadId"), 10, 64)
				page, err = c.PollChat(ctx, token, opts)
				if opts.After == 0 {
					// M24: from 0 the server gives the oldest messages
					refused(err)
					var msgs []models.ChatMessage
					if derr := decodeAnswer(opChatPoll, ex.Status, ex.Header, ex.Body, &msgs); derr != nil || len(msgs) != 3 {
						t.Errorf("recorded answer: %d messages, %v", len(msgs), derr)
					}
					return
				}
				want := url.Values{}
				for k := range q {
					want.Set(k, q.Get(k))
				}
				if secs > 30 {
					want.Set("timeout", "30") // M32: capped like the server does
				}
				sentQuery(want)
			case ex.Method == http.MethodPost:
				op = opChatPost
				seen["post"]++
				p := PostOptions{Message: ex.Form.Get("message"), Silent: ex.Form.Get("silent") == "true", ReferenceID: ex.Form.Get("referenceId")}
				p.ReplyTo, _ = strconv.ParseInt(ex.Form.Get("replyTo"), 10, 64)
				msg, err = c.PostMessage(ctx, token, p)
				if !ex.Form.Has("message") || strings.TrimSpace(p.Message) == "" {
					// M14 (whitespace), M15 (no message), M20 (32001 x
					// from a file): refused; the recorded answers decode
					refused(err)
					checkChatFailure(t, decodeAnswer(opChatPost, ex.Status, ex.Header, ex.Body, &models.ChatMessage{}), ex)
					return
				}
				_, forms := srv.sent()
				if len(forms) != 1 {
					t.Fatalf("sent %d requests", len(forms))
				}
				for _, k := range []string{"message", "replyTo", "silent", "referenceId"} {
					if forms[0].Get(k) != ex.Form.Get(k) {
						t.Errorf("form %s = %q, recorded %q", k, forms[0].Get(k), ex.Form.Get(k))
					}
				}
			case ex.Method == http.MethodDelete && len(parts) == 10:
				op = opChatDelete
				seen["delete"]++
				id, _ := strconv.ParseInt(parts[9], 10, 64)
				msg, err = c.DeleteMessage(ctx, token, id)
				if reqs, _ := srv.sent(); len(reqs) != 1 || reqs[0].Method != http.MethodDelete || reqs[0].URL.Path != path {
					t.Fatalf("sent %v", reqs)
				}
			default:
				// M93-M95: clearing the history is not talkmod's; the
				// answers still decode
				seen["unexpressible"]++
				var m models.ChatMessage
				derr := decodeAnswer(opChatDelete, ex.Status, ex.Header, ex.Body, &m)
				if ex.Status == 200 && (derr != nil || m.SystemMessage != "history_cleared") {
					t.Errorf("clear history: %v %+v", derr, m)
				} else if ex.Status != 200 {
					checkChatFailure(t, derr, ex)
				}
				return
			}
			if ex.Status >= 300 && ex.Status != http.StatusNotModified {
				checkChatFailure(t, err, ex)
				if w := chatWords[ex.Status]; w != "" && !strings.Contains(Message(err), w) {
					t.Errorf("%s: %q does not say %q", op, Message(err), w)
				}
				if ex.Status == 403 && op == opChatPost && !strings.Contains(Message(err), "read-only") {
					t.Errorf("403 on post: %q", Message(err))
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", op, err)
			}
			switch op {
			case opReadOnly:
				checkRoom(t, room, expected(t, ex).room)
				if want, _ := expected(t, ex).room["readOnly"].(json.Number).Int64(); int64(room.ReadOnly) != want {
					t.Errorf("readOnly = %d, recorded %d", room.ReadOnly, want)
				}
			case opChatRead, opChatPoll:
				if ex.Status == http.StatusNotModified {
					seen["304"]++
					if !page.NotModified || len(page.Messages) != 0 || page.LastGiven != 0 || page.HasLastCommonRead {
						t.Errorf("304 read as %+v", page)
					}
					return
				}
				if page.NotModified {
					t.Error("200 read as not modified")
				}
				raws := recordedMessages(t, ex.Body)
				if len(page.Messages) != len(raws) {
					t.Fatalf("%d messages, recorded %d", len(page.Messages), len(raws))
				}
				for i := range raws {
					checkMessage(t, page.Messages[i], raws[i])
				}
				if lg := ex.Header.Get("X-Chat-Last-Given"); lg != strconv.FormatInt(page.LastGiven, 10) && lg != "" {
					t.Errorf("LastGiven = %d, recorded %s", page.LastGiven, lg)
				}
				if lc := ex.Header.Get("X-Chat-Last-Common-Read"); (lc != "") != page.HasLastCommonRead || (lc != "" && lc != strconv.FormatInt(page.LastCommonRead, 10)) {
					t.Errorf("LastCommonRead = %d (%v), recorded %q", page.LastCommonRead, page.HasLastCommonRead, lc)
				}
			case opChatPost, opChatDelete:
				checkMessage(t, msg, recordedMessages(t, ex.Body)[0])
				if op == opChatDelete && (msg.SystemMessage != "message_deleted" || msg.Parent == nil || !msg.Parent.IsDeleted() || msg.Parent.DeletedBy() == "") {
					t.Errorf("deletion answer %+v", msg)
				}
			}
		})
	}
	for k, n := range map[string]int{"history": 14, "poll": 9, "post": 23, "delete": 13, "read-only": 10, "304": 3, "unexpressible": 4} {
		if seen[k] != n {
			t.Errorf("%d %s recordings, want %d (%v)", seen[k], k, n, seen)
		}
	}
}

// checkChatFailure compares an error with a recorded failure (a 5xx may
// be XML: an unavailable server either way).
func checkChatFailure(t *testing.T, err error, ex recorded.Exchange) {
	t.Helper()
	if ex.Status >= 500 {
		if KindOf(err) != KindUnavailable || Message(err) == "" {
			t.Errorf("recorded %d decoded as %v (%v)", ex.Status, err, KindOf(err))
		}
		return
	}
	checkErr(t, err, expected(t, ex))
}
