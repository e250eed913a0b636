package doctor

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// The doctor page (D on a room): the room's findings of talkmod doctor,
// judged from what the console already read (the room from the list, the
// capabilities, the dial-in text, all in common.Env) plus at most one
// request: the room's people, unless the people view read them just now.
// It is a page to read: r reads the people again, ↑/↓ scroll, any other
// key closes it and does nothing else (a key meant for the page never
// changes a room unseen). *Page is a tui.Page.

// HelpText explains the page in the full help.
const HelpText = "D shows the selected room's doctor findings (ok, warning, problem, and what to do), from what the console read and one read of its people; r re-reads them, any other key closes; talkmod doctor TOKEN also checks the server."

// PeopleReads is where the page finds a fresh read of a room's people
// (the people view, *people.Page).
type PeopleReads interface {
	LastRead(id string) (people []models.Participant, at time.Time, ok bool)
}

// Page is the doctor page.
type Page struct {
	reads PeopleReads
	open  bool
	token string
	seq   int
	// asking: the people request is on its way
	asking bool
	// people as read (read), or the error of reading them
	read   bool
	people []models.Participant
	err    error
	readAt time.Time
	offset int
}

// NewPage builds the page; reads may be nil.
func NewPage(reads PeopleReads) *Page { return &Page{reads: reads} }

// PeopleMsg is the answer of the page's one request.
type PeopleMsg struct {
	Seq    int
	People []models.Participant
	Err    error
}

// Key is D.
func (p *Page) Key(k *common.KeyMap) key.Binding { return k.Doctor }

// Refuse refuses nothing: the page opens on every room (a one-to-one room too: it says
// what it has not).
func (p *Page) Refuse(models.Room) (short, long string) { return "", "" }

// Open opens the page on env.Room.
func (p *Page) Open(c common.Common, env common.Env) tea.Cmd {
	*p = Page{reads: p.reads, open: true, token: env.Room.Token, seq: p.seq + 1}
	return p.readPeople(c, env, true)
}

// IsOpen says whether the page is on screen.
func (p *Page) IsOpen() bool { return p.open }

// Token is the page's room.
func (p *Page) Token() string { return p.token }

// Confirming is false: the page asks nothing.
func (p *Page) Confirming() bool { return false }

// Pending is 0: the page changes nothing.
func (p *Page) Pending() int { return 0 }

// SyncKeys switches r and the scroll keys on while the page is on screen.
func (p *Page) SyncKeys(k *common.KeyMap, on bool) {
	k.DoctorReread.SetEnabled(on)
	k.DoctorScroll.SetEnabled(on)
}

// Changes is false: no key of the page changes anything.
func (p *Page) Changes(*common.KeyMap, tea.KeyMsg) bool { return false }

// HelpText explains the page in the full help.
func (p *Page) HelpText() string { return HelpText }

// HelpLine is the key line while the page is open.
func (p *Page) HelpLine(c common.Common) string {
	return c.Styles.Dim.Render(common.Fit("r re-read the people · ↑/↓ scroll · any other key closes · q quit", c.Width))
}

// readPeople takes the people view's read of this room (when cached
// allows), else asks for them once (only for a group or public room the
// user moderates, never while the console holds its requests).
func (p *Page) readPeople(c common.Common, env common.Env, cached bool) tea.Cmd {
	if cached && p.reads != nil {
		id := env.ID // the room's identity: its token with one account
		if id == "" {
			id = p.token
		}
		if ps, at, ok := p.reads.LastRead(id); ok {
			p.people, p.read, p.err, p.readAt = ps, true, nil, at
			return nil
		}
	}
	r := env.Room
	if !env.InList || env.Backend == nil || env.Hold != "" || !r.IsModerator() ||
		(r.Type != models.ConversationGroup && r.Type != models.ConversationPublic) {
		return nil
	}
	p.seq++
	p.asking = true
	seq, token, be := p.seq, p.token, env.Backend
	return c.Request(func(ctx context.Context) tea.Msg {
		ps, err := be.Participants(ctx, token)
		return PeopleMsg{Seq: seq, People: ps, Err: err}
	})
}

