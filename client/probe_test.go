package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/models"
)

func probeServer(t *testing.T, opts ...talktest.Option) (*talktest.Server, *Client) {
	t.Helper()
	srv := talktest.New(opts...)
	t.Cleanup(srv.Close)
	srv.AddUser("mod", "mod-app-pw")
	srv.AddRoom(talktest.Room{Token: "3759050267", Type: models.ConversationGroup, Name: "Webinar",
		Participants: map[string]models.ParticipantType{"mod": models.ParticipantOwner}})
	c, err := New(Config{BaseURL: srv.URL, User: "mod", AppPassword: "mod-app-pw"})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func TestServerStatusSendsNoPassword(t *testing.T) {
	srv, c := probeServer(t)
	st, ans, err := c.ServerStatus(context.Background())
	if err != nil || !st.Installed || st.Maintenance || st.VersionString != "31.0.6" || ans.HTTPStatus != 200 {
		t.Fatalf("status: %+v %+v %v", st, ans, err)
	}
	if skew, ok := ans.ClockSkew(); !ok || skew != 0 {
		t.Errorf("skew %v %v, want 0 true", skew, ok)
	}
	for _, r := range srv.Requests() {
		if r.Path == "/status.php" && (r.HasAuth || r.User != "") {
			t.Errorf("status.php was sent a login: %+v", r)
		}
	}
	srv.SetMaintenance(true)
	if st, _, err = c.ServerStatus(context.Background()); err != nil || !st.Maintenance {
		t.Errorf("maintenance: %+v %v", st, err)
	}
}

func TestServerStatusNotNextcloud(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/status.php" {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html>welcome to nginx</html>"))
			return
		}
		http.NotFound(w, r)
	}))
	defer hs.Close()
	c, _ := New(Config{BaseURL: hs.URL})
	_, _, err := c.ServerStatus(context.Background())
	var re *ResponseError
	if !errors.As(err, &re) || !strings.Contains(re.Problem, "not a Nextcloud status") {
		t.Errorf("html status: %v", err)
	}
	hs.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(502) })
	if _, _, err = c.ServerStatus(context.Background()); KindOf(err) != KindUnavailable {
		t.Errorf("502: %v (%v)", err, KindOf(err))
	}
	hs.Close()
	if _, _, err = c.ServerStatus(context.Background()); KindOf(err) != KindNetwork {
		t.Errorf("closed server: %v (%v)", err, KindOf(err))
	}
}

func TestClockSkewFromDateHeader(t *testing.T) {
	_, c := probeServer(t, talktest.WithClockSkew(-150*time.Second))
	_, ans, err := c.CurrentUserAnswer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if skew, ok := ans.ClockSkew(); !ok || skew > -149*time.Second || skew < -151*time.Second {
		t.Errorf("server 150 s behind: skew %v %v", skew, ok)
	}
	// this machine's clock ahead by a minute reads the same way round
	srv, _ := probeServer(t)
	c2, _ := New(Config{BaseURL: srv.URL, User: "mod", AppPassword: "mod-app-pw", Now: func() time.Time { return time.Now().Add(time.Minute) }})
	_, ans, err = c2.ServerStatus(context.Background())
	if skew, ok := ans.ClockSkew(); err != nil || !ok || skew > -59*time.Second || skew < -61*time.Second {
		t.Errorf("local clock a minute ahead: skew %v %v %v", skew, ok, err)
	}
	if _, ok := (Answer{}).ClockSkew(); ok {
		t.Error("no Date header must not give a skew")
	}
}

func TestThrottleSeen(t *testing.T) {
	srv, c := probeServer(t)
	ctx := context.Background()
	caps, _, err := c.CapabilitiesAnswer(ctx)
	if err != nil || caps.BruteForceDelay != 0 || !caps.HasTalk || !caps.Has(models.FeatureLobby) {
		t.Fatalf("caps: %+v %v", caps, err)
	}
	srv.SetThrottle(2500 * time.Millisecond)
	if caps, _, err = c.CapabilitiesAnswer(ctx); err != nil || caps.BruteForceDelay != 2500*time.Millisecond {
		t.Errorf("throttled caps delay %v %v", caps.BruteForceDelay, err)
	}
	_, ans, err := c.GetRoomAnswer(ctx, "3759050267")
	if err != nil || ans.Throttled != 2500*time.Millisecond {
		t.Errorf("room answer throttled %v %v", ans.Throttled, err)
	}
	if _, _, err := c.GetRoomAnswer(ctx, "9999999999"); KindOf(err) != KindNotFound {
		t.Errorf("unknown room: %v", err)
	}
	for in, want := range map[string]time.Duration{"": 0, "200ms": 200 * time.Millisecond, "25000ms": 25 * time.Second, "abc": 0, "-5ms": 0, "12": 12 * time.Millisecond} {
		if got := parseThrottled(in); got != want {
			t.Errorf("parseThrottled(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestServerStatusTLS(t *testing.T) {
	hs := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"installed":true,"maintenance":false,"needsDbUpgrade":false,"version":"31.0.6.2","versionstring":"31.0.6","edition":"","productname":"Nextcloud","extendedSupport":false}`))
	}))
	defer hs.Close()
	c, err := New(Config{BaseURL: hs.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.ServerStatus(context.Background())
	if p := CertificateProblem(err); !strings.Contains(p, "authority this machine does not trust") {
		t.Errorf("self-signed: %q (%v)", p, err)
	}
	if CertificateProblem(errors.New("x")) != "" {
		t.Error("not a TLS error")
	}
	// trust the test server's certificate: the answer carries it
	pool := x509.NewCertPool()
	pool.AddCert(hs.Certificate())
	ct := c.http.GetClient().Transport.(cappedTransport)
	ct.base.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: pool}
	_, ans, err := c.ServerStatus(context.Background())
	if err != nil || ans.Certificate == nil || !ans.Certificate.NotAfter.Equal(hs.Certificate().NotAfter) {
		t.Fatalf("trusted: %+v %v", ans, err)
	}
}
