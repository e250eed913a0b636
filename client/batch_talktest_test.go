package client_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/models"
)

// batchServer is talktest with n webinars and a 50 ms latency, behind a
// proxy that records the most requests in flight at once.
func batchServer(tb testing.TB, n int) (*client.Client, []string, *atomic.Int32) {
	srv := talktest.New()
	tb.Cleanup(srv.Close)
	srv.AddUser("mod", "mod-app-pw")
	var toks []string
	for i := range n {
		tok := fmt.Sprintf("batch%04d", i)
		srv.AddRoom(talktest.Room{Token: tok, Type: models.ConversationGroup, Name: tok,
			Participants: map[string]models.ParticipantType{"mod": models.ParticipantOwner}})
		toks = append(toks, tok)
	}
	srv.SetDelay(50 * time.Millisecond)
	u, _ := url.Parse(srv.URL)
	rp := httputil.NewSingleHostReverseProxy(u)
	var cur, peak atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := cur.Add(1)
		defer cur.Add(-1)
		for {
			p := peak.Load()
			if c <= p || peak.CompareAndSwap(p, c) {
				break
			}
		}
		rp.ServeHTTP(w, r)
	}))
	tb.Cleanup(proxy.Close)
	c, err := client.New(client.Config{BaseURL: proxy.URL, User: "mod", AppPassword: "mod-app-pw"})
	if err != nil {
		tb.Fatal(err)
	}
	return c, toks, &peak
}

func lobbyBatch(c *client.Client, state models.LobbyState) client.Batch[string, models.Room] {
	return client.Batch[string, models.Room]{Do: func(ctx context.Context, tok string) (models.Room, error) {
		return c.SetLobby(ctx, tok, state, nil)
	}}
}

// TestBatchAgainstTalktest: 100 lobby changes with 50 ms latency: never
// more than 4 in flight, and 4 reached (none serialised needlessly).
func TestBatchAgainstTalktest(t *testing.T) {
	c, toks, peak := batchServer(t, 100)
	outs := lobbyBatch(c, models.LobbyModeratorsOnly).Run(context.Background(), toks)
	for _, o := range outs {
		if o.Err != nil || o.Value.LobbyState != models.LobbyModeratorsOnly || o.Value.Token != o.Item {
			t.Fatalf("%s: %+v, %v", o.Item, o.Value, o.Err)
		}
	}
	if got := peak.Load(); got != client.DefaultBatchLimit {
		t.Errorf("at most %d requests in flight, want exactly %d", got, client.DefaultBatchLimit)
	}
}

// BenchmarkBatch100Lobby: 100 lobby changes with 50 ms latency. The bound
// is ⌈100/4⌉ request times + 10% = 27.5 request times; the figure
// request-times/op divides the batch's time by one request's own time
// (one SetLobby alone, measured here), injected-50ms/op by the 50 ms.
func BenchmarkBatch100Lobby(b *testing.B) {
	c, toks, peak := batchServer(b, 100)
	ctx := context.Background()
	var one time.Duration
	for i := range 4 {
		start := time.Now()
		if _, err := c.SetLobby(ctx, toks[i], models.LobbyNone, nil); err != nil {
			b.Fatal(err)
		}
		one += time.Since(start)
	}
	one /= 4
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		state := models.LobbyModeratorsOnly
		if i%2 == 1 {
			state = models.LobbyNone
		}
		for _, o := range lobbyBatch(c, state).Run(ctx, toks) {
			if o.Err != nil {
				b.Fatal(o.Err)
			}
		}
	}
	per := time.Since(start) / time.Duration(b.N)
	b.ReportMetric(float64(per)/float64(one), "request-times/op")
	b.ReportMetric(float64(per)/float64(50*time.Millisecond), "injected-50ms/op")
	b.ReportMetric(float64(peak.Load()), "max-in-flight")
}
