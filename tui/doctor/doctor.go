// Package doctor judges what talkmod read of a server, an account and a
// room: each check is a Finding (ok, warning or problem) with one sentence
// of what it means for a webinar and what to do.
//
// It does no I/O: `talkmod doctor` (cmd/talkmod) gathers the facts with the
// client and prints the findings; the console computes a room's findings
// from what it already read (it imports this package, so the package lives
// under tui/, beside tui/words whose words it uses). Every string from the
// server passes through tui/sanitize before it reaches a finding.
package doctor

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// Status is a finding's verdict.
type Status string

// The verdicts. Only a problem makes `talkmod doctor` fail.
const (
	OK      Status = "ok"
	Warning Status = "warning"
	Problem Status = "problem"
)

// Finding is one check's outcome.
type Finding struct {
	// Name is the check's stable name ("server", "clock", "room lobby", ...).
	Name   string `json:"name"`
	Status Status `json:"status"`
	// Message says what was found and what it means for a webinar.
	Message string `json:"message"`
	// Action says what to do ("" when nothing is to be done).
	Action string `json:"action,omitempty"`
	// Details are the measured values (seconds of clock skew, days of
	// certificate left, versions, ...), for scripts.
	Details map[string]any `json:"details,omitempty"`
}

// Worst is the most severe status among findings (OK for none).
func Worst(fs []Finding) Status {
	w := OK
	for _, f := range fs {
		switch {
		case f.Status == Problem:
			return Problem
		case f.Status == Warning:
			w = Warning
		}
	}
	return w
}

// Check names.
const (
	NameServer      = "server"
	NameConnection  = "connection"
	NameCertificate = "certificate"
	NameLogin       = "login"
	NameTalk        = "talk"
	NameClock       = "clock"
	NameSIPServer   = "sip dial-in"
	NameSIPGroups   = "sip groups"
	NameThrottling  = "brute-force throttling"
	NameRoom        = "room"
	NameRoomType    = "room type"
	NameRoomLobby   = "room lobby"
	NameRoomSIP     = "room sip"
	NameRoomToken   = "room token"
	NameRoomPeople  = "room people"
	// capability names are "capability " + the feature name
	capabilityPrefix = "capability "
)

// ClockLimit is the clock difference from which the clock is a problem.
const ClockLimit = 30 * time.Second

// CertificateWarnDays is the limit: a certificate expiring within this many days is a
// warning.
const CertificateWarnDays = 14

func f(name string, st Status, msg, action string) Finding {
	return Finding{Name: name, Status: st, Message: msg, Action: action}
}

func (x Finding) with(k string, v any) Finding {
	if x.Details == nil {
		x.Details = map[string]any{}
	}
	x.Details[k] = v
	return x
}

// Server judges status.php: whether Nextcloud answers, its version and
// maintenance mode. err is what reading it gave.
func Server(serverURL string, st client.ServerStatus, err error) Finding {
	where := sanitize.Line(serverURL)
	if err != nil {
		if client.KindOf(err) == client.KindUnavailable {
			var ae *client.APIError
			if errors.As(err, &ae) && ae.Maintenance {
				return f(NameServer, Problem, "the server at "+where+" is in maintenance mode: every request fails until it ends, so no lobby or dial-in can be changed now",
					"wait for the administrator to end it (occ maintenance:mode --off)")
			}
		}
		if p := client.CertificateProblem(err); p != "" {
			return f(NameServer, Problem, "the server at "+where+" cannot be reached securely: "+p,
				"renew or fix the server's certificate (the administrator), or check the address")
		}
		return f(NameServer, Problem, "the server at "+where+" does not answer as Nextcloud: "+sanitize.Line(client.Message(err)),
			"check the address (talkmod accounts), this machine's network, and whether the server is up")
	}
	version := sanitize.Line(st.VersionString)
	switch {
	case !st.Installed:
		return f(NameServer, Problem, "Nextcloud at "+where+" is not installed yet", "finish the installation first").with("version", version)
	case st.Maintenance:
		return f(NameServer, Problem, "Nextcloud "+version+" at "+where+" is in maintenance mode: every request fails until it ends, so no lobby or dial-in can be changed now",
			"wait for the administrator to end it (occ maintenance:mode --off)").with("version", version).with("maintenance", true)
	case st.NeedsDBUpgrade:
		return f(NameServer, Problem, "Nextcloud "+version+" at "+where+" waits for its upgrade to finish: it refuses requests until then",
			"ask the administrator to run occ upgrade").with("version", version)
	}
	return f(NameServer, OK, "Nextcloud "+version+" answers at "+where, "").with("version", version).with("maintenance", false)
}

