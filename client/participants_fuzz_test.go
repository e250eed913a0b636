package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/talkmod/talkmod/client/internal/recorded"
	"github.com/talkmod/talkmod/models"
)

// participantSeeds are the answers of the recorded participant endpoints
// (the list and the permissions change, both decoded as participants),
// as the fuzz corpus files under testdata/fuzz/FuzzParticipants hold
// them: name → status and body.
func participantSeeds(tb testing.TB) map[string]struct {
	status int
	body   []byte
} {
	recs, err := recorded.All("P")
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]struct {
		status int
		body   []byte
	}{}
	for _, r := range recs {
		for i, ex := range r.Exchanges {
			p := ex.URL.Path
			if !strings.HasSuffix(p, "/participants") && !strings.HasSuffix(p, "/attendees/permissions") || ex.Method == http.MethodPost {
				continue
			}
			name := "recorded-" + r.Name
			if len(r.Exchanges) > 1 {
				name += fmt.Sprintf("-%d", i+1)
			}
			out[name] = struct {
				status int
				body   []byte
			}{ex.Status, ex.Body}
		}
	}
	return out
}

// corpusFile is the fuzz engine's file format for (int, []byte).
func corpusFile(status int, body []byte) []byte {
	return fmt.Appendf(nil, "go test fuzz v1\nint(%d)\n[]byte(%q)\n", status, body)
}

// TestFuzzParticipantsCorpus: the committed seed corpus holds every
// recorded participants and permissions answer, byte for byte. Run with
// TALKMOD_WRITE_FUZZ_SEEDS=1 to write it after the recordings change.
func TestFuzzParticipantsCorpus(t *testing.T) {
	seeds := participantSeeds(t)
	if len(seeds) < 30 {
		t.Fatalf("only %d recorded participant answers", len(seeds))
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzParticipants")
	for name, s := range seeds {
		path := filepath.Join(dir, name)
		want := corpusFile(s.status, s.body)
		if os.Getenv("TALKMOD_WRITE_FUZZ_SEEDS") == "1" {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("seed %s is missing or stale (%v): rerun with TALKMOD_WRITE_FUZZ_SEEDS=1", path, err)
		}
	}
}

// FuzzParticipants: the participant decoder (decodeAnswer into
// []models.Participant, what Participants and SetAttendeePermissions
// use) never panics. A list it accepts came from a success answer, each
// participant keeps its own bytes of the body in Raw, and the list
// round-trips: the same Raw objects in a fresh envelope decode to the
// same list, and each participant survives encoding/json both ways. A
// refusal of a success answer is a typed bad-response error (or, for an
// envelope whose meta says it failed, the server's APIError); every
// error has plain words.
func FuzzParticipants(f *testing.F) {
	for _, s := range participantSeeds(f) {
		f.Add(s.status, s.body)
	}
	f.Add(200, []byte(`{"ocs":{"meta":{"status":"ok"},"data":[null,{"attendeeId":"7"}]}}`))
	f.Add(200, []byte(`{"ocs":{"meta":{"status":"ok"},"data":[{"AttendeeId":1,"sessionIds":null,"inCall":7}],"data":[{"displayName":"\u001b]0;x\u0007"}]}}`))
	f.Add(200, []byte(`{"ocs":{"meta":{"status":"ok"},"data":{}}}`))
	f.Add(200, []byte(`{"ocs":{"meta":{"status":"ok"},"data":[{"lastPing":1e400}]}}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		h := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
		var ps []models.Participant
		err := decodeAnswer(opParticipants, status, h, body, &ps)
		if err != nil {
			checkParticipantsError(t, status, body, err)
			return
		}
		if status < 200 || status > 299 {
			t.Fatalf("HTTP %d decoded as success", status)
		}
		raws := make([][]byte, len(ps))
		for i, p := range ps {
			if !json.Valid(p.Raw) || !bytes.Contains(body, p.Raw) {
				t.Fatalf("participant %d: Raw %q is not an object of the body", i, p.Raw)
			}
			raws[i] = p.Raw
			for _, lobby := range []models.LobbyState{models.LobbyNone, models.LobbyModeratorsOnly} {
				room := models.Room{LobbyState: lobby}
				if p.IsWaiting(room) && (p.IsModerator() || p.LetIn() || !p.Connected()) {
					t.Fatalf("participant %d waits but may not: %+v", i, p)
				}
				if p.State(room).String() == "" {
					t.Fatalf("participant %d: a state without words", i)
				}
			}
			// encoding/json both ways keeps every field
			enc, err := json.Marshal(p)
			if err != nil {
				t.Fatalf("participant %d does not encode: %v", i, err)
			}
			var q models.Participant
			if err := json.Unmarshal(enc, &q); err != nil {
				t.Fatalf("participant %d: its own encoding %s does not decode: %v", i, enc, err)
			}
			q.Raw, p.Raw = nil, nil
			if !reflect.DeepEqual(q, p) {
				t.Fatalf("participant %d changes through JSON:\n got %+v\nwant %+v", i, q, p)
			}
		}
		if ps == nil {
			return
		}
		again := fmt.Appendf(nil, `{"ocs":{"meta":{"status":"ok","statuscode":200},"data":[%s]}}`, bytes.Join(raws, []byte(",")))
		var ps2 []models.Participant
		if err := decodeAnswer(opParticipants, 200, h, again, &ps2); err != nil {
			t.Fatalf("the decoded list does not decode again: %v\n%s", err, again)
		}
		if !reflect.DeepEqual(ps2, ps) {
			t.Fatalf("the list changes when decoded again:\n got %+v\nwant %+v", ps2, ps)
		}
	})
}

// checkParticipantsError: an error of the participant decoder is one of
// the client's types, in plain words; for a success status it says the
// answer was bad, unless the envelope itself said it failed.
func checkParticipantsError(t *testing.T, status int, body []byte, err error) {
	t.Helper()
	if err.Error() == "" || Message(err) == "" {
		t.Fatalf("an error without words: %#v", err)
	}
	var ae *APIError
	var re *ResponseError
	switch {
	case errors.As(err, &re):
		if status >= 200 && status < 500 && KindOf(err) != KindBadResponse {
			t.Fatalf("HTTP %d: a bad answer of kind %v: %v", status, KindOf(err), err)
		}
		if re.Problem == "" {
			t.Fatalf("a bad-response error without its problem: %#v", re)
		}
	case errors.As(err, &ae):
		if status >= 200 && status <= 299 {
			var env rawEnvelope
			if json.Unmarshal(bytes.TrimSpace(body), &env) != nil || env.OCS == nil || env.OCS.Meta.Status == "ok" {
				t.Fatalf("HTTP %d with an ok envelope refused as %v", status, err)
			}
		}
	default:
		t.Fatalf("an error of no client type: %#v", err)
	}
}
