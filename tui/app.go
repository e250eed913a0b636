// Package tui is talkmod's moderator console: a Bubble Tea program that
// lists the webinars a user runs and changes their lobby, lobby timer and
// SIP dial-in, showing every server answer beside the room it concerns.
package tui

import (
	"context"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/accounts"
	"github.com/talkmod/talkmod/tui/bulk"
	"github.com/talkmod/talkmod/tui/chat"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/dialog"
	"github.com/talkmod/talkmod/tui/doctor"
	"github.com/talkmod/talkmod/tui/floor"
	"github.com/talkmod/talkmod/tui/keyhelp"
	"github.com/talkmod/talkmod/tui/people"
	"github.com/talkmod/talkmod/tui/roomlist"
)

// Options configure the console.
type Options struct {
	Backend Backend
	// Accounts: the console on several stored accounts (talkmod
	// --all-accounts), each with its own backend, polling, back-off,
	// 429 pause and 401; a room is its account and token, the list
	// has a SERVER column. Used when it has two or more (Backend is
	// then ignored); one or none: the console on Backend, as always.
	Accounts []Account
	// Server and User are shown in the header.
	Server, User string
	// Zone is the zone from the configuration (the third choice of z);
	// nil for none.
	Zone *time.Location
	// Local is the local zone (default time.Local).
	Local *time.Location
	// Open is the zone the console opens in (--tz, TZ, the account's,
	// local: the caller resolves it); nil for Local.
	Open *time.Location
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Renderer decides the colour profile (default: one on os.Stdout,
	// which honours NO_COLOR and TERM=dumb).
	Renderer *lipgloss.Renderer
	// RefreshInterval (default 30 s) and FullRefreshInterval (default
	// 5 min) pace the polling.
	RefreshInterval, FullRefreshInterval time.Duration
	// RequestTimeout bounds each backend call (default 30 s).
	RequestTimeout time.Duration
	// ReadOnly: every action key says "read-only session" (talkmod serve).
	ReadOnly bool
	// ReadOnlyRefused, if set, is told each key a read-only console
	// refused (talkmod serve writes it to the audit log).
	ReadOnlyRefused func(key string)
	// DownloadDir is where d writes attendance lists ("": not in this
	// console, e.g. an SSH session).
	DownloadDir string
}

// Minimum terminal size.
const (
	minWidth  = 60
	minHeight = 16
)

// outcome is the last answer to an action on a room; it stays until the
// next action on that room.
type outcome struct {
	ok   bool
	op   bulk.Op
	text string // plain words (sanitized when rendered)
	kind client.Kind
}

// flash is the status bar message.
type flash struct {
	text  string
	level common.Level
	id    int
	// seq numbers the messages (a timer clears only its own message).
	seq int
}

// set shows a message; info and OK clear themselves after a while (the
// command is that timer).
func (f *flash) set(c common.Common, text string, level common.Level) tea.Cmd {
	f.sticky(text, level)
	if level == common.LevelInfo || level == common.LevelOK {
		return c.After(6*time.Second, flashExpiredMsg{id: f.id})
	}
	return nil
}

// sticky shows a message that stays until replaced.
func (f *flash) sticky(text string, level common.Level) {
	f.seq++
	*f = flash{text: text, level: level, id: f.seq, seq: f.seq}
}

// clear removes the message.
func (f *flash) clear() { *f = flash{seq: f.seq} }

// Model is the console's root: it routes each message to the component it
// concerns (the room list, the open dialog, the page on screen, the help)
// and lays out the screen; docs/ARCHITECTURE.md draws the parts.
type Model struct {
	c      common.Common
	server string
	user   string

	table roomlist.Table

	// accts are the accounts (tui/accounts; one with Options.Backend):
	// each its backend, capabilities, polling of its list and dial-in
	// text
	accts accounts.List

	// per-room state (roomstate.go): only rooms that have some
	rooms roomStates
	// quitting: q was asked while a change was in flight; the console
	// quits by itself once the answers are in
	quitting bool
	ticks    ticks

	flash flash

	filter roomlist.Filter

	// dialog is the open dialog (nil: none).
	dialog dialog.Dialog

	help       keyhelp.Screen
	detailFull bool

	// pages are the full-screen views over the list (page.go); people
	// is the people view among them, whose counts the list shows
	pages  []Page
	people *people.Page
	// opened is the identity of the room each page was opened on (a
	// page knows its token; with several accounts that is not enough)
	opened map[Page]string

	// changes to the marked rooms (bulk.go)
	bulk bulkState

	// the floor and the call on the selected room (floor.go, tui/floor);
	// the people view shares it
	floor *floor.List
}

// New builds the console.
func New(opts Options) tea.Model { return newModel(context.Background(), opts) }

// Run runs the console until the user quits or ctx ends.
func Run(ctx context.Context, opts Options) error {
	return run(ctx, opts, tea.WithAltScreen())
}

func run(ctx context.Context, opts Options, popts ...tea.ProgramOption) error {
	// requests still on their way when the user quits are cancelled, so
	// no goroutine outlives the console waiting for a server
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	m := newModel(ctx, opts)
	_, err := tea.NewProgram(m, append(popts, tea.WithContext(ctx))...).Run()
	return err
}

// DefaultRenderer is the renderer New uses when Options.Renderer is nil:
// on os.Stdout, with no colour at all when NO_COLOR is set or TERM=dumb.
func DefaultRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(os.Stdout)
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		r.SetColorProfile(termenv.Ascii)
	}
	return r
}

