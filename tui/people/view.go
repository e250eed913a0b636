package people

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// Waiting is the waiting count of a room (by its ID, common.Env.ID),
// once read (the list shows it while the room's lobby is on).
func (p *Page) Waiting(id string) (int, bool) {
	c, ok := p.counts[id]
	return c.waiting, ok
}

// DetailText is the detail pane's line of counts, once read:
// "3 waiting · 41 in call · 60 people, read 15:35 CET (p: who)"; id is
// the room's ID.
func (p *Page) DetailText(c common.Common, id string, r models.Room) (string, bool) {
	n, ok := p.counts[id]
	if !ok {
		return "", false
	}
	return CountsText(r.LobbyState == models.LobbyModeratorsOnly, n.waiting, n.inCall, n.total) +
		", read " + c.Clock(n.at) + " (p: who)", true
}

// HelpLine replaces the short help while the view is open.
func (p *Page) HelpLine(c common.Common) string {
	st := c.Styles
	text := "a let in · h back to lobby · x remove · A let in all waiting · esc back · q quit"
	switch {
	case p.confirm != 0:
		text = "y removes · any other key keeps them"
	case p.attend.shown:
		text = attendHelpLine(c)
	case c.ReadOnly:
		// a read-only session offers no change key (Changes refuses them)
		text = "read-only session · ↑/↓ select · r re-read · esc back · ? help · q quit"
	default:
		text = p.floorHelpLine(c, text)
	}
	return st.Dim.Render(common.Fit(text, c.Width))
}

// column widths of the people view
func peopleCols(w int) (name, kind, state int) {
	if w >= 110 {
		return 30, 12, 22
	}
	return 21, 11, 18 // "participant" whole at 80 columns
}

