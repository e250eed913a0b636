package change

import (
	"errors"
	"fmt"
	"strings"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/output"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// RoomResult is one room's outcome with --json and several rooms.
type RoomResult struct {
	Token string `json:"token"`
	Name  string `json:"name,omitempty"`
	OK    bool   `json:"ok"`
	// Room is the room as the server answered the change.
	Room *models.Room `json:"room,omitempty"`
	// DryRun and Request: what --dry-run would send.
	DryRun  bool         `json:"dryRun,omitempty"`
	Request *RequestJSON `json:"request,omitempty"`
	// DroppedTimer is the future lobby timer (unix seconds) the change
	// removed (or, with --dry-run, would remove).
	DroppedTimer int64               `json:"droppedTimer,omitempty"`
	Error        *exit.JSONErrorBody `json:"error,omitempty"`
}

// RequestJSON is the request --dry-run --json says would be sent.
type RequestJSON struct {
	Method string            `json:"method"`
	Path   string            `json:"path"`
	Form   map[string]string `json:"form"`
}

// talkAPIPath is the Talk API's base path, for --dry-run's words.
const talkAPIPath = "/ocs/v2.php/apps/spreed/api/v4"

// roomWords names a room in an outcome line: "Webinar A (1234567890)".
func (p *Plan) roomWords() string {
	if l := p.label(); l != "" && l != p.Token {
		return sanitize.Line(l) + " (" + p.Token + ")"
	}
	return p.Token
}

// errWords says why a room failed, with times in its account's zone.
func (p *Plan) errWords() string {
	var ns *client.NotSentError
	if errors.As(p.Err, &ns) {
		return sanitize.Line(ns.Words(p.Zone))
	}
	return exit.Message(p.Err)
}

// resultLine is the outcome line of a room: room, result, reason.
func (p *Plan) resultLine(spec Spec) string {
	var re *exit.RefusedError
	switch {
	case p.Done:
		return p.roomWords() + ": changed: " + spec.Outcome(p, p.Result)
	case isNotSent(p.Err):
		return p.roomWords() + ": " + p.errWords()
	case errors.As(p.Err, &re):
		if re.Kind == "skipped" {
			return p.roomWords() + ": skipped: " + sanitize.Line(re.Msg)
		}
		return p.roomWords() + ": refused: " + sanitize.Line(re.Msg)
	}
	status := ""
	var ae *client.APIError
	if errors.As(p.Err, &ae) {
		status = fmt.Sprintf(" (%d)", ae.HTTPStatus)
	}
	return p.roomWords() + ": failed" + status + ": " + p.errWords()
}

func (p *Plan) json(dryRun bool, spec Spec) RoomResult {
	r := RoomResult{Token: p.Token, Name: p.label(), OK: p.Err == nil}
	if p.Dropped != nil {
		r.DroppedTimer = p.Dropped.Unix()
	}
	switch {
	case p.Err != nil:
		e := exit.JSON(p.Err).Error
		e.Message = p.errWords()
		r.Error = &e
		r.DroppedTimer = 0
	case dryRun:
		r.DryRun = true
		suffix, form := spec.Request(p)
		rq := &RequestJSON{Method: "PUT", Path: talkAPIPath + "/room/" + p.Token + suffix, Form: map[string]string{}}
		for k := range form {
			rq.Form[k] = form.Get(k)
		}
		r.Request = rq
	default:
		room := p.Result
		r.Room = &room
	}
	return r
}

// singleErr is a single room's error; a refusal names the room.
func (p *Plan) singleErr() error {
	var re *exit.RefusedError
	if errors.As(p.Err, &re) {
		return &exit.RefusedError{Kind: re.Kind, Msg: p.roomWords() + ": " + re.Msg}
	}
	return p.Err
}

// droppedNotice says on stderr which timer a done change dropped.
func (out IO) droppedNotice(p *Plan) {
	if p.Dropped == nil || !p.Done {
		return
	}
	fmt.Fprintf(out.Stderr, "talkmod: %s: dropped the lobby timer that was set for %s\n",
		p.roomWords(), words.At(*p.Dropped, out.Now(), p.Zone))
}

func (out IO) printSingle(p *Plan, spec Spec) error {
	if p.Err != nil {
		return p.singleErr()
	}
	out.droppedNotice(p)
	if out.JSON {
		return output.JSON(out.Stdout, p.Result)
	}
	fmt.Fprintf(out.Stdout, "%s: %s\n", sanitize.Line(p.Result.Label()), spec.Outcome(p, p.Result))
	return nil
}

// printSeveral prints one line (or one JSON object in an array) per room
// of a change done or, with dryRun, of what would be sent; then the
// dropped timers (stderr) and the summary.
func (out IO) printSeveral(plans []*Plan, spec Spec, dryRun bool) error {
	var codes []int
	var results []RoomResult
	for _, p := range plans {
		codes = append(codes, exit.Code(p.Err))
		switch {
		case out.JSON:
			results = append(results, p.json(dryRun, spec))
		case dryRun && p.Err == nil:
			fmt.Fprintln(out.Stdout, p.dryRunLine(spec))
		default:
			fmt.Fprintln(out.Stdout, p.resultLine(spec))
		}
	}
	for _, p := range plans {
		out.droppedNotice(p) // only for changes done
	}
	if out.JSON {
		if err := output.JSON(out.Stdout, results); err != nil {
			return err
		}
	}
	return out.finishSeveral(plans, codes, dryRun)
}

// finishSeveral prints the summary and gives the exit code.
func (out IO) finishSeveral(plans []*Plan, codes []int, dryRun bool) error {
	var changed, skip, confirm, failed, notSent int
	for _, p := range plans {
		var re *exit.RefusedError
		switch {
		case p.Err == nil:
			changed++
		case isNotSent(p.Err):
			notSent++
		case errors.As(p.Err, &re) && re.Kind == "skipped":
			skip++
		case errors.As(p.Err, &re):
			confirm++
		default:
			failed++
		}
	}
	var parts []string
	add := func(n int, words string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, words))
		}
	}
	if dryRun {
		add(changed, "would be sent")
	} else {
		add(changed, "changed")
	}
	add(skip, "skipped")
	add(confirm, "refused without --yes")
	add(failed, "failed")
	add(notSent, "not sent")
	summary := fmt.Sprintf("%d rooms: %s", len(plans), strings.Join(parts, ", "))
	code := exit.Worst(codes...)
	if code == exit.OK {
		fmt.Fprintf(out.Stderr, "talkmod: %s\n", summary)
		return nil
	}
	return &exit.OutcomeError{Code: code, Summary: summary}
}

func (out IO) printDryRun(plans []*Plan, several bool, spec Spec) error {
	if several {
		return out.printSeveral(plans, spec, true)
	}
	p := plans[0]
	if p.Err != nil {
		return p.singleErr()
	}
	if out.JSON {
		return output.JSON(out.Stdout, p.json(true, spec))
	}
	fmt.Fprintln(out.Stdout, p.dryRunLine(spec))
	return nil
}

func (p *Plan) dryRunLine(spec Spec) string {
	suffix, form := spec.Request(p)
	s := p.roomWords() + ": would send " + spec.Words(p) + " (PUT " + talkAPIPath + "/room/" + p.Token + suffix + " " + form.Encode() + ")"
	if p.Note != "" {
		s += "; the server will likely refuse it: " + sanitize.Line(p.Note)
	}
	return s
}
