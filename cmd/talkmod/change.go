package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/output"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// changeSpec is what a room-changing command (lobby, sip) does to each
// room; runChange does the rest: reading, checks, --dry-run, sending at
// most client.DefaultBatchLimit at a time, and the outcome per room.
type changeSpec struct {
	// readSingle: a single room is read before sending (several always are).
	readSingle bool
	// needCaps: several rooms need the capabilities for the checks.
	needCaps bool
	// check decides, from the room as read (p.read), what to send or
	// refuses the room (p.err). With several rooms it skips those that
	// cannot take the change; with one, the server's answer decides.
	check func(p *plan, caps models.Capabilities, several bool)
	// send sends the change.
	send func(ctx context.Context, p *plan) (models.Room, error)
	// request is what send would send: path suffix and form.
	request func(p *plan) (suffix string, form url.Values)
	// words says what would be sent ("lobby on, opens …").
	words func(p *plan) string
	// outcome words a done change.
	outcome func(p *plan, r models.Room) string
}

// plan is one room of a change.
type plan struct {
	target
	room models.Room
	read bool
	// err refuses the room before sending, or is the read's failure, or
	// after sending the server's answer.
	err  error
	done bool
	// result is the room as the server answered the change.
	result models.Room
	// timer is the lobby timer to send; dropped a future timer the
	// change removes.
	timer, dropped *time.Time
	// note: why the server will likely refuse a single room.
	note string
}

func (p *plan) label() string {
	switch {
	case p.done:
		return p.result.Label()
	case p.read:
		return p.room.Label()
	}
	return ""
}

// roomResult is one room's outcome with --json and several rooms.
type roomResult struct {
	Token string `json:"token"`
	Name  string `json:"name,omitempty"`
	OK    bool   `json:"ok"`
	// Room is the room as the server answered the change.
	Room *models.Room `json:"room,omitempty"`
	// DryRun and Request: what --dry-run would send.
	DryRun  bool         `json:"dryRun,omitempty"`
	Request *requestJSON `json:"request,omitempty"`
	// DroppedTimer is the future lobby timer (unix seconds) the change
	// removed (or, with --dry-run, would remove).
	DroppedTimer int64               `json:"droppedTimer,omitempty"`
	Error        *exit.JSONErrorBody `json:"error,omitempty"`
}

type requestJSON struct {
	Method string            `json:"method"`
	Path   string            `json:"path"`
	Form   map[string]string `json:"form"`
}

// talkAPIPath is the Talk API's base path, for --dry-run's words.
const talkAPIPath = "/ocs/v2.php/apps/spreed/api/v4"

type changeOpts struct {
	yes, dryRun bool
}

// runChange applies spec to the rooms. With one room (several false) the
// output is today's: the outcome line or the bare room JSON, and an error
// as the command's error. With several, one line per room (or a JSON
// array), a summary on stderr and the most severe exit code.
func (a *app) runChange(ctx context.Context, targets []target, several bool, opts changeOpts, spec changeSpec) error {
	plans := make([]*plan, len(targets))
	for i, t := range targets {
		plans[i] = &plan{target: t}
	}
	caps, err := a.readForChange(ctx, plans, several, opts.dryRun || spec.readSingle, spec.needCaps)
	if err != nil {
		return err
	}
	var stop error
	for _, p := range plans {
		if p.err == nil {
			spec.check(p, caps[p.ac], several)
		} else if client.StopsBatch(p.err) || isNotSent(p.err) {
			stop = p.err
		}
	}
	if opts.dryRun {
		return a.printDryRun(plans, several, spec)
	}
	var todo []*plan
	for _, p := range plans {
		if p.err != nil {
			continue
		}
		if stop != nil {
			// the reads were throttled or refused the login: nothing more
			p.err = notSentAfter(stop)
			continue
		}
		todo = append(todo, p)
	}
	batch := client.Batch[*plan, models.Room]{Do: spec.send, Now: a.now}
	for _, o := range batch.Run(ctx, todo) {
		if o.Err != nil {
			o.Item.err = o.Err
			continue
		}
		o.Item.done, o.Item.result = true, o.Value
	}
	if !several {
		return a.printSingle(plans[0], spec)
	}
	return a.printSeveral(plans, spec, false)
}