// View renders the view in height lines.
func (p *Page) View(c common.Common, env common.Env, now time.Time, height int) string {
	st := c.Styles
	w := c.Width
	room, inList := env.Room, env.InList
	p.hasCall = room.HasCall
	name := sanitize.Line(room.Label())
	var head []string
	title := st.Title.Render(ansi.Truncate("People · "+name, w*2/3, "…"))
	sum := "  lobby " + room.LobbyState.String()
	if p.loaded {
		sum += " · " + PeopleCounts(room, p.people)
	}
	head = append(head, title+st.Dim.Render(ansi.Truncate(sum, w-common.Width(title), "…")))
	var status string
	stStyle := st.Dim
	again := "again in 5 s"
	if p.halted {
		again = "stopped; r tries again"
	}
	switch {
	case !inList || p.stopped != "":
		status, stStyle = "the conversation left the list: not re-reading", st.Warn
	case now.Before(p.paused):
		status, stStyle = "not re-reading: the server is throttling this address (429) until "+c.Clock(p.paused), st.Warn
	case p.readErr != nil && p.loaded:
		status, stStyle = "✗ could not re-read ("+again+"): "+client.Message(p.readErr)+"; the list is of "+p.readAt.In(c.Loc()).Format("15:04:05"), st.Err
	case p.readErr != nil:
		status, stStyle = "✗ could not read the people ("+again+"): "+client.Message(p.readErr), st.Err
	case !p.loaded:
		status = "reading the people…"
	default:
		status = "read " + p.readAt.In(c.Loc()).Format("15:04:05") + ", again every 5 s"
	}
	for i, l := range common.Wrap(sanitize.Line(status), w, "  ") {
		if i == 2 {
			break // two lines at most: the list matters more
		}
		head = append(head, stStyle.Render(common.Fit(l, w)))
	}
	if p.confirm != 0 {
		q := "Remove " + p.nameOf(p.confirm) + " from " + name + "? They leave the conversation and its call. y removes · any other key keeps them"
		for _, l := range common.Wrap(sanitize.Line(q), w, "  ") {
			head = append(head, st.Warn.Render(common.Fit(l, w)))
		}
	}
	head = append(head, p.floorHead(c, name)...)
	if _, ok := p.find(p.sel); !ok && p.sel != 0 && p.loaded {
		head = append(head, st.Warn.Render(common.Fit("> "+p.nameOf(p.sel)+" (#"+strconv.FormatInt(p.sel, 10)+") is no longer in the conversation (left or removed)", w)))
	}

	if sec := p.attendLines(c, height-len(head)); sec != nil {
		lines := append(head, sec...)
		if len(lines) > height {
			lines = lines[:height]
		}
		return strings.Join(lines, "\n")
	}

	// the sections: first what each line is, then only the lines on
	// screen are rendered (a webinar can have thousands of people)
	nw, kw, sw, rw := p.floorCols(c)
	type item struct {
		header string
		q      *models.Participant
		sec    Section
	}
	var items []item
	selItem := -1
	if p.loaded {
		bySec := make([][]int, sectionCount)
		for i := range p.people {
			s := SectionOf(p.people[i], room)
			bySec[s] = append(bySec[s], i)
		}
		for s := Section(0); s < sectionCount; s++ {
			list := bySec[s]
			if s == SectionConnected && len(list) == 0 {
				continue
			}
			h := s.Title() + " (" + strconv.Itoa(len(list)) + ")"
			if s == SectionLetIn {
				h += " · skip the lobby"
			}
			items = append(items, item{header: h})
			for _, i := range list {
				if p.people[i].AttendeeID == p.sel {
					selItem = len(items)
				}
				items = append(items, item{q: &p.people[i], sec: s})
			}
		}
	}
	avail := height - len(head)
	if avail < 1 {
		avail = 1
	}
	var selRow string
	var selFull []string
	if selItem >= 0 {
		selRow, selFull = p.row(c, env, *items[selItem].q, items[selItem].sec, nw, kw, sw, rw)
	}
	// the window: from the top, or ending with the selected person and
	// the whole of their outcome
	off := 0
	if selItem >= 0 && selItem+len(selFull) >= avail {
		off = selItem + len(selFull) - avail + 1
	}
	lines := head
	for i := off; i < len(items) && len(lines) < height; i++ {
		it := items[i]
		switch {
		case it.q == nil:
			lines = append(lines, st.Label.Render(common.Fit(it.header, w)))
		case i == selItem:
			// the whole outcome under the selected person when the row
			// had to cut it
			lines = append(lines, selRow)
			lines = append(lines, selFull...)
		default:
			row, _ := p.row(c, env, *it.q, it.sec, nw, kw, sw, rw)
			lines = append(lines, row)
		}
	}
	if len(lines) > height {
		lines = lines[:height]
	}
	return strings.Join(lines, "\n")
}

// row renders one person, and the lines of the whole outcome when the
// row cuts it.
func (p *Page) row(c common.Common, env common.Env, q models.Participant, s Section, nw, kw, sw, rw int) (string, []string) {
	st := c.Styles
	room := env.Room
	sel := q.AttendeeID == p.sel
	cur := "  "
	if sel {
		cur = "> "
	}
	var marks string
	switch s {
	case SectionInCall:
		marks = CallMarks(q)
		if q.HeldInCall(room) {
			marks = "not let in · " + marks
		}
	case SectionWaiting:
		if t := q.LastSeen(); !t.IsZero() {
			marks = "seen " + c.Clock(t)
		}
	case SectionLetIn, SectionModerator:
		if q.Connected() {
			marks = "connected"
		} else {
			marks = "not connected"
		}
	case SectionConnected:
		marks = "connected"
	}
	text := common.Fit(words.PersonName(q), nw) + " " + common.Fit(words.Kind(q), kw) + " " + common.Fit(marks, sw) + " " + floorRights(c, q, rw)
	rest := c.Width - 2 - common.Width(text)
	var out string
	outStyle := st.Dim
	if act, busy := p.pending[q.AttendeeID]; busy {
		out, outStyle = env.Spin+" "+act.pendingWord(), st.Pending
	} else if o, ok := p.outcomes[q.AttendeeID]; ok {
		if o.ok {
			out, outStyle = "✓ "+o.text, st.OK
		} else {
			out, outStyle = "✗ "+o.text, st.Err
		}
	} else if text, style, ok := p.floorStatus(c, env, q); ok {
		out, outStyle = text, style
	}
	style := st.Row
	if sel {
		style = st.RowSelected
	}
	out = sanitize.Line(out)
	var full []string
	if common.Width(out) > rest {
		for _, l := range common.Wrap(out, c.Width-4, "  ") {
			full = append(full, outStyle.Render(common.Fit("    "+l, c.Width)))
		}
	}
	return style.Render(cur+text) + outStyle.Render(common.Fit(out, rest)), full
}

