// Package roomref reads the TOKEN_OR_LINK arguments of talkmod's commands.
package roomref

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
)

var callPathRE = regexp.MustCompile(`/call/(` + client.TokenPattern + `)$`)

// Parse accepts a conversation token or link:
// https://host/call/TOKEN, https://host/index.php/call/TOKEN (also under a
// sub-path, with a trailing slash, a query or a #fragment). It returns the
// token and the link's host ("" for a bare token).
func Parse(s string) (token, host string, err error) {
	s = strings.TrimSpace(s)
	if client.TokenRE.MatchString(s) {
		return s, "", nil
	}
	if strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") {
		u, perr := url.Parse(s)
		if perr == nil && u.Host != "" {
			p := strings.TrimRight(u.Path, "/")
			if m := callPathRE.FindStringSubmatch(p); m != nil {
				return m[1], u.Host, nil
			}
		}
		return "", "", cmdutil.UsageErrorf("%q is not a conversation link (expected https://HOST/call/TOKEN)", s)
	}
	return "", "", cmdutil.UsageErrorf("%q is not a conversation token (4 to 30 lowercase letters and digits) or link (https://HOST/call/TOKEN)", s)
}

// SameHost reports whether a server URL is on host (host[:port], the
// scheme's default port ignored).
func SameHost(server, host string) bool {
	u, err := url.Parse(account.NormalizeServer(server))
	if err != nil {
		return false
	}
	return HostKey(u.Host) == HostKey(host)
}

// HostKey is host[:port] compared without case and without the scheme's
// default port.
func HostKey(h string) string {
	h = strings.ToLower(h)
	h = strings.TrimSuffix(h, ":443")
	return strings.TrimSuffix(h, ":80")
}