// IsMaintenance reports whether a server finding found maintenance mode.
func IsMaintenance(st client.ServerStatus, err error) bool {
	var ae *client.APIError
	return st.Maintenance || (errors.As(err, &ae) && ae.Maintenance)
}

// Connection judges the server URL's scheme: https, or plain http to this
// machine only.
func Connection(serverURL string) Finding {
	u, err := url.Parse(serverURL)
	if err != nil || u.Host == "" {
		return f(NameConnection, Problem, "the server address "+sanitize.Line(serverURL)+" is not a URL", "log in again with the server's https:// address")
	}
	host := u.Hostname()
	switch {
	case u.Scheme == "https":
		return f(NameConnection, OK, "https: the app password and every change travel encrypted", "")
	case u.Scheme == "http" && isLoopback(host):
		return f(NameConnection, OK, "plain http to this machine ("+sanitize.Line(host)+"): nothing crosses the network (talkmod allows plain http only to this machine)", "")
	}
	return f(NameConnection, Problem, "plain http to "+sanitize.Line(host)+": the app password would cross the network unencrypted, so talkmod refuses it",
		"use the server's https:// address")
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Certificate judges the server's TLS certificate: cert is the verified
// one (nil when none came), err the error of a failed connection (a
// failed verification names what is wrong).
func Certificate(cert *x509.Certificate, err error, now time.Time) Finding {
	if p := client.CertificateProblem(err); p != "" {
		return f(NameCertificate, Problem, "TLS: "+p+"; talkmod cannot talk to this server",
			"the administrator must install a valid certificate (e.g. Let's Encrypt) for this host name")
	}
	if cert == nil {
		return f(NameCertificate, Warning, "TLS: no certificate was seen (the server did not answer)", "check the server first")
	}
	left := cert.NotAfter.Sub(now)
	days := int(left.Hours() / 24)
	until := cert.NotAfter.UTC().Format("2006-01-02")
	switch {
	case left <= 0:
		return f(NameCertificate, Problem, "TLS: the certificate expired on "+until+": browsers and talkmod refuse the server",
			"the administrator must renew the certificate").with("daysLeft", days).with("notAfter", until)
	case days < CertificateWarnDays:
		return f(NameCertificate, Warning, fmt.Sprintf("TLS: the certificate is valid but expires on %s (in %s): after that nobody reaches the webinar", until, words.Count(days, "day", "days")),
			"ask the administrator to renew it now (is automatic renewal working?)").with("daysLeft", days).with("notAfter", until)
	}
	return f(NameCertificate, OK, fmt.Sprintf("TLS: the certificate is valid until %s (%s left)", until, words.Count(days, "day", "days")), "").
		with("daysLeft", days).with("notAfter", until)
}

// Login judges the login: user is the answer of the current user, err its
// error. account names the stored account (for the words).
func Login(account, serverURL string, user models.User, err error) Finding {
	acct := sanitize.Line(account)
	if err != nil {
		switch client.KindOf(err) {
		case client.KindUnauthorized:
			return f(NameLogin, Problem, "the login of "+acct+" no longer works (401): its app password was revoked or is wrong, so nothing can be read or changed",
				"run talkmod login "+sanitize.Line(serverURL))
		case client.KindThrottled:
			return f(NameLogin, Problem, "the server refuses every request from this address (429, brute-force protection): the login cannot be checked",
				"stop whatever keeps failing to log in from this address, then wait; the administrator can reset it (occ security:bruteforce:reset IP)")
		}
		return f(NameLogin, Problem, "the login of "+acct+" could not be checked: "+sanitize.Line(client.Message(err)), "run talkmod doctor again; if it stays, check the server")
	}
	name := sanitize.Line(user.DisplayName)
	id := sanitize.Line(user.ID)
	who := id
	if name != "" && name != id {
		who = name + " (" + id + ")"
	}
	return f(NameLogin, OK, "logged in as "+who, "").with("user", id).with("displayName", name)
}

// Talk judges whether Talk is installed (and usable by this user), its
// version and its API v4.
func Talk(caps models.Capabilities, err error) Finding {
	if err != nil {
		return f(NameTalk, Problem, "the capabilities could not be read: "+sanitize.Line(client.Message(err)), "run talkmod doctor again; if it stays, check the server")
	}
	if !caps.HasTalk {
		return f(NameTalk, Problem, "Talk is not installed on this server, or this user may not use it: there are no conversations to moderate",
			"ask the administrator to enable Talk for you (Talk settings: limit to groups)").with("nextcloud", sanitize.Line(caps.ServerVersion))
	}
	v := sanitize.Line(caps.TalkVersion)
	if !caps.Has(models.FeatureConversationV4) {
		return f(NameTalk, Problem, "Talk "+v+" is too old: it has no conversation API v4, which talkmod needs (Talk 12 or later)",
			"ask the administrator to update Talk").with("talk", v)
	}
	return f(NameTalk, OK, "Talk "+v+" is installed", "").with("talk", v).with("nextcloud", sanitize.Line(caps.ServerVersion))
}

// capability is a feature the console needs and what is missing without it.
type capability struct {
	feature string
	status  Status // when missing
	missing string
}

var needed = []capability{
	{models.FeatureLobby, Problem, "no lobby and no lobby timer: webinars cannot hold people back until they open"},
	{models.FeatureSIP, Warning, "no SIP dial-in: nobody can join by phone, and the SIP key does nothing"},
	{models.FeatureSIPNoPIN, Warning, "no dial-in without PIN: only dial-in with a PIN can be switched on"},
	{"conversation-permissions", Warning, "no per-person permissions: people cannot be let in from the lobby or sent back (admit, hold)"},
}

// Capabilities judges each capability the console needs, naming what is
// missing without it. Nothing is said without Talk (Talk says it).
func Capabilities(caps models.Capabilities) []Finding {
	if !caps.HasTalk {
		return nil
	}
	var out []Finding
	for _, c := range needed {
		name := capabilityPrefix + c.feature
		if caps.Has(c.feature) {
			out = append(out, f(name, OK, "the server has "+c.feature, "").with("present", true))
			continue
		}
		out = append(out, f(name, c.status, "the server lacks "+c.feature+": "+c.missing, "ask the administrator to update Talk").with("present", false))
	}
	return out
}

// Clock judges the difference between this machine's clock and the
// server's (skew: how far the server is ahead; ok false when the server
// sent no Date header).
func Clock(skew time.Duration, ok bool) Finding {
	if !ok {
		return f(NameClock, Warning, "the server sent no Date header: the clocks cannot be compared", "make sure this machine's clock is synchronised (timedatectl set-ntp true)")
	}
	secs := int(skew.Round(time.Second) / time.Second)
	abs := skew
	if abs < 0 {
		abs = -abs
	}
	if abs < time.Second {
		return f(NameClock, OK, "this machine's clock and the server's agree (to the second)", "").with("skewSeconds", 0)
	}
	d := Span(abs)
	way, opens := "behind", "early"
	if skew < 0 {
		way, opens = "ahead of", "late"
	}
	msg := fmt.Sprintf("this machine's clock is %s %s the server's", d, way)
	if abs <= ClockLimit {
		return f(NameClock, OK, msg+": close enough for lobby timers", "").with("skewSeconds", secs)
	}
	return f(NameClock, Problem, fmt.Sprintf("%s: lobby timers are picked here but applied by the server's clock, so a webinar opens %s %s by this machine's clock, and \"opens in\" is off by as much", msg, d, opens),
		"synchronise this machine's clock (timedatectl set-ntp true), or ask the administrator to fix the server's").with("skewSeconds", secs)
}

// Span says a duration in whole units with seconds: "45s", "2m 5s",
// "1h 3m".
func Span(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int64(d/time.Hour), int64(d%time.Hour/time.Minute), int64(d%time.Minute/time.Second)
	switch {
	case h > 0:
		out := strconv.FormatInt(h, 10) + "h"
		if m > 0 {
			out += " " + strconv.FormatInt(m, 10) + "m"
		}
		return out
	case m > 0:
		out := strconv.FormatInt(m, 10) + "m"
		if s > 0 {
			out += " " + strconv.FormatInt(s, 10) + "s"
		}
		return out
	}
	return strconv.FormatInt(s, 10) + "s"
}

// SIPServer judges whether SIP dial-in is configured on the server: the
// capability config.call.sip-enabled (the shared secret and the dial-in
// text set), and, when a room's signaling settings were read, the dial-in
// text itself (dialIn nil: not read).
func SIPServer(caps models.Capabilities, dialIn *string) Finding {
	if !caps.HasTalk || !caps.Has(models.FeatureSIP) {
		return f(NameSIPServer, Warning, "this server has no SIP dial-in support: nobody can join by phone", "")
	}
	if dialIn != nil {
		text := strings.TrimSpace(sanitize.Line(*dialIn))
		if text == "" {
			return f(NameSIPServer, Warning, "SIP dial-in is not configured on the server (it has no dial-in text): nobody can join by phone, and switching dial-in on fails",
				"ask the administrator to set up the SIP bridge (Talk settings: SIP configuration, dial-in information)").with("configured", false)
		}
		return f(NameSIPServer, OK, "SIP dial-in is configured; the dial-in text reads: "+text, "").with("configured", true)
	}
	switch {
	case caps.SIPConfigured == nil:
		return f(NameSIPServer, Warning, "this Talk does not say whether SIP dial-in is configured (older than Talk 18)", "give a room to doctor to read its dial-in text")
	case !*caps.SIPConfigured:
		return f(NameSIPServer, Warning, "SIP dial-in is not configured on the server (no shared secret or no dial-in text): nobody can join by phone, and switching dial-in on fails",
			"ask the administrator to set up the SIP bridge (Talk settings: SIP configuration, dial-in information)").with("configured", false)
	}
	return f(NameSIPServer, OK, "SIP dial-in is configured on the server", "").with("configured", true)
}

// SIPGroups judges whether this user may switch dial-in on (is in the
// administrator's SIP groups).
func SIPGroups(caps models.Capabilities) Finding {
	switch {
	case !caps.HasTalk || !caps.Has(models.FeatureSIP):
		return f(NameSIPGroups, Warning, "no SIP dial-in support, so nobody can switch it on", "")
	case caps.CanEnableSIP == nil:
		return f(NameSIPGroups, Warning, "this Talk does not say whether you may switch dial-in on (older than Talk 18); each room's canEnableSIP decides", "")
	case !*caps.CanEnableSIP:
		return f(NameSIPGroups, Warning, "you are not in the groups the administrator allowed to switch dial-in on: your SIP changes are refused (403)",
			"ask the administrator to add you to a SIP group (Talk settings: SIP configuration)").with("canEnableSIP", false)
	}
	return f(NameSIPGroups, OK, "you may switch SIP dial-in on", "").with("canEnableSIP", true)
}

// Throttling judges brute-force throttling of this address: delay is the
// capabilities' bruteforce.delay, header the largest
// X-Nextcloud-Bruteforce-Throttled seen.
func Throttling(delay, header time.Duration, allowListed bool) Finding {
	d := max(delay, header)
	if allowListed {
		return f(NameThrottling, OK, "this address is exempt from brute-force throttling (allow-listed)", "").with("delayMs", 0)
	}
	if d <= 0 {
		return f(NameThrottling, OK, "this address is not throttled", "").with("delayMs", 0)
	}
	return f(NameThrottling, Problem, fmt.Sprintf("the server's brute-force protection throttles this address: each request waits up to %s, so the console is slow, and at the limit every request is refused (429)", Span(d)),
		"find what fails to log in from this address (an old app password in a script or app) and stop it; the throttle wears off as the failed attempts age out (hours), or the administrator resets it (occ security:bruteforce:reset IP)").
		with("delayMs", d.Milliseconds())
}
