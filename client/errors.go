package client

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/talkmod/talkmod/models"
)

// Kind sorts every error the client returns into the classes callers act
// on: the console picks its words and behaviour by it, the commands their
// exit code.
type Kind int

// The kinds of error.
const (
	KindOther         Kind = iota // anything not below
	KindInvalidInput              // refused before sending (bad timer, bad state, bad URL)
	KindUnauthorized              // 401: wrong or revoked app password, or no login
	KindForbidden                 // 403: not a moderator, not in the SIP groups, Talk not allowed
	KindNotFound                  // 404: room gone, or not a participant
	KindNotAcceptable             // 406: federated room
	KindPrecondition              // 412: SIP not configured, CSRF
	KindBadRequest                // other 400s: the server refused the change
	KindThrottled                 // 429: brute-force protection or rate limit
	KindUnavailable               // 5xx, maintenance
	KindNetwork                   // DNS, refused, TLS, timeout, cut connection
	KindBadResponse               // the answer was not what a Talk server sends
)

func (k Kind) String() string {
	switch k {
	case KindInvalidInput:
		return "invalid input"
	case KindUnauthorized:
		return "unauthorized"
	case KindForbidden:
		return "forbidden"
	case KindNotFound:
		return "not found"
	case KindNotAcceptable:
		return "not acceptable"
	case KindPrecondition:
		return "precondition failed"
	case KindBadRequest:
		return "refused"
	case KindThrottled:
		return "throttled"
	case KindUnavailable:
		return "unavailable"
	case KindNetwork:
		return "network"
	case KindBadResponse:
		return "bad response"
	}
	return "error"
}

// KindOf tells which kind an error is (KindOther for nil or foreign errors).
func KindOf(err error) Kind {
	var ae *APIError
	var ne *NetworkError
	var re *ResponseError
	var ve *ValidationError
	switch {
	case err == nil:
		return KindOther
	case errors.As(err, &ve):
		return KindInvalidInput
	case errors.As(err, &ae):
		return ae.Kind()
	case errors.As(err, &ne):
		return KindNetwork
	case errors.As(err, &re):
		if re.HTTPStatus >= 500 {
			return KindUnavailable
		}
		return KindBadResponse
	}
	return KindOther
}

// Message says in plain words what went wrong and what the user can do,
// for any error the client returns. Other errors give their Error text.
func Message(err error) string {
	if err == nil {
		return ""
	}
	var ae *APIError
	var ne *NetworkError
	var re *ResponseError
	var ve *ValidationError
	var le *LeaveError
	switch {
	case errors.As(err, &le):
		return le.Explain()
	case errors.As(err, &ve):
		return ve.Error()
	case errors.As(err, &ae):
		return ae.Explain()
	case errors.As(err, &ne):
		return ne.Explain()
	case errors.As(err, &re):
		return re.Explain()
	}
	return err.Error()
}

// APIError is an answer of the server in the OCS envelope (or one that the
// server always sends in its own shape, like the XML 401) that says no.
type APIError struct {
	// HTTPStatus is the HTTP status code.
	HTTPStatus int
	// OCSStatus is meta.statuscode (997 for "Unauthorised", 996 for an
	// internal server error; otherwise the HTTP status). 0 when the body
	// had no OCS envelope.
	OCSStatus int
	// Message is meta.message (often empty). Untrusted text.
	Message string
	// Reason is the server's error word from data.error: "type", "value",
	// "token", "config", "breakout-room", "object", "forced", … or "" when
	// data was empty ([] or null), as old servers and permission errors send.
	Reason string
	// DataNull is true when data was JSON null rather than [] or an
	// object: some endpoints answer 403/404 null for the target and
	// 403/404 [] for the caller or the room (promote, demote, end call).
	DataNull bool
	// Forced is data.forced: the value an administrator forced, when the
	// reason is "forced".
	Forced *int
	// Op names what was attempted ("set lobby", "list rooms"…).
	Op string
	// Maintenance is true when the server said it is in maintenance mode.
	Maintenance bool
	// CSRF is true for the "CSRF check failed" 412 (a client bug).
	CSRF bool
	// RetryAfter is the server's Retry-After hint, if any.
	RetryAfter time.Duration
}

// statusKinds are the HTTP statuses with a class of their own.
var statusKinds = map[int]Kind{
	http.StatusUnauthorized:       KindUnauthorized,
	http.StatusForbidden:          KindForbidden,
	http.StatusNotFound:           KindNotFound,
	http.StatusNotAcceptable:      KindNotAcceptable,
	http.StatusPreconditionFailed: KindPrecondition,
	http.StatusTooManyRequests:    KindThrottled,
}

// Kind is the class of the error.
func (e *APIError) Kind() Kind {
	if k, ok := statusKinds[e.HTTPStatus]; ok {
		return k
	}
	switch {
	case e.HTTPStatus >= 500 || e.Maintenance:
		return KindUnavailable
	case e.HTTPStatus >= 400:
		return KindBadRequest
	}
	return KindOther
}

