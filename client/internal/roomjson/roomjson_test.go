package roomjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/talkmod/talkmod/client/internal/recorded"
	"github.com/talkmod/talkmod/models"
)

// referenceList decodes a list answer with encoding/json: the rooms, and
// each room's bytes.
func referenceList(body []byte) (rooms []models.Room, raws []json.RawMessage, err error) {
	var env struct {
		OCS *struct {
			Meta struct {
				Status string `json:"status"`
			} `json:"meta"`
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

// streamList decodes body with the streaming decoder, read through wrap,
// the body's size announced as hint (0: none).
func streamList(body []byte, wrap func(io.Reader) io.Reader, hint int64) ([]models.Room, error) {
	// small chunks: more values cross a chunk's end
	ans, err := newDecoderSize(wrap(bytes.NewReader(body)), Options{KeepRaw: true, SizeHint: hint}, 1000).Decode()
	if err != nil {
		return nil, err
	}
	if ans.NotObject || !ans.HasOCS || ans.Meta.Status == "" {
		return nil, errors.New("not an envelope")
	}
	return ans.Rooms, nil
}

// roomListBody is recorded.RoomList for a test.
func roomListBody(tb testing.TB, n int) []byte {
	tb.Helper()
	body, err := recorded.RoomList(n)
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

func withoutRaw(rooms []models.Room) []models.Room {
	out := make([]models.Room, len(rooms))
	for i, r := range rooms {
		r.Raw = nil
		out[i] = r
	}
	return out
}

// sizes are the announced sizes of an n-byte body: none (raw bytes kept
// in 256 KB blocks), right (one block), too small (one block, then more).
func sizes(n int) map[string]int64 {
	return map[string]int64{"no size": 0, "size": int64(n), "half size": int64(n/2 + 1)}
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
			for sname, hint := range sizes(len(body)) {
				got, err := streamList(body, wrap, hint)
				if err != nil {
					t.Fatalf("%s (%s, %s): %v", name, rname, sname, err)
				}
				if !reflect.DeepEqual(withoutRaw(got), want) {
					t.Fatalf("%s (%s, %s): rooms differ\n got %+v\nwant %+v", name, rname, sname, withoutRaw(got)[0], want[0])
				}
				for i := range got {
					if !bytes.Equal(got[i].Raw, raws[i]) {
						t.Fatalf("%s (%s, %s): room %d raw\n got %s\nwant %s", name, rname, sname, i, got[i].Raw, raws[i])
					}
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
			for sname, hint := range sizes(len(body)) {
				got, err := streamList(body, wrap, hint)
				if err != nil || len(got) != 1 || got[0].DisplayName != want[0].DisplayName {
					t.Errorf("%q (%s, %s): got %+v, %v; want %+q", n, rname, sname, got, err, want[0].DisplayName)
				}
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
			// announced as the whole body (Content-Length) and not
			for sname, hint := range map[string]int64{"no size": 0, "whole size": int64(len(body))} {
				rooms, err := streamList(body[:cut], wrap, hint)
				if err == nil {
					t.Fatalf("cut at %d/%d (%s, %s): %d rooms and no error", cut, len(body), rname, sname, len(rooms))
				}
			}
		}
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
		got, gerr := streamList(body, iotest.HalfReader, 0)
		if werr == nil {
			// the same through one block, announced right and too small
			for sname, hint := range sizes(len(body)) {
				if again, err := streamList(body, iotest.HalfReader, hint); err != nil || !reflect.DeepEqual(again, got) {
					t.Fatalf("%s: %v, rooms differ from no size", sname, err)
				}
			}
		}
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
	full, err := streamList(body, func(r io.Reader) io.Reader { return r }, 0)
	if err != nil {
		t.Fatal(err)
	}
	ans, err := NewDecoder(iotest.HalfReader(bytes.NewReader(body)), Options{Lean: true, KeepRaw: true}).Decode()
	if err != nil || len(ans.Rooms) != len(full) {
		t.Fatalf("%d rooms, %v", len(ans.Rooms), err)
	}
	for i, got := range ans.Rooms {
		want := models.Room{Token: full[i].Token, Type: full[i].Type, ParticipantType: full[i].ParticipantType,
			LastActivity: full[i].LastActivity, Raw: full[i].Raw}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("room %d: %+v, want %+v", i, got, want)
		}
	}
}

// TestKeepDropsWhileReading: with Keep, the list holds only the rooms Keep
// accepts, each with its own bytes (a dropped room's space is reused), and
// an error still names the room by its place in the whole list.
func TestKeepDropsWhileReading(t *testing.T) {
	body := roomListBody(t, 60)
	all, raws, err := referenceList(body)
	if err != nil {
		t.Fatal(err)
	}
	keep := func(r models.Room) bool { return r.ID%3 != 0 }
	for rname, wrap := range readers {
		for sname, hint := range sizes(len(body)) {
			opts := Options{KeepRaw: true, SizeHint: hint, Keep: keep}
			ans, err := newDecoderSize(wrap(bytes.NewReader(body)), opts, 1000).Decode()
			if err != nil {
				t.Fatalf("%s, %s: %v", rname, sname, err)
			}
			var n int
			for i, want := range all {
				if !keep(want) {
					continue
				}
				if n >= len(ans.Rooms) {
					t.Fatalf("%s, %s: %d rooms kept, want more", rname, sname, len(ans.Rooms))
				}
				got := ans.Rooms[n]
				if got.Token != want.Token || !bytes.Equal(got.Raw, raws[i]) {
					t.Fatalf("%s, %s: kept room %d is %s (%d bytes), want %s", rname, sname, n, got.Token, len(got.Raw), want.Token)
				}
				n++
			}
			if n != len(ans.Rooms) || n != 40 {
				t.Fatalf("%s, %s: %d rooms kept, want %d (40)", rname, sname, len(ans.Rooms), n)
			}
		}
	}

	bad := []byte(`{"ocs":{"meta":{"status":"ok"},"data":[{"id":3},{"id":6},{"id":1,"lobbyState":"on"}]}}`)
	_, err = NewDecoder(bytes.NewReader(bad), Options{Keep: keep}).Decode()
	var se *Error
	if !errors.As(err, &se) || se.Room != 2 || se.Field != "lobbyState" {
		t.Errorf("error %v (%+v), want room index 2, field lobbyState", err, se)
	}
}

// TestDefaultPermissions: the room's default permissions are decoded as
// stored (the console's P chooser marks the current one); the lean
// decoding (sorting only) leaves them out.
func TestDefaultPermissions(t *testing.T) {
	body := []byte(`{"ocs":{"meta":{"status":"ok","statuscode":200},"data":[` +
		`{"token":"a1","type":3,"defaultPermissions":133},{"token":"b2","type":2,"defaultPermissions":0},{"token":"c3","type":2}]}}`)
	ans, err := NewDecoder(bytes.NewReader(body), Options{}).Decode()
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, r := range ans.Rooms {
		got = append(got, r.DefaultPermissions)
	}
	if !reflect.DeepEqual(got, []int{133, 0, 0}) {
		t.Errorf("defaultPermissions %v, want [133 0 0]", got)
	}
	lean, err := NewDecoder(bytes.NewReader(body), Options{Lean: true}).Decode()
	if err != nil || lean.Rooms[0].DefaultPermissions != 0 || lean.Rooms[0].Token != "a1" {
		t.Errorf("lean: %+v %v", lean.Rooms, err)
	}
}
