package roomjson

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"testing"
	"testing/iotest"
	"time"

	"github.com/talkmod/talkmod/models"
)

// failAfter reads r and fails with err once n bytes have been read.
type failAfter struct {
	r   io.Reader
	n   int
	err error
}

func (f *failAfter) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, f.err
	}
	m, err := f.r.Read(p[:min(len(p), f.n)])
	f.n -= m
	return m, err
}

// outcome is everything a caller can see of one Decode.
type outcome struct {
	Answer   Answer
	Raws     []string
	Err      string
	SynErr   *Error
	ReadErr  error
	Head     string
	Buffered string
}

// decodeOutcome decodes in 1000-byte chunks, chunks of them in use with
// a copier.
func decodeOutcome(r io.Reader, opts Options, chunks int) (outcome, *Decoder) {
	d := newDecoderSize(r, opts, 1000)
	d.copyChunks = chunks
	ans, err := d.Decode()
	var o outcome
	for i := range ans.Rooms {
		o.Raws = append(o.Raws, string(ans.Rooms[i].Raw))
		ans.Rooms[i].Raw = nil
	}
	o.Answer = ans
	if err != nil {
		o.Err = err.Error()
		errors.As(err, &o.SynErr)
	}
	o.ReadErr, o.Head, o.Buffered = d.ReadErr(), string(d.Head()), string(d.Buffered())
	return o, d
}

// TestCopierAsWithoutLength: with the body's length announced (the rooms'
// bytes copied behind the decoder), a caller sees exactly what it sees
// without it (rooms, bytes, errors and their offsets, Head, Buffered,
// ReadErr), whatever the reads and however the body ends, whether the
// copier or the decoder (one chunk in use: no chunk free for the copier)
// makes the copies, and the copier has ended when Decode returns.
func TestCopierAsWithoutLength(t *testing.T) {
	body := bytes.TrimSpace(roomListBody(t, 60))
	mid := bytes.Index(body, []byte(`"token":"tok0000030"`))
	bodies := map[string][]byte{
		"whole":          body,
		"cut in a room":  body[:mid+5],
		"cut at the end": body[:len(body)-1],
		"a bad byte":     append(append(append([]byte(nil), body[:mid]...), '}'), body[mid+1:]...),
		"data after":     append(append([]byte(nil), body...), `{}`...),
		"not an object":  []byte("<html>" + string(body)),
		"empty list":     []byte(`{"ocs":{"meta":{"status":"ok"},"data":[]}}`),
	}
	tiny := func(r io.Reader) io.Reader { return iotest.OneByteReader(iotest.HalfReader(r)) }
	rds := map[string]func(io.Reader) io.Reader{"whole": func(r io.Reader) io.Reader { return r }, "tiny": tiny, "data+EOF": iotest.DataErrReader}
	keeps := map[string]func(models.Room) bool{"all": nil, "some": func(r models.Room) bool { return r.ID%3 != 0 }}
	failed := errors.New("connection reset")
	goroutines := runtime.NumGoroutine()
	for bname, b := range bodies {
		for rname, wrap := range rds {
			for kname, keep := range keeps {
				for _, fail := range []int{-1, 0, 1001, mid} {
					if fail > len(b) {
						continue
					}
					src := func() io.Reader {
						if fail < 0 {
							return wrap(bytes.NewReader(b))
						}
						return wrap(&failAfter{r: bytes.NewReader(b), n: fail, err: failed})
					}
					opts := Options{KeepRaw: true, Lean: true, Keep: keep}
					want, _ := decodeOutcome(src(), opts, copyChunks)
					// announced: right, shorter than the body (the rest in
					// chunks), longer (the body ends before)
					for _, hint := range []int64{int64(len(b)), int64(len(b) / 2), 1, int64(len(b) + 4096)} {
						for _, chunks := range []int{1, copyChunks} {
							name := fmt.Sprintf("%s, %s reads, keep %s, failing at %d, %d announced, %d chunks", bname, rname, kname, fail, hint, chunks)
							opts.SizeHint = hint
							got, d := decodeOutcome(src(), opts, chunks)
							if !reflect.DeepEqual(got, want) {
								t.Fatalf("%s:\n got %+v\nwant %+v", name, got, want)
							}
							if d.arena.copier != nil {
								t.Fatalf("%s: the copier is still there after Decode", name)
							}
						}
					}
				}
			}
		}
	}
	// every copier goroutine has ended (give the runtime a moment to
	// count them out)
	for i := 0; runtime.NumGoroutine() > goroutines; i++ {
		if i == 100 {
			t.Fatalf("%d goroutines after the decodes, %d before", runtime.NumGoroutine(), goroutines)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestCopierKeepsRoomsApart: rooms kept after a dropped one, and a list
// whose kept bytes outgrow the announced length, keep each room's own
// bytes; appending to one room's bytes does not touch the next.
func TestCopierKeepsRoomsApart(t *testing.T) {
	body := roomListBody(t, 60)
	_, raws, err := referenceList(body)
	if err != nil {
		t.Fatal(err)
	}
	for _, hint := range []int64{int64(len(body)), int64(len(body)) / 3} {
		ans, err := newDecoderSize(iotest.HalfReader(bytes.NewReader(body)), Options{KeepRaw: true, SizeHint: hint}, 1000).Decode()
		if err != nil || len(ans.Rooms) != 60 {
			t.Fatalf("announced %d: %d rooms, %v", hint, len(ans.Rooms), err)
		}
		_ = append(ans.Rooms[0].Raw, "xxxx"...)
		for i, r := range ans.Rooms {
			if !bytes.Equal(r.Raw, raws[i]) {
				t.Fatalf("announced %d: room %d's bytes\n got %s\nwant %s", hint, i, r.Raw, raws[i])
			}
		}
	}
}