// Update takes the page's answers and, while it is on screen, its keys.
func (p *Page) Update(c common.Common, env common.Env, msg tea.Msg) (tea.Cmd, common.Note, bool) {
	switch msg := msg.(type) {
	case PeopleMsg:
		if !p.open || msg.Seq != p.seq {
			return nil, common.Note{}, true // closed, or another room's
		}
		p.asking = false
		p.readAt = c.Now()
		if msg.Err != nil {
			p.read, p.err, p.people = false, msg.Err, nil
			return nil, common.Note{}, true
		}
		p.read, p.err, p.people = true, nil, msg.People
		return nil, common.Note{}, true
	case tea.KeyMsg:
		if !p.open {
			return nil, common.Note{}, false
		}
		k := c.Keys
		switch {
		case key.Matches(msg, k.DoctorReread):
			if p.asking {
				return nil, common.Note{}, true
			}
			return p.readPeople(c, env, false), common.Note{}, true
		case key.Matches(msg, k.DoctorScroll):
			switch msg.String() {
			case "up", "k":
				p.offset = max(p.offset-1, 0)
			default:
				p.offset++
			}
			return nil, common.Note{}, true
		}
		// any other key closes the page, and only that
		p.open = false
		return nil, common.Note{}, true
	}
	return nil, common.Note{}, false
}

// findings judges the room from what the console read.
func (p *Page) findings(c common.Common, env common.Env) []Finding {
	in := RoomFacts{Token: p.token, Room: env.Room, Caps: env.Caps, Now: c.Now(), Loc: c.Loc(),
		People: p.people, PeopleRead: p.read, PeopleErr: p.err, DialIn: env.DialIn}
	if env.DialIn == nil && env.DialInErr != "" && env.Room.SIPEnabled != models.SIPDisabled {
		in.DialInErr = errorWords(env.DialInErr)
	}
	out := Room(in)
	if env.Caps.Known {
		out = append(out, SIPServer(env.Caps, env.DialIn), SIPGroups(env.Caps))
	}
	return out
}

// errorWords is an error that says words already written.
type errorWords string

func (e errorWords) Error() string { return string(e) }

// View renders the page in height lines.
func (p *Page) View(c common.Common, env common.Env, now time.Time, height int) string {
	st := c.Styles
	w := c.Width
	var lines []string
	name := sanitize.Line(p.token)
	if env.InList {
		name = sanitize.Line(env.Room.Label())
	}
	lines = append(lines, st.Title.Render(ansi.Truncate("Doctor · "+name, w, "…")))
	if !env.InList {
		lines = append(lines, st.Warn.Render(common.Fit("this conversation is no longer in your list: nothing to judge", w)))
		return strings.Join(lines, "\n")
	}
	findings := p.findings(c, env)
	nameW := 0
	for _, f := range findings {
		nameW = max(nameW, lipgloss.Width(f.Name))
	}
	indent := strings.Repeat(" ", 9+nameW+2)
	var body []string
	for _, f := range findings {
		style := st.OK
		switch f.Status {
		case Warning:
			style = st.Warn
		case Problem:
			style = st.Err
		}
		head := common.Fit(string(f.Status), 9) + common.Fit(f.Name, nameW+2)
		for i, l := range common.Wrap(head+sanitize.Line(f.Message), w, indent) {
			if i == 0 {
				body = append(body, style.Render(common.Fit(string(f.Status), 9))+st.Label.Render(common.Fit(f.Name, nameW+2))+st.Plain.Render(strings.TrimPrefix(l, head)))
				continue
			}
			body = append(body, st.Plain.Render(l))
		}
		if f.Action != "" && f.Status != OK {
			for _, l := range common.Wrap(indent+"do: "+sanitize.Line(f.Action), w, indent) {
				body = append(body, st.Dim.Render(l))
			}
		}
	}
	source := "from the list refreshed " + c.Clock(env.ListReadAt)
	switch {
	case p.asking:
		source += "; reading the people…"
	case p.read:
		source += "; the people read " + c.Clock(p.readAt)
	}
	source += ". The server's own checks (clock, certificate, throttling): talkmod doctor " + sanitize.Line(p.token)
	body = append(body, "")
	for _, l := range common.Wrap(source, w, "") {
		body = append(body, st.Dim.Render(l))
	}
	room := max(height-len(lines), 1)
	off := min(p.offset, max(len(body)-room, 0))
	body = body[off:]
	if len(body) > room {
		body = body[:room]
		body[room-1] = st.Dim.Render(common.Fit("↓ more (↓/j scrolls)", w))
	}
	return strings.Join(append(lines, body...), "\n")
}
