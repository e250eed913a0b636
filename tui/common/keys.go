package common

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds every key of the console, the people view and the
// dialogs included. These keys are part of the interface users and their
// scripts learn: keep them stable. Keys whose use depends on the screen
// are switched on and off with SetEnabled by the root (Model.syncKeys): a
// key that is off neither matches nor shows in the help.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Filter, ClearFilter                     key.Binding
	Detail                                  key.Binding
	Lobby, Timer, SIP                       key.Binding
	Refresh, Zone, All                      key.Binding
	Undo, Sort                              key.Binding
	Help, Quit                              key.Binding

	// Marks for bulk changes: l, t, s and u then act on the marked rooms.
	Mark, MarkAll, Unmark key.Binding

	// The people view: p opens it; its own keys are on only while it is.
	People                                            key.Binding
	PeopleBack, Admit, Hold, Remove, AdmitAll, Reread key.Binding
	// The floor in the people view (tui/floor): give or take it, promote
	// or demote; show or hide the attendance list d read.
	GiveFloor, TakeFloor, Moderator, AttendanceList key.Binding

	// The floor and the call on the selected room (tui/floor): who may
	// speak (P), end the call for everyone (E), the attendance list (d,
	// in the people view too).
	Permissions, EndCall, Attendance key.Binding

	// The doctor page: D opens it; its own keys are on only while it is.
	Doctor, DoctorReread, DoctorScroll key.Binding

	// Dialog keys (SIP switch and confirm). A confirm takes Yes only:
	// any other key is no.
	DialogUp, DialogDown, Apply, Cancel, Yes, No key.Binding

	// Keys whose use depends on the screen, switched by the root.
	Back, KeepFilter, FilterMove, CloseHelp, HelpScroll, CtrlCQuit, SIPPick key.Binding
	// Short is the short word of an action key for a narrow terminal.
	Short map[string]key.Binding

	// The chat page (tui/chat): c opens it; its own keys are on only
	// while it is (it also moves with Up, Down, PageUp, PageDown, Top,
	// Bottom and answers its questions with Yes).
	Chat                                    key.Binding
	ChatBack, Write, Reply, DeleteMsg, Lock key.Binding
}

// DefaultKeyMap returns the console's keys.
func DefaultKeyMap() *KeyMap {
	k := &KeyMap{
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

		Mark:    key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "mark/unmark")),
		MarkAll: key.NewBinding(key.WithKeys("*"), key.WithHelp("*", "mark all shown")),
		Unmark:  key.NewBinding(key.WithKeys("U"), key.WithHelp("U/esc", "clear marks")),

		People:         key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "people")),
		PeopleBack:     key.NewBinding(key.WithKeys("esc", "p"), key.WithHelp("esc", "back")),
		Admit:          key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "let in")),
		Hold:           key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "back to lobby")),
		Remove:         key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "remove")),
		AdmitAll:       key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "let in all waiting")),
		Reread:         key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-read")),
		GiveFloor:      key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "give floor")),
		TakeFloor:      key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "take floor")),
		Moderator:      key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "promote/demote")),
		AttendanceList: key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "attendance list")),

		Permissions: key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "permissions")),
		EndCall:     key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "end call")),
		Attendance:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "attendance")),

		Doctor:       key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "doctor")),
		DoctorReread: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-read the people")),
		DoctorScroll: key.NewBinding(key.WithKeys("up", "k", "down", "j"), key.WithHelp("↑/↓", "scroll")),

		DialogUp:   key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "choose")),
		DialogDown: key.NewBinding(key.WithKeys("down", "j")),
		Apply:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		Cancel:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		// y only: enter, esc, n and every other key answer no
		Yes: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		No:  key.NewBinding(key.WithKeys("n", "esc", "enter"), key.WithHelp("any other key", "no, nothing is sent")),

		Back:       key.NewBinding(key.WithKeys("esc", "enter"), key.WithHelp("enter", "back")),
		KeepFilter: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
		FilterMove: key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "move")),
		CloseHelp:  key.NewBinding(key.WithKeys("?"), key.WithHelp("any key", "closes the help")),
		HelpScroll: key.NewBinding(key.WithKeys("up", "k", "down", "j", "pgup", "pgdown", " "), key.WithHelp("↑/↓ pgup/pgdn", "scroll")),
		CtrlCQuit:  key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		SIPPick:    key.NewBinding(key.WithKeys("1", "2", "3"), key.WithHelp("1-3", "pick")),

		Chat:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "chat")),
		ChatBack:  key.NewBinding(key.WithKeys("esc", "c"), key.WithHelp("esc", "back")),
		Write:     key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "write")),
		Reply:     key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "reply")),
		DeleteMsg: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "delete")),
		Lock:      key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "lock/unlock")),
	}
	k.Short = map[string]key.Binding{}
	for _, b := range []struct {
		b    key.Binding
		word string
	}{{k.Lobby, "lobby"}, {k.Timer, "timer"}, {k.SIP, "SIP"}, {k.Detail, "detail"}} {
		k.Short[b.b.Help().Key] = key.NewBinding(key.WithKeys(b.b.Keys()...), key.WithHelp(b.b.Help().Key, b.word))
	}
	return k
}

// Unavailable is a key that does nothing here, with why (the full help
// lists them).
type Unavailable struct {
	B   key.Binding
	Why string
}
