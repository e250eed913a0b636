package accounts

import (
	"context"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// DialInBackend is the optional part of a backend that reads the SIP
// dial-in text (the phone numbers the administrator typed). The console
// checks for it with a type assertion, so common.Backend stays as it is.
type DialInBackend interface {
	DialInInfo(ctx context.Context, token string) (string, error)
}

var _ DialInBackend = (*client.Client)(nil)

// DialInMsg is the answer of DialInInfo.
type DialInMsg struct {
	Acct int
	seq  int
	text string
	err  error
}

type dialInState int

const (
	dialInUnread dialInState = iota // not asked yet (or the Talk hash changed)
	dialInAsking                    // a request is on its way
	dialInKnown                     // lines holds the numbers (maybe none)
	dialInFailed                    // why says why; asked again only after a hash change or r
)

// DialIn holds the server-wide dial-in text: read once, with the first
// room with SIP on the user looks at, and again only after the Talk hash
// changes (the text is part of it).
type DialIn struct {
	state dialInState
	seq   int
	// lines are the numbers, sanitized, one a line (kept while a re-read
	// after a hash change is on its way).
	lines []string
	known bool
	why   string
}

// AskDialIn asks a's server for the dial-in text on the room token when
// it is not known for the current Talk hash, the backend can read it, and
// nothing holds a's requests (nil: not asked). It costs one type
// assertion and a few comparisons: never a request per key press.
func (a *Account) AskDialIn(c common.Common, token string) tea.Cmd {
	d := &a.DialIn
	if d.state != dialInUnread || a.Held(c.Now()) {
		return nil // throttled (429): asked once the pause is over
	}
	be, ok := a.Backend.(DialInBackend)
	if !ok {
		return nil
	}
	d.state = dialInAsking
	d.seq++
	seq, acct := d.seq, a.Index
	return c.Request(func(ctx context.Context) tea.Msg {
		text, err := be.DialInInfo(ctx, token)
		return DialInMsg{Acct: acct, seq: seq, text: text, err: err}
	})
}

// Apply takes the answer of DialInInfo.
func (d *DialIn) Apply(msg DialInMsg) {
	if msg.seq != d.seq || d.state != dialInAsking {
		return // out of date: the Talk hash changed meanwhile
	}
	if msg.err != nil {
		d.state = dialInFailed
		d.why = client.Message(msg.err)
		return
	}
	d.state = dialInKnown
	d.known = true
	d.why = ""
	d.lines = dialInLines(msg.text)
}

// HashChanged forgets that the text was read: it is read again the
// next time a room with SIP on is selected. The numbers already known stay
// on screen until then.
func (d *DialIn) HashChanged() {
	if d.state != dialInUnread {
		d.state = dialInUnread
		d.seq++ // an answer still on its way is out of date
	}
}

// Retry asks the text again after a failure (the user asked: r).
func (d *DialIn) Retry() {
	if d.state == dialInFailed {
		d.state = dialInUnread
	}
}

// Read is the text as last read for the current Talk hash (nil: not
// read), or why reading it failed.
func (d *DialIn) Read() (text *string, why string) {
	switch d.state {
	case dialInKnown:
		t := strings.Join(d.lines, "\n")
		return &t, ""
	case dialInFailed:
		return nil, d.why
	}
	return nil, ""
}

// dialInLines splits the admin's text into sanitized, non-empty lines.
func dialInLines(text string) []string {
	var out []string
	for _, l := range strings.Split(sanitize.Block(text), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// DialInText is the numbers line of the SIP card of a's rooms (none: the
// backend cannot read them). full keeps one number a line.
func (a *Account) DialInText(c common.Common, full bool) []string {
	d, s := &a.DialIn, &a.Sync
	if _, ok := a.Backend.(DialInBackend); !ok {
		return nil
	}
	switch {
	case d.state == dialInFailed:
		return []string{"numbers: not available (" + d.why + ")"}
	case d.known && len(d.lines) == 0:
		return []string{"numbers: not available (the server has no dial-in text: SIP dial-in is not configured on it)"}
	case d.known && full:
		return d.lines
	case d.known:
		return []string{strings.Join(d.lines, " · ")}
	}
	switch {
	case d.state != dialInUnread:
	case s.Unauthorized:
		return []string{"numbers: not available (the server refused the login)"}
	case c.Now().Before(s.PausedUntil):
		return []string{"numbers: not read yet (the server is throttling this address; polling resumes at " + c.Clock(s.PausedUntil) + ")"}
	}
	return []string{"numbers: asking the server…"}
}
