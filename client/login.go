package client

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/talkmod/talkmod/client/internal/printable"
)

// loginConfig holds the options of a Login Flow v2.
type loginConfig struct {
	userAgent string
	timeout   time.Duration
	// poll is the poll endpoint the flow started with: the only place
	// the poll token goes and the only answer accepted as the result.
	poll string
}

// LoginOption sets an option of StartLogin.
type LoginOption func(*loginConfig)

// LoginUserAgent sets the User-Agent, which names the app password in the
// user's security settings.
func LoginUserAgent(ua string) LoginOption { return func(c *loginConfig) { c.userAgent = ua } }

func (c loginConfig) client() *resty.Client {
	jar, _ := cookiejar.New(nil)
	return resty.New().
		SetLogger(restyLogger{discardLogger}).
		SetDisableWarn(true).
		SetCookieJar(jar).
		SetTimeout(c.timeout).
		// like the main client: a redirect is never followed (it would
		// re-send the poll token wherever it points, plain http
		// included, and take another host's answer as the result)
		SetRedirectPolicy(noRedirects).
		SetResponseBodyLimit(1<<20).
		SetHeader("User-Agent", c.userAgent).
		SetHeader("Accept", "application/json")
}

// StartLogin starts Nextcloud's Login Flow v2 on a server: the user opens
// LoginURL in any browser and grants access, while PollLogin waits.
func StartLogin(ctx context.Context, serverURL string, opts ...LoginOption) (*LoginFlow, error) {
	cfg := loginConfig{userAgent: DefaultUserAgent(), timeout: DefaultTimeout}
	for _, o := range opts {
		o(&cfg)
	}
	base, err := checkBaseURL(serverURL, false)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	rc := cfg.client()
	defer rc.GetClient().CloseIdleConnections()
	resp, err := rc.R().SetContext(ctx).Post(base + "/index.php/login/v2")
	if err != nil {
		return nil, classifyTransport("start login", base, resp, err)
	}
	if isRedirect(resp.StatusCode()) {
		return nil, redirectRefused("start login", resp)
	}
	if resp.StatusCode() != http.StatusOK {
		return nil, decodeError("start login", resp.StatusCode(), resp.Header().Get("Content-Type"), trim(resp.Body()))
	}
	var body struct {
		Poll struct {
			Token    string `json:"token"`
			Endpoint string `json:"endpoint"`
		} `json:"poll"`
		Login string `json:"login"`
	}
	if err := json.Unmarshal(resp.Body(), &body); err != nil {
		return nil, secretBody(badJSON("start login", resp.StatusCode(), resp.Header().Get("Content-Type"), trim(resp.Body()), err))
	}
	if body.Poll.Token == "" || body.Poll.Endpoint == "" || body.Login == "" {
		return nil, &ResponseError{Op: "start login", HTTPStatus: 200, Problem: "the answer lacks the login URL or the poll token (is this a Nextcloud server?)"}
	}
	for _, u := range []string{body.Poll.Endpoint, body.Login} {
		if err := checkFlowURL(u, base); err != nil {
			return nil, err
		}
	}
	cfg.poll = body.Poll.Endpoint
	return &LoginFlow{LoginURL: body.Login, PollEndpoint: body.Poll.Endpoint, PollToken: body.Poll.Token, opts: cfg}, nil
}

// checkLoginURL accepts a URL the server gave in the flow under the same
// rules as a server URL (https, or http to loopback).
func checkLoginURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", &ResponseError{Op: "start login", HTTPStatus: 200, Problem: fmt.Sprintf("the server gave an invalid URL %q", printable.Snippet([]byte(raw)))}
	}
	if u.Scheme == "https" || (u.Scheme == "http" && isLoopback(u.Hostname())) {
		return raw, nil
	}
	return "", &ResponseError{Op: "start login", HTTPStatus: 200, Problem: fmt.Sprintf("the server gave a login URL over %s://; refusing to send credentials unencrypted", u.Scheme)}
}

// checkFlowURL accepts a URL the server gave in the flow: on the server's
// own scheme and host, or else only over https.
func checkFlowURL(raw, base string) error {
	if _, err := checkLoginURL(raw); err != nil {
		return err
	}
	u, _ := url.Parse(raw)
	b, err := url.Parse(base)
	if err == nil && strings.EqualFold(u.Scheme, b.Scheme) && strings.EqualFold(u.Host, b.Host) {
		return nil
	}
	if u.Scheme != "https" {
		return &ResponseError{Op: "start login", HTTPStatus: 200, Problem: fmt.Sprintf("the server gave a login URL on another host over %s:// (%s); refusing: only https is accepted off the server's own address", u.Scheme, u.Scheme+"://"+u.Host)}
	}
	return nil
}