func newModel(ctx context.Context, opts Options) Model {
	if ctx == nil {
		ctx = context.Background()
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	r := opts.Renderer
	if r == nil {
		r = DefaultRenderer()
	}
	m := Model{
		c: common.Common{
			Styles:  common.NewStyles(r),
			Keys:    common.DefaultKeyMap(),
			Now:     now,
			Zones:   newZonesOpen(opts.Open, opts.Local, opts.Zone),
			Width:   80,
			Height:  24,
			Ctx:     ctx,
			Timeout: positive(opts.RequestTimeout, 30*time.Second),
			After: func(d time.Duration, msg tea.Msg) tea.Cmd {
				return tea.Tick(d, func(time.Time) tea.Msg { return msg })
			},
		},
		server: opts.Server,
		user:   opts.User,
		rooms:  roomStates{},
		opened: map[Page]string{},
		accts: newAccounts(opts, accounts.Sync{
			RefreshEvery: positive(opts.RefreshInterval, 30*time.Second),
			FullEvery:    positive(opts.FullRefreshInterval, 5*time.Minute),
			// the first requests (sent by Init)
			CapsSeq:      1,
			ListSeq:      1,
			ListInflight: true,
		}),
	}
	// the console has a floor when an account's backend has one; each
	// room's requests go to its own account's (floorSel, common.Env)
	var fb Backend
	for _, a := range m.accts {
		if floor.Of(a.Backend) != nil {
			fb = a.Backend
			break
		}
	}
	m.floor = floor.NewList(fb, opts.DownloadDir)
	m.people = &people.Page{Floor: m.floor}
	m.pages = []Page{m.people, chat.NewPage(), doctor.NewPage(m.people)}
	m.c.ReadOnly, m.c.ReadOnlyRefused = opts.ReadOnly, opts.ReadOnlyRefused
	m.c.Help = help.Model{ShortSeparator: " · ", FullSeparator: "   ", Ellipsis: "…", Styles: m.c.Styles.Help}
	return m.layout()
}

// Init reads the capabilities and the full room list.
func (m Model) Init() tea.Cmd {
	var cmds []tea.Cmd
	for _, a := range m.accts {
		cmds = append(cmds, a.CapsCmd(m.c), a.ListCmd(m.c, true))
	}
	return tea.Batch(cmds...)
}

// Update handles a message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var marked map[string]string
	if isListChange(msg) {
		marked = m.bulk.marks.Names()
	}
	m, cmd := m.update(msg)
	m = m.syncMarks(marked).layout()
	// changes m.ticks: called before m is returned
	ticks := m.ticks.ensure(m.c, m.pendingCount() > 0, m.countdownOnScreen())
	// the dial-in text of the selected room's server, when the room has
	// SIP on and the text is not known for the current Talk hash
	var dialIn tea.Cmd
	if e := m.table.Selected(); e != nil && e.Room.SIPEnabled != models.SIPDisabled && !m.rooms.state(e.ID).gone {
		dialIn = m.accts.At(e).AskDialIn(m.c, e.Room.Token)
	}
	return m, tea.Batch(cmd, ticks, dialIn)
}

