package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// wrap breaks plain text into lines of at most w cells, with indent in
// front of every line but the first.
func wrap(s string, w int, indent string) []string {
	if w <= len(indent)+4 {
		return []string{fit(s, w)}
	}
	first := strings.Split(ansi.Wrap(s, w, ""), "\n")
	if len(first) <= 1 || indent == "" {
		return first
	}
	rest := strings.Join(first[1:], " ")
	out := []string{first[0]}
	for _, l := range strings.Split(ansi.Wrap(rest, w-len(indent), ""), "\n") {
		out = append(out, indent+l)
	}
	return out
}

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
	e := m.table.selected()
	if e == nil {
		text := m.emptyText()
		if m.table.none {
			text = "nothing selected: " + m.table.lost + " left the list; ↑/↓ selects a room"
		}
		lines = append(lines, st.Dim.Render(fit(sanitizeLine(text), w)))
		return strings.Join(lines, "\n")
	}
	r := e.room
	title := st.Title.Render(ansi.Truncate(e.name, w/2, "…"))
	meta := "  " + words.Type(r.Type)
	if you := words.YouAre(r); you != "" {
		meta += " · " + you
	}
	meta += " · token " + sanitize.Line(r.Token)
	lines = append(lines, title+st.Dim.Render(ansi.Truncate(meta, w-lipgloss.Width(title), "…")))

	items := m.detailItems(e, now, full)
	for _, it := range items {
		label := fit(it.label, 7)
		for i, l := range wrap(label+it.text, w, strings.Repeat(" ", 7)) {
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

func (m Model) detailItems(e *entry, now time.Time, full bool) []detailItem {
	st := m.c.Styles
	r := e.room
	var items []detailItem
	add := func(label, text string, style lipgloss.Style) {
		// everything shown passes the sanitizer (again: it is a no-op
		// on text already made safe), reasons built from room fields too
		items = append(items, detailItem{label, sanitize.Line(text), style})
	}
	// the last outcome first in the compact pane: it is what the user
	// just did
	outcomeItem := func() {
		rs := m.state(r.Token)
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
	if e.parent != "" {
		add("Main:", m.parentText(e), st.Plain)
	}
	add("Lobby:", m.lobbyText(r, now), st.Plain)
	if text, ok := m.peopleDetailText(r); ok {
		add("Who:", text, st.Plain)
	}
	add("SIP:", m.sipText(r), st.Plain)
	if r.SIPEnabled != models.SIPDisabled {
		for i, l := range m.dialInText(full) {
			label := ""
			if i == 0 {
				label = "Dial:"
			}
			add(label, l, st.Plain)
		}
	}
	if e.greyed {
		add("Why:", "cannot be changed here: "+e.why, st.Warn)
	} else {
		if reason := words.LobbyUnavailableReason(r); reason != "" {
			add("Note:", "lobby: the server will likely refuse: "+reason, st.Warn)
		}
		if reason := m.sipBlocked(r); reason != "" {
			add("Note:", "SIP unavailable: "+reason, st.Warn)
		} else if reason := words.SIPUnavailableReason(r, m.caps); reason != "" {
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
func (m Model) parentText(e *entry) string {
	if p := m.table.find(e.parent); p != nil {
		return "a breakout room of " + p.name + " (token " + sanitize.Line(p.room.Token) + "): its lobby follows that conversation"
	}
	return "a breakout room of the conversation with token " + sanitize.Line(e.parent) + " (not in your list): its lobby follows that conversation"
}

// undoText says what u would send.
func (m Model) undoText(req actionReq) string {
	switch req.op {
	case opLobby:
		if req.lobby == models.LobbyModeratorsOnly {
			if req.timer != nil {
				return "lobby on until " + m.c.clock(*req.timer)
			}
			return "lobby on, no timer"
		}
		return "lobby off"
	case opSIP:
		return "SIP dial-in " + req.sip.String()
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
