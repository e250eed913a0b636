package bulk

import (
	"errors"
	"strconv"
	"strings"

	"github.com/talkmod/talkmod/client"
)

// Run is a plan being sent: Next hands out the requests while fewer than
// Limit are in flight to the item's server and nothing stopped that
// server's requests (a 429 or 401 from one server stops only its own);
// Answered takes each answer.
// Once nothing is in flight and Next gives nothing more, it is done: Rest
// are the requests never sent, Summary says how it went.
type Run struct {
	What     string
	Undo     bool
	queue    []Item
	inflight map[string]string // token → its server
	perSrv   map[string]int
	total    int
	changed  []string
	fails    map[string]int
	order    []string // fail words in the order first seen
	notSent  int
	skipped  int
	stop     error
	stops    map[string]error // by server
	next     string           // the server of the item Next handed out
	// bySrv counts the outcomes per server (servers: in the plan's
	// order), for the summary when the items span several.
	bySrv   map[string]*tally
	servers []string
	// Label names a server in the summary (nil: its account name).
	Label func(server string) string
}

// tally is how one server's requests went.
type tally struct {
	changed, notSent int
	fails            map[string]int
}

func (r *Run) tally(srv string) *tally {
	t := r.bySrv[srv]
	if t == nil {
		t = &tally{fails: map[string]int{}}
		r.bySrv[srv] = t
	}
	return t
}

// NewRun starts sending p.
func NewRun(p *Plan) *Run {
	r := &Run{What: p.What, Undo: p.Undo, queue: append([]Item(nil), p.Items...),
		inflight: map[string]string{}, perSrv: map[string]int{}, stops: map[string]error{},
		total: len(p.Items), fails: map[string]int{}, skipped: len(p.Skipped), bySrv: map[string]*tally{}}
	seen := map[string]bool{}
	for _, it := range p.Items {
		if !seen[it.Server] {
			seen[it.Server] = true
			r.servers = append(r.servers, it.Server)
		}
	}
	return r
}

// Next is the next request to send, if one may go now (false: wait for
// an answer, or the run stopped, or nothing is left).
func (r *Run) Next() (Item, bool) {
	for i, it := range r.queue {
		if r.stops[it.Server] != nil || r.perSrv[it.Server] >= Limit {
			continue
		}
		if i == 0 {
			r.queue = r.queue[1:]
		} else {
			r.queue = append(r.queue[:i:i], r.queue[i+1:]...)
		}
		r.next = it.Server
		return it, true
	}
	return Item{}, false
}

// Sent says that the item Next handed out last went: its answer is
// awaited.
func (r *Run) Sent(token string) {
	r.inflight[token] = r.next
	r.perSrv[r.next]++
}

// NotSent counts a request that did not go (its room left the list):
// the item Next handed out last.
func (r *Run) NotSent() {
	r.notSent++
	r.tally(r.next).notSent++
}

// Fail counts a request that failed, grouped by word ("not sent",
// "refused (403)"): the item Next handed out last.
func (r *Run) Fail(word string) { r.fail(r.next, word) }

func (r *Run) fail(srv, word string) {
	if r.fails[word] == 0 {
		r.order = append(r.order, word)
	}
	r.fails[word]++
	r.tally(srv).fails[word]++
}

// Awaits says whether the run waits for the answer about token.
func (r *Run) Awaits(token string) bool {
	_, ok := r.inflight[token]
	return ok
}

// Answered takes the answer about token; a 429 or a 401 stops the
// requests to its server.
func (r *Run) Answered(token string, err error) {
	srv := r.inflight[token]
	delete(r.inflight, token)
	r.perSrv[srv]--
	if err == nil {
		r.changed = append(r.changed, token)
		r.tally(srv).changed++
		return
	}
	r.fail(srv, FailWord(err))
	if client.StopsBatch(err) && r.stops[srv] == nil {
		r.stops[srv] = err
		if r.stop == nil {
			r.stop = err
		}
	}
}

// StoppedFor is the answer that stopped the requests to server (nil:
// none).
func (r *Run) StoppedFor(server string) error { return r.stops[server] }