func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.Width, m.c.Height = msg.Width, msg.Height
		return m, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			// keys that arrive in one read (fast typing, tmux
			// send-keys, a script) come as one message: "jjj" is
			// three presses of j
			var cmds []tea.Cmd
			for _, r := range msg.Runes {
				var cmd tea.Cmd
				m, cmd = m.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
				m = m.layout()
				cmds = append(cmds, cmd)
			}
			return m, tea.Batch(cmds...)
		}
		return m.handleKey(msg)
	case accounts.ListMsg:
		return m.handleList(msg)
	case accounts.CapsMsg:
		return m.handleCaps(msg)
	case accounts.DialInMsg:
		m.accts[msg.Acct].DialIn.Apply(msg)
		return m, nil
	case actionMsg:
		m, cmd := m.applyAction(msg)
		m, cmd = m.bulkAnswered(msg, cmd)
		if m.quitting && m.pendingCount() == 0 {
			// the last answer the user waited for: quit by itself
			return m, tea.Batch(cmd, tea.Quit)
		}
		return m, cmd
	case rereadMsg:
		return m.handleReread(msg)
	case dialog.OpenMsg:
		m.dialog = msg.Dialog
		return m, nil
	case dialog.ConfirmedMsg, dialog.CancelledMsg, dialog.SIPChosenMsg, dialog.PickedMsg, dialog.BulkLobbyMsg:
		return m.handleDialogResult(msg)
	case accounts.PollMsg:
		return m.handlePoll(msg)
	case countdownMsg:
		m.ticks.countdown = false
		return m, m.checkExpiry(true)
	case spinMsg:
		m.ticks.spinning = false
		m.ticks.frame++
		return m, nil
	case flashExpiredMsg:
		if msg.id == m.flash.id && (m.flash.level == common.LevelInfo || m.flash.level == common.LevelOK) {
			m.flash.clear()
		}
		return m, nil
	}
	if m, cmd, ok := m.pageMsg(msg); ok {
		return m, cmd
	}
	return m, nil
}

// ensureTicks arms the spinner while a request is pending and the 1 s
// countdown while a timer is on screen.
func (t *ticks) ensure(c common.Common, pending, countdown bool) tea.Cmd {
	var cmds []tea.Cmd
	if !t.spinning && pending {
		t.spinning = true
		cmds = append(cmds, c.After(common.SpinEvery, spinMsg{}))
	}
	if !t.countdown && countdown {
		t.countdown = true
		cmds = append(cmds, c.After(time.Second, countdownMsg{}))
	}
	return tea.Batch(cmds...)
}

func (m Model) countdownOnScreen() bool {
	if m.c.Width < minWidth || m.c.Height < minHeight {
		return false
	}
	has := func(e *roomlist.Entry) bool {
		return e.Room.LobbyState == models.LobbyModeratorsOnly && e.Room.LobbyTimer > 0
	}
	if !m.detailFull && !m.help.Show {
		for _, e := range m.table.OnScreen() {
			if has(e) {
				return true
			}
		}
	}
	if e := m.table.Selected(); e != nil && has(e) {
		return true
	}
	_, picker := m.dialog.(dialog.Picker)
	return picker
}

