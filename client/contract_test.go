package client

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/internal/recorded"
	"github.com/talkmod/talkmod/models"
)

// replay is an HTTP server that answers every request with one recorded
// response, and keeps what the client sent.
type replay struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*http.Request
	form []string
}

func newReplay(t *testing.T, ex recorded.Exchange) *replay {
	t.Helper()
	r := &replay{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.reqs = append(r.reqs, req)
		r.form = append(r.form, string(body))
		r.mu.Unlock()
		for _, h := range []string{"Content-Type", "X-Nextcloud-Talk-Hash", "X-Nextcloud-Talk-Modified-Before", "WWW-Authenticate", "Set-Cookie"} {
			for _, v := range ex.Header.Values(h) {
				w.Header().Add(h, v)
			}
		}
		if w.Header().Get("Content-Type") == "" && len(ex.Body) > 0 && ex.Body[0] == '{' {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
		}
		w.WriteHeader(ex.Status)
		_, _ = w.Write(ex.Body)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *replay) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

// recordedAt reads the "recorded at: … (unix N)" clock of a recording.
func recordedAt(t *testing.T, name string) time.Time {
	t.Helper()
	data, err := recorded.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	_ = data
	raw, _ := readRecordingText(name)
	i := strings.Index(raw, "(unix ")
	if i < 0 {
		return time.Unix(1796091958, 0)
	}
	n, _ := strconv.ParseInt(raw[i+6:strings.Index(raw[i:], ")")+i], 10, 64)
	return time.Unix(n, 0)
}

func newTestClient(t *testing.T, url string, now time.Time) *Client {
	t.Helper()
	c, err := New(Config{BaseURL: url, User: "admin", AppPassword: "secret-app-password", Timeout: 30 * time.Second,
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	c.http.SetRetryWaitTime(time.Millisecond).SetRetryMaxWaitTime(5 * time.Millisecond)
	return c
}

// expectation of a recorded answer, read from the recording itself.
type outcome struct {
	status int
	reason string
	ocs    int
	room   map[string]any // data when it is a room object
}

func expected(t *testing.T, ex recorded.Exchange) outcome {
	t.Helper()
	o := outcome{status: ex.Status}
	var env struct {
		OCS struct {
			Meta struct {
				StatusCode int `json:"statuscode"`
			} `json:"meta"`
			Data json.RawMessage `json:"data"`
		} `json:"ocs"`
	}
	if json.Unmarshal(ex.Body, &env) == nil {
		o.ocs = env.OCS.Meta.StatusCode
		var d map[string]any
		dec := json.NewDecoder(strings.NewReader(string(env.OCS.Data)))
		dec.UseNumber()
		if dec.Decode(&d) == nil {
			if s, ok := d["error"].(string); ok {
				o.reason = s
			} else if _, ok := d["token"]; ok {
				o.room = d
			}
		}
	} else if strings.Contains(string(ex.Body), "<statuscode>") {
		s := string(ex.Body)
		i := strings.Index(s, "<statuscode>") + len("<statuscode>")
		o.ocs, _ = strconv.Atoi(s[i : i+strings.Index(s[i:], "<")])
	}
	return o
}

func checkRoom(t *testing.T, got models.Room, want map[string]any) {
	t.Helper()
	if got.Token != want["token"] {
		t.Errorf("token = %q, want %v", got.Token, want["token"])
	}
	checked := 0
	for field, gotV := range map[string]int64{
		"type": int64(got.Type), "lobbyState": int64(got.LobbyState), "lobbyTimer": got.LobbyTimer,
		"sipEnabled": int64(got.SIPEnabled), "participantType": int64(got.ParticipantType), "permissions": int64(got.Permissions),
		"lastActivity": got.LastActivity, "callFlag": int64(got.CallFlag), "breakoutRoomMode": int64(got.BreakoutRoomMode),
	} {
		w, ok := want[field].(json.Number)
		if !ok {
			continue
		}
		checked++
		if n, err := w.Int64(); err != nil || n != gotV {
			t.Errorf("%s = %d, want %s", field, gotV, w)
		}
	}
	if checked < 8 {
		t.Errorf("only %d numeric fields compared: the recorded room was not read as numbers", checked)
	}
	if w, ok := want["canEnableSIP"].(bool); ok && bool(got.CanEnableSIP) != w {
		t.Errorf("canEnableSIP = %v, want %v", got.CanEnableSIP, w)
	}
	if w, ok := want["hasCall"].(bool); ok && got.HasCall != w {
		t.Errorf("hasCall = %v, want %v", got.HasCall, w)
	}
	for field, gotV := range map[string]string{"name": got.Name, "displayName": got.DisplayName, "objectType": got.ObjectType, "attendeePin": got.AttendeePin, "description": got.Description} {
		if w, ok := want[field].(string); ok && w != gotV {
			t.Errorf("%s = %q, want %q", field, gotV, w)
		}
	}
}

func checkErr(t *testing.T, err error, want outcome) {
	t.Helper()
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v (%T), want an *APIError with HTTP %d", err, err, want.status)
	}
	if ae.HTTPStatus != want.status || ae.Reason != want.reason {
		t.Errorf("APIError HTTP %d reason %q, want HTTP %d reason %q", ae.HTTPStatus, ae.Reason, want.status, want.reason)
	}
	if want.ocs != 0 && ae.OCSStatus != want.ocs {
		t.Errorf("OCS status = %d, want %d", ae.OCSStatus, want.ocs)
	}
	if Message(err) == "" || Message(err) == err.Error() {
		t.Errorf("no plain-words message for %v", err)
	}
}

// TestRecordedWebinarPuts replays every recorded lobby and SIP PUT: where
// the client can express the recorded request, it must send exactly that
// (method, path, state, timer) and decode the recorded answer to the right
// room or error; where the request is one the client refuses to send
// (garbage, past timer, bad state), it must refuse without sending.
func TestRecordedWebinarPuts(t *testing.T) {
	recs, err := recorded.All("L", "S", "Z")
	if err != nil {
		t.Fatal(err)
	}
	covered := 0
	for _, rec := range recs {
		ex := rec.First()
		if ex.Method != http.MethodPut || ex.Guest || ex.User == "nobody" {
			continue
		}
		t.Run(rec.Name, func(t *testing.T) {
			covered++
			now := recordedAt(t, rec.Name)
			srv := newReplay(t, ex)
			c := newTestClient(t, srv.URL, now)
			parts := strings.Split(ex.URL.Path, "/")
			token, kind := parts[len(parts)-3], parts[len(parts)-1]
			want := expected(t, ex)
			// 1. The client decodes the recorded answer to the right value.
			var mr maybeRoom
			derr := decodeAnswer("replay", ex.Status, ex.Header, ex.Body, &mr)
			if want.room != nil {
				if derr != nil || mr.Room == nil {
					t.Fatalf("decoding the recorded room: %v", derr)
				}
				checkRoom(t, *mr.Room, want.room)
			} else {
				checkErr(t, derr, want)
			}
			// 2. Where talkmod can express the recorded request, it sends
			// exactly that, or refuses it before sending when the server
			// would misread it (past timer, invalid state).
			state, timer, expressible := recordedParams(ex)
			if !expressible {
				return // garbage, floats, strings, missing state: talkmod never sends those
			}
			var room models.Room
			var err error
			switch kind {
			case "lobby":
				var tp *time.Time
				if timer > 0 {
					tm := time.Unix(timer, 0)
					tp = &tm
				}
				room, err = c.SetLobby(context.Background(), token, models.LobbyState(state), tp)
			case "sip":
				room, err = c.SetSIP(context.Background(), token, models.SIPState(state))
			}
			invalid := (kind == "lobby" && !models.LobbyState(state).Valid()) || (kind == "sip" && !models.SIPState(state).Valid()) ||
				(timer > 0 && ValidateLobbyTimer(now, time.Unix(timer, 0)) != nil)
			if invalid {
				if KindOf(err) != KindInvalidInput || srv.count() != 0 {
					t.Fatalf("client sent a request the server would misread (err %v, %d sent)", err, srv.count())
				}
				return
			}
			if srv.count() == 0 {
				t.Fatalf("nothing sent; err %v", err)
			}
			sent := srv.reqs[0]
			if sent.Method != http.MethodPut || sent.URL.Path != ex.URL.Path {
				t.Errorf("sent %s %s, recorded %s %s", sent.Method, sent.URL.Path, ex.Method, ex.URL.Path)
			}
			if got := srv.form[0]; !strings.Contains(got, "state="+strconv.Itoa(state)) || (timer > 0) != strings.Contains(got, "timer="+strconv.FormatInt(timer, 10)) {
				t.Errorf("sent body %q for state %d timer %d", got, state, timer)
			}
			if want.room != nil {
				if err != nil {
					t.Fatalf("err = %v, want the room", err)
				}
				checkRoom(t, room, want.room)
				return
			}
			checkErr(t, err, want)
		})
	}
	if covered < 40 {
		t.Errorf("covered %d PUT recordings, want at least 40", covered)
	}
}

// recordedParams reads the state and timer of a recorded PUT, and whether
// they are integers talkmod's client could send at all.
func recordedParams(ex recorded.Exchange) (state int, timer int64, expressible bool) {
	get := func(k string) (string, bool) {
		if ex.JSONBody != "" {
			var m map[string]any
			if json.Unmarshal([]byte(ex.JSONBody), &m) != nil {
				return "", false
			}
			v, ok := m[k]
			if !ok || v == nil {
				return "", false
			}
			if x, ok := v.(float64); ok {
				return strconv.FormatFloat(x, 'f', -1, 64), true
			}
			return "not an integer", true
		}
		if v := ex.Form.Get(k); v != "" {
			return v, true
		}
		if v := ex.URL.Query().Get(k); v != "" {
			return v, true
		}
		return "", false
	}
	s, ok := get("state")
	if !ok {
		return 0, 0, false
	}
	state, err := strconv.Atoi(s)
	if err != nil {
		return 0, 0, false
	}
	if ts, ok := get("timer"); ok {
		if timer, err = strconv.ParseInt(ts, 10, 64); err != nil {
			return state, 0, false
		}
	}
	return state, timer, true
}

// TestRecordedReads replays the recorded room lists, single rooms,
// capabilities and participants.
func TestRecordedReads(t *testing.T) {
	recs, err := recorded.All("R", "10", "11", "00", "G02")
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		ex := rec.First()
		if ex.Method != http.MethodGet {
			continue
		}
		t.Run(rec.Name, func(t *testing.T) {
			srv := newReplay(t, ex)
			c := newTestClient(t, srv.URL, recordedAt(t, rec.Name))
			ctx := context.Background()
			path := ex.URL.Path
			want := expected(t, ex)
			switch {
			case strings.HasSuffix(path, "/cloud/capabilities"):
				caps, err := c.Capabilities(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if !caps.HasTalk || !caps.Has(models.FeatureLobby) || !caps.Has(models.FeatureSIP) || !caps.SIPNoPIN() ||
					caps.ServerVersion != "31.0.6" || caps.TalkVersion == "" || caps.SIPConfigured == nil || caps.CanEnableSIP == nil {
					t.Fatalf("capabilities decoded wrong: %+v", caps)
				}
				wantSIP := strings.HasPrefix(rec.Name, "00b")
				if *caps.SIPConfigured != wantSIP {
					t.Errorf("sip-enabled = %v, want %v", *caps.SIPConfigured, wantSIP)
				}
			case strings.HasSuffix(path, "/participants"):
				ps, err := c.Participants(ctx, strings.Split(path, "/")[7])
				if err != nil {
					t.Fatal(err)
				}
				var env struct {
					OCS struct {
						Data []map[string]any `json:"data"`
					} `json:"ocs"`
				}
				_ = json.Unmarshal(ex.Body, &env)
				if len(ps) != len(env.OCS.Data) || len(ps) == 0 {
					t.Fatalf("%d participants, recorded %d", len(ps), len(env.OCS.Data))
				}
				for i, p := range ps {
					if p.ActorID != env.OCS.Data[i]["actorId"] || float64(p.ParticipantType) != env.OCS.Data[i]["participantType"] {
						t.Errorf("participant %d = %+v, recorded %v", i, p, env.OCS.Data[i])
					}
				}
			case strings.HasSuffix(path, "/room"):
				var since int64
				if v := ex.URL.Query().Get("modifiedSince"); v != "" {
					since, _ = strconv.ParseInt(v, 10, 64)
				}
				list, err := c.ListRooms(ctx, ListOptions{ModifiedSince: since})
				if err != nil {
					t.Fatal(err)
				}
				if since > 0 && srv.reqs[0].URL.Query().Get("modifiedSince") != strconv.FormatInt(since, 10) {
					t.Errorf("modifiedSince not sent: %s", srv.reqs[0].URL.RawQuery)
				}
				var env struct {
					OCS struct {
						Data []map[string]any `json:"data"`
					} `json:"ocs"`
				}
				dec := json.NewDecoder(strings.NewReader(string(ex.Body)))
				dec.UseNumber()
				if err := dec.Decode(&env); err != nil {
					t.Fatal(err)
				}
				if len(list.Rooms) != len(env.OCS.Data) {
					t.Fatalf("%d rooms, recorded %d", len(list.Rooms), len(env.OCS.Data))
				}
				for i := range list.Rooms {
					checkRoom(t, list.Rooms[i], env.OCS.Data[i])
				}
				if list.TalkHash != ex.Header.Get("X-Nextcloud-Talk-Hash") || list.TalkHash == "" {
					t.Errorf("TalkHash = %q", list.TalkHash)
				}
				if strconv.FormatInt(list.ModifiedBefore, 10) != ex.Header.Get("X-Nextcloud-Talk-Modified-Before") {
					t.Errorf("ModifiedBefore = %d, header %q", list.ModifiedBefore, ex.Header.Get("X-Nextcloud-Talk-Modified-Before"))
				}
			default:
				token := path[strings.LastIndex(path, "/")+1:]
				room, err := c.GetRoom(ctx, token)
				if want.room != nil {
					if err != nil {
						t.Fatal(err)
					}
					checkRoom(t, room, want.room)
					return
				}
				if token == "nosuchroom" {
					// 10 letters: a valid route token; the server says 404.
					checkErr(t, err, want)
				}
			}
		})
	}
}

// TestRecordedAuthFailures replays the wrong-password, throttled and
// not-logged-in answers: each is one typed error, never retried.
func TestRecordedAuthFailures(t *testing.T) {
	recs, err := recorded.All("W", "S36", "S37", "S38")
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		ex := rec.First()
		t.Run(rec.Name, func(t *testing.T) {
			srv := newReplay(t, ex)
			c := newTestClient(t, srv.URL, recordedAt(t, rec.Name))
			ctx := context.Background()
			var err error
			switch {
			case strings.HasSuffix(ex.URL.Path, "/capabilities"):
				_, err = c.Capabilities(ctx)
			case strings.HasSuffix(ex.URL.Path, "/sip"):
				_, err = c.SetSIP(ctx, "6259521717", models.SIPEnabled)
			default:
				_, err = c.ListRooms(ctx, ListOptions{})
			}
			want := expected(t, ex)
			checkErr(t, err, want)
			if srv.count() != 1 {
				t.Errorf("%d requests: a %d must never be retried", srv.count(), ex.Status)
			}
			switch ex.Status {
			case 401:
				if !errors.Is(err, ErrUnauthorized) || KindOf(err) != KindUnauthorized || !strings.Contains(Message(err), "talkmod login") {
					t.Errorf("401 not told as unauthorized: %v / %s", err, Message(err))
				}
			case 429:
				if !errors.Is(err, ErrThrottled) || !strings.Contains(Message(err), "throttl") {
					t.Errorf("429 not told as throttled: %v / %s", err, Message(err))
				}
			}
			if strings.Contains(err.Error(), "secret-app-password") || strings.Contains(Message(err), "secret-app-password") {
				t.Error("the app password leaked into an error")
			}
		})
	}
}

func readRecordingText(name string) (string, error) {
	b, err := os.ReadFile(recorded.Dir() + "/" + name + ".txt")
	return string(b), err
}
