package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/bulk"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/roomlist"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// detailItem is one labelled paragraph of the detail pane.
type detailItem struct {
	label string
	text  string
	style lipgloss.Style
}

// detailPane is the detail pane: the selected room and what the console
// knows about it, gathered by the root (Model.detail) for one View.
type detailPane struct {
	c common.Common
	e *roomlist.Entry // the selected room (nil: none)
	// empty says why nothing is shown when no room is selected.
	empty  string
	state  roomState
	parent *roomlist.Entry // the main conversation of a breakout room, if listed
	caps   models.Capabilities
	// dial is the SIP dial-in numbers (dialInCache.text).
	dial func(full bool) []string
	// who is the people view's count line, once it read the room.
	who    string
	hasWho bool
	// sipBlocked says why SIP cannot be switched at all ("" if it can).
	sipBlocked string
	// account is the room's account with several ("": one); stale
	// says why its rooms are not current ("": they are).
	account, stale string
}

// detail gathers the detail pane of the selected room.
func (m Model) detail() detailPane {
	e := m.table.Selected()
	a := m.accts.at(e)
	d := detailPane{c: m.c, e: e, caps: a.caps, sipBlocked: sipBlocked(a.caps)}
	if d.e == nil {
		d.empty = m.emptyText()
		if m.table.None {
			d.empty = "nothing selected: " + m.table.Lost + " left the list; ↑/↓ selects a room"
		}
		return d
	}
	r := d.e.Room
	d.state = m.rooms.state(d.e.ID)
	if d.e.Parent != "" {
		d.parent = m.table.Find(d.e.Parent)
	}
	if m.accts.multi() {
		d.account = a.Name
		if a.stale() {
			d.stale = "not current: "
			switch {
			case a.sync.unauthorized:
				d.stale += a.unauthorizedWords()
			default:
				d.stale += a.downWords(m.c, 0)
			}
			if !a.sync.lastRefresh.IsZero() {
				d.stale += "; last read " + m.c.Clock(a.sync.lastRefresh)
			}
		}
	}
	dial, c, be, sync := a.dialIn, m.c, a.backend, a.sync
	d.dial = func(full bool) []string { return dial.text(c, be, sync, full) }
	d.who, d.hasWho = m.people.DetailText(m.c, e.ID, r)
	return d
}

// view renders the selected room: token, description, lobby in the
// display zone and UTC and relative, SIP with the dial-in card, why a
// control is unavailable, and the last outcome. full shows it all with
// the whole description.
func (d detailPane) view(now time.Time, height int, full bool) string {
	st := d.c.Styles
	w := d.c.Width
	lines := []string{st.Dim.Render(strings.Repeat("─", w))}
	e := d.e
	if e == nil {
		lines = append(lines, st.Dim.Render(common.Fit(sanitize.Line(d.empty), w)))
		return strings.Join(lines, "\n")
	}
	r := e.Room
	title := st.Title.Render(ansi.Truncate(e.Name, w/2, "…"))
	meta := "  " + words.Type(r.Type)
	if you := words.YouAre(r); you != "" {
		meta += " · " + you
	}
	if d.account != "" {
		meta += " · " + sanitize.Line(d.account)
	}
	meta += " · token " + sanitize.Line(r.Token)
	lines = append(lines, title+st.Dim.Render(ansi.Truncate(meta, w-lipgloss.Width(title), "…")))

	items := d.items(now, full)
	for _, it := range items {
		label := common.Fit(it.label, 7)
		for i, l := range common.Wrap(label+it.text, w, strings.Repeat(" ", 7)) {
			if i == 0 && strings.HasPrefix(l, label) {
				lines = append(lines, st.Label.Render(label)+it.style.Render(strings.TrimPrefix(l, label)))
				continue
			}
			lines = append(lines, it.style.Render(l))
		}
	}
	if len(lines) > height {
		lines = lines[:height]
	}
	return strings.Join(lines, "\n")
}