// noteLost tells the user that the selected room left the list.
func (m Model) noteLost(lr *roomlist.LostRoom) Model {
	if lr == nil {
		return m
	}
	why := lr.Why
	if s := m.rooms[lr.Token]; s != nil && s.gone {
		why = "the server answered 404 (not found) for it"
	}
	closed := ""
	if m.dialog != nil && m.dialog.Token() == lr.Token {
		// a dialog for a room that left the list is closed: nothing acts
		// on a room the list no longer shows
		m.dialog = nil
		closed = " Its dialog was closed: nothing was sent."
	}
	m.flash.sticky(lr.Name+" is no longer in your list: "+why+"."+closed+" Nothing is selected: ↑/↓ selects a room", common.LevelWarn)
	return m
}

func (m Model) handleKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.c.Keys
	tooSmall := m.c.Width < minWidth || m.c.Height < minHeight
	if tooSmall {
		// nothing acts unseen: every key but quit is ignored, and an
		// open dialog keeps its state for when the window grows
		if d, ok := m.dialog.(dialog.Confirm); ok {
			if _, ok := d.Payload.(quitPayload); ok && key.Matches(msg, k.Yes) {
				// the quit question is on the too-small screen too
				return m, tea.Quit
			}
		}
		if key.Matches(msg, k.Quit) {
			return m.quit(msg)
		}
		return m, nil
	}
	if m.dialog != nil {
		if msg.Type == tea.KeyCtrlC {
			if _, ok := m.dialog.(dialog.Confirm); ok {
				// ctrl+c on the quit question, or on any question, quits
				return m, tea.Quit
			}
			return m.quit(msg)
		}
		d, res := m.dialog.Update(&m.c, msg)
		m.dialog = d
		if res == nil {
			return m, nil
		}
		return m.handleDialogResult(res)
	}
	if msg.Type == tea.KeyCtrlC {
		return m.quit(msg)
	}
	if p := m.onScreen(); p != nil && !m.help.Show {
		if m.readOnlyRefuses(msg) {
			return m, m.flash.set(m.c, m.c.Refused(msg.String()), common.LevelWarn)
		}
		return m.pageKey(p, msg)
	}
	if m.filter.Typing {
		m.filter.Update(&m.table, msg)
		return m, nil
	}
	// an error stays until the next key; a warning too
	if m.flash.level == common.LevelWarn || m.flash.level == common.LevelErr {
		m.flash.clear()
	}
	if m.help.Show {
		// q quits; any other key only closes the help: a key meant for
		// the help must not change a room the user cannot see
		if key.Matches(msg, k.Quit) {
			return m.quit(msg)
		}
		if m.help.Scroll(m.c, m.fullHelpView(), msg) {
			return m, nil
		}
		m.help.Show = false
		return m, nil
	}
	if m.readOnlyRefuses(msg) {
		return m, m.flash.set(m.c, m.c.Refused(msg.String()), common.LevelWarn)
	}
	if m2, cmd, ok := m.bulkKey(msg); ok {
		return m2, cmd
	}
	if cmd, note, ok := m.floor.Key(m.c, m.floorSel(m.table.Selected()), msg); ok {
		return m, tea.Batch(cmd, m.flash.set(m.c, note.Text, note.Level))
	}
	for _, p := range m.pages {
		if key.Matches(msg, p.Key(k)) {
			return m.openPage(p)
		}
	}
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit(msg)
	case key.Matches(msg, k.Help):
		m.help = keyhelp.Screen{Show: true}
		return m, nil
	case m.table.Update(k, msg):
		return m, nil
	case key.Matches(msg, k.Filter):
		m.filter.Typing = true
		m.detailFull = false
		return m, nil
	case key.Matches(msg, k.Back):
		m.detailFull = false
		return m, nil
	case key.Matches(msg, k.ClearFilter):
		m.filter.Input = ""
		m.table.SetFilter("")
		return m, nil
	case key.Matches(msg, k.Detail):
		if m.table.Selected() == nil {
			return m, m.flash.set(m.c, m.noRoomReason(), common.LevelWarn)
		}
		m.detailFull = !m.detailFull
	case key.Matches(msg, k.Lobby):
		return m.lobbyToggle()
	case key.Matches(msg, k.Timer):
		return m.openPicker()
	case key.Matches(msg, k.SIP):
		return m.openSIP()
	case key.Matches(msg, k.Refresh):
		return m.manualRefresh()
	case key.Matches(msg, k.Undo):
		return m.undo()
	case key.Matches(msg, k.Sort):
		m.table.Resort((m.table.SortBy + 1) % roomlist.SortModes)
		return m, m.flash.set(m.c, "sorted by "+m.table.SortBy.String()+" (o changes the order)", common.LevelInfo)
	case key.Matches(msg, k.Zone):
		if reason := m.c.ZoneBlocked(); reason != "" {
			return m, m.flash.set(m.c, reason, common.LevelWarn)
		}
		m.c = m.c.NextZone()
		return m, m.flash.set(m.c, "times are now shown in "+m.c.ZoneLabel(), common.LevelInfo)
	case key.Matches(msg, k.All):
		m.table.SetShowAll(!m.table.ShowAll)
		if m.table.ShowAll {
			return m, m.flash.set(m.c, "all rooms: · marks what you cannot change (detail: why)", common.LevelInfo)
		}
		return m, m.flash.set(m.c, "showing only the conversations you own or moderate", common.LevelInfo)
	}
	return m, nil
}

