package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/talkmod/talkmod/client/internal/printable"
	"github.com/talkmod/talkmod/models"
)

// ocsMeta is the OCS envelope's meta block.
type ocsMeta struct {
	Status     string `json:"status"`
	StatusCode int    `json:"statuscode"`
	Message    string `json:"message"`
}

// rawEnvelope keeps data undecoded, for error answers.
type rawEnvelope struct {
	OCS *struct {
		Meta ocsMeta         `json:"meta"`
		Data json.RawMessage `json:"data"`
	} `json:"ocs"`
}

// typedEnvelope decodes data straight into its target in one pass.
type typedEnvelope struct {
	OCS *struct {
		Meta ocsMeta `json:"meta"`
		Data any     `json:"data"`
	} `json:"ocs"`
}

// decodeAnswer turns one HTTP answer into out, or into the error it is.
func decodeAnswer(op string, status int, h http.Header, body []byte, out any) error {
	if h.Get("X-Nextcloud-Maintenance-Mode") == "1" {
		return &APIError{Op: op, HTTPStatus: status, Maintenance: true}
	}
	ct := h.Get("Content-Type")
	trimmed := bytes.TrimSpace(body)
	if status >= 200 && status < 300 {
		if status == http.StatusNoContent || out == nil {
			return nil
		}
		if len(trimmed) == 0 || trimmed[0] != '{' {
			return notOCS(op, status, ct, trimmed, nil)
		}
		env := typedEnvelope{}
		env.OCS = &struct {
			Meta ocsMeta `json:"meta"`
			Data any     `json:"data"`
		}{Data: out}
		if err := json.Unmarshal(trimmed, &env); err != nil {
			return badJSON(op, status, ct, trimmed, err)
		}
		if env.OCS == nil || env.OCS.Meta.Status == "" {
			return notOCS(op, status, ct, trimmed, nil)
		}
		if env.OCS.Meta.Status != "ok" {
			return &APIError{Op: op, HTTPStatus: status, OCSStatus: env.OCS.Meta.StatusCode, Message: env.OCS.Meta.Message}
		}
		return nil
	}
	if status >= 300 && status < 400 {
		problem := fmt.Sprintf("a redirect (HTTP %d), which the Talk API never sends: check the server URL", status)
		if loc := h.Get("Location"); loc != "" {
			problem = fmt.Sprintf("a redirect to %q, which the Talk API never sends: check the server URL", printable.Snippet([]byte(loc)))
		}
		return &ResponseError{Op: op, HTTPStatus: status, ContentType: ct, Problem: problem, Snippet: printable.Snippet(trimmed)}
	}
	err := decodeError(op, status, ct, trimmed)
	if ae, ok := err.(*APIError); ok {
		ae.RetryAfter = retryAfter(h.Get("Retry-After"), time.Now())
	}
	return err
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date. 0 when
// absent or unreadable.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(min(n, 24*3600)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// decodeError reads an error answer: OCS JSON, OCS XML, the CSRF body, or
// anything else.
func decodeError(op string, status int, ct string, body []byte) error {
	if len(body) > 0 && body[0] == '{' {
		var env rawEnvelope
		if err := json.Unmarshal(body, &env); err == nil && env.OCS != nil {
			e := &APIError{Op: op, HTTPStatus: status, OCSStatus: env.OCS.Meta.StatusCode, Message: env.OCS.Meta.Message}
			readErrorData(e, env.OCS.Data)
			e.DataNull = bytes.Equal(bytes.TrimSpace(env.OCS.Data), []byte("null"))
			return e
		}
		var csrf struct {
			Message string `json:"message"`
		}
		if err := json.Unmarshal(body, &csrf); err == nil && csrf.Message != "" {
			e := &APIError{Op: op, HTTPStatus: status, Message: csrf.Message}
			e.CSRF = status == http.StatusPreconditionFailed && strings.Contains(csrf.Message, "CSRF")
			return e
		}
	}
	if bytes.HasPrefix(body, []byte("<?xml")) || bytes.HasPrefix(body, []byte("<ocs")) {
		var x struct {
			XMLName xml.Name `xml:"ocs"`
			Meta    struct {
				StatusCode int    `xml:"statuscode"`
				Message    string `xml:"message"`
			} `xml:"meta"`
		}
		if err := xml.Unmarshal(body, &x); err == nil {
			return &APIError{Op: op, HTTPStatus: status, OCSStatus: x.Meta.StatusCode, Message: strings.TrimSpace(x.Meta.Message)}
		}
	}
	return notOCS(op, status, ct, body, nil)
}

// readErrorData reads data.error and data.forced; [], {} and null mean
// "no reason given".
func readErrorData(e *APIError, data json.RawMessage) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return
	}
	var d struct {
		Error  any `json:"error"`
		Forced any `json:"forced"`
	}
	if json.Unmarshal(data, &d) != nil {
		return
	}
	if s, ok := d.Error.(string); ok {
		e.Reason = s
	}
	switch v := d.Forced.(type) {
	case float64:
		n := int(v)
		e.Forced = &n
	case string:
		if n, err := strconv.Atoi(v); err == nil {
			e.Forced = &n
		}
	case bool:
		n := 0
		if v {
			n = 1
		}
		e.Forced = &n
	}
}

// notOCS names what came back instead of an OCS answer.
func notOCS(op string, status int, ct string, body []byte, err error) error {
	problem := "not an OCS answer"
	lower := bytes.ToLower(body[:min(len(body), 512)])
	switch {
	case len(body) == 0:
		problem = "an empty body"
	case bytes.Contains(lower, []byte("<html")) || bytes.Contains(lower, []byte("<!doctype html")):
		problem = "an HTML page, not the Talk API"
	case body[0] == '<':
		problem = "XML, not JSON"
	case body[0] == '{' || body[0] == '[':
		problem = "JSON without the OCS envelope"
	}
	return &ResponseError{Op: op, HTTPStatus: status, ContentType: ct, Problem: problem, Snippet: printable.Snippet(body), Err: err}
}

