package tui

// syncKeys switches the screen-dependent keys on and off for what the
// screen shows now (as bubbles' list does): a key that is off neither
// matches nor shows in the help. It runs after every change (layout).
// The action keys of the list stay on: pressed where they cannot work,
// they say why.
func (m Model) syncKeys() {
	k := m.c.Keys
	k.Back.SetEnabled(m.detailFull)
	k.ClearFilter.SetEnabled(!m.detailFull && (m.filter.Typing || m.filter.Input != ""))
	k.CloseHelp.SetEnabled(m.help.Show)
	for _, p := range m.pages {
		p.SyncKeys(k, p.IsOpen() && !m.help.Show)
	}
	if m.help.Show {
		k.HelpScroll.SetEnabled(m.help.MaxOffset(m.c, m.fullHelpView()) > 0)
		if k.HelpScroll.Enabled() {
			k.CloseHelp.SetHelp("any other key", "closes")
		} else {
			k.CloseHelp.SetHelp("any key", "closes the help")
		}
	} else {
		k.HelpScroll.SetEnabled(false)
	}
}
