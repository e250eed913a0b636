package tui

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/doctor"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// The doctor page (D): the selected room's findings of talkmod doctor,
// judged by tui/doctor from what the console already read (the room from
// the list, the capabilities, the dial-in text) plus at most one request:
// the room's people, unless the people view read them just now. It is a
// page to read: r reads the people again, ↑/↓ scroll, any other key closes
// it and does nothing else (a key meant for the page never changes a room
// unseen).

var doctorKeys = struct {
	Open, Reread, Scroll key.Binding
}{
	Open:   key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "doctor")),
	Reread: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-read the people")),
	Scroll: key.NewBinding(key.WithKeys("up", "k", "down", "j")),
}

// doctorHelpText explains the page in the full help.
const doctorHelpText = "D shows the selected room's doctor findings (ok, warning, problem, and what to do), from what the console read and one read of its people; r re-reads them, any other key closes; talkmod doctor TOKEN also checks the server."

// doctorState is the open page.
type doctorState struct {
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

// doctorPeopleMsg is the answer of the page's one request.
type doctorPeopleMsg struct {
	seq    int
	people []models.Participant
	err    error
}

// openDoctor opens the page on the selected room.
func (m Model) openDoctor() (Model, tea.Cmd) {
	e := m.table.selected()
	if e == nil {
		return m, m.setFlash(m.noRoomReason(), levelWarn)
	}
	m.detailFull = false
	m.doctor = doctorState{open: true, token: e.room.Token, seq: m.doctor.seq + 1}
	return m, m.doctorRead(true)
}

// doctorRead takes the people the people view read of this room (when
// cached allows), else asks for them once (only for a group or public
// room the user moderates, never while throttled or logged out).
func (m *Model) doctorRead(cached bool) tea.Cmd {
	d := &m.doctor
	if p := m.people; cached && p.token == d.token && p.loaded && p.readErr == nil {
		d.people, d.read, d.err, d.readAt = p.people, true, nil, p.readAt
		return nil
	}
	e := m.table.find(d.token)
	if e == nil || m.backend == nil || m.unauthorized || m.c.Now().Before(m.pausedUntil) ||
		!e.room.IsModerator() || (e.room.Type != models.ConversationGroup && e.room.Type != models.ConversationPublic) {
		return nil
	}
	d.seq++
	d.asking = true
	seq, token, be := d.seq, d.token, m.backend
	return m.request(func(ctx context.Context) tea.Msg {
		ps, err := be.Participants(ctx, token)
		return doctorPeopleMsg{seq: seq, people: ps, err: err}
	})
}

func (m Model) handleDoctorPeople(msg doctorPeopleMsg) (Model, tea.Cmd) {
	if !m.doctor.open || msg.seq != m.doctor.seq {
		return m, nil // closed, or another room's
	}
	m.doctor.asking = false
	m.doctor.readAt = m.c.Now()
	if msg.err != nil {
		m.doctor.read, m.doctor.err, m.doctor.people = false, msg.err, nil
		if client.KindOf(msg.err) == client.KindUnauthorized {
			m.unauthorized = true
		}
		return m, nil
	}
	m.doctor.read, m.doctor.err, m.doctor.people = true, nil, msg.people
	return m, nil
}

// doctorKey handles a key while the page is open.
func (m Model) doctorKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit(msg)
	case key.Matches(msg, k.Help):
		m.showHelp, m.helpOffset = true, 0
		return m, nil
	case key.Matches(msg, doctorKeys.Reread):
		if m.doctor.asking {
			return m, nil
		}
		return m, m.doctorRead(false)
	case key.Matches(msg, doctorKeys.Scroll):
		switch msg.String() {
		case "up", "k":
			m.doctor.offset = max(m.doctor.offset-1, 0)
		default:
			m.doctor.offset++
		}
		return m, nil
	}
	// any other key closes the page, and only that
	m.doctor.open = false
	return m, nil
}

