package tui

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
)

// The console at 10,000 rooms: the list on screen soon after
// its last byte, a quiet poll that costs one small request, and memory.

// scaleList is an n-room list as talktest (the server's format, every
// field) answers it.
func scaleList(tb testing.TB, n int) []byte {
	tb.Helper()
	srv := talktest.New()
	defer srv.Close()
	srv.AddUser("alice", "alice-app-password")
	srv.AddRooms(talktest.GenerateRooms(n, "alice"))
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/ocs/v2.php/apps/spreed/api/v4/room?format=json", nil)
	req.SetBasicAuth("alice", "alice-app-password")
	req.Header.Set("OCS-APIRequest", "true")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		tb.Fatal(resp.Status, err)
	}
	return body
}

// scaleConsole is a console whose backend is the real client, on a
// server that answers the full list with body and a modifiedSince poll
// with an empty list (nothing changed), counting requests and bytes.
type scaleConsole struct {
	h            *harness
	requests     atomic.Int64
	bytes        atomic.Int64
	lastModSince atomic.Bool
	cl           *client.Client
	closeServer  func()
}

func newScaleConsole(tb testing.TB, n int) *scaleConsole {
	tb.Helper()
	body := scaleList(tb, n)
	empty := []byte(`{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":[]}}`)
	sc := &scaleConsole{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sc.requests.Add(1)
		out := body
		sc.lastModSince.Store(r.URL.Query().Get("modifiedSince") != "")
		if sc.lastModSince.Load() {
			out = empty
		}
		sc.bytes.Add(int64(len(out)))
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("X-Nextcloud-Talk-Modified-Before", fmt.Sprint(testNow.Unix()))
		w.Header().Set("Content-Length", fmt.Sprint(len(out)))
		_, _ = w.Write(out)
	}))
	sc.closeServer = srv.Close
	tb.Cleanup(srv.Close)
	cl, err := client.New(client.Config{BaseURL: srv.URL, User: "alice", AppPassword: "alice-app-password"})
	if err != nil {
		tb.Fatal(err)
	}
	sc.cl = cl
	tb.Cleanup(cl.CloseIdleConnections)
	be := &fakeBackend{caps: fullCaps(), listFn: func(opts client.ListOptions) (*client.RoomList, error) {
		return cl.ListRooms(context.Background(), opts)
	}}
	sc.h = newHarness(tb, be, 120, 40)
	if v := sc.h.view(); !strings.Contains(v, fmt.Sprintf("all %d)", n)) {
		tb.Fatalf("the list did not load:\n%s", v)
	}
	return sc
}

// BenchmarkConsoleListToScreen10k: a full refresh of 10,000 rooms: the
// request, the streamed decode, the console's update and the first View.
// The list is on screen this long after the answer starts (an upper
// bound of "after its last byte": the transfer is included).
func BenchmarkConsoleListToScreen10k(b *testing.B) {
	sc := newScaleConsole(b, 10_000)
	before := sc.requests.Load()
	b.ReportAllocs()
	for b.Loop() {
		sc.h.press("r")
		if v := sc.h.view(); !strings.Contains(v, " · you are ") {
			b.Fatalf("no room on screen:\n%s", v)
		}
	}
	if n := sc.requests.Load() - before; n != int64(b.N) {
		b.Fatalf("%d refreshes sent %d requests", b.N, n)
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
	b.ReportMetric(float64(ms.Sys)/(1<<20), "sys-MB")
}

// BenchmarkConsolePollUnchanged10k: the 30 s poll when nothing changed,
// with 10,000 rooms on screen: one modifiedSince request with an empty
// answer, and the console's work on it.
func BenchmarkConsolePollUnchanged10k(b *testing.B) {
	sc := newScaleConsole(b, 10_000)
	before := sc.requests.Load()
	bytesBefore := sc.bytes.Load()
	cpuBefore := processCPU()
	b.ReportAllocs()
	for b.Loop() {
		p, _, ok := sc.h.lastPoll()
		if !ok {
			b.Fatal("no poll scheduled")
		}
		sc.h.sched = nil
		sc.h.settle(p)
		_ = sc.h.view()
	}
	// all of the process's CPU time (user + system): the console, the
	// client and the test's server together, an upper bound
	b.ReportMetric(float64(processCPU()-cpuBefore)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(sc.requests.Load()-before)/float64(b.N), "requests/op")
	b.ReportMetric(float64(sc.bytes.Load()-bytesBefore)/float64(b.N), "answer-B/op")
}

// TestQuietPollIsOneSmallRequest: with 10,000 rooms on screen, a poll
// when nothing changed sends one modifiedSince request, reads a small
// answer, and leaves the screen as it was; it costs well under the 1 ms
// budget of CPU time (measured: see BenchmarkConsolePollUnchanged10k).
func TestQuietPollIsOneSmallRequest(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10,000-room list")
	}
	sc := newScaleConsole(t, 10_000)
	view := sc.h.view()
	p, d, ok := sc.h.lastPoll()
	if !ok || d != 30*time.Second {
		t.Fatalf("poll scheduled: %v after %v", ok, d)
	}
	sc.h.sched = nil
	before, bytesBefore := sc.requests.Load(), sc.bytes.Load()
	sc.h.settle(p)
	if n := sc.requests.Load() - before; n != 1 || !sc.lastModSince.Load() {
		t.Errorf("a quiet poll sent %d requests (modifiedSince: %v)", n, sc.lastModSince.Load())
	}
	if n := sc.bytes.Load() - bytesBefore; n > 200 {
		t.Errorf("a quiet poll read %d bytes", n)
	}
	after := sc.h.view()
	if strings.Replace(after, "refreshed", "", 1) != strings.Replace(view, "refreshed", "", 1) {
		t.Errorf("the screen changed on a quiet poll:\n%s\n---\n%s", view, after)
	}
}