// badJSON explains a JSON body that does not decode.
func badJSON(op string, status int, ct string, body []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	problem := "malformed JSON"
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &syn) && (syn.Offset >= int64(len(body)) || strings.Contains(syn.Error(), "unexpected end")):
		problem = "the JSON body is truncated"
	case errors.As(err, &syn):
		problem = fmt.Sprintf("malformed JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "data"
		}
		problem = fmt.Sprintf("field %s has the wrong type (a JSON %s where %s was expected)", field, typ.Value, typeName(typ.Type))
	default:
		if strings.Contains(err.Error(), "boolean") {
			problem = "a field has the wrong type: " + err.Error()
		}
	}
	return &ResponseError{Op: op, HTTPStatus: status, ContentType: ct, Problem: problem, Snippet: printable.Snippet(body), Err: err}
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return "an object"
}

// classifyTransport wraps an error that came without an HTTP answer.
func classifyTransport(op, base string, resp *resty.Response, err error) error {
	host := base
	if i := strings.Index(host, "://"); i >= 0 {
		host = host[i+3:]
	}
	if errors.Is(err, resty.ErrResponseBodyTooLarge) {
		ct := ""
		if resp != nil && resp.RawResponse != nil {
			ct = resp.Header().Get("Content-Type")
		}
		return &ResponseError{Op: op, HTTPStatus: statusOf(resp), ContentType: ct,
			Problem: fmt.Sprintf("the body is larger than %d MB", MaxBodyBytes>>20), Err: err}
	}
	cause := "other"
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var recErr tls.RecordHeaderError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled):
		cause = "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		cause = "timeout"
	case errors.As(err, &dnsErr):
		cause = "dns"
	case errors.Is(err, syscall.ECONNREFUSED):
		cause = "refused"
	case errors.As(err, &certErr), errors.As(err, &recErr), errors.As(err, &unknownAuth),
		errors.As(err, &hostErr), errors.As(err, &invalid), strings.Contains(err.Error(), "tls:"):
		cause = "tls"
	case errors.As(err, &netErr) && netErr.Timeout():
		cause = "timeout"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), strings.Contains(err.Error(), "connection reset"):
		cause = "reset"
	}
	return &NetworkError{Op: op, Host: host, Cause: cause, Err: err}
}

func errorsIsAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

// maybeRoom decodes a room, or nothing for [], {} without a token, null.
type maybeRoom struct{ Room *models.Room }

func (m *maybeRoom) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		if string(b) == "null" || string(b) == "[]" {
			return nil
		}
		return &json.UnmarshalTypeError{Value: jsonKind(b), Type: roomType, Field: "data"}
	}
	var r models.Room
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	r.Raw = append(json.RawMessage(nil), b...)
	m.Room = &r
	return nil
}

// signalingSettings is the part of the signaling settings talkmod reads.
// data may also be [] or null (nothing); a missing or null sipDialinInfo
// is "".
type signalingSettings struct{ SIPDialinInfo string }

func (s *signalingSettings) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		if string(b) == "null" || string(b) == "[]" {
			return nil
		}
		return &json.UnmarshalTypeError{Value: jsonKind(b), Type: reflect.TypeFor[map[string]any](), Field: "data"}
	}
	var raw struct {
		SIPDialinInfo json.RawMessage `json:"sipDialinInfo"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	v := bytes.TrimSpace(raw.SIPDialinInfo)
	if len(v) == 0 || string(v) == "null" {
		return nil
	}
	if v[0] != '"' {
		return &json.UnmarshalTypeError{Value: jsonKind(v), Type: reflect.TypeFor[string](), Field: "sipDialinInfo"}
	}
	return json.Unmarshal(v, &s.SIPDialinInfo)
}

func jsonKind(b []byte) string {
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '"':
		return "string"
	case '[':
		return "array"
	case '{':
		return "object"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// capsData is the data of GET /cloud/capabilities.
type capsData struct {
	Version struct {
		String string `json:"string"`
	} `json:"version"`
	Capabilities struct {
		Spreed json.RawMessage `json:"spreed"`
	} `json:"capabilities"`
}

type spreedCaps struct {
	Features []string `json:"features"`
	Version  string   `json:"version"`
	Config   struct {
		Call map[string]any `json:"call"`
	} `json:"config"`
}

func (c capsData) toModel() models.Capabilities {
	out := models.Capabilities{Known: true, ServerVersion: c.Version.String, Features: map[string]bool{}}
	raw := bytes.TrimSpace(c.Capabilities.Spreed)
	if len(raw) == 0 || raw[0] != '{' {
		return out
	}
	var s spreedCaps
	if json.Unmarshal(raw, &s) != nil {
		// A spreed block of an unexpected shape: keep what decodes.
		var loose struct {
			Features []string `json:"features"`
		}
		_ = json.Unmarshal(raw, &loose)
		s.Features = loose.Features
	}
	out.HasTalk = true
	out.TalkVersion = s.Version
	for _, f := range s.Features {
		out.Features[f] = true
	}
	if v, ok := s.Config.Call["sip-enabled"].(bool); ok {
		out.SIPConfigured = &v
	}
	if v, ok := s.Config.Call["can-enable-sip"].(bool); ok {
		out.CanEnableSIP = &v
	}
	return out
}

var (
	roomType = reflect.TypeFor[models.Room]()
)
