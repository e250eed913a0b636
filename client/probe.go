package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/talkmod/talkmod/client/internal/printable"
	"github.com/talkmod/talkmod/models"
)

// What talkmod doctor asks of a server, with what each answer said beside
// its data: the server's Date header (for the clock), brute-force
// throttling, the TLS certificate.

const (
	statusPath      = "/status.php"
	headerThrottled = "X-Nextcloud-Bruteforce-Throttled"
	opStatus        = "read status.php"
)

// ServerStatus is Nextcloud's /status.php (public, no login).
type ServerStatus struct {
	Installed      bool   `json:"installed"`
	Maintenance    bool   `json:"maintenance"`
	NeedsDBUpgrade bool   `json:"needsDbUpgrade"`
	Version        string `json:"version"`
	// VersionString is the version as Nextcloud shows it, e.g. "31.0.6".
	VersionString   string `json:"versionstring"`
	Edition         string `json:"edition"`
	ProductName     string `json:"productname"`
	ExtendedSupport bool   `json:"extendedSupport"`
}

// Answer is what an answer said beside its data.
type Answer struct {
	// HTTPStatus is 0 when no answer came.
	HTTPStatus int
	// Date is the server's Date header (zero when missing or unreadable).
	Date time.Time
	// Sent and Received are this machine's clock (Config.Now) just before
	// the request and just after the answer.
	Sent, Received time.Time
	// Throttled is the X-Nextcloud-Bruteforce-Throttled header ("2000ms"):
	// how long the server held the request back; 0 when absent.
	Throttled time.Duration
	// Certificate is the server's verified TLS certificate (nil over
	// plain http, or when no answer came).
	Certificate *x509.Certificate
}

// ClockSkew is how far the server's clock is ahead of this machine's
// (negative: behind), from the Date header; ok is false without one. The
// header has whole seconds: the skew is measured against the middle of the
// request, and a difference under a second reads as 0.
func (a Answer) ClockSkew() (skew time.Duration, ok bool) {
	if a.Date.IsZero() || a.Sent.IsZero() || a.Received.IsZero() {
		return 0, false
	}
	mid := a.Sent.Add(a.Received.Sub(a.Sent) / 2)
	skew = a.Date.Sub(mid.Truncate(time.Second))
	if skew > -time.Second && skew < time.Second {
		skew = 0
	}
	return skew, true
}

// ServerCapabilities are the capabilities with the parts doctor reads
// besides models.Capabilities.
type ServerCapabilities struct {
	models.Capabilities
	// BruteForceDelay is the core capability bruteforce.delay: how long the
	// brute-force protection holds back requests from this address.
	BruteForceDelay time.Duration
	// BruteForceAllowListed: this address is exempt from it.
	BruteForceAllowListed bool
}

// answerOf reads an answer's headers and TLS state.
func answerOf(hr *http.Response, sent, received time.Time) Answer {
	a := Answer{Sent: sent, Received: received}
	if hr == nil {
		return a
	}
	a.HTTPStatus = hr.StatusCode
	if d, err := http.ParseTime(hr.Header.Get("Date")); err == nil {
		a.Date = d
	}
	a.Throttled = parseThrottled(hr.Header.Get(headerThrottled))
	if hr.TLS != nil && len(hr.TLS.PeerCertificates) > 0 {
		a.Certificate = hr.TLS.PeerCertificates[0]
	}
	return a
}

// parseThrottled reads "2000ms" (Nextcloud's form; a bare number is read
// as milliseconds too).
func parseThrottled(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseFloat(strings.TrimSuffix(v, "ms"), 64)
	if err != nil || n <= 0 {
		return 0
	}
	return time.Duration(n * float64(time.Millisecond))
}

func rawOf(resp *resty.Response) *http.Response {
	if resp == nil {
		return nil
	}
	return resp.RawResponse
}

// ServerStatus reads /status.php without logging in (no app password is
// sent): whether Nextcloud answers, its version, maintenance mode.
func (c *Client) ServerStatus(ctx context.Context) (ServerStatus, Answer, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+statusPath, nil)
	if err != nil {
		return ServerStatus{}, Answer{}, &NetworkError{Op: opStatus, Host: c.base, Cause: "other", Err: err}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	sent := c.cfg.Now()
	hr, err := c.http.GetClient().Do(req)
	received := c.cfg.Now()
	c.log.Debug("talk request", "op", opStatus, "method", http.MethodGet, "path", statusPath, "err", errText(err))
	if err != nil {
		return ServerStatus{}, answerOf(nil, sent, received), classifyTransport(opStatus, c.base, nil, err)
	}
	defer hr.Body.Close()
	ans := answerOf(hr, sent, received)
	body, err := io.ReadAll(io.LimitReader(hr.Body, 1<<20))
	if err != nil {
		return ServerStatus{}, ans, classifyTransport(opStatus, c.base, nil, err)
	}
	ct := hr.Header.Get("Content-Type")
	if hr.StatusCode != http.StatusOK {
		if hr.Header.Get("X-Nextcloud-Maintenance-Mode") == "1" || hr.StatusCode >= 500 {
			return ServerStatus{}, ans, &APIError{Op: opStatus, HTTPStatus: hr.StatusCode,
				Maintenance: hr.Header.Get("X-Nextcloud-Maintenance-Mode") == "1", Message: http.StatusText(hr.StatusCode)}
		}
		return ServerStatus{}, ans, &ResponseError{Op: opStatus, HTTPStatus: hr.StatusCode, ContentType: ct,
			Problem: "no Nextcloud status at this address (is it the Nextcloud's address?)", Snippet: printable.Snippet(body)}
	}
	var st ServerStatus
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(body, &probe); err != nil || probe["installed"] == nil || json.Unmarshal(body, &st) != nil {
		return ServerStatus{}, ans, &ResponseError{Op: opStatus, HTTPStatus: hr.StatusCode, ContentType: ct,
			Problem: "the answer is not a Nextcloud status (is it the Nextcloud's address?)", Snippet: printable.Snippet(body)}
	}
	return st, ans, nil
}

