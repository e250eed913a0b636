package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/talkmod/talkmod/models"
)

// TestRedirectsAreNotFollowed: a redirect (here to plain http on another
// port, as a misconfigured proxy would send) is one clear error, and the
// app password never travels to the redirect's target.
func TestRedirectsAreNotFollowed(t *testing.T) {
	var leaked atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			leaked.Add(1)
		}
		fmt.Fprint(w, okRoom)
	}))
	defer target.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+r.URL.RequestURI(), http.StatusMovedPermanently)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, time.Unix(1796091958, 0))
	_, err := c.SetSIP(context.Background(), "3759050267", models.SIPEnabled)
	var re *ResponseError
	if !errors.As(err, &re) || re.HTTPStatus != 301 || !strings.Contains(err.Error(), "redirect to") || KindOf(err) != KindBadResponse {
		t.Fatalf("err = %v", err)
	}
	if leaked.Load() != 0 {
		t.Errorf("the redirect was followed with the credentials %d times", leaked.Load())
	}
}
