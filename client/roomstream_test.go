package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/talkmod/talkmod/client/internal/recorded"
	"github.com/talkmod/talkmod/models"
)

// referenceList decodes a list answer with encoding/json, as the client
// did before it streamed: the rooms, and each room's bytes.
func referenceList(body []byte) (rooms []models.Room, raws []json.RawMessage, err error) {
	var env struct {
		OCS *struct {
			Meta ocsMeta       `json:"meta"`
			Data []models.Room `json:"data"`
		} `json:"ocs"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, nil, err
	}
	var rawEnv struct {
		OCS struct {
			Data []json.RawMessage `json:"data"`
		} `json:"ocs"`
	}
	_ = json.Unmarshal(body, &rawEnv)
	if env.OCS == nil || env.OCS.Meta.Status == "" {
		return nil, nil, errors.New("no envelope")
	}
	return env.OCS.Data, rawEnv.OCS.Data, nil
}

// streamList decodes body with the streaming decoder, read through wrap.
func streamList(body []byte, wrap func(io.Reader) io.Reader) ([]models.Room, error) {
	// small chunks: more values cross a chunk's end
	s := newJSONStreamSize(wrap(bytes.NewReader(body)), 1000)
	ans, err := decodeRoomListStream(s, true)
	if err != nil {
		return nil, err
	}
	if ans.notFirst || !ans.hasOCS || ans.meta.Status == "" {
		return nil, errors.New("not an envelope")
	}
	return ans.rooms, nil
}

func withoutRaw(rooms []models.Room) []models.Room {
	out := make([]models.Room, len(rooms))
	for i, r := range rooms {
		r.Raw = nil
		out[i] = r
	}
	return out
}

var readers = map[string]func(io.Reader) io.Reader{
	"whole":    func(r io.Reader) io.Reader { return r },
	"one byte": iotest.OneByteReader,
	"half":     iotest.HalfReader,
	"data+EOF": iotest.DataErrReader,
}

// TestStreamDecodesAsEncodingJSON: every recorded list, and a generated
// one, decode to the same rooms as encoding/json gives, whatever the
// sizes of the reads; each room keeps its bytes exactly as sent.
func TestStreamDecodesAsEncodingJSON(t *testing.T) {
	bodies := map[string][]byte{"generated 300": roomListBody(t, 300)}
	recs, err := recorded.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		for i, ex := range rec.Exchanges {
			if ex.Status == 200 && ex.URL != nil && strings.HasSuffix(ex.URL.Path, "/room") && bytes.Contains(ex.Body, []byte(`"data":[{`)) {
				bodies[fmt.Sprintf("%s#%d", rec.Name, i)] = ex.Body
			}
		}
	}
	if len(bodies) < 3 {
		t.Fatalf("only %d list bodies found", len(bodies))
	}
	for name, body := range bodies {
		want, raws, err := referenceList(body)
		if err != nil {
			t.Fatalf("%s: reference: %v", name, err)
		}
		for rname, wrap := range readers {
			got, err := streamList(body, wrap)
			if err != nil {
				t.Fatalf("%s (%s): %v", name, rname, err)
			}
			if !reflect.DeepEqual(withoutRaw(got), want) {
				t.Fatalf("%s (%s): rooms differ\n got %+v\nwant %+v", name, rname, withoutRaw(got)[0], want[0])
			}
			for i := range got {
				if !bytes.Equal(got[i].Raw, raws[i]) {
					t.Fatalf("%s (%s): room %d raw\n got %s\nwant %s", name, rname, i, got[i].Raw, raws[i])
				}
			}
		}
	}
}

// TestStreamStringsAsEncodingJSON: escapes, surrogates, invalid UTF-8 and
// escape sequences in names decode as encoding/json decodes them.
func TestStreamStringsAsEncodingJSON(t *testing.T) {
	names := []string{
		`plain`, `Q\u0026A \"quoted\" back\\slash \/ \b\f\n\r\t`, `\u00e9\u4e2d`, `\ud83d\ude00 emoji`,
		`lone \ud800 high`, `lone \udc00 low`, `\ud800\ud800\udc00`, `\ud800\u0041`, `\ud800\n`,
		"raw \xff byte \xc3", "\u202eevil\u009b[31m", `\u001b]0;title\u0007`, "Česká ě 日本語 🎉",
	}
	for _, n := range names {
		body := []byte(`{"ocs":{"meta":{"status":"ok"},"data":[{"token":"abcd","displayName":"` + n + `","lastMessage":{"message":"` + n + `"}}]}}`)
		want, _, err := referenceList(body)
		if err != nil {
			t.Fatalf("%q: %v", n, err)
		}
		for rname, wrap := range readers {
			got, err := streamList(body, wrap)
			if err != nil || len(got) != 1 || got[0].DisplayName != want[0].DisplayName {
				t.Errorf("%q (%s): got %+v, %v; want %+q", n, rname, got, err, want[0].DisplayName)
			}
		}
	}
}

// TestStreamNeverAHalfList cuts a list at every byte: each cut is an
// error (truncated), never a shorter list.
func TestStreamNeverAHalfList(t *testing.T) {
	body := roomListBody(t, 2)
	body = bytes.TrimSpace(body)
	for cut := 0; cut < len(body); cut++ {
		for rname, wrap := range readers {
			if cut%7 != 0 && rname != "whole" {
				continue // every byte read whole (in 1,000-byte chunks), every seventh with all readers
			}
			rooms, err := streamList(body[:cut], wrap)
			if err == nil {
				t.Fatalf("cut at %d/%d (%s): %d rooms and no error", cut, len(body), rname, len(rooms))
			}
		}
	}
}

// TestStreamErrorsNameTheRoom: a wrong type or bad JSON in the middle of
// the list is one bad-response error naming the room, from the real
// client call.
func TestStreamErrorsNameTheRoom(t *testing.T) {
	good := `{"token":"abcd","lobbyState":1}`
	cases := []struct{ name, data, want string }{
		{"wrong type", good + `,` + good + `,{"token":"abcd","lobbyState":"on"}`, "field lobbyState has the wrong type (a JSON string where a number was expected) (room 3 of the list)"},
		{"fraction", good + `,{"lobbyTimer":1.5}`, "field lobbyTimer has the wrong type (a JSON number 1.5 where a whole number was expected) (room 2 of the list)"},
		{"bool", `{"hasCall":"yes"}`, "field hasCall has the wrong type (a JSON string where a boolean was expected) (room 1 of the list)"},
		{"canEnableSIP", good + `,{"canEnableSIP":"maybe"}`, "field canEnableSIP has the wrong type"},
		{"not an object", good + `,7`, "field data has the wrong type (a JSON number where a room object was expected) (room 2 of the list)"},
		{"malformed", good + `,{"token":"x" "name":"y"}`, "malformed JSON at byte"},
		{"garbage literal", good + `,{"hasCall":tru}`, "malformed JSON"},
		{"control char", `{"name":"a` + "\x01" + `"}`, "malformed JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := `{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":[` + c.data + `]}}`
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, body)
			}))
			defer srv.Close()
			list, err := newTestClient(t, srv.URL, time.Now()).ListRooms(context.Background(), ListOptions{})
			if list != nil || KindOf(err) != KindBadResponse || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, %v (kind %v); want %q", list, err, KindOf(err), c.want)
			}
		})
	}
}

// TestListKeepsRawOnlyWhenAsked: the console's lists carry no raw bytes.
func TestListKeepsRawOnlyWhenAsked(t *testing.T) {
	body := roomListBody(t, 5)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, time.Now())
	plain, err := c.ListRooms(context.Background(), ListOptions{})
	if err != nil || len(plain.Rooms) != 5 || plain.Rooms[0].Raw != nil {
		t.Fatalf("plain list: %v %+v", err, plain)
	}
	raw, err := c.ListRooms(context.Background(), ListOptions{KeepRaw: true})
	if err != nil || len(raw.Rooms) != 5 {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(raw.Rooms[4].Raw, &fields); err != nil || len(fields) < 40 || fields["token"] != raw.Rooms[4].Token {
		t.Errorf("raw room 5: %d fields, %v: %s", len(fields), err, raw.Rooms[4].Raw)
	}
}

// FuzzRoomListStream: the streaming decoder accepts exactly what
// encoding/json accepts, and decodes the same rooms with the same bytes.
func FuzzRoomListStream(f *testing.F) {
	f.Add([]byte(`{"ocs":{"meta":{"status":"ok"},"data":[{"token":"abcd","type":2,"canEnableSIP":"1","x":[1,{"y":null}]}]}}`))
	f.Add([]byte(`{"ocs":{"data":[null,{"displayName":"\ud83d\ude00\u00e9"}],"meta":{"status":"ok"}}}`))
	f.Add([]byte(`{"ocs":{"meta":{"status":"ok"},"data":[{"lobbyTimer":-0,"id":1e3}]}} `))
	f.Add([]byte(`{"ocs":{"meta":{"status":"ok"},"data":null}}`))
	f.Add(roomListBody(f, 2))
	f.Fuzz(func(t *testing.T, body []byte) {
		if foldedKey(body) {
			t.Skip("encoding/json matches keys without case; the stream needs the server's exact names")
		}
		want, raws, werr := referenceList(body)
		got, gerr := streamList(body, iotest.HalfReader)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("encoding/json: %v; stream: %v", werr, gerr)
		}
		if werr != nil {
			return
		}
		if want == nil {
			want = []models.Room{}
		}
		if !reflect.DeepEqual(withoutRaw(got), want) {
			t.Fatalf("rooms differ\n got %+v\nwant %+v", withoutRaw(got), want)
		}
		for i := range got {
			if !bytes.Equal(got[i].Raw, raws[i]) {
				t.Fatalf("room %d raw %q, want %q", i, got[i].Raw, raws[i])
			}
		}
	})
}

// foldedKey reports a body with a key that matches a room or envelope
// field only without case.
func foldedKey(body []byte) bool {
	names := []string{"ocs", "meta", "data", "status", "statuscode", "message"}
	for _, f := range reflect.VisibleFields(reflect.TypeFor[models.Room]()) {
		if tag := strings.Split(f.Tag.Get("json"), ",")[0]; tag != "" && tag != "-" {
			names = append(names, tag)
		}
	}
	lower := bytes.ToLower(body)
	for _, n := range names {
		if bytes.Count(lower, []byte(`"`+strings.ToLower(n)+`"`)) != bytes.Count(body, []byte(`"`+n+`"`)) {
			return true
		}
	}
	return false
}

// TestLeanDecodesWhatSortingNeeds: a lean list (rooms --json) has the
// fields filtering and sorting use, and each room's bytes; nothing else.
func TestLeanDecodesWhatSortingNeeds(t *testing.T) {
	body := roomListBody(t, 50)
	full, err := streamList(body, func(r io.Reader) io.Reader { return r })
	if err != nil {
		t.Fatal(err)
	}
	s := newJSONStream(iotest.HalfReader(bytes.NewReader(body)))
	s.lean = true
	ans, err := decodeRoomListStream(s, true)
	if err != nil || len(ans.rooms) != len(full) {
		t.Fatalf("%d rooms, %v", len(ans.rooms), err)
	}
	for i, got := range ans.rooms {
		want := models.Room{Token: full[i].Token, Type: full[i].Type, ParticipantType: full[i].ParticipantType,
			LastActivity: full[i].LastActivity, Raw: full[i].Raw}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("room %d: %+v, want %+v", i, got, want)
		}
	}
}
