// Package recorded reads the request/response pairs captured from a real
// Nextcloud 31 + Talk 21 server (client/testdata/recorded). Tests of the
// client and of talktest use it to check both against what the real server
// did.
package recorded

import (
	"bufio"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Exchange is one recorded request and its response.
type Exchange struct {
	Method string
	URL    *url.URL
	// User and Password are the basic-auth pair; both empty when the request
	// carried no credentials. Guest is true for a guest session (cookies).
	User, Password string
	Guest          bool
	// Form holds -d fields; JSONBody holds a --data JSON body.
	Form        url.Values
	JSONBody    string
	ContentType string
	// HasOCSHeader is false only where the recording says so.
	HasOCSHeader bool

	Status int
	Header http.Header
	Body   []byte
}

// Recording is one file: usually one exchange, sometimes several.
type Recording struct {
	Name      string
	Exchanges []Exchange
}

// First is the first exchange.
func (r Recording) First() Exchange { return r.Exchanges[0] }

// Dir is the folder of the recordings.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "recorded")
}

// Load reads one recording by name (without .txt), e.g. "L01-lobby-state1".
func Load(name string) (Recording, error) {
	data, err := os.ReadFile(filepath.Join(Dir(), name+".txt"))
	if err != nil {
		return Recording{}, err
	}
	rec, err := Parse(string(data))
	if err != nil {
		return Recording{}, fmt.Errorf("%s: %w", name, err)
	}
	rec.Name = name
	return rec, nil
}

// All reads every recording whose name starts with one of the prefixes (all
// when none is given), sorted by name. Non-recording files are skipped.
func All(prefixes ...string) ([]Recording, error) {
	entries, err := os.ReadDir(Dir())
	if err != nil {
		return nil, err
	}
	var out []Recording
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		name := strings.TrimSuffix(e.Name(), ".txt")
		if name == "INDEX" || name == "room-fields" || name == "tokens-post-sip" || name == "W00-bruteforce-sequence" {
			continue
		}
		if len(prefixes) > 0 && !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(name, p) }) {
			continue
		}
		r, err := Load(name)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Parse reads the text of one recording.
func Parse(text string) (Recording, error) {
	var rec Recording
	var cur *Exchange
	for _, sec := range splitSections(text) {
		head, body := sec[0], sec[1]
		switch {
		case head == "REQUEST":
			rec.Exchanges = append(rec.Exchanges, Exchange{HasOCSHeader: true, Form: url.Values{}})
			cur = &rec.Exchanges[len(rec.Exchanges)-1]
			if err := parseRequest(cur, body); err != nil {
				return rec, err
			}
		case strings.HasPrefix(head, "RESPONSE status "):
			if cur == nil {
				return rec, fmt.Errorf("response before request")
			}
			st, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(head, "RESPONSE status ")))
			if err != nil {
				return rec, fmt.Errorf("bad status line %q", head)
			}
			cur.Status = st
			cur.Header = parseHeaders(body)
		case head == "RAW BODY":
			if cur == nil {
				return rec, fmt.Errorf("body before request")
			}
			cur.Body = []byte(strings.TrimRight(body, "\n"))
			if strings.HasPrefix(string(cur.Body), "<?xml") {
				cur.Body = append(cur.Body, '\n')
			}
		}
	}
	if len(rec.Exchanges) == 0 {
		return rec, fmt.Errorf("no request found")
	}
	return rec, nil
}

// splitSections cuts the text at its "### NAME" lines (a body may hold
// "### " too, inside a JSON string, but never at the start of a line with
// one of these names).
func splitSections(text string) [][2]string {
	var out [][2]string
	known := func(h string) bool {
		return h == "REQUEST" || h == "RAW BODY" || h == "PRETTY BODY" || h == "NOTE" || strings.HasPrefix(h, "RESPONSE status ")
	}
	lines := strings.SplitAfter(text, "\n")
	var head string
	var body strings.Builder
	started := false
	for _, l := range lines {
		if h, ok := strings.CutPrefix(strings.TrimRight(l, "\n"), "### "); ok && known(h) {
			if started {
				out = append(out, [2]string{head, body.String()})
			}
			head, started = h, true
			body.Reset()
			continue
		}
		body.WriteString(l)
	}
	if started {
		out = append(out, [2]string{head, body.String()})
	}
	return out
}

func parseRequest(ex *Exchange, body string) error {
	lines := strings.Split(body, "\n")
	method, rawURL, ok := strings.Cut(strings.TrimSpace(lines[0]), " ")
	if !ok {
		return fmt.Errorf("bad request line %q", lines[0])
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	ex.Method, ex.URL = method, u
	for _, l := range lines[1:] {
		switch {
		case strings.HasPrefix(l, "auth: basic "):
			ex.User, ex.Password, _ = strings.Cut(strings.TrimPrefix(l, "auth: basic "), ":")
		case strings.HasPrefix(l, "Content-Type: "):
			ex.ContentType = strings.TrimPrefix(l, "Content-Type: ")
		case strings.HasPrefix(l, "body: "):
			if v, err := url.ParseQuery(strings.TrimPrefix(l, "body: ")); err == nil {
				ex.Form = v
			}
		case strings.HasPrefix(l, "curl extra args: "):
			parseCurlArgs(ex, strings.TrimPrefix(l, "curl extra args: "))
		}
	}
	return nil
}

// parseCurlArgs understands the few curl forms the recordings use.
func parseCurlArgs(ex *Exchange, args string) {
	if strings.Contains(args, "-c guest.cookies") {
		ex.Guest = true
	}
	if strings.HasPrefix(args, "-X ") {
		m, rest, _ := strings.Cut(strings.TrimPrefix(args, "-X "), " ")
		ex.Method, args = m, rest
	}
	if i := strings.Index(args, "--data "); i >= 0 && strings.Contains(args, "application/json") {
		ex.JSONBody = strings.TrimSpace(args[i+len("--data "):])
		ex.ContentType = "application/json"
		return
	}
	for _, part := range strings.Split(" "+args, " -d ")[1:] {
		k, v, _ := strings.Cut(part, "=")
		ex.Form.Add(k, strings.TrimSpace(v))
	}
	if len(ex.Form) > 0 {
		ex.ContentType = "application/x-www-form-urlencoded"
	}
}

func parseHeaders(body string) http.Header {
	h := http.Header{}
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "HTTP/") || strings.HasPrefix(line, "(") {
			continue
		}
		k, v, ok := strings.Cut(line, ": ")
		if !ok || strings.Contains(k, " ") {
			continue
		}
		h.Add(k, v)
	}
	return h
}