func isNotSent(err error) bool {
	var ns *client.NotSentError
	return errors.As(err, &ns)
}

func notSentAfter(err error) error {
	var ns *client.NotSentError
	if errors.As(err, &ns) {
		return ns
	}
	return &client.NotSentError{Cause: err}
}

// readForChange reads the rooms for the checks: one room with GetRoom (when
// read), several with one room list per account (and the capabilities when
// needed), then GetRoom for those not in the list. Nothing is sent yet.
func (a *app) readForChange(ctx context.Context, plans []*plan, several, readSingle, needCaps bool) (map[*accountClient]models.Capabilities, error) {
	caps := map[*accountClient]models.Capabilities{}
	if !several {
		if !readSingle {
			return caps, nil
		}
		p := plans[0]
		r, err := p.ac.c.GetRoom(ctx, p.token)
		if err != nil {
			return nil, err
		}
		p.room, p.read = r, true
		return caps, nil
	}
	var conns []*accountClient
	for _, p := range plans {
		if _, ok := caps[p.ac]; !ok {
			caps[p.ac] = models.Capabilities{}
			conns = append(conns, p.ac)
		}
	}
	var missing []*plan
	for _, cn := range conns {
		var (
			list    *client.RoomList
			listErr error
			cp      models.Capabilities
			capsErr error
			wg      sync.WaitGroup
		)
		if needCaps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cp, capsErr = cn.c.Capabilities(ctx)
			}()
		}
		list, listErr = cn.c.ListRooms(ctx, client.ListOptions{})
		wg.Wait()
		if listErr != nil {
			return nil, &exit.ContextError{Msg: "cannot read the rooms for the checks, so nothing was sent", Err: listErr}
		}
		if capsErr != nil {
			if client.KindOf(capsErr) == client.KindUnauthorized {
				return nil, &exit.ContextError{Msg: "cannot read the server's capabilities, so nothing was sent", Err: capsErr}
			}
			// the rooms' own canEnableSIP decides, and the server's answer
			cp = models.Capabilities{}
		}
		caps[cn] = cp
		byToken := make(map[string]models.Room, len(list.Rooms))
		for _, r := range list.Rooms {
			byToken[r.Token] = r
		}
		for _, p := range plans {
			if p.ac != cn {
				continue
			}
			if r, ok := byToken[p.token]; ok {
				p.room, p.read = r, true
			} else {
				missing = append(missing, p)
			}
		}
	}
	// Not in the list: not a participant, or gone. The room's own answer
	// says which (404 mostly).
	read := client.Batch[*plan, models.Room]{Now: a.now, Do: func(ctx context.Context, p *plan) (models.Room, error) {
		return p.ac.c.GetRoom(ctx, p.token)
	}}
	for _, o := range read.Run(ctx, missing) {
		if o.Err != nil {
			o.Item.err = o.Err
			continue
		}
		o.Item.room, o.Item.read = o.Value, true
	}
	return caps, nil
}

// roomWords names a room in an outcome line: "Webinar A (1234567890)".
func (p *plan) roomWords() string {
	if l := p.label(); l != "" && l != p.token {
		return sanitize.Line(l) + " (" + p.token + ")"
	}
	return p.token
}

// errWords says why a room failed, with times in its account's zone.
func (p *plan) errWords() string {
	var ns *client.NotSentError
	if errors.As(p.err, &ns) {
		return sanitize.Line(ns.Words(p.ac.ra.zone))
	}
	return exit.Message(p.err)
}

// resultLine is the outcome line of a room: room, result, reason.
func (p *plan) resultLine(spec changeSpec) string {
	var re *exit.RefusedError
	switch {
	case p.done:
		return p.roomWords() + ": changed: " + spec.outcome(p, p.result)
	case isNotSent(p.err):
		return p.roomWords() + ": " + p.errWords()
	case errors.As(p.err, &re):
		if re.Kind == "skipped" {
			return p.roomWords() + ": skipped: " + sanitize.Line(re.Msg)
		}
		return p.roomWords() + ": refused: " + sanitize.Line(re.Msg)
	}
	status := ""
	var ae *client.APIError
	if errors.As(p.err, &ae) {
		status = fmt.Sprintf(" (%d)", ae.HTTPStatus)
	}
	return p.roomWords() + ": failed" + status + ": " + p.errWords()
}

