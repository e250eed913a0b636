package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/internal/recorded"
	"github.com/talkmod/talkmod/models"
)

// roomListBody builds an n-room list in the shape of the recorded rooms
// (all 52 fields, lastMessage included).
func roomListBody(tb testing.TB, n int) []byte {
	tb.Helper()
	rec, err := recorded.Load("R01-room-list-admin")
	if err != nil {
		tb.Fatal(err)
	}
	var env struct {
		OCS struct {
			Data []map[string]any `json:"data"`
		} `json:"ocs"`
	}
	if err := json.Unmarshal(rec.First().Body, &env); err != nil {
		tb.Fatal(err)
	}
	rooms := make([]map[string]any, n)
	for i := range rooms {
		r := map[string]any{}
		for k, v := range env.OCS.Data[i%len(env.OCS.Data)] {
			r[k] = v
		}
		r["id"] = i + 1
		r["token"] = fmt.Sprintf("tok%07d", i)
		r["displayName"] = fmt.Sprintf("Webinar %d", i)
		rooms[i] = r
	}
	var buf bytes.Buffer
	buf.WriteString(`{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":`)
	if err := json.NewEncoder(&buf).Encode(rooms); err != nil {
		tb.Fatal(err)
	}
	buf.WriteString(`}}`)
	return buf.Bytes()
}

// BenchmarkListRooms decodes a 10,000-room list: the decode alone, and the
// whole call over loopback HTTP.
func BenchmarkListRooms(b *testing.B) {
	body := roomListBody(b, 10_000)
	hdr := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	// The decoder before streaming, for comparison.
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var rooms []models.Room
			if err := decodeAnswer("list rooms", 200, hdr, body, &rooms); err != nil || len(rooms) != 10_000 {
				b.Fatal(err, len(rooms))
			}
		}
	})
	for _, mode := range []struct{ keepRaw, lean bool }{{false, false}, {true, false}, {true, true}} {
		b.Run(fmt.Sprintf("decode/raw=%v,lean=%v", mode.keepRaw, mode.lean), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				s := newJSONStream(bytes.NewReader(body))
				s.lean = mode.lean
				ans, err := decodeRoomListStream(s, mode.keepRaw)
				if err != nil || len(ans.rooms) != 10_000 {
					b.Fatal(err, len(ans.rooms))
				}
			}
		})
	}
	b.Run("http", func(b *testing.B) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("X-Nextcloud-Talk-Modified-Before", "1796092044")
			_, _ = w.Write(body)
		}))
		defer srv.Close()
		c, _ := New(Config{BaseURL: srv.URL, User: "u", AppPassword: "p", Timeout: 30 * time.Second})
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			list, err := c.ListRooms(context.Background(), ListOptions{})
			if err != nil || len(list.Rooms) != 10_000 {
				b.Fatal(err)
			}
		}
	})
}

func TestGeneratedListDecodes(t *testing.T) {
	body := roomListBody(t, 100)
	var rooms []models.Room
	if err := decodeAnswer("list rooms", 200, http.Header{}, body, &rooms); err != nil || len(rooms) != 100 {
		t.Fatal(err, len(rooms))
	}
	if rooms[99].Token != "tok0000099" || !strings.HasPrefix(rooms[99].DisplayName, "Webinar") {
		t.Errorf("room 99 = %+v", rooms[99])
	}
}
