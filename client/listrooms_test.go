package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

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