// Error is a short technical description (status, OCS code, error word).
// It never holds a secret.
func (e *APIError) Error() string {
	s := "talk: "
	if e.Op != "" {
		s += e.Op + ": "
	}
	s += "HTTP " + strconv.Itoa(e.HTTPStatus)
	if e.OCSStatus != 0 && e.OCSStatus != e.HTTPStatus {
		s += " (OCS " + strconv.Itoa(e.OCSStatus) + ")"
	}
	if e.Reason != "" {
		s += " error=" + strconv.Quote(e.Reason)
	}
	if e.Forced != nil {
		s += " forced=" + strconv.Itoa(*e.Forced)
	}
	if e.Message != "" {
		s += ": " + strconv.Quote(e.Message)
	}
	return s
}

// Is lets errors.Is(err, ErrUnauthorized) and friends match by kind.
func (e *APIError) Is(target error) bool {
	k, ok := target.(kindError)
	return ok && Kind(k) == e.Kind()
}

// Explain says in plain words what happened and what the moderator can do.
func (e *APIError) Explain() string {
	if s, ok := explainChat(e); ok {
		return s
	}
	if s, ok := explainFloor(e); ok {
		return s
	}
	switch e.HTTPStatus {
	case http.StatusBadRequest:
		return explainBadRequest(e)
	case http.StatusUnauthorized:
		return "the app password was revoked or is wrong: run talkmod login (talkmod does not retry, so the server does not lock this address out)"
	case http.StatusForbidden:
		if e.Reason == "config" {
			return "you are not in the groups the administrator allowed to enable SIP dial-in: ask the administrator"
		}
		if e.Reason == "moderator" {
			return "this person is a moderator: moderators always skip the lobby (demote them first in the web interface)"
		}
		if e.Reason == "owner" {
			return "this person owns the conversation: the owner cannot be removed"
		}
		if e.Op == opRevoke {
			return "this login does not use an app password, so there is none to revoke (403): remove it in the web interface under Settings → Security"
		}
		if !roomOps[e.Op] {
			return "the server refused access (403): your account may not be allowed to use Talk"
		}
		return "you are not a moderator of this conversation (any more): ask its owner to promote you"
	case http.StatusNotFound:
		if e.OCSStatus == 998 || (e.Op != "" && !roomOps[e.Op]) {
			return "the server does not know this address (not a Talk API path): check the server URL and that Talk is installed"
		}
		if e.Reason == "participant" {
			return "this person is no longer in the conversation (they were removed, or left): re-read the list"
		}
		return "the conversation is gone, or you were removed from it"
	case http.StatusNotAcceptable:
		return "this conversation is hosted on another server (federated): change it there"
	case http.StatusPreconditionFailed:
		if e.CSRF {
			return "the server rejected the request as cross-site (CSRF check failed): this is a talkmod bug, please report it"
		}
		if e.Reason == "config" {
			return "SIP dial-in is not configured on this server: the administrator must set up the SIP bridge first"
		}
		if e.Op == opParticipants {
			return "the lobby holds you back: only moderators can list the people of this conversation while its lobby is on (412)"
		}
		return "the server refused: a precondition failed (412)"
	case http.StatusTooManyRequests:
		return "the server is throttling this address after too many failed attempts (429): wait a few minutes before trying again"
	case http.StatusServiceUnavailable:
		if e.Maintenance {
			return "the server is in maintenance mode: try again later"
		}
	}
	if e.HTTPStatus >= 500 {
		return fmt.Sprintf("the server had an internal error (HTTP %d): try again later; if it persists, tell the administrator", e.HTTPStatus)
	}
	return fmt.Sprintf("the server refused the request (HTTP %d)", e.HTTPStatus)
}

// opRevoke is RevokeAppPassword's Op.
const opRevoke = "revoke app password"

// roomOps are the operations on one conversation: for them a 403 means
// "not a moderator" and a 404 "the conversation is gone".
var roomOps = map[string]bool{"get room": true, "set lobby": true, "set SIP": true, opParticipants: true, opDialIn: true,
	opPermissions: true, opRemove: true}

// opDialIn is DialInInfo's Op.
const opDialIn = "read dial-in info"

func explainBadRequest(e *APIError) string {
	switch e.Reason {
	case "type":
		return "this kind of conversation cannot have a lobby or phone dial-in (only group and public conversations can)"
	case "value":
		if e.Op == opPermissions {
			return "the server refused the permissions value (0 to 255)"
		}
		return "the server refused the value sent (invalid state or timer)"
	case "token":
		return "this conversation's ID has letters, so it cannot take phone dial-in"
	case "breakout-room":
		return "this is a breakout room: its lobby and dial-in follow the parent conversation"
	case "object":
		return "this conversation belongs to a file, share or other object and cannot have a lobby"
	case "room-type":
		return "this kind of conversation has no lobby or removable members (one-to-one)"
	case "method":
		return "the server refused the permission change (unknown method): this is a talkmod bug, please report it"
	case "last-moderator":
		return "you are the last moderator: promote someone else before you leave"
	case "forced":
		if e.Forced != nil {
			// "forced on with PIN": the SIP state's word (tui/words.Forced)
			return "the administrator has fixed this setting for the conversation (forced " + models.SIPState(*e.Forced).String() + "): it cannot be changed here"
		}
		return "the administrator has fixed this setting for the conversation: it cannot be changed here"
	case "":
		return "the server refused the change (400, no reason given: an older server)"
	}
	return fmt.Sprintf("the server refused the change (reason %q)", e.Reason)
}

