package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"
)

type fakeRT struct {
	body string
	cl   int64
}

func (f fakeRT) RoundTrip(*http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, ContentLength: f.cl, Body: io.NopCloser(strings.NewReader(f.body))}, nil
}

// TestBodyCap: a body up to the cap is read whole, one byte more fails
// with ErrResponseBodyTooLarge, and a Content-Length over the cap fails at
// the first read.
func TestBodyCap(t *testing.T) {
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
	for _, c := range []struct {
		body    string
		cl      int64
		wantErr bool
	}{
		{strings.Repeat("x", 10), -1, false},
		{strings.Repeat("x", 11), -1, true},
		{strings.Repeat("x", 10), 10, false},
		{"x", 11, true},
		{"", -1, false},
	} {
		resp, _ := cappedTransport{base: fakeRT{c.body, c.cl}, max: 10}.RoundTrip(req)
		got, err := io.ReadAll(resp.Body)
		if c.wantErr != errors.Is(err, resty.ErrResponseBodyTooLarge) || len(got) > 10 || (!c.wantErr && string(got) != c.body) {
			t.Errorf("body %d bytes, Content-Length %d: read %d bytes, err %v", len(c.body), c.cl, len(got), err)
		}
	}

	// Over HTTP: a declared 40 MB body is refused without reading it,
	// named, and not retried.
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Length", strconv.Itoa(40<<20))
		w.WriteHeader(200)
		_, _ = w.Write([]byte(`{"ocs":`))
	}))
	defer srv.Close()
	_, err := newTestClient(t, srv.URL, time.Now()).ListRooms(context.Background(), ListOptions{})
	if KindOf(err) != KindBadResponse || !strings.Contains(err.Error(), "larger than 32 MB") || n.Load() != 1 {
		t.Errorf("err %v after %d requests", err, n.Load())
	}
}
