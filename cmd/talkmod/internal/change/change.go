// Package change is talkmod's room-changing commands (lobby, sip) without
// their command line: the reads and checks before anything is sent
// (Plan), --dry-run, sending at most client.DefaultBatchLimit at a time,
// and the outcome per room as a line or JSON, the summary and the exit
// code (Run). Lobby and SIP are the two changes.
package change

import (
	"context"
	"errors"
	"io"
	"net/url"
	"sync"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/models"
)

// Target is a room and the account it is changed with. Rooms of one
// account share its Client.
type Target struct {
	Token  string
	Client *client.Client
	// Zone is the account's display zone.
	Zone *time.Location
}

// Spec is what a change does to each room; Run does the rest.
type Spec struct {
	// ReadSingle: a single room is read before sending (several always are).
	ReadSingle bool
	// NeedCaps: several rooms need the capabilities for the checks.
	NeedCaps bool
	// Check decides, from the room as read (p.Room), what to send or
	// refuses the room (p.Err). With several rooms it skips those that
	// cannot take the change; with one, the server's answer decides.
	Check func(p *Plan, caps models.Capabilities, several bool)
	// Send sends the change.
	Send func(ctx context.Context, p *Plan) (models.Room, error)
	// Request is what Send would send: path suffix and form.
	Request func(p *Plan) (suffix string, form url.Values)
	// Words says what would be sent ("lobby on, opens …").
	Words func(p *Plan) string
	// Outcome words a done change.
	Outcome func(p *Plan, r models.Room) string
}

// Plan is one room of a change.
type Plan struct {
	Target
	// Room is the room as read before the change, when Read.
	Room models.Room
	Read bool
	// Err refuses the room before sending, or is the read's failure, or
	// after sending the server's answer.
	Err  error
	Done bool
	// Result is the room as the server answered the change.
	Result models.Room
	// Timer is the lobby timer to send; Dropped a future timer the
	// change removes.
	Timer, Dropped *time.Time
	// Note: why the server will likely refuse a single room.
	Note string
}

func (p *Plan) label() string {
	switch {
	case p.Done:
		return p.Result.Label()
	case p.Read:
		return p.Room.Label()
	}
	return ""
}

// Options are the flags every change takes.
type Options struct {
	// Yes confirms a change that removes people from a running call.
	Yes bool
	// DryRun prints what would be sent and sends nothing.
	DryRun bool
}

// IO is where Run prints, and its clock.
type IO struct {
	Stdout, Stderr io.Writer
	// JSON prints JSON (--json).
	JSON bool
	Now  func() time.Time
}

// Run applies spec to the rooms. With one room (several false) the
// output is one outcome line or the bare room JSON, and an error as the
// command's error. With several, one line per room (or a JSON array), a
// summary on stderr and the most severe exit code (an *exit.OutcomeError).
func Run(ctx context.Context, targets []Target, several bool, opts Options, spec Spec, out IO) error {
	plans := make([]*Plan, len(targets))
	for i, t := range targets {
		plans[i] = &Plan{Target: t}
	}
	caps, err := readForChange(ctx, plans, several, opts.DryRun || spec.ReadSingle, spec.NeedCaps, out.Now)
	if err != nil {
		return err
	}
	var stop error
	for _, p := range plans {
		if p.Err == nil {
			spec.Check(p, caps[p.Client], several)
		} else if client.StopsBatch(p.Err) || isNotSent(p.Err) {
			stop = p.Err
		}
	}
	if opts.DryRun {
		return out.printDryRun(plans, several, spec)
	}
	var todo []*Plan
	for _, p := range plans {
		if p.Err != nil {
			continue
		}
		if stop != nil {
			// the reads were throttled or refused the login: nothing more
			p.Err = notSentAfter(stop)
			continue
		}
		todo = append(todo, p)
	}
	batch := client.Batch[*Plan, models.Room]{Do: spec.Send, Now: out.Now}
	for _, o := range batch.Run(ctx, todo) {
		if o.Err != nil {
			o.Item.Err = o.Err
			continue
		}
		o.Item.Done, o.Item.Result = true, o.Value
	}
	if !several {
		return out.printSingle(plans[0], spec)
	}
	return out.printSeveral(plans, spec, false)
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
func readForChange(ctx context.Context, plans []*Plan, several, readSingle, needCaps bool, now func() time.Time) (map[*client.Client]models.Capabilities, error) {
	caps := map[*client.Client]models.Capabilities{}
	if !several {
		if !readSingle {
			return caps, nil
		}
		p := plans[0]
		r, err := p.Client.GetRoom(ctx, p.Token)
		if err != nil {
			return nil, err
		}
		p.Room, p.Read = r, true
		return caps, nil
	}
	var conns []*client.Client
	for _, p := range plans {
		if _, ok := caps[p.Client]; !ok {
			caps[p.Client] = models.Capabilities{}
			conns = append(conns, p.Client)
		}
	}
	var missing []*Plan
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
				cp, capsErr = cn.Capabilities(ctx)
			}()
		}
		list, listErr = cn.ListRooms(ctx, client.ListOptions{})
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
			if p.Client != cn {
				continue
			}
			if r, ok := byToken[p.Token]; ok {
				p.Room, p.Read = r, true
			} else {
				missing = append(missing, p)
			}
		}
	}
	// Not in the list: not a participant, or gone. The room's own answer
	// says which (404 mostly).
	read := client.Batch[*Plan, models.Room]{Now: now, Do: func(ctx context.Context, p *Plan) (models.Room, error) {
		return p.Client.GetRoom(ctx, p.Token)
	}}
	for _, o := range read.Run(ctx, missing) {
		if o.Err != nil {
			o.Item.Err = o.Err
			continue
		}
		o.Item.Room, o.Item.Read = o.Value, true
	}
	return caps, nil
}