// Waiting is the number of answers awaited.
func (r *Run) Waiting() int { return len(r.inflight) }

// Stopped is the answer that stopped the run (nil: none).
func (r *Run) Stopped() error { return r.stop }

// Rest takes the requests never sent (counted as not sent).
func (r *Run) Rest() []Item {
	rest := r.queue
	r.queue = nil
	r.notSent += len(rest)
	for _, it := range rest {
		r.tally(it.Server).notSent++
	}
	return rest
}

// Changed are the rooms changed, in the order of the answers.
func (r *Run) Changed() []string { return r.changed }

// Failed says whether anything failed or was not sent.
func (r *Run) Failed() bool { return r.notSent > 0 || len(r.fails) > 0 }

func (r *Run) counts() string {
	parts := r.countParts(len(r.changed), r.fails, r.notSent)
	if r.skipped > 0 {
		parts = append(parts, strconv.Itoa(r.skipped)+" skipped")
	}
	return strings.Join(parts, ", ")
}

// countParts words counts: "5 changed", "1 refused (403)", "2 not sent"
// (the failures in the order first seen).
func (r *Run) countParts(changed int, fails map[string]int, notSent int) []string {
	parts := []string{strconv.Itoa(changed) + " changed"}
	for _, w := range r.order {
		if fails[w] > 0 {
			parts = append(parts, strconv.Itoa(fails[w])+" "+w)
		}
	}
	if notSent > 0 {
		parts = append(parts, strconv.Itoa(notSent)+" not sent")
	}
	return parts
}

// perServer is each server's counts when the items span several:
// "acme.example 6 changed; globex.example 5 changed, 1 refused (403)"
// ("" for one server).
func (r *Run) perServer() string {
	if len(r.servers) < 2 {
		return ""
	}
	var out []string
	for _, srv := range r.servers {
		t := r.tally(srv)
		name := srv
		if r.Label != nil {
			name = r.Label(srv)
		}
		out = append(out, name+" "+strings.Join(r.countParts(t.changed, t.fails, t.notSent), ", "))
	}
	return strings.Join(out, "; ")
}

// Progress is the status line while it runs: "lobby off: 3 of 7
// answered (3 changed) · 4 waiting for the server".
func (r *Run) Progress() string {
	what := r.What
	if r.Undo {
		what = "undo"
	}
	done := len(r.changed) + r.notSent
	for _, n := range r.fails {
		done += n
	}
	return what + ": " + strconv.Itoa(done) + " of " + strconv.Itoa(r.total) + " answered (" + r.counts() + ") · " +
		strconv.Itoa(len(r.inflight)) + " waiting for the server"
}

// Summary is the line at the end: "5 changed, 1 refused (403), 1 not
// sent", then, when the items went to several servers, each server's
// ("· by server: acme.example 3 changed; globex.example 2 changed, 1
// refused (403)"); marked is how many rooms are still marked.
func (r *Run) Summary(marked int) string {
	what := r.What
	if r.Undo {
		what = "undone"
	}
	s := what + ": " + r.counts()
	if ps := r.perServer(); ps != "" {
		s += " · by server: " + ps
	}
	if !r.Undo && len(r.changed) > 0 {
		s += " · u undoes the " + strconv.Itoa(len(r.changed))
	}
	if marked > 0 && len(r.changed) < r.total {
		s += " · " + strconv.Itoa(marked) + " still marked: l, t or s again retries them"
	}
	return s
}

// FailWord groups a failure for the summary: "refused (403)",
// "failed (503)", "failed (network)".
func FailWord(err error) string {
	var ae *client.APIError
	if errors.As(err, &ae) && ae.HTTPStatus > 0 {
		if ae.HTTPStatus >= 500 {
			return "failed (" + strconv.Itoa(ae.HTTPStatus) + ")"
		}
		return "refused (" + strconv.Itoa(ae.HTTPStatus) + ")"
	}
	switch client.KindOf(err) {
	case client.KindNetwork:
		return "failed (network)"
	case client.KindInvalidInput:
		return "refused (not valid)"
	case client.KindBadResponse:
		return "failed (bad answer)"
	}
	return "failed"
}
