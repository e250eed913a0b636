// Package detail is the detail pane below the room list (and on the
// whole screen after enter): the selected room and what the console knows
// about it, gathered by the root for one View.
package detail

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

// item is one labelled paragraph of the pane.
type item struct {
	label string
	text  string
	style lipgloss.Style
}

// Pane is the detail pane of one room, as the root gathers it.
type Pane struct {
	C     common.Common
	Entry *roomlist.Entry // the selected room (nil: none)
	// Empty says why nothing is shown when no room is selected.
	Empty string
	// Pending: a change to the room is on its way.
	Pending bool
	// Last is the last answer to a change (nil: none yet).
	Last *Outcome
	// Undo is what u would send (nil: nothing to undo).
	Undo *bulk.Change
	// Gone: the server answered 404 for the room.
	Gone   bool
	Parent *roomlist.Entry // the main conversation of a breakout room, if listed
	Caps   models.Capabilities
	// Dial is the SIP dial-in numbers, one a line when full.
	Dial func(full bool) []string
	// Who is the people view's count line, once it read the room.
	Who    string
	HasWho bool
	// SIPBlocked says why SIP cannot be switched at all ("" if it can).
	SIPBlocked string
	// Account is the room's account with several ("": one); Stale
	// says why its rooms are not current ("": they are).
	Account, Stale string
}

// Outcome is the last answer to a change: done or not, in plain words.
type Outcome struct {
	OK   bool
	Text string
}

// View renders the selected room: token, description, lobby in the
// display zone and UTC and relative, SIP with the dial-in card, why a
// control is unavailable, and the last outcome. full shows it all with
// the whole description.
func (d Pane) View(now time.Time, height int, full bool) string {
	st := d.C.Styles
	w := d.C.Width
	lines := []string{st.Dim.Render(strings.Repeat("─", w))}
	e := d.Entry
	if e == nil {
		lines = append(lines, st.Dim.Render(common.Fit(sanitize.Line(d.Empty), w)))
		return strings.Join(lines, "\n")
	}
	r := e.Room
	title := st.Title.Render(ansi.Truncate(e.Name, w/2, "…"))
	meta := "  " + words.Type(r.Type)
	if you := words.YouAre(r); you != "" {
		meta += " · " + you
	}
	if d.Account != "" {
		meta += " · " + sanitize.Line(d.Account)
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

func (d Pane) items(now time.Time, full bool) []item {
	e := d.Entry
	st := d.C.Styles
	r := e.Room
	var items []item
	add := func(label, text string, style lipgloss.Style) {
		// everything shown passes the sanitizer (again: it is a no-op
		// on text already made safe), reasons built from room fields too
		items = append(items, item{label, sanitize.Line(text), style})
	}
	// the last outcome first in the compact pane: it is what the user
	// just did
	outcomeItem := func() {
		if d.Pending {
			add("Now:", "waiting for the server's answer…", st.Pending)
		}
		if o := d.Last; o != nil {
			// the whole text, wrapped (the status line may cut it)
			if o.OK {
				add("Last:", "✓ "+sanitize.Line(o.Text), st.OK)
			} else {
				add("Last:", "✗ "+sanitize.Line(o.Text), st.Err)
			}
		}
		if d.Undo != nil && !d.Pending {
			add("Undo:", "u sends "+d.undoText(*d.Undo), st.Dim)
		}
		if d.Gone {
			add("Gone:", "the server no longer lists this conversation for you: it leaves the list at the next refresh", st.Warn)
		}
	}
	if d.Stale != "" {
		add("Acct:", d.Stale, st.Warn)
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
	if d.HasWho {
		add("Who:", d.Who, st.Plain)
	}
	add("SIP:", d.sipText(r), st.Plain)
	if r.SIPEnabled != models.SIPDisabled {
		for i, l := range d.Dial(full) {
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
		if reason := d.SIPBlocked; reason != "" {
			add("Note:", "SIP unavailable: "+reason, st.Warn)
		} else if reason := words.SIPUnavailableReason(r, d.Caps); reason != "" {
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
func (d Pane) parentText() string {
	e := d.Entry
	if p := d.Parent; p != nil {
		return "a breakout room of " + p.Name + " (token " + sanitize.Line(p.Room.Token) + "): its lobby follows that conversation"
	}
	return "a breakout room of the conversation with token " + sanitize.Line(e.Parent) + " (not in your list): its lobby follows that conversation"
}

// undoText says what u would send.
func (d Pane) undoText(req bulk.Change) string {
	switch req.Op {
	case bulk.OpLobby:
		if req.Lobby == models.LobbyModeratorsOnly {
			if req.Timer != nil {
				return "lobby on until " + d.C.Clock(*req.Timer)
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

func (d Pane) callText(r models.Room) string {
	return words.Call(r, d.C.Now(), d.C.Loc())
}

// lobbyText is the lobby state with the timer in the display zone, in UTC
// and relative.
func (d Pane) lobbyText(r models.Room, now time.Time) string {
	if r.Type != models.ConversationGroup && r.Type != models.ConversationPublic {
		return words.NotApplicable + " (" + words.Type(r.Type) + " conversation)"
	}
	t, hasTimer := r.LobbyTimerTime()
	at := func() string {
		return words.At(t, now, d.C.Loc())
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
func (d Pane) sipText(r models.Room) string {
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
