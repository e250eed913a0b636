package tui

import "github.com/charmbracelet/bubbles/key"

// syncKeys switches the screen-dependent keys on and off for what the
// screen shows now (as bubbles' list does): a key that is off neither
// matches nor shows in the help. It runs after every change (layout).
// The action keys of the list stay on: pressed where they cannot work,
// they say why.
func (m Model) syncKeys() {
	k := m.c.Keys
	k.Back.SetEnabled(m.detailFull)
	k.ClearFilter.SetEnabled(!m.detailFull && (m.filter.Typing || m.filter.Input != ""))
	k.CloseHelp.SetEnabled(m.help.show)
	people := m.people.IsOpen() && !m.help.show
	for _, b := range []*key.Binding{&k.PeopleBack, &k.Admit, &k.Hold, &k.Remove, &k.AdmitAll, &k.Reread} {
		b.SetEnabled(people)
	}
	if m.help.show {
		k.HelpScroll.SetEnabled(m.help.maxOffset(m.c, m.fullHelpView()) > 0)
		if k.HelpScroll.Enabled() {
			k.CloseHelp.SetHelp("any other key", "closes")
		} else {
			k.CloseHelp.SetHelp("any key", "closes the help")
		}
	} else {
		k.HelpScroll.SetEnabled(false)
	}
}
