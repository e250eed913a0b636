package bulk

import (
	"errors"
	"strconv"
	"strings"

	"github.com/talkmod/talkmod/client"
)

// Run is a plan being sent: Next hands out the requests while fewer than
// Limit are in flight and nothing stopped it; Answered takes each answer.
// Once nothing is in flight and Next gives nothing more, it is done: Rest
// are the requests never sent, Summary says how it went.
type Run struct {
	What     string
	Undo     bool
	queue    []Item
	inflight map[string]bool
	total    int
	changed  []string
	fails    map[string]int
	order    []string // fail words in the order first seen
	notSent  int
	skipped  int
	stop     error
}

// NewRun starts sending p.
func NewRun(p *Plan) *Run {
	return &Run{What: p.What, Undo: p.Undo, queue: append([]Item(nil), p.Items...),
		inflight: map[string]bool{}, total: len(p.Items), fails: map[string]int{}, skipped: len(p.Skipped)}
}

// Next is the next request to send, if one may go now (false: wait for
// an answer, or the run stopped, or nothing is left).
func (r *Run) Next() (Item, bool) {
	if r.stop != nil || len(r.inflight) >= Limit || len(r.queue) == 0 {
		return Item{}, false
	}
	it := r.queue[0]
	r.queue = r.queue[1:]
	return it, true
}

// Sent says that it went: its answer is awaited.
func (r *Run) Sent(token string) { r.inflight[token] = true }

// NotSent counts a request that did not go (its room left the list).
func (r *Run) NotSent() { r.notSent++ }

// Fail counts a request that failed, grouped by word ("not sent",
// "refused (403)").
func (r *Run) Fail(word string) {
	if r.fails[word] == 0 {
		r.order = append(r.order, word)
	}
	r.fails[word]++
}

// Awaits says whether the run waits for the answer about token.
func (r *Run) Awaits(token string) bool { return r.inflight[token] }

// Answered takes the answer about token; a 429 or a 401 stops the run.
func (r *Run) Answered(token string, err error) {
	delete(r.inflight, token)
	if err == nil {
		r.changed = append(r.changed, token)
		return
	}
	r.Fail(FailWord(err))
	if client.StopsBatch(err) && r.stop == nil {
		r.stop = err
	}
}

// Waiting is the number of answers awaited.
func (r *Run) Waiting() int { return len(r.inflight) }

// Stopped is the answer that stopped the run (nil: none).
func (r *Run) Stopped() error { return r.stop }

// Rest takes the requests never sent (counted as not sent).
func (r *Run) Rest() []Item {
	rest := r.queue
	r.queue = nil
	r.notSent += len(rest)
	return rest
}

// Changed are the rooms changed, in the order of the answers.
func (r *Run) Changed() []string { return r.changed }

// Failed says whether anything failed or was not sent.
func (r *Run) Failed() bool { return r.notSent > 0 || len(r.fails) > 0 }

func (r *Run) counts() string {
	parts := []string{strconv.Itoa(len(r.changed)) + " changed"}
	for _, w := range r.order {
		parts = append(parts, strconv.Itoa(r.fails[w])+" "+w)
	}
	if r.notSent > 0 {
		parts = append(parts, strconv.Itoa(r.notSent)+" not sent")
	}
	if r.skipped > 0 {
		parts = append(parts, strconv.Itoa(r.skipped)+" skipped")
	}
	return strings.Join(parts, ", ")
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
// sent"; marked is how many rooms are still marked.
func (r *Run) Summary(marked int) string {
	what := r.What
	if r.Undo {
		what = "undone"
	}
	s := what + ": " + r.counts()
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
