package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/talkmod/talkmod/client/internal/recorded"
	"github.com/talkmod/talkmod/models"
)

// recordedParticipants reads the data list of a recorded participants
// answer, each object compacted, plus its decoded fields.
func recordedParticipants(t *testing.T, body []byte) ([]map[string]any, []string) {
	t.Helper()
	var env struct {
		OCS struct {
			Data []json.RawMessage `json:"data"`
		} `json:"ocs"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	var maps []map[string]any
	var raws []string
	for _, raw := range env.OCS.Data {
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		maps = append(maps, m)
		raws = append(raws, string(raw))
	}
	return maps, raws
}

func checkParticipant(t *testing.T, got models.Participant, want map[string]any, raw string) {
	t.Helper()
	for field, g := range map[string]int64{"attendeeId": got.AttendeeID, "participantType": int64(got.ParticipantType),
		"permissions": int64(got.Permissions), "attendeePermissions": int64(got.AttendeePermissions),
		"inCall": int64(got.InCall), "lastPing": got.LastPing} {
		n, err := want[field].(json.Number).Int64()
		if err != nil || n != g {
			t.Errorf("attendee %v: %s = %d, recorded %v", want["attendeeId"], field, g, want[field])
		}
	}
	for field, g := range map[string]string{"actorId": got.ActorID, "actorType": got.ActorType, "displayName": got.DisplayName, "roomToken": got.RoomToken, "phoneNumber": got.PhoneNumber} {
		if want[field] != g {
			t.Errorf("attendee %v: %s = %q, recorded %v", want["attendeeId"], field, g, want[field])
		}
	}
	if n := len(want["sessionIds"].([]any)); n != len(got.SessionIDs) {
		t.Errorf("attendee %v: %d sessions, recorded %d", want["attendeeId"], len(got.SessionIDs), n)
	}
	if string(got.Raw) != raw {
		t.Errorf("Raw is not the recorded object:\n got %s\nwant %s", got.Raw, raw)
	}
}

// checkFailure compares an error with a recorded failure; a 5xx may come
// as an XML page (OCS 996), which is an unavailable server either way.
func checkFailure(t *testing.T, err error, ex recorded.Exchange) {
	t.Helper()
	if ex.Status >= 500 {
		if KindOf(err) != KindUnavailable || Message(err) == "" {
			t.Errorf("recorded %d decoded as %v (%v)", ex.Status, err, KindOf(err))
		}
		return
	}
	checkErr(t, err, expected(t, ex))
}

// TestRecordedParticipantEndpoints decodes every P recording: the
// participant lists into models.Participant (fields and raw bytes as
// recorded), the permission and removal answers through the client's own
// methods (sending exactly the recorded request where talkmod can express
// it, refusing without sending what the server would refuse), and every
// other P exchange (joins, calls, lobby, room reads) through the decoder.
func TestRecordedParticipantEndpoints(t *testing.T) {
	recs, err := recorded.All("P")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 83 {
		t.Fatalf("%d P recordings, want 83", len(recs))
	}
	seen := map[string]int{}
	for _, rec := range recs {
		ex := rec.First()
		t.Run(rec.Name, func(t *testing.T) {
			srv := newReplay(t, ex)
			c := newTestClient(t, srv.URL, recordedAt(t, rec.Name))
			ctx := context.Background()
			parts := strings.Split(ex.URL.Path, "/")
			path := ex.URL.Path
			switch {
			case ex.Method == http.MethodGet && strings.HasSuffix(path, "/participants"):
				seen["list"]++
				ps, err := c.Participants(ctx, parts[8])
				if srv.count() != 1 || srv.reqs[0].Method != http.MethodGet || srv.reqs[0].URL.Path != path {
					t.Fatalf("sent %d requests to %v", srv.count(), srv.reqs)
				}
				if ex.Status != 200 {
					checkFailure(t, err, ex)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				want, raws := recordedParticipants(t, ex.Body)
				if len(ps) != len(want) || len(ps) == 0 {
					t.Fatalf("%d participants, recorded %d", len(ps), len(want))
				}
				for i := range ps {
					checkParticipant(t, ps[i], want[i], raws[i])
				}
			case strings.HasSuffix(path, "/attendees/permissions"):
				seen["permissions"]++
				testRecordedPermissions(t, c, srv, ex, parts[8])
			case ex.Method == http.MethodDelete && strings.HasSuffix(path, "/attendees"):
				seen["remove"]++
				id, perr := strconv.ParseInt(ex.URL.Query().Get("attendeeId"), 10, 64)
				if perr != nil {
					// Missing attendeeId (P58): talkmod never sends that;
					// the recorded 500 still decodes.
					checkFailure(t, decodeAnswer(opRemove, ex.Status, ex.Header, ex.Body, nil), ex)
					if err := c.RemoveAttendee(ctx, parts[8], 0); KindOf(err) != KindInvalidInput || srv.count() != 0 {
						t.Errorf("attendee 0 not refused before sending: %v, %d requests", err, srv.count())
					}
					return
				}
				err := c.RemoveAttendee(ctx, parts[8], id)
				if srv.count() != 1 || srv.reqs[0].Method != http.MethodDelete || srv.reqs[0].URL.Path != path ||
					srv.reqs[0].URL.Query().Get("attendeeId") != strconv.FormatInt(id, 10) {
					t.Fatalf("sent %d requests, first %v %v", srv.count(), srv.reqs[0].Method, srv.reqs[0].URL)
				}
				if ex.Status != 200 {
					checkFailure(t, err, ex)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
			default:
				// Joins, calls, guest names, moderators, lobby and room
				// reads: the decoder reads each answer as the server meant it.
				seen["other"]++
				var mr maybeRoom
				err := decodeAnswer("replay", ex.Status, ex.Header, ex.Body, &mr)
				want := expected(t, ex)
				switch {
				case ex.Status >= 300:
					checkFailure(t, err, ex)
				case err != nil:
					t.Fatalf("recorded %d decoded as %v", ex.Status, err)
				case want.room != nil:
					if mr.Room == nil {
						t.Fatal("room answer decoded to nothing")
					}
					checkRoom(t, *mr.Room, want.room)
				}
			}
		})
	}
	if seen["list"] < 30 || seen["permissions"] < 15 || seen["remove"] < 6 {
		t.Errorf("cases seen: %v", seen)
	}
}

func testRecordedPermissions(t *testing.T, c *Client, srv *replay, ex recorded.Exchange, token string) {
	t.Helper()
	form := ex.Form
	if ex.JSONBody != "" {
		var body struct {
			AttendeeID  int64  `json:"attendeeId"`
			Method      string `json:"method"`
			Permissions int    `json:"permissions"`
		}
		if err := json.Unmarshal([]byte(ex.JSONBody), &body); err != nil {
			t.Fatal(err)
		}
		form = url.Values{"attendeeId": {strconv.FormatInt(body.AttendeeID, 10)}, "method": {body.Method}, "permissions": {strconv.Itoa(body.Permissions)}}
	}
	id, idErr := strconv.ParseInt(form.Get("attendeeId"), 10, 64)
	perms, permErr := strconv.Atoi(form.Get("permissions"))
	method := PermissionMethod(form.Get("method"))
	if idErr != nil || permErr != nil {
		// No attendee id (P36/P37) or permissions "abc" (P29): talkmod
		// cannot express these; their recorded answers still decode.
		var ps []models.Participant
		err := decodeAnswer(opPermissions, ex.Status, ex.Header, ex.Body, &ps)
		if ex.Status != 200 {
			checkFailure(t, err, ex)
		} else if err != nil || len(ps) != 1 {
			t.Fatalf("decoded %v, %v", ps, err)
		}
		return
	}
	p, err := c.SetAttendeePermissions(context.Background(), token, id, method, perms)
	if ex.Status == 400 && (perms < 0 || perms > 255 || (method != PermissionAdd && method != PermissionRemove && method != PermissionSet)) {
		// The server would refuse (value, method): talkmod refuses first.
		var ve *ValidationError
		if !errors.As(err, &ve) || srv.count() != 0 {
			t.Fatalf("not refused before sending: %v, %d requests", err, srv.count())
		}
		checkErr(t, decodeAnswer(opPermissions, ex.Status, ex.Header, ex.Body, nil), expected(t, ex))
		return
	}
	if srv.count() != 1 {
		t.Fatalf("%d requests", srv.count())
	}
	sent, _ := url.ParseQuery(srv.form[0])
	if srv.reqs[0].Method != http.MethodPut || sent.Get("attendeeId") != form.Get("attendeeId") || sent.Get("method") != string(method) || sent.Get("permissions") != strconv.Itoa(perms) {
		t.Errorf("sent %s %s, recorded %v", srv.reqs[0].Method, srv.form[0], form)
	}
	if ex.Status != 200 {
		checkFailure(t, err, ex)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	want, raws := recordedParticipants(t, ex.Body)
	checkParticipant(t, p, want[0], raws[0])
	// The 200 answer lists the target always without sessions, out of
	// the call: it never says where the person is.
	if p.Connected() || p.InCallNow() {
		t.Errorf("the permission answer read as a presence: %+v", p)
	}
}

func TestParticipantErrorWords(t *testing.T) {
	for _, c := range []struct {
		e    APIError
		want string
	}{
		{APIError{HTTPStatus: 403, Reason: "moderator", Op: opPermissions}, "is a moderator"},
		{APIError{HTTPStatus: 403, Reason: "owner", Op: opRemove}, "owns the conversation"},
		{APIError{HTTPStatus: 403, Op: opRemove}, "not a moderator"},
		{APIError{HTTPStatus: 404, Reason: "participant", Op: opPermissions}, "no longer in the conversation"},
		{APIError{HTTPStatus: 404, Op: opRemove}, "conversation is gone"},
		{APIError{HTTPStatus: 400, Reason: "room-type", Op: opRemove}, "one-to-one"},
		{APIError{HTTPStatus: 400, Reason: "last-moderator", Op: opRemove}, "last moderator"},
		{APIError{HTTPStatus: 400, Reason: "value", Op: opPermissions}, "permissions value"},
		{APIError{HTTPStatus: 412, Op: opParticipants}, "lobby holds you back"},
	} {
		if got := c.e.Explain(); !strings.Contains(got, c.want) {
			t.Errorf("%v: %q lacks %q", c.e.Error(), got, c.want)
		}
	}
}
