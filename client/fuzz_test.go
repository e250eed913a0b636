package client

import (
	"net/http"
	"testing"

	"github.com/talkmod/talkmod/client/internal/recorded"
	"github.com/talkmod/talkmod/models"
)

// FuzzDecodeAnswer feeds decodeAnswer random bodies, statuses and content
// types: whatever comes back, it must not panic, and an answer that is not
// a success must be an error with plain words.
func FuzzDecodeAnswer(f *testing.F) {
	if recs, err := recorded.All(); err == nil {
		for _, r := range recs {
			for _, ex := range r.Exchanges {
				if len(ex.Body) <= 4096 { // large seeds stall the fuzzing engine
					f.Add(ex.Status, ex.Header.Get("Content-Type"), ex.Body, uint8(len(ex.Body)%4))
				}
			}
		}
	}
	f.Add(200, "application/json", []byte(`{"ocs":{"meta":{"status":"ok"},"data":{"token":"abcd","forced":"1"}}}`), uint8(1))
	f.Add(400, "application/json", []byte(`{"ocs":{"meta":{"status":"failure","statuscode":400},"data":{"error":7,"forced":true}}}`), uint8(0))
	f.Add(412, "application/json", []byte(`{"message":"CSRF check failed"}`), uint8(0))
	f.Add(200, "text/html", []byte("<!DOCTYPE html><html>"), uint8(2))
	f.Add(301, "", []byte(""), uint8(3))
	f.Add(200, "application/json", []byte(`{"ocs":{"meta":{"status":"ok"},"data":{"capabilities":{"spreed":{"config":{"call":[]}}}}}}`), uint8(2))
	f.Fuzz(func(t *testing.T, status int, ct string, body []byte, target uint8) {
		h := http.Header{"Content-Type": {ct}, "Location": {string(body)}, "Retry-After": {string(body)}}
		if target&4 != 0 {
			h.Set("X-Nextcloud-Maintenance-Mode", "1")
		}
		var err error
		switch target % 4 {
		case 0:
			var rooms []models.Room
			err = decodeAnswer("list rooms", status, h, body, &rooms)
		case 1:
			var room maybeRoom
			err = decodeAnswer("get room", status, h, body, &room)
		case 2:
			var caps capsData
			if err = decodeAnswer("capabilities", status, h, body, &caps); err == nil {
				_ = caps.toModel()
			}
		case 3:
			err = decodeAnswer("revoke app password", status, h, body, nil)
		}
		if err != nil {
			if Message(err) == "" || err.Error() == "" {
				t.Fatalf("an error without words: %#v", err)
			}
			_ = KindOf(err)
		} else if status < 200 || status > 299 {
			t.Fatalf("HTTP %d decoded as success", status)
		}
	})
}
