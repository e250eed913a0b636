package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
	"github.com/talkmod/talkmod/models"
)

// TestRoomsJSONAsSent: rooms --json and room --json print the room
// objects as the server sent them (every field, unknown ones too), and
// still escape what a terminal would act on, bytes that are not UTF-8
// included.
func TestRoomsJSONAsSent(t *testing.T) {
	testenv.Isolate(t)
	room := func(tok, name string) string {
		return `{"id":1,"token":"` + tok + `","type":2,"participantType":1,"displayName":"` + name +
			`","lastActivity":5,"futureField":{"nested":[1,2,{"x":"y"}]},"avatarVersion":"abc","lobbyState":0}`
	}
	evil := "evil \u009b31m \u202e \\u001b]0;x\\u0007 \xff end"
	list := `{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":[` +
		room("abcd1234", "Webinar") + "," + room("efgh5678", evil) + `]}}`
	one := `{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":` + room("abcd1234", evil) + `}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if strings.HasSuffix(r.URL.Path, "/room") {
			fmt.Fprint(w, list)
			return
		}
		fmt.Fprint(w, one)
	}))
	defer srv.Close()
	t.Setenv("TALKMOD_SERVER", srv.URL)
	t.Setenv("TALKMOD_USER", "alice")
	t.Setenv("TALKMOD_APP_PASSWORD", testenv.AlicePW)

	for _, args := range [][]string{{"rooms", "--json"}, {"room", "abcd1234", "--json"}} {
		r := talkmod(t, "", args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d", args, r.code)
		}
		for _, bad := range []string{"\u009b", "\u202e", "\x1b", "\a", "\xff"} {
			if strings.Contains(r.stdout, bad) {
				t.Errorf("%v: raw %q in the output", args, bad)
			}
		}
		var objs []map[string]any
		out := strings.TrimSpace(r.stdout)
		if args[0] == "room" {
			out = "[" + out + "]"
		}
		if err := json.Unmarshal([]byte(out), &objs); err != nil {
			t.Fatalf("%v: not JSON: %v\n%s", args, err, r.stdout)
		}
		for _, o := range objs {
			if _, ok := o["futureField"]; !ok || o["avatarVersion"] != "abc" {
				t.Errorf("%v: fields the client does not know are gone: %v", args, o)
			}
		}
		last := objs[len(objs)-1]
		if name := last["displayName"]; name != "evil \u009b31m \u202e \x1b]0;x\a \ufffd end" {
			t.Errorf("%v: displayName = %q", args, name)
		}
		var rooms []models.Room
		if err := json.Unmarshal([]byte(out), &rooms); err != nil || rooms[0].Token != "abcd1234" {
			t.Errorf("%v: rooms %+v %v", args, rooms, err)
		}
	}
}