// quit is q (and ctrl+c outside a question): with a change still
// waiting for the server it asks first (y only); the console also quits
// by itself once the answers are in.
func (m Model) quit(msg tea.KeyMsg) (Model, tea.Cmd) {
	n := m.pendingCount()
	if n == 0 {
		return m, tea.Quit
	}
	what := strconv.Itoa(n) + " changes are"
	if n == 1 {
		what = "1 change is"
	}
	m.quitting = true
	m.dialog = newConfirm("Quit talkmod",
		[]string{"talkmod quits by itself as soon as the server has answered."},
		what+" still waiting for the server: quit anyway? y/n",
		"not quitting: the answer will show beside the room or person it concerns", quitPayload{})
	return m, nil
}

// noRoomReason says why a room key does nothing.
func (m Model) noRoomReason() string {
	switch {
	case !m.accts.Loaded() && m.accts.Loading():
		return "the conversations are still loading"
	case m.filter.Input != "":
		return "no conversation matches the filter " + roomlist.QuoteFilter(m.filter.Input) + " (esc clears it)"
	case len(m.table.All) > 0 && !m.table.ShowAll:
		return "you own or moderate no group or public conversation (a shows all)"
	}
	return "there is no conversation to act on"
}

// layout sizes the components for the terminal.
func (m Model) layout() Model {
	m.c.Help.Width = m.c.Width
	// the table has what the header, the column header, the status bar,
	// the help line, the filter line and the dialog or detail leave
	h := m.c.Height - 4
	if m.filter.On() {
		h--
	}
	if m.dialog != nil {
		h -= lipgloss.Height(dialog.Box(m.c, m.dialog))
	} else {
		h -= m.detailHeight()
	}
	m.table.SetHeight(max(h, 1))
	m.syncKeys()
	return m
}

// detailHeight is the height of the detail pane below the table.
func (m Model) detailHeight() int {
	switch {
	case m.c.Height >= 36:
		return 10
	case m.c.Height >= 24:
		return 8
	}
	return 6
}