// CallRemovals says, when the view has read the room, how many people
// turning its lobby on would take out of the call (in the call, neither
// a moderator nor let in): "" when that is not known. id is the room's
// ID (common.Env.ID).
func (p *Page) CallRemovals(c common.Common, id string) string {
	if p.id != id || !p.loaded {
		return ""
	}
	n := 0
	for _, q := range p.people {
		if q.InCallNow() && !q.IsModerator() && !q.LetIn() {
			n++
		}
	}
	who := strconv.Itoa(n) + " people"
	if n == 1 {
		who = "1 person"
	}
	return who + ", as the people view read it at " + c.Clock(p.readAt)
}

// IsOpen says whether the view is open.
func (p *Page) IsOpen() bool { return p.open }

// Token is the room of the view (the last one opened).
func (p *Page) Token() string { return p.token }

// Confirming says whether a removal or a promotion waits for its y.
func (p *Page) Confirming() bool { return p.confirm != 0 || p.floor.Asking() }

// Pending is the number of actions on people on their way.
func (p *Page) Pending() int { return len(p.pending) + p.floor.Pending() }

// Selected is the selected person's attendee id (0: none).
func (p *Page) Selected() int64 { return p.sel }

// Loaded says whether a read has been applied since the view opened.
func (p *Page) Loaded() bool { return p.loaded }

// People are the people of the last read applied, in view order.
func (p *Page) People() []models.Participant { return p.people }

// PausedUntil is when the re-reads resume after a 429.
func (p *Page) PausedUntil() time.Time { return p.paused }

// LastSeq is the sequence number of the newest answer applied.
func (p *Page) LastSeq() int { return p.gotSeq }

// Find is the person with attendee id id in the last read.
func (p *Page) Find(id int64) (models.Participant, bool) { return p.find(id) }

// Key is p: the people view of the selected room.
func (p *Page) Key(k *common.KeyMap) key.Binding { return k.People }

// Refuse says why the view does not open on r, short for the full help
// and whole for the status line ("", "": it opens).
func (p *Page) Refuse(r models.Room) (short, long string) {
	switch {
	case r.Type != models.ConversationGroup && r.Type != models.ConversationPublic:
		short = "a " + words.Type(r.Type) + " conversation has no lobby"
		return short, short + ": the people view is for group and public conversations"
	case !r.IsModerator():
		short = "you are not a moderator of this conversation"
		return short, short + ": only moderators see who waits in the lobby"
	}
	return "", ""
}

// SyncKeys switches the view's own keys on while it is on screen.
func (p *Page) SyncKeys(k *common.KeyMap, on bool) {
	for _, b := range []*key.Binding{&k.PeopleBack, &k.Admit, &k.Hold, &k.Remove, &k.AdmitAll, &k.Reread} {
		b.SetEnabled(on)
	}
	for _, b := range []*key.Binding{&k.GiveFloor, &k.TakeFloor, &k.Moderator, &k.AttendanceList} {
		b.SetEnabled(on && p.floorBackend() != nil)
	}
}

// Changes says whether msg would change a person (a read-only session
// refuses it).
func (p *Page) Changes(k *common.KeyMap, msg tea.KeyMsg) bool {
	return key.Matches(msg, k.Admit, k.Hold, k.Remove, k.AdmitAll, k.GiveFloor, k.TakeFloor, k.Moderator, k.Attendance)
}

// HelpText explains the view in the full help.
func (p *Page) HelpText() string {
	return "In the people view (p): a lets the selected person in, h sends them back to the lobby, x removes them (only y confirms), A lets in everyone waiting, r re-reads, esc goes back." + p.floorHelpText()
}