func (p *plan) json(dryRun bool, spec changeSpec) roomResult {
	r := roomResult{Token: p.token, Name: p.label(), OK: p.err == nil}
	if p.dropped != nil {
		r.DroppedTimer = p.dropped.Unix()
	}
	switch {
	case p.err != nil:
		e := exit.JSON(p.err).Error
		e.Message = p.errWords()
		r.Error = &e
		r.DroppedTimer = 0
	case dryRun:
		r.DryRun = true
		suffix, form := spec.request(p)
		rq := &requestJSON{Method: "PUT", Path: talkAPIPath + "/room/" + p.token + suffix, Form: map[string]string{}}
		for k := range form {
			rq.Form[k] = form.Get(k)
		}
		r.Request = rq
	default:
		room := p.result
		r.Room = &room
	}
	return r
}

// singleErr is a single room's error; a refusal names the room.
func (p *plan) singleErr() error {
	var re *exit.RefusedError
	if errors.As(p.err, &re) {
		return &exit.RefusedError{Kind: re.Kind, Msg: p.roomWords() + ": " + re.Msg}
	}
	return p.err
}

// droppedNotice says on stderr which timer a done change dropped.
func (a *app) droppedNotice(p *plan) {
	if p.dropped == nil || !p.done {
		return
	}
	fmt.Fprintf(a.stderr, "talkmod: %s: dropped the lobby timer that was set for %s\n",
		p.roomWords(), words.At(*p.dropped, a.now(), p.ac.ra.zone))
}

func (a *app) printSingle(p *plan, spec changeSpec) error {
	if p.err != nil {
		return p.singleErr()
	}
	a.droppedNotice(p)
	if a.jsonOut {
		return output.JSON(a.stdout, p.result)
	}
	fmt.Fprintf(a.stdout, "%s: %s\n", sanitize.Line(p.result.Label()), spec.outcome(p, p.result))
	return nil
}

// printSeveral prints one line (or one JSON object in an array) per room
// of a change done or, with dryRun, of what would be sent; then the
// dropped timers (stderr) and the summary.
func (a *app) printSeveral(plans []*plan, spec changeSpec, dryRun bool) error {
	var codes []int
	var results []roomResult
	for _, p := range plans {
		codes = append(codes, exit.Code(p.err))
		switch {
		case a.jsonOut:
			results = append(results, p.json(dryRun, spec))
		case dryRun && p.err == nil:
			fmt.Fprintln(a.stdout, p.dryRunLine(spec))
		default:
			fmt.Fprintln(a.stdout, p.resultLine(spec))
		}
	}
	for _, p := range plans {
		a.droppedNotice(p) // only for changes done
	}
	if a.jsonOut {
		if err := output.JSON(a.stdout, results); err != nil {
			return err
		}
	}
	return a.finishSeveral(plans, codes, dryRun)
}

// finishSeveral prints the summary and gives the exit code.
func (a *app) finishSeveral(plans []*plan, codes []int, dryRun bool) error {
	var changed, skip, confirm, failed, notSent int
	for _, p := range plans {
		var re *exit.RefusedError
		switch {
		case p.err == nil:
			changed++
		case isNotSent(p.err):
			notSent++
		case errors.As(p.err, &re) && re.Kind == "skipped":
			skip++
		case errors.As(p.err, &re):
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
		fmt.Fprintf(a.stderr, "talkmod: %s\n", summary)
		return nil
	}
	return &exit.OutcomeError{Code: code, Summary: summary}
}

func (a *app) printDryRun(plans []*plan, several bool, spec changeSpec) error {
	if several {
		return a.printSeveral(plans, spec, true)
	}
	p := plans[0]
	if p.err != nil {
		return p.singleErr()
	}
	if a.jsonOut {
		return output.JSON(a.stdout, p.json(true, spec))
	}
	fmt.Fprintln(a.stdout, p.dryRunLine(spec))
	return nil
}

func (p *plan) dryRunLine(spec changeSpec) string {
	suffix, form := spec.request(p)
	s := p.roomWords() + ": would send " + spec.words(p) + " (PUT " + talkAPIPath + "/room/" + p.token + suffix + " " + form.Encode() + ")"
	if p.note != "" {
		s += "; the server will likely refuse it: " + sanitize.Line(p.note)
	}
	return s
}
