package tui

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds every key of the console. These keys are part of the
// interface users and their scripts learn: keep them stable.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Filter, ClearFilter                     key.Binding
	Detail                                  key.Binding
	Lobby, Timer, SIP                       key.Binding
	Refresh, Zone, All                      key.Binding
	Undo, Sort                              key.Binding
	Help, Quit                              key.Binding

	// Dialog keys (SIP switch and confirm). A confirm takes Yes only:
	// any other key is no.
	DialogUp, DialogDown, Apply, Cancel, Yes, No key.Binding

	// Keys whose use depends on the screen (viewkeys.go): defined here
	// once, switched on and off by syncKeys.
	Back, KeepFilter, FilterMove, CloseHelp, HelpScroll, CtrlCQuit, SIPPick key.Binding
	// short is the short word of a key for a narrow terminal.
	short map[string]key.Binding
}

// DefaultKeyMap returns the console's keys.
func DefaultKeyMap() *KeyMap {
	km := &KeyMap{
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:      key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Top:         key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first")),
		Bottom:      key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Detail:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "detail")),
		Lobby:       key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "lobby on/off")),
		Timer:       key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "lobby timer")),
		SIP:         key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "SIP dial-in")),
		Refresh:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Zone:        key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "time zone")),
		All:         key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "all rooms")),
		Undo:        key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo")),
		Sort:        key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "order")),
		Help:        key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:        key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),

		DialogUp:   key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "choose")),
		DialogDown: key.NewBinding(key.WithKeys("down", "j")),
		Apply:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		Cancel:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		// y only: enter, esc, n and every other key answer no
		Yes: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		No:  key.NewBinding(key.WithKeys("n", "esc", "enter"), key.WithHelp("any other key", "no, nothing is sent")),
	}
	km.addViewKeys()
	return km
}
