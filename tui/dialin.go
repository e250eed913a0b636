package tui

import (
	"context"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// dialInBackend is the optional part of a Backend that reads the SIP
// dial-in text (the phone numbers the administrator typed). The console
// checks for it with a type assertion, so Backend itself stays as it is.
type dialInBackend interface {
	DialInInfo(ctx context.Context, token string) (string, error)
}

var _ dialInBackend = (*client.Client)(nil)

// dialInMsg is the answer of DialInInfo.
type dialInMsg struct {
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

// dialInCache holds the server-wide dial-in text: read once, with the
// first room with SIP on the user looks at, and again only after the
// Talk hash changes (the text is part of it).
type dialInCache struct {
	state dialInState
	seq   int
	// lines are the numbers, sanitized, one a line (kept while a re-read
	// after a hash change is on its way).
	lines []string
	known bool
	why   string
}

// maybeReadDialIn asks for the dial-in text when the selected room has SIP
// on and the text is not known for the current Talk hash. It costs one
// type assertion and a few comparisons per message: never a request per
// key press.
func (m Model) maybeReadDialIn() (Model, tea.Cmd) {
	if m.dialIn.state != dialInUnread || m.backend == nil || m.sync.unauthorized {
		return m, nil
	}
	be, ok := m.backend.(dialInBackend)
	if !ok {
		return m, nil
	}
	e := m.table.Selected()
	if e == nil || e.Room.SIPEnabled == models.SIPDisabled || m.rooms.state(e.Room.Token).gone {
		return m, nil
	}
	if m.c.Now().Before(m.sync.pausedUntil) {
		return m, nil // throttled (429): asked once the pause is over
	}
	m.dialIn.state = dialInAsking
	m.dialIn.seq++
	seq, token := m.dialIn.seq, e.Room.Token
	return m, m.c.Request(func(ctx context.Context) tea.Msg {
		text, err := be.DialInInfo(ctx, token)
		return dialInMsg{seq: seq, text: text, err: err}
	})
}

// apply takes the answer of DialInInfo.
func (d *dialInCache) apply(msg dialInMsg) {
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

// hashChanged forgets that the text was read: it is read again the
// next time a room with SIP on is selected. The numbers already known stay
// on screen until then.
func (d *dialInCache) hashChanged() {
	if d.state != dialInUnread {
		d.state = dialInUnread
		d.seq++ // an answer still on its way is out of date
	}
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

// text is the numbers line of the SIP card (none: the backend cannot
// read them). full keeps one number a line; s says why nothing is read
// yet.
func (d *dialInCache) text(c common.Common, be Backend, s syncState, full bool) []string {
	if _, ok := be.(dialInBackend); !ok {
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
	case s.unauthorized:
		return []string{"numbers: not available (the server refused the login)"}
	case c.Now().Before(s.pausedUntil):
		return []string{"numbers: not read yet (the server is throttling this address; polling resumes at " + c.Clock(s.pausedUntil) + ")"}
	}
	return []string{"numbers: asking the server…"}
}