// View renders the screen.
func (m Model) View() string {
	w, h := m.c.Width, m.c.Height
	if w < minWidth || h < minHeight {
		msg := "terminal too small: " + strconv.Itoa(w) + "x" + strconv.Itoa(h) + ", talkmod needs at least " +
			strconv.Itoa(minWidth) + "x" + strconv.Itoa(minHeight) + ". Enlarge the window, or press q to quit."
		if d, ok := m.dialog.(dialog.Confirm); ok {
			if _, ok := d.Payload.(quitPayload); ok {
				msg += " " + d.Question
			} else {
				msg += " A question is open: it waits for the larger window."
			}
		} else if m.dialog != nil {
			msg += " A dialog is open: it waits for the larger window."
		}
		return m.c.Styles.Plain.Width(w).Render(msg)
	}
	now := m.c.Now()
	lines := make([]string, 0, h)
	lines = append(lines, m.headerView(now))
	bodyH := h - 3 // header, status, help
	var body []string
	page := m.onScreen()
	switch {
	case m.help.Show:
		body = m.help.Page(m.c, m.fullHelpView(), bodyH)
	case page != nil && m.dialog != nil:
		// a question (quit with a change in flight) shows below the page
		q := strings.Split(dialog.Box(m.c, m.dialog), "\n")
		body = append(strings.Split(page.View(m.c, m.env(page), now, max(bodyH-len(q), 1)), "\n"), q...)
	case page != nil:
		body = strings.Split(page.View(m.c, m.env(page), now, bodyH), "\n")
	case m.detailFull:
		body = strings.Split(m.detailPane().View(now, bodyH, true), "\n")
	default:
		if m.filter.Typing || m.filter.Input != "" {
			body = append(body, m.filter.View(m.c, &m.table))
		}
		rc := m.rowCtx(now)
		body = append(body, m.table.HeaderLine(rc))
		rows := m.table.View(rc)
		if len(rows) == 0 {
			rows = []string{m.c.Styles.Dim.Render(common.Fit("  "+m.emptyText(), w))}
		}
		body = append(body, rows...)
		// below the rows: the open dialog, else the detail pane
		lower, lowerH := dialog.Box(m.c, m.dialog), 0
		if m.dialog == nil {
			lower, lowerH = m.detailPane().View(now, m.detailHeight(), false), m.detailHeight()
		} else {
			lowerH = lipgloss.Height(lower)
		}
		for len(body) < bodyH-lowerH {
			body = append(body, "")
		}
		body = append(body, strings.Split(lower, "\n")...)
	}
	if len(body) > bodyH {
		body = body[:bodyH]
	}
	for len(body) < bodyH {
		body = append(body, "")
	}
	lines = append(lines, body...)
	helpLine := m.shortHelpView()
	if page != nil && !m.help.Show {
		helpLine = page.HelpLine(m.c)
	}
	lines = append(lines, m.statusView(now), helpLine)
	for i, l := range lines {
		if common.Width(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	return strings.Join(lines, "\n")
}

func (m Model) emptyText() string {
	switch {
	case !m.accts.Loaded() && m.accts.Failed():
		return "the conversations could not be loaded (see below)"
	case !m.accts.Loaded():
		return "loading the conversations…"
	}
	return m.noRoomReason()
}

func (m Model) rowCtx(now time.Time) roomlist.RowCtx {
	rooms, marks, accts := m.rooms, m.bulk.marks, m.accts
	var stale func(int) bool
	var capsOf func(int) models.Capabilities
	if accts.Multi() {
		stale = func(i int) bool { return accts[i].Stale() }
		capsOf = func(i int) models.Capabilities { return accts[i].Caps }
	}
	return roomlist.RowCtx{
		Stale: stale, CapsOf: capsOf,
		C: m.c, Caps: m.accts[0].Caps, Now: now, Spin: common.SpinFrame(m.ticks.frame), Waiting: m.people.Waiting,
		State: func(token string) roomlist.RowState {
			marked := marks.Has(token)
			s := rooms[token]
			if s == nil {
				return roomlist.RowState{Marked: marked}
			}
			return roomlist.RowState{Pending: s.pending != 0, Done: s.outcome != nil, OK: s.outcome != nil && s.outcome.ok, Marked: marked}
		},
	}
}

// ticks are the console's timers: the spinner while a request is pending
// and the 1 s countdown while a timer is on screen.
type ticks struct {
	spinning  bool
	frame     int
	countdown bool
}

// positive is d, or def when d is not positive.
func positive(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
