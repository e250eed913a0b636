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

// detailView renders the selected room: token, description, lobby in the
// display zone and UTC and relative, SIP with the dial-in card, why a
// control is unavailable, and the last outcome. full shows it all with
// the whole description.
func (m Model) detailView(now time.Time, height int, full bool) string {
	st := m.c.Styles
	w := m.c.Width
	lines := []string{st.Dim.Render(strings.Repeat("─", w))}
	e := m.table.Selected()
	if e == nil {
		text := m.emptyText()
		if m.table.None {
			text = "nothing selected: " + m.table.Lost + " left the list; ↑/↓ selects a room"
		}
		lines = append(lines, st.Dim.Render(common.Fit(sanitize.Line(text), w)))
		return strings.Join(lines, "\n")
	}
	r := e.Room
	title := st.Title.Render(ansi.Truncate(e.Name, w/2, "…"))
	meta := "  " + words.Type(r.Type)
	if you := words.YouAre(r); you != "" {
		meta += " · " + you
	}
	meta += " · token " + sanitize.Line(r.Token)
	lines = append(lines, title+st.Dim.Render(ansi.Truncate(meta, w-lipgloss.Width(title), "…")))

	items := m.detailItems(e, now, full)
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

func (m Model) detailItems(e *roomlist.Entry, now time.Time, full bool) []detailItem {
	st := m.c.Styles
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
		rs := m.rooms.state(r.Token)
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
			add("Undo:", "u sends "+m.undoText(*rs.undo), st.Dim)
		}
		if rs.gone {
			add("Gone:", "the server no longer lists this conversation for you: it leaves the list at the next refresh", st.Warn)
		}
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
		add("Main:", m.parentText(e), st.Plain)
	}
	add("Lobby:", m.lobbyText(r, now), st.Plain)
	if text, ok := m.people.DetailText(m.c, r); ok {
		add("Who:", text, st.Plain)
	}
	add("SIP:", m.sipText(r), st.Plain)
	if r.SIPEnabled != models.SIPDisabled {
		for i, l := range m.dialIn.text(m.c, m.backend, m.sync, full) {
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
		if reason := r.LobbyUnavailableReason(); reason != "" {
			add("Note:", "lobby: the server will likely refuse: "+reason, st.Warn)
		}
		if reason := m.sipBlocked(r); reason != "" {
			add("Note:", "SIP unavailable: "+reason, st.Warn)
		} else if reason := r.SIPUnavailableReason(m.caps); reason != "" {
			add("Note:", "SIP: the server will likely refuse: "+reason, st.Warn)
		}
	}
	if full {
		outcomeItem()
		add("Call:", m.callText(r), st.Plain)
	}
	return items
}

// parentText names the conversation a breakout room belongs to.
func (m Model) parentText(e *roomlist.Entry) string {
	if p := m.table.Find(e.Parent); p != nil {
		return "a breakout room of " + p.Name + " (token " + sanitize.Line(p.Room.Token) + "): its lobby follows that conversation"
	}
	return "a breakout room of the conversation with token " + sanitize.Line(e.Parent) + " (not in your list): its lobby follows that conversation"
}

// undoText says what u would send.
func (m Model) undoText(req actionReq) string {
	switch req.Op {
	case bulk.OpLobby:
		if req.Lobby == models.LobbyModeratorsOnly {
			if req.Timer != nil {
				return "lobby on until " + m.c.Clock(*req.Timer)
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

func (m Model) callText(r models.Room) string {
	return words.Call(r, m.c.Now(), m.c.Loc())
}

// lobbyText is the lobby state with the timer in the display zone, in UTC
// and relative.
func (m Model) lobbyText(r models.Room, now time.Time) string {
	if r.Type != models.ConversationGroup && r.Type != models.ConversationPublic {
		return words.NotApplicable + " (" + words.Type(r.Type) + " conversation)"
	}
	t, hasTimer := r.LobbyTimerTime()
	at := func() string {
		return words.At(t, now, m.c.Loc())
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
func (m Model) sipText(r models.Room) string {
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
