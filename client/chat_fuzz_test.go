package client

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/talkmod/talkmod/client/internal/recorded"
	"github.com/talkmod/talkmod/models"
)

// FuzzChatMessages feeds the chat's decoder random answers (seeded with
// every recorded chat answer of the M series): it never panics, an answer
// it refuses is a typed error in plain words, and every message it accepts
// keeps its bytes in Raw, which decode again to the same message
// (messageParameters in both shapes, [] and an object, included).
func FuzzChatMessages(f *testing.F) {
	if recs, err := recorded.All("M"); err == nil {
		for _, r := range recs {
			for _, ex := range r.Exchanges {
				if strings.Contains(ex.URL.Path, "/chat/") && len(ex.Body) <= 8192 {
					f.Add(ex.Status, ex.Body)
				}
			}
		}
	}
	f.Add(200, []byte(`{"ocs":{"meta":{"status":"ok","statuscode":200},"data":[{"id":1,"messageParameters":{"a":{"type":"user","id":7,"name":null}}}]}}`))
	f.Add(200, []byte(`{"ocs":{"meta":{"status":"ok","statuscode":200},"data":[{"id":1,"messageParameters":[1]}]}}`))
	f.Add(201, []byte(`{"ocs":{"meta":{"status":"ok","statuscode":201},"data":{"id":2,"parent":{"id":1,"parent":{"id":0}}}}}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 200 || status > 599 {
			// HTTP statuses a server answers with (1xx never reach the decoder)
			status = 200 + (status%400+400)%400
		}
		h := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
		var list []models.ChatMessage
		err := decodeAnswer(opChatRead, status, h, body, &list)
		if err != nil {
			var ae *APIError
			var re *ResponseError
			if !errors.As(err, &ae) && !errors.As(err, &re) || Message(err) == "" {
				t.Fatalf("untyped error or no words: %v", err)
			}
			return
		}
		for _, m := range list {
			if m.Raw == nil {
				continue // null in the list
			}
			var again models.ChatMessage
			if err := json.Unmarshal(m.Raw, &again); err != nil {
				t.Fatalf("Raw does not decode again: %v", err)
			}
			if !reflect.DeepEqual(again, m) {
				t.Fatalf("Raw decodes to another message:\n%+v\n%+v", again, m)
			}
			_ = m.Expand(func(string, models.MessageParameter) string { return "x" })
		}
	})
}
