package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/internal/recorded"
	"github.com/talkmod/talkmod/models"
)

// roomListBody is recorded.RoomList for a test.
func roomListBody(tb testing.TB, n int) []byte {
	tb.Helper()
	body, err := recorded.RoomList(n)
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// BenchmarkListRooms reads a 10,000-room list: decoded whole with
// encoding/json (decodeAnswer), and the whole ListRooms call over loopback
// HTTP (roomjson's BenchmarkDecode measures the decode alone).
func BenchmarkListRooms(b *testing.B) {
	body := roomListBody(b, 10_000)
	hdr := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
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
