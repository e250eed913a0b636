package roomjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"testing"

	"github.com/talkmod/talkmod/models"
)

// BenchmarkDecode decodes a 10,000-room list (15 MB) from memory: with
// encoding/json for comparison, and with the Decoder as the console
// (raw=false), rooms --all --json (raw=true) and rooms --json (lean)
// use it.
func BenchmarkDecode(b *testing.B) {
	body := roomListBody(b, 10_000)
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var env struct {
				OCS struct {
					Data []models.Room `json:"data"`
				} `json:"ocs"`
			}
			if err := json.Unmarshal(body, &env); err != nil || len(env.OCS.Data) != 10_000 {
				b.Fatal(err, len(env.OCS.Data))
			}
		}
	})
	for _, opts := range []Options{{}, {KeepRaw: true}, {KeepRaw: true, Lean: true}} {
		opts.SizeHint = int64(len(body))
		b.Run(fmt.Sprintf("raw=%v,lean=%v", opts.KeepRaw, opts.Lean), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				ans, err := NewDecoder(bytes.NewReader(body), opts).Decode()
				if err != nil || len(ans.Rooms) != 10_000 {
					b.Fatal(err, len(ans.Rooms))
				}
			}
		})
	}
}

// BenchmarkDecodeFreshMemory is rooms --json's decode (KeepRaw, Lean, the
// webinar rooms kept) as a new process meets it: the memory the previous
// round used is given back to the system first (untimed), so the rooms'
// bytes land in pages touched for the first time.
func BenchmarkDecodeFreshMemory(b *testing.B) {
	body := roomListBody(b, 10_000)
	opts := Options{SizeHint: int64(len(body)), KeepRaw: true, Lean: true, Keep: models.Room.IsWebinarCandidate}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		b.StopTimer()
		debug.FreeOSMemory()
		b.StartTimer()
		ans, err := NewDecoder(bytes.NewReader(body), opts).Decode()
		if err != nil || len(ans.Rooms) == 0 {
			b.Fatal(err, len(ans.Rooms))
		}
	}
}