// doctorFindings judges the room from what the console read.
func (m Model) doctorFindings(e *entry) []doctor.Finding {
	d := m.doctor
	in := doctor.RoomFacts{Token: d.token, Room: e.room, Caps: m.caps, Now: m.c.Now(), Loc: m.c.Loc(),
		People: d.people, PeopleRead: d.read, PeopleErr: d.err}
	var dialIn *string
	switch m.dialIn.state {
	case dialInKnown:
		text := strings.Join(m.dialIn.lines, "\n")
		dialIn = &text
	case dialInFailed:
		if e.room.SIPEnabled != models.SIPDisabled {
			in.DialInErr = errorWords(m.dialIn.why)
		}
	}
	in.DialIn = dialIn
	out := doctor.Room(in)
	if m.caps.Known {
		out = append(out, doctor.SIPServer(m.caps, dialIn), doctor.SIPGroups(m.caps))
	}
	return out
}

// errorWords is an error that says words already written.
type errorWords string

func (e errorWords) Error() string { return string(e) }

// doctorView renders the page in height lines.
func (m Model) doctorView(now time.Time, height int) string {
	st := m.c.Styles
	w := m.c.Width
	e := m.table.find(m.doctor.token)
	var lines []string
	name := sanitize.Line(m.doctor.token)
	if e != nil {
		name = e.name
	}
	lines = append(lines, st.Title.Render(ansi.Truncate("Doctor · "+name, w, "…")))
	if e == nil {
		lines = append(lines, st.Warn.Render(fit("this conversation is no longer in your list: nothing to judge", w)))
		return strings.Join(lines, "\n")
	}
	findings := m.doctorFindings(e)
	nameW := 0
	for _, f := range findings {
		nameW = max(nameW, lipgloss.Width(f.Name))
	}
	indent := strings.Repeat(" ", 9+nameW+2)
	var body []string
	for _, f := range findings {
		style := st.OK
		switch f.Status {
		case doctor.Warning:
			style = st.Warn
		case doctor.Problem:
			style = st.Err
		}
		head := fit(string(f.Status), 9) + fit(f.Name, nameW+2)
		for i, l := range wrap(head+sanitize.Line(f.Message), w, indent) {
			if i == 0 {
				body = append(body, style.Render(fit(string(f.Status), 9))+st.Label.Render(fit(f.Name, nameW+2))+st.Plain.Render(strings.TrimPrefix(l, head)))
				continue
			}
			body = append(body, st.Plain.Render(l))
		}
		if f.Action != "" && f.Status != doctor.OK {
			for _, l := range wrap(indent+"do: "+sanitize.Line(f.Action), w, indent) {
				body = append(body, st.Dim.Render(l))
			}
		}
	}
	source := "from the list refreshed " + m.c.clock(m.lastRefresh)
	switch {
	case m.doctor.asking:
		source += "; reading the people…"
	case m.doctor.read:
		source += "; the people read " + m.c.clock(m.doctor.readAt)
	}
	source += ". The server's own checks (clock, certificate, throttling): talkmod doctor " + sanitize.Line(m.doctor.token)
	body = append(body, "")
	for _, l := range wrap(source, w, "") {
		body = append(body, st.Dim.Render(l))
	}
	room := max(height-len(lines), 1)
	off := min(m.doctor.offset, max(len(body)-room, 0))
	body = body[off:]
	if len(body) > room {
		body = body[:room]
		body[room-1] = st.Dim.Render(fit("↓ more (↓/j scrolls)", w))
	}
	return strings.Join(append(lines, body...), "\n")
}

// doctorHelpLine is the key line while the page is open.
func (m Model) doctorHelpLine() string {
	return m.c.Styles.Dim.Render(fit("r re-read the people · ↑/↓ scroll · any other key closes · q quit", m.c.Width))
}

// doctorHelpKeys adds D to the full help's keys, or says why it is off.
func (m Model) doctorHelpKeys(act []key.Binding, off *[]unavailable) []key.Binding {
	if m.table.selected() == nil {
		*off = append(*off, unavailable{doctorKeys.Open, m.noRoomReason()})
		return act
	}
	return append(act, doctorKeys.Open)
}
