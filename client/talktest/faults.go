package talktest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is one kind of misbehaviour of the network, a proxy or the server.
type Fault string

// The faults WithFaults draws from.
const (
	// FaultResetBeforeHeaders closes the connection before any answer.
	FaultResetBeforeHeaders Fault = "reset"
	// FaultResetMidBody sends the headers and half the body, then closes
	// the connection.
	FaultResetMidBody Fault = "reset-body"
	// FaultTruncatedJSON sends a complete HTTP answer whose JSON is cut.
	FaultTruncatedJSON Fault = "truncated"
	// FaultProxy502 and FaultProxy504 are a reverse proxy's HTML pages.
	FaultProxy502 Fault = "502"
	FaultProxy504 Fault = "504"
	// FaultMaintenance is Nextcloud's 503 with X-Nextcloud-Maintenance-Mode.
	FaultMaintenance Fault = "maintenance"
	// Fault429 and Fault429RetryAfter start a burst of 429 answers
	// (without and with a Retry-After header) for the next few requests.
	Fault429           Fault = "429"
	Fault429RetryAfter Fault = "429-retry-after"
	// FaultSlowDrip sends the real answer one byte every 100 ms.
	FaultSlowDrip Fault = "drip"
	// FaultHugeBody announces and starts a 50 MB body.
	FaultHugeBody Fault = "huge"
	// FaultWrongTypes sends the real answer with numbers as strings and
	// booleans as numbers: valid JSON, wrong types.
	FaultWrongTypes Fault = "wrong-types"
	// FaultVanish deletes the room an action is about, just before the
	// action: the server answers 404 as for any unknown room.
	FaultVanish Fault = "vanish"
	// FaultEvilRename renames a random room to a name full of terminal
	// escape sequences (the old name stays inside it) before a room list.
	FaultEvilRename Fault = "evil-rename"
)

// AllFaults lists every fault, in a fixed order.
var AllFaults = []Fault{
	FaultResetBeforeHeaders, FaultResetMidBody, FaultTruncatedJSON, FaultProxy502, FaultProxy504,
	FaultMaintenance, Fault429, Fault429RetryAfter, FaultSlowDrip, FaultHugeBody, FaultWrongTypes,
	FaultVanish, FaultEvilRename,
}

// Faults is a seeded, reproducible plan of faults: the same seed and the
// same sequence of requests give the same faults.
type Faults struct {
	// Seed seeds the random choices.
	Seed uint64
	// Rate is the share of API requests that get a fault (0 to 1).
	Rate float64
	// Kinds are the faults drawn from (empty: all of them).
	Kinds []Fault
	// Latency delays every answer, Jitter more or less (uniformly within
	// ±Jitter).
	Latency, Jitter time.Duration
	// Drip is the pause between two bytes of a slow drip (default 100 ms);
	// DripMax stops a drip after that many bytes (default: the whole answer).
	Drip    time.Duration
	DripMax int
}

// EvilPrefix and EvilSuffix wrap a room's name on FaultEvilRename: OSC
// title, clear screen, 8-bit CSI, bidi override, bell.
const (
	EvilPrefix = "\x1b]0;pwned\a\x1b[2J\x1b[31m"
	EvilSuffix = "\u009b31m\u202e\a\x1b[0m"
)

// FaultEvent is one injected fault, for the log.
type FaultEvent struct {
	N      int // the request's number (from 1)
	Method string
	Path   string
	Fault  Fault
	Token  string // the room (vanish, evil-rename)
}

// WithFaults makes the server misbehave as f says.
func WithFaults(f Faults) Option {
	return func(s *Server) {
		s.faults = newFaultState(f)
	}
}

// SetFaults changes the plan (nil: no faults from now on). The request
// count and the random state start over.
func (s *Server) SetFaults(f *Faults) {
	var fs *faultState
	if f != nil {
		fs = newFaultState(*f)
	}
	s.mu.Lock()
	s.faults = fs
	s.mu.Unlock()
}