// samePlace says whether u is raw (scheme, host and path).
func samePlace(u *url.URL, raw string) bool {
	p, err := url.Parse(raw)
	return err == nil && strings.EqualFold(u.Scheme, p.Scheme) && strings.EqualFold(u.Host, p.Host) && u.Path == p.Path
}

func isRedirect(status int) bool { return status >= 300 && status < 400 }

// redirectRefused names a redirect that was not followed.
func redirectRefused(op string, resp *resty.Response) error {
	to := hostOf(resp.Header().Get("Location"))
	if to == "" {
		to = "another address"
	}
	return &ResponseError{Op: op, HTTPStatus: resp.StatusCode(),
		Problem: fmt.Sprintf("the server answered with a redirect (%d) to %s; not followed: the login is only sent where the flow started", resp.StatusCode(), to)}
}

// PollLogin asks once whether the user has granted access. It returns
// ErrLoginPending until they have; then, exactly once, the account.
func PollLogin(ctx context.Context, flow *LoginFlow) (*LoginResult, error) {
	if flow == nil || flow.PollToken == "" {
		return nil, &ValidationError{Field: "flow", Problem: "no login flow started"}
	}
	cfg := flow.opts
	if cfg.timeout <= 0 {
		cfg.timeout = DefaultTimeout
	}
	if cfg.userAgent == "" {
		cfg.userAgent = DefaultUserAgent()
	}
	if cfg.poll != "" && flow.PollEndpoint != cfg.poll {
		return nil, &ValidationError{Field: "flow", Problem: "the poll endpoint is not the one the login flow started with: refusing to send the poll token there"}
	}
	if _, err := checkLoginURL(flow.PollEndpoint); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	// Each call has its own transport (PollLogin runs every few seconds):
	// close its connection, or every poll would leave one open.
	rc := cfg.client()
	defer rc.GetClient().CloseIdleConnections()
	resp, err := rc.R().SetContext(ctx).
		SetFormData(map[string]string{"token": flow.PollToken}).
		Post(flow.PollEndpoint)
	if err != nil {
		return nil, classifyTransport("poll login", hostOf(flow.PollEndpoint), resp, err)
	}
	if isRedirect(resp.StatusCode()) {
		return nil, redirectRefused("poll login", resp)
	}
	if rr := resp.RawResponse; rr != nil && rr.Request != nil && !samePlace(rr.Request.URL, flow.PollEndpoint) {
		// belt and braces: only the answer of the poll endpoint itself
		return nil, &ResponseError{Op: "poll login", HTTPStatus: resp.StatusCode(), Problem: "the answer came from another address than the poll endpoint; refused"}
	}
	switch resp.StatusCode() {
	case http.StatusNotFound:
		return nil, ErrLoginPending
	case http.StatusOK:
	default:
		return nil, decodeError("poll login", resp.StatusCode(), resp.Header().Get("Content-Type"), trim(resp.Body()))
	}
	var res LoginResult
	if err := json.Unmarshal(resp.Body(), &res); err != nil {
		return nil, secretBody(badJSON("poll login", 200, resp.Header().Get("Content-Type"), trim(resp.Body()), err))
	}
	if res.Server == "" || res.LoginName == "" || res.AppPassword == "" {
		return nil, &ResponseError{Op: "poll login", HTTPStatus: 200, Problem: "the answer lacks the server, login name or app password"}
	}
	server, err := checkBaseURL(res.Server, false)
	if err != nil {
		return nil, err
	}
	res.Server = server
	return &res, nil
}

// secretBody drops the body snippet (and the decoder's error, which can
// quote a character of the body) from an error about a login answer: that
// body holds the poll token or the app password.
func secretBody(err error) error {
	if re, ok := err.(*ResponseError); ok {
		re.Snippet = ""
		re.Err = nil
	}
	return err
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Scheme + "://" + u.Host
	}
	return raw
}

func trim(b []byte) []byte { return []byte(strings.TrimSpace(string(b))) }

var discardLogger = slog.New(slog.DiscardHandler)