func (d detailPane) items(now time.Time, full bool) []detailItem {
	e := d.e
	st := d.c.Styles
	r := e.Room
	var items []detailItem
	add := func(label, text string, style lipgloss.Style) {
		// everything shown passes the sanitizer (again: it is a no-op
		// on text already made safe), reasons built from room fields too
		items = append(items, detailItem{label, sanitize.Line(text), style})
	}
	// the last outcome first in the compact pane: it is what the user
	// just did
	outcomeItem := func() {
		rs := d.state
		if rs.pending != 0 {
			add("Now:", "waiting for the server's answer…", st.Pending)
		}
		if o := rs.outcome; o != nil {
			// the whole text, wrapped (the status line may cut it)
			if o.ok {
				add("Last:", "✓ "+sanitize.Line(o.text), st.OK)
			} else {
				add("Last:", "✗ "+sanitize.Line(o.text), st.Err)
			}
		}
		if rs.undo != nil && rs.pending == 0 {
			add("Undo:", "u sends "+d.undoText(*rs.undo), st.Dim)
		}
		if rs.gone {
			add("Gone:", "the server no longer lists this conversation for you: it leaves the list at the next refresh", st.Warn)
		}
	}
	if d.stale != "" {
		add("Acct:", d.stale, st.Warn)
	}
	if !full {
		outcomeItem()
	}
	if r.Description != "" {
		if full {
			for i, l := range strings.Split(sanitize.Block(r.Description), "\n") {
				label := ""
				if i == 0 {
					label = "About:"
				}
				add(label, l, st.Plain)
			}
		} else {
			add("About:", sanitize.Line(firstLine(r.Description)), st.Dim)
		}
	}
	if e.Parent != "" {
		add("Main:", d.parentText(), st.Plain)
	}
	add("Lobby:", d.lobbyText(r, now), st.Plain)
	if d.hasWho {
		add("Who:", d.who, st.Plain)
	}
	add("SIP:", d.sipText(r), st.Plain)
	if r.SIPEnabled != models.SIPDisabled {
		for i, l := range d.dial(full) {
			label := ""
			if i == 0 {
				label = "Dial:"
			}
			add(label, l, st.Plain)
		}
	}
	if e.Greyed {
		add("Why:", "cannot be changed here: "+e.Why, st.Warn)
	} else {
		if reason := words.LobbyUnavailableReason(r); reason != "" {
			add("Note:", "lobby: the server will likely refuse: "+reason, st.Warn)
		}
		if reason := d.sipBlocked; reason != "" {
			add("Note:", "SIP unavailable: "+reason, st.Warn)
		} else if reason := words.SIPUnavailableReason(r, d.caps); reason != "" {
			add("Note:", "SIP: the server will likely refuse: "+reason, st.Warn)
		}
	}
	if full {
		outcomeItem()
		add("Call:", d.callText(r), st.Plain)
	}
	return items
}

// parentText names the conversation a breakout room belongs to.
func (d detailPane) parentText() string {
	e := d.e
	if p := d.parent; p != nil {
		return "a breakout room of " + p.Name + " (token " + sanitize.Line(p.Room.Token) + "): its lobby follows that conversation"
	}
	return "a breakout room of the conversation with token " + sanitize.Line(e.Parent) + " (not in your list): its lobby follows that conversation"
}

// undoText says what u would send.
func (d detailPane) undoText(req actionReq) string {
	switch req.Op {
	case bulk.OpLobby:
		if req.Lobby == models.LobbyModeratorsOnly {
			if req.Timer != nil {
				return "lobby on until " + d.c.Clock(*req.Timer)
			}
			return "lobby on, no timer"
		}
		return "lobby off"
	case bulk.OpSIP:
		return "SIP dial-in " + req.SIP.String()
	}
	return ""
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

func (d detailPane) callText(r models.Room) string {
	return words.Call(r, d.c.Now(), d.c.Loc())
}

// lobbyText is the lobby state with the timer in the display zone, in UTC
// and relative.
func (d detailPane) lobbyText(r models.Room, now time.Time) string {
	if r.Type != models.ConversationGroup && r.Type != models.ConversationPublic {
		return words.NotApplicable + " (" + words.Type(r.Type) + " conversation)"
	}
	t, hasTimer := r.LobbyTimerTime()
	at := func() string {
		return words.At(t, now, d.c.Loc())
	}
	call := ""
	if r.HasCall {
		call = " · call running"
	}
	switch r.LobbyState {
	case models.LobbyModeratorsOnly:
		switch {
		case hasTimer && t.After(now):
			return "on: only moderators until " + at() + call
		case hasTimer:
			return "on: the timer passed at " + at() + "; asking the server…" + call
		}
		return "on: only moderators can join, no timer" + call
	case models.LobbyNone:
		if hasTimer {
			return "off: everyone can join (a stored timer " + at() + " has no effect)" + call
		}
		return "off: everyone can join" + call
	}
	return r.LobbyState.String() + call
}

// sipText is the SIP state with the dial-in card (meeting ID = token, my
// PIN when state 1).
func (d detailPane) sipText(r models.Room) string {
	tok := sanitize.Line(r.Token)
	if r.Type != models.ConversationGroup && r.Type != models.ConversationPublic && r.SIPEnabled == models.SIPDisabled {
		return words.NotApplicable + " (" + words.Type(r.Type) + " conversation)"
	}
	switch r.SIPEnabled {
	case models.SIPDisabled:
		return "off"
	case models.SIPEnabled:
		pin := sanitize.Line(r.AttendeePin)
		if pin == "" {
			pin = "(not shown by the server)"
		}
		return "on with PIN · dial in: meeting ID " + tok + ", your PIN " + pin
	case models.SIPEnabledNoPIN:
		return "on without PIN · dial in: meeting ID " + tok
	}
	return r.SIPEnabled.String()
}
