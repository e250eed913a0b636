package tui

import "github.com/charmbracelet/bubbles/key"

// addViewKeys defines, once, the keys whose use depends on the screen,
// and the short words of the action keys for a narrow terminal.
func (k *KeyMap) addViewKeys() {
	k.Back = key.NewBinding(key.WithKeys("esc", "enter"), key.WithHelp("enter", "back"))
	k.KeepFilter = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter"))
	k.FilterMove = key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "move"))
	k.CloseHelp = key.NewBinding(key.WithKeys("?"), key.WithHelp("any key", "closes the help"))
	k.HelpScroll = key.NewBinding(key.WithKeys("up", "k", "down", "j", "pgup", "pgdown", " "), key.WithHelp("↑/↓ pgup/pgdn", "scroll"))
	k.CtrlCQuit = key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit"))
	k.SIPPick = key.NewBinding(key.WithKeys("1", "2", "3"), key.WithHelp("1-3", "pick"))
	k.short = map[string]key.Binding{}
	for _, b := range []struct {
		b    key.Binding
		word string
	}{{k.Lobby, "lobby"}, {k.Timer, "timer"}, {k.SIP, "SIP"}, {k.Detail, "detail"}} {
		k.short[b.b.Help().Key] = key.NewBinding(key.WithKeys(b.b.Keys()...), key.WithHelp(b.b.Help().Key, b.word))
	}
}

// syncKeys switches the screen-dependent keys on and off for what the
// screen shows now (as bubbles' list does): a key that is off neither
// matches nor shows in the help. It runs after every change (layout).
// The action keys stay on: pressed where they cannot work, they say why.
func (m *Model) syncKeys() {
	k := m.c.Keys
	k.Back.SetEnabled(m.detailFull)
	k.ClearFilter.SetEnabled(!m.detailFull && (m.filtering || m.filterIn != ""))
	k.CloseHelp.SetEnabled(m.showHelp)
	if m.showHelp {
		k.HelpScroll.SetEnabled(m.helpMaxOffset() > 0)
		if k.HelpScroll.Enabled() {
			k.CloseHelp.SetHelp("any other key", "closes")
		} else {
			k.CloseHelp.SetHelp("any key", "closes the help")
		}
	} else {
		k.HelpScroll.SetEnabled(false)
	}
}
