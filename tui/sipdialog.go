package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// sipDialog is the s dialog: off / on with PIN / on without PIN.
type sipDialog struct {
	token   string
	name    string
	current models.SIPState
	cursor  int
	// noPIN is why state 2 is unavailable ("" = available).
	noPIN string
	// warn is a room-level reason the server will likely refuse.
	warn string
	err  string
}

var sipChoices = []struct {
	state models.SIPState
	label string
	hint  string
}{
	{models.SIPDisabled, "off", "no phone dial-in"},
	{models.SIPEnabled, "on with PIN", "callers enter the meeting ID and their own PIN"},
	{models.SIPEnabledNoPIN, "on without PIN", "callers enter the meeting ID only"},
}

func (m Model) openSIP() (Model, tea.Cmd) {
	e := m.table.selected()
	if reason := m.actionBlocked(e); reason != "" {
		return m, m.setFlash(reason, levelWarn)
	}
	if reason := m.sipBlocked(e.room); reason != "" {
		return m, m.setFlash("cannot switch SIP dial-in: "+reason, levelWarn)
	}
	d := sipDialog{token: e.room.Token, name: e.name, current: e.room.SIPEnabled}
	if !m.caps.SIPNoPIN() {
		if m.caps.Known {
			d.noPIN = "the server lacks sip-support-nopin"
		} else {
			d.noPIN = "the server's capabilities are not known yet, so dial-in without PIN is not offered"
		}
	}
	d.warn = e.room.SIPUnavailableReason(m.caps)
	for i, c := range sipChoices {
		if c.state == e.room.SIPEnabled {
			d.cursor = i
		}
	}
	m.modal = modalSIP
	m.sip = d
	return m, nil
}

func (m Model) updateSIP(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.c.Keys
	d := &m.sip
	switch {
	case key.Matches(msg, k.Cancel):
		m.modal = modalNone
		return m, m.setFlash("SIP dial-in unchanged: nothing was sent", levelInfo)
	case key.Matches(msg, k.DialogUp):
		if d.cursor > 0 {
			d.cursor--
		}
		d.err = ""
	case key.Matches(msg, k.DialogDown):
		if d.cursor < len(sipChoices)-1 {
			d.cursor++
		}
		d.err = ""
	case msg.Type == tea.KeyRunes && len(msg.Runes) == 1 && msg.Runes[0] >= '0' && msg.Runes[0] <= '2':
		d.cursor = int(msg.Runes[0] - '0')
		d.err = ""
	case key.Matches(msg, k.Apply):
		choice := sipChoices[d.cursor]
		if choice.state == models.SIPEnabledNoPIN && d.noPIN != "" {
			d.err = "not available: " + d.noPIN
			return m, nil
		}
		e := m.table.find(d.token)
		if e == nil {
			m.modal = modalNone
			return m, m.setFlash("the conversation left the list: nothing was sent", levelWarn)
		}
		if reason := m.actionBlocked(e); reason != "" {
			d.err = reason
			return m, nil
		}
		m.modal = modalNone
		if choice.state == e.room.SIPEnabled {
			return m, m.setFlash(e.name+": SIP dial-in is already "+choice.label+": nothing was sent", levelInfo)
		}
		return m.send(actionReq{token: d.token, op: opSIP, sip: choice.state})
	}
	return m, nil
}

func (m Model) sipView() string {
	st := m.c.Styles
	d := m.sip
	var b strings.Builder
	b.WriteString(st.Title.Render(fit("SIP dial-in · "+d.name, m.c.Width-4)))
	b.WriteString("\n")
	for i, c := range sipChoices {
		cur := "  "
		if i == d.cursor {
			cur = "> "
		}
		now := ""
		if c.state == d.current {
			now = " (now)"
		}
		line := cur + c.label + now + " · " + c.hint
		style := st.Option
		switch {
		case c.state == models.SIPEnabledNoPIN && d.noPIN != "":
			style = st.OptionOff
			line = cur + c.label + " · unavailable: " + d.noPIN
		case i == d.cursor:
			style = st.OptionSel
		}
		b.WriteString(style.Render(fit(line, m.c.Width-4)))
		b.WriteString("\n")
	}
	if d.warn != "" {
		for _, l := range wrap("! the server will likely refuse: "+sanitize.Line(d.warn), m.c.Width-4, "  ") {
			b.WriteString(st.Warn.Render(l))
			b.WriteString("\n")
		}
	}
	if d.err != "" {
		for _, l := range wrap("✗ "+sanitize.Line(d.err), m.c.Width-4, "  ") {
			b.WriteString(st.Err.Render(l))
			b.WriteString("\n")
		}
	}
	k := m.c.Keys
	b.WriteString(m.help.ShortHelpView([]key.Binding{k.DialogUp, k.Apply, k.Cancel}))
	return b.String()
}