// kindError lets the package offer sentinel values for errors.Is.
type kindError Kind

func (k kindError) Error() string { return "talk: " + Kind(k).String() }

// Sentinels for errors.Is: errors.Is(err, client.ErrNotFound).
var (
	ErrUnauthorized  error = kindError(KindUnauthorized)
	ErrForbidden     error = kindError(KindForbidden)
	ErrNotFound      error = kindError(KindNotFound)
	ErrPrecondition  error = kindError(KindPrecondition)
	ErrBadRequest    error = kindError(KindBadRequest)
	ErrThrottled     error = kindError(KindThrottled)
	ErrUnavailable   error = kindError(KindUnavailable)
	ErrNetwork       error = kindError(KindNetwork)
	ErrBadResponse   error = kindError(KindBadResponse)
	ErrInvalidInput  error = kindError(KindInvalidInput)
	ErrNotAcceptable error = kindError(KindNotAcceptable)
)

// ErrLoginPending is returned by PollLogin while the user has not granted
// access yet.
var ErrLoginPending = errors.New("login not granted yet")

// NetworkError is a request that got no HTTP answer: DNS, connection
// refused or cut, TLS, timeout, or the caller's cancel.
type NetworkError struct {
	Op   string
	Host string
	// Cause is a short word: "dns", "refused", "tls", "timeout", "reset",
	// "canceled", "other".
	Cause string
	Err   error
}

func (e *NetworkError) Error() string {
	return fmt.Sprintf("talk: %s: cannot reach %s (%s): %v", e.Op, e.Host, e.Cause, e.Err)
}

func (e *NetworkError) Unwrap() error { return e.Err }

// Is matches ErrNetwork.
func (e *NetworkError) Is(target error) bool { return target == ErrNetwork }

// Explain says it in plain words.
func (e *NetworkError) Explain() string {
	switch e.Cause {
	case "dns":
		return fmt.Sprintf("cannot find the server %s (DNS lookup failed): check the server address", e.Host)
	case "refused":
		return fmt.Sprintf("the server %s refused the connection: is it running, and is the port right?", e.Host)
	case "tls":
		return fmt.Sprintf("the secure connection to %s failed (TLS certificate or protocol): check the address and the certificate", e.Host)
	case "timeout":
		return fmt.Sprintf("the server %s did not answer in time: the network or the server is slow or down", e.Host)
	case "reset":
		return fmt.Sprintf("the connection to %s was cut before an answer came", e.Host)
	case "canceled":
		return "the request was cancelled"
	}
	return fmt.Sprintf("cannot reach the server %s: the network is down or the server is unreachable", e.Host)
}

// ResponseError is an HTTP answer that is not what a Talk server sends: an
// HTML page, a truncated or malformed body, a body too large, a field of
// the wrong type.
type ResponseError struct {
	Op          string
	HTTPStatus  int
	ContentType string
	// Problem says what was wrong ("not JSON (an HTML page)", "truncated"…).
	Problem string
	// Snippet is the start of the body, sanitized of control characters.
	Snippet string
	Err     error
}

func (e *ResponseError) Error() string {
	s := fmt.Sprintf("talk: %s: unexpected answer (HTTP %d", e.Op, e.HTTPStatus)
	if e.ContentType != "" {
		s += ", " + e.ContentType
	}
	s += "): " + e.Problem
	if e.Snippet != "" {
		s += ": " + strconv.Quote(e.Snippet)
	}
	return s
}

func (e *ResponseError) Unwrap() error { return e.Err }

// Is matches ErrBadResponse, or ErrUnavailable for a 5xx.
func (e *ResponseError) Is(target error) bool {
	if e.HTTPStatus >= 500 {
		return target == ErrUnavailable
	}
	return target == ErrBadResponse
}

// Explain says it in plain words.
func (e *ResponseError) Explain() string {
	if e.HTTPStatus >= 500 {
		return fmt.Sprintf("the server had an error (HTTP %d, %s): try again later", e.HTTPStatus, e.Problem)
	}
	return fmt.Sprintf("the server's answer was not a Talk API answer (HTTP %d, %s): is the URL a Nextcloud server with Talk, and is no proxy in the way?", e.HTTPStatus, e.Problem)
}

// ValidationError is input refused before anything was sent.
type ValidationError struct {
	Field   string
	Problem string
}

func (e *ValidationError) Error() string { return e.Problem }

// Is matches ErrInvalidInput.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidInput }
