// Package chatfeed prints a room's chat for talkmod chat: messages as
// lines or as the server's JSON, and --follow's polling.
package chatfeed

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/safetext"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// Printer prints messages as lines (times in loc) or raw JSON, one a line.
type Printer struct {
	w    *bufio.Writer
	json bool
	now  func() time.Time
	loc  *time.Location
}

// NewPrinter prints to w: the server's JSON objects when asJSON, else
// words.ChatLine with times in loc as seen at now().
func NewPrinter(w io.Writer, asJSON bool, now func() time.Time, loc *time.Location) *Printer {
	return &Printer{w: bufio.NewWriter(w), json: asJSON, now: now, loc: loc}
}

// Print writes one message (buffered until Flush).
func (p *Printer) Print(m models.ChatMessage) {
	if p.json {
		raw := m.Raw
		if len(raw) == 0 {
			raw, _ = json.Marshal(m)
		}
		var b bytes.Buffer
		if json.Compact(&b, raw) == nil {
			raw = b.Bytes()
		}
		safetext.WriteJSON(p.w, raw)
		p.w.WriteByte('\n')
		return
	}
	p.w.WriteString(sanitize.Line(words.ChatLine(m, p.now(), p.loc)))
	p.w.WriteByte('\n')
}

// Flush writes what Print buffered.
func (p *Printer) Flush() error { return p.w.Flush() }

// Follow polls for messages after last, one request at a time, and prints
// them until ctx ends (nil: the normal end of --follow). A 429 pauses
// (Retry-After, else 30 s); a dead network or server is retried after 1,
// 2, 4 … 30 s; any other error ends it. retrying is told of each pause.
func Follow(ctx context.Context, c *client.Client, token string, last int64, p *Printer, retrying func(err error, wait time.Duration)) error {
	backoff := time.Duration(0)
	for {
		page, err := c.PollChat(ctx, token, client.PollOptions{After: last, Timeout: client.MaxPollTimeout})
		if ctx.Err() != nil {
			return nil // interrupted: the normal end of --follow
		}
		if err != nil {
			var wait time.Duration
			switch client.KindOf(err) {
			case client.KindThrottled:
				wait = 30 * time.Second
				var ae *client.APIError
				if errors.As(err, &ae) && ae.RetryAfter > 0 {
					wait = ae.RetryAfter
				}
			case client.KindNetwork, client.KindUnavailable:
				backoff = min(max(2*backoff, time.Second), 30*time.Second)
				wait = backoff
			default:
				return err
			}
			retrying(err, wait)
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil
			case <-t.C:
			}
			continue
		}
		backoff = 0
		for _, m := range page.Messages {
			p.Print(m)
			last = max(last, m.ID)
		}
		if err := p.Flush(); err != nil {
			return err
		}
	}
}