// FaultLog lists the faults injected so far.
func (s *Server) FaultLog() []FaultEvent {
	s.mu.Lock()
	fs := s.faults
	s.mu.Unlock()
	if fs == nil {
		return nil
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return slices.Clone(fs.log)
}

type faultState struct {
	mu    sync.Mutex
	cfg   Faults
	rnd   *rand.Rand
	n     int
	burst int  // 429 answers still to send
	retry bool // the burst carries Retry-After
	log   []FaultEvent
}

func newFaultState(f Faults) *faultState {
	if len(f.Kinds) == 0 {
		f.Kinds = AllFaults
	}
	if f.Drip <= 0 {
		f.Drip = 100 * time.Millisecond
	}
	return &faultState{cfg: f, rnd: rand.New(rand.NewPCG(f.Seed, 0x7a1c))}
}

// plan is what to do to one request.
type plan struct {
	delay time.Duration
	fault Fault
	n     int
	cut   float64 // where to cut a body (0..1)
	pick  int     // a random number for the fault's choices
}

// draw decides the fate of one request.
func (fs *faultState) draw(r *http.Request) plan {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.n++
	p := plan{n: fs.n, delay: fs.cfg.Latency, cut: 0.1 + 0.8*fs.rnd.Float64(), pick: fs.rnd.IntN(1 << 30)}
	if j := fs.cfg.Jitter; j > 0 {
		p.delay += time.Duration(fs.rnd.Int64N(int64(2*j+1))) - j
	}
	p.delay = max(p.delay, 0)
	if !strings.HasPrefix(r.URL.Path, "/ocs/") {
		return p
	}
	if fs.burst > 0 {
		fs.burst--
		p.fault = Fault429
		if fs.retry {
			p.fault = Fault429RetryAfter
		}
		return p
	}
	if fs.rnd.Float64() >= fs.cfg.Rate {
		return p
	}
	p.fault = fs.cfg.Kinds[fs.rnd.IntN(len(fs.cfg.Kinds))]
	switch p.fault {
	case Fault429, Fault429RetryAfter:
		fs.burst = fs.rnd.IntN(4) // this one and up to 3 more
		fs.retry = p.fault == Fault429RetryAfter
	case FaultVanish:
		if !isAction(r) {
			p.fault = ""
		}
	case FaultEvilRename:
		if !isList(r) {
			p.fault = ""
		}
	}
	return p
}

func (fs *faultState) record(e FaultEvent) {
	fs.mu.Lock()
	fs.log = append(fs.log, e)
	fs.mu.Unlock()
}

var roomPathRE = regexp.MustCompile(`/apps/spreed/api/v4/room/([a-z0-9]+)(/|$)`)

func isAction(r *http.Request) bool {
	return r.Method != http.MethodGet && roomPathRE.MatchString(r.URL.Path)
}

func isList(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/apps/spreed/api/v4/room")
}

const (
	proxyPage = "<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n"
	hugeSize  = 50 << 20
)

// serveFault answers r with fault p, or returns false to let the server
// answer normally. It runs after the latency.
func (s *Server) serveFault(fs *faultState, p plan, w http.ResponseWriter, r *http.Request, body []byte) bool {
	ev := FaultEvent{N: p.n, Method: r.Method, Path: r.URL.Path, Fault: p.fault}
	switch p.fault {
	case "":
		return false
	case FaultResetBeforeHeaders:
		fs.record(ev)
		abort(w)
		return true
	case FaultProxy502, FaultProxy504:
		code := http.StatusBadGateway
		if p.fault == FaultProxy504 {
			code = http.StatusGatewayTimeout
		}
		fs.record(ev)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(code)
		fmt.Fprintf(w, proxyPage, code, http.StatusText(code), code, http.StatusText(code))
		return true
	case FaultMaintenance:
		fs.record(ev)
		w.Header().Set("X-Nextcloud-Maintenance-Mode", "1")
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, `{"ocs":{"meta":{"status":"failure","statuscode":503,"message":"Service unavailable"},"data":[]}}`)
		return true
	case Fault429, Fault429RetryAfter:
		fs.record(ev)
		if p.fault == Fault429RetryAfter {
			w.Header().Set("Retry-After", strconv.Itoa(1+p.pick%3))
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"ocs":{"meta":{"status":"failure","statuscode":429,"message":"Reached maximum delay"},"data":[]}}`)
		return true
	case FaultHugeBody:
		fs.record(ev)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(hugeSize))
		w.WriteHeader(http.StatusOK)
		chunk := bytes.Repeat([]byte(`{"token":"abcdefgh","name":"padding padding padding"},`), 1024)
		_, _ = w.Write([]byte(`{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":[`))
		for sent := 0; sent < hugeSize-len(chunk); sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil || r.Context().Err() != nil || s.isClosing() {
				break
			}
		}
		abort(w) // never completes: the client must give up first
		return true
	case FaultVanish:
		if m := roomPathRE.FindStringSubmatch(r.URL.Path); m != nil {
			ev.Token = m[1]
			s.DeleteRoom(m[1])
			fs.record(ev)
		}
		return false // the server answers as for an unknown room
	case FaultEvilRename:
		s.mu.Lock()
		tokens := make([]string, 0, len(s.rooms))
		for t := range s.rooms {
			tokens = append(tokens, t)
		}
		s.mu.Unlock()
		if len(tokens) > 0 {
			sort.Strings(tokens)
			ev.Token = tokens[p.pick%len(tokens)]
			if rm, ok := s.Room(ev.Token); ok && !strings.HasPrefix(rm.Name, EvilPrefix) {
				s.RenameRoom(ev.Token, EvilPrefix+rm.Name+EvilSuffix)
			}
			fs.record(ev)
		}
		return false
	}
	// The rest change the real answer: record it first.
	rec := httptest.NewRecorder()
	s.runDue()
	s.handle(&respWriter{s: s, w: rec, r: r}, r, body)
	out := rec.Body.Bytes()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	fs.record(ev)
	switch p.fault {
	case FaultTruncatedJSON:
		out = out[:int(float64(len(out))*p.cut)]
		w.Header().Set("Content-Length", strconv.Itoa(len(out)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(out)
	case FaultResetMidBody:
		w.Header().Set("Content-Length", strconv.Itoa(len(out)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(out[:int(float64(len(out))*p.cut)])
		abort(w)
	case FaultWrongTypes:
		out = wrongTypes(out)
		w.Header().Set("Content-Length", strconv.Itoa(len(out)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(out)
	case FaultSlowDrip:
		w.Header().Set("Content-Length", strconv.Itoa(len(out)))
		w.WriteHeader(rec.Code)
		fl, _ := w.(http.Flusher)
		limit := len(out)
		if fs.cfg.DripMax > 0 {
			limit = min(limit, fs.cfg.DripMax)
		}
		t := time.NewTicker(fs.cfg.Drip)
		defer t.Stop()
		for i := 0; i < limit; i++ {
			if _, err := w.Write(out[i : i+1]); err != nil {
				return true
			}
			if fl != nil {
				fl.Flush()
			}
			select {
			case <-t.C:
			case <-r.Context().Done():
				return true
			case <-s.closing:
				return true
			}
		}
		if limit < len(out) {
			abort(w)
		}
	}
	return true
}

// abort closes the connection without finishing the answer.
func abort(w http.ResponseWriter) {
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
	panic(http.ErrAbortHandler)
}

func (s *Server) isClosing() bool {
	select {
	case <-s.closing:
		return true
	default:
		return false
	}
}

var (
	numberField = regexp.MustCompile(`"(lobbyState|lobbyTimer|sipEnabled|type|participantType|statuscode)":(-?[0-9]+)`)
	boolField   = regexp.MustCompile(`"(hasCall|isFavorite)":(true|false)`)
)

// wrongTypes turns numbers into strings and booleans into numbers.
func wrongTypes(b []byte) []byte {
	b = numberField.ReplaceAll(b, []byte(`"$1":"$2"`))
	return boolField.ReplaceAllFunc(b, func(m []byte) []byte {
		return bytes.Replace(bytes.Replace(m, []byte("true"), []byte("1"), 1), []byte("false"), []byte("0"), 1)
	})
}

// ParseFaults reads a fault plan: comma-separated key=value pairs, e.g.
// "seed=7,rate=0.3,latency=50ms,jitter=40ms,kinds=reset+502+429".
// Keys: seed, rate, kinds (+-separated names of AllFaults, or "all"),
// latency, jitter, drip, dripmax. An empty spec is no faults.
func ParseFaults(spec string) (*Faults, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, nil
	}
	f := &Faults{Seed: 1, Rate: 0.2}
	for _, part := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, fmt.Errorf("fault spec %q: want key=value", part)
		}
		var err error
		switch k {
		case "seed":
			f.Seed, err = strconv.ParseUint(v, 10, 64)
		case "rate":
			f.Rate, err = strconv.ParseFloat(v, 64)
			if err == nil && (f.Rate < 0 || f.Rate > 1) {
				err = fmt.Errorf("not between 0 and 1")
			}
		case "latency":
			f.Latency, err = time.ParseDuration(v)
		case "jitter":
			f.Jitter, err = time.ParseDuration(v)
		case "drip":
			f.Drip, err = time.ParseDuration(v)
		case "dripmax":
			f.DripMax, err = strconv.Atoi(v)
		case "kinds":
			if v == "all" {
				f.Kinds = nil
				continue
			}
			for _, name := range strings.Split(v, "+") {
				if !slices.Contains(AllFaults, Fault(name)) {
					return nil, fmt.Errorf("fault spec: unknown fault %q (known: %s)", name, faultNames())
				}
				f.Kinds = append(f.Kinds, Fault(name))
			}
		default:
			return nil, fmt.Errorf("fault spec: unknown key %q (known: seed, rate, kinds, latency, jitter, drip, dripmax)", k)
		}
		if err != nil {
			return nil, fmt.Errorf("fault spec %s=%s: %v", k, v, err)
		}
	}
	return f, nil
}

func faultNames() string {
	names := make([]string, len(AllFaults))
	for i, f := range AllFaults {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}