// capsBruteforce is the core brute-force block of the capabilities.
type capsBruteforce struct {
	Capabilities struct {
		Bruteforce *struct {
			Delay       float64 `json:"delay"`
			AllowListed bool    `json:"allow-listed"`
		} `json:"bruteforce"`
	} `json:"capabilities"`
}

// CapabilitiesAnswer reads the capabilities (as Capabilities does) with
// the brute-force block and what the answer said beside them.
func (c *Client) CapabilitiesAnswer(ctx context.Context) (ServerCapabilities, Answer, error) {
	var raw json.RawMessage
	sent := c.cfg.Now()
	resp, err := c.call(ctx, "capabilities", http.MethodGet, capsPath, nil, &raw)
	ans := answerOf(rawOf(resp), sent, c.cfg.Now())
	if err != nil {
		return ServerCapabilities{}, ans, err
	}
	var cd capsData
	var full capsBruteforce
	if err := json.Unmarshal(raw, &cd); err != nil {
		return ServerCapabilities{}, ans, &ResponseError{Op: "capabilities", HTTPStatus: ans.HTTPStatus, Problem: "the capabilities are not an object", Err: err}
	}
	_ = json.Unmarshal(raw, &full) // the brute-force block is optional
	out := ServerCapabilities{Capabilities: cd.toModel()}
	if b := full.Capabilities.Bruteforce; b != nil {
		out.BruteForceDelay = time.Duration(b.Delay * float64(time.Millisecond))
		out.BruteForceAllowListed = b.AllowListed
	}
	return out, ans, nil
}

// CurrentUserAnswer is CurrentUser with what the answer said beside it.
func (c *Client) CurrentUserAnswer(ctx context.Context) (models.User, Answer, error) {
	var u models.User
	sent := c.cfg.Now()
	resp, err := c.call(ctx, "current user", http.MethodGet, userPath, nil, &u)
	ans := answerOf(rawOf(resp), sent, c.cfg.Now())
	if err != nil {
		return models.User{}, ans, err
	}
	if u.ID == "" {
		return models.User{}, ans, &ResponseError{Op: "current user", HTTPStatus: 200, Problem: "the answer holds no user id"}
	}
	return u, ans, nil
}

// GetRoomAnswer is GetRoom with what the answer said beside the room (the
// brute-force header comes on this endpoint).
func (c *Client) GetRoomAnswer(ctx context.Context, token string) (models.Room, Answer, error) {
	if err := checkToken(token); err != nil {
		return models.Room{}, Answer{}, err
	}
	var room maybeRoom
	sent := c.cfg.Now()
	resp, err := c.call(ctx, "get room", http.MethodGet, talkAPI+"/room/"+token, nil, &room)
	ans := answerOf(rawOf(resp), sent, c.cfg.Now())
	if err != nil {
		return models.Room{}, ans, err
	}
	if room.Room == nil {
		return models.Room{}, ans, &ResponseError{Op: "get room", HTTPStatus: 200, Problem: "the answer holds no conversation"}
	}
	return *room.Room, ans, nil
}

// CertificateProblem says in plain words what is wrong with the server's
// TLS certificate when err is a failed verification, else "".
func CertificateProblem(err error) string {
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var certErr *tls.CertificateVerificationError
	switch {
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "the certificate has expired or is not valid yet (" + invalid.Detail + ")"
	case errors.As(err, &invalid):
		return fmt.Sprintf("the certificate is not valid (%s)", invalid.Error())
	case errors.As(err, &hostErr):
		return fmt.Sprintf("the certificate is for another host name (%s)", hostErr.Error())
	case errors.As(err, &unknownAuth):
		return "the certificate is signed by an authority this machine does not trust (self-signed, or a private CA)"
	case errors.As(err, &certErr):
		return "the certificate could not be verified (" + certErr.Error() + ")"
	}
	return ""
}
