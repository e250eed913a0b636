// Package tui is talkmod's moderator console: a Bubble Tea program that
// lists the webinars a user runs and changes their lobby, lobby timer and
// SIP dial-in, showing every server answer beside the room it concerns.
package tui

import (
	"context"
	"os"
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
)

// Options configure the console.
type Options struct {
	Backend Backend
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
}

// Minimum terminal size.
const (
	minWidth  = 60
	minHeight = 16
)

type modalKind int

const (
	modalNone modalKind = iota
	modalPicker
	modalSIP
	modalConfirm
)

// outcome is the last answer to an action on a room; it stays until the
// next action on that room.
type outcome struct {
	ok   bool
	op   opKind
	text string // plain words (sanitized when rendered)
	kind client.Kind
}

// flash is the status bar message.
type flash struct {
	text  string
	level flashLevel
	id    int
}

// flashLevel is how a status message is shown and how long it stays.
type flashLevel int

const (
	levelInfo flashLevel = iota // clears itself after a while
	levelWarn                   // stays until the next key
	levelErr                    // stays until the next key
	levelOK                     // a confirmed change (clears itself like info)
)

// Model is the console's root model.
type Model struct {
	c       Common
	backend Backend
	ctx     context.Context
	server  string
	user    string

	refreshEvery, fullEvery, timeout time.Duration
	// after schedules msg after d (tea.Tick; tests replace it).
	after func(d time.Duration, msg tea.Msg) tea.Cmd

	table roomsTable

	// refresh state (refresh.go)
	caps          models.Capabilities
	capsSeq       int
	capsFailed    bool // the last read failed: read again after a good list
	talkHash      string
	listSeq       int
	listInflight  bool
	modifiedSince int64
	lastFull      time.Time
	lastRefresh   time.Time
	loaded        bool
	listErr       error
	listErrNote   string
	needFull      bool
	pollGen       int
	backoff       time.Duration
	pausedUntil   time.Time
	unauthorized  bool

	// per-room state (roomstate.go): only rooms that have some
	rooms map[string]*roomState
	// quitting: q was asked while a change was in flight; the console
	// quits by itself once the answers are in
	quitting bool
	// refreshFlash is the id of the "refreshing…" status message, which
	// ends with the list's answer
	refreshFlash int

	spinning    bool
	spinFrame   int
	countdownOn bool

	flash   flash
	flashID int

	filtering bool
	filterIn  string

	modal   modalKind
	picker  pickerDialog
	sip     sipDialog
	confirm confirmDialog

	showHelp   bool
	helpOffset int // the first line of the help on screen (it scrolls)
	detailFull bool
	help       help.Model

	// the SIP dial-in numbers (dialin.go)
	dialIn dialInCache

	// the people view and the counts it read (people.go)
	people peopleState

	// bulk changes to the marked rooms (bulk.go)
	bulk bulkState
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
		c: Common{
			Styles: NewStyles(r),
			Keys:   DefaultKeyMap(),
			Now:    now,
			zones:  newZonesOpen(opts.Open, opts.Local, opts.Zone),
			Width:  80,
			Height: 24,
		},
		backend:      opts.Backend,
		ctx:          ctx,
		server:       opts.Server,
		user:         opts.User,
		refreshEvery: opts.RefreshInterval,
		fullEvery:    opts.FullRefreshInterval,
		timeout:      opts.RequestTimeout,
		after: func(d time.Duration, msg tea.Msg) tea.Cmd {
			return tea.Tick(d, func(time.Time) tea.Msg { return msg })
		},
		rooms: map[string]*roomState{},
		// the first requests (sent by Init)
		capsSeq:      1,
		listSeq:      1,
		listInflight: true,
	}
	if m.refreshEvery <= 0 {
		m.refreshEvery = 30 * time.Second
	}
	if m.fullEvery <= 0 {
		m.fullEvery = 5 * time.Minute
	}
	if m.timeout <= 0 {
		m.timeout = 30 * time.Second
	}
	m.c.ReadOnly, m.c.readOnlyRefused = opts.ReadOnly, opts.ReadOnlyRefused
	m.help = help.Model{ShortSeparator: " · ", FullSeparator: "   ", Ellipsis: "…", Styles: m.c.Styles.Help}
	m.layout()
	return m
}

// Init reads the capabilities and the full room list.
func (m Model) Init() tea.Cmd {
	return tea.Batch(m.capsCmd(m.capsSeq), m.listCmd(m.listSeq, true, 0))
}

// Update handles a message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	marked := m.markedNames(msg)
	m, cmd := m.update(msg)
	m.syncMarks(marked)
	m.layout()
	// both change m: called before m is returned
	ticks, dialIn := m.ensureTicks(), m.maybeReadDialIn()
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
				m.layout()
				cmds = append(cmds, cmd)
			}
			return m, tea.Batch(cmds...)
		}
		return m.handleKey(msg)
	case listMsg:
		return m.handleList(msg)
	case capsMsg:
		return m.handleCaps(msg)
	case dialInMsg:
		return m.handleDialIn(msg)
	case actionMsg:
		return m.handleAction(msg)
	case peopleReadMsg, peopleTickMsg:
		return m.updatePeople(msg)
	case peopleActMsg:
		m, cmd := m.updatePeople(msg)
		if m.quitting && m.pendingCount() == 0 {
			// the last answer the user waited for: quit by itself
			return m, tea.Batch(cmd, tea.Quit)
		}
		return m, cmd
	case rereadMsg:
		return m.handleReread(msg)
	case confirmedMsg, confirmCancelledMsg, sipChosenMsg, sipCancelledMsg, pickedMsg, pickerCancelledMsg:
		return m.handleDialogResult(msg)
	case pollMsg:
		return m.handlePoll(msg)
	case countdownMsg:
		m.countdownOn = false
		return m, m.checkExpiry(true)
	case spinMsg:
		m.spinning = false
		m.spinFrame++
		return m, nil
	case flashExpiredMsg:
		if msg.id == m.flash.id && (m.flash.level == levelInfo || m.flash.level == levelOK) {
			m.flash = flash{}
		}
		return m, nil
	}
	return m, nil
}

// ensureTicks arms the spinner while a request is pending and the 1 s
// countdown while a timer is on screen.
func (m *Model) ensureTicks() tea.Cmd {
	var cmds []tea.Cmd
	if !m.spinning && m.pendingCount() > 0 {
		m.spinning = true
		cmds = append(cmds, m.after(spinEvery, spinMsg{}))
	}
	if !m.countdownOn && m.countdownOnScreen() {
		m.countdownOn = true
		cmds = append(cmds, m.after(time.Second, countdownMsg{}))
	}
	return tea.Batch(cmds...)
}

func (m Model) countdownOnScreen() bool {
	if m.c.Width < minWidth || m.c.Height < minHeight {
		return false
	}
	has := func(e *entry) bool {
		return e.room.LobbyState == models.LobbyModeratorsOnly && e.room.LobbyTimer > 0
	}
	if !m.detailFull && !m.showHelp {
		for _, e := range m.table.onScreen() {
			if has(e) {
				return true
			}
		}
	}
	if e := m.table.selected(); e != nil && has(e) {
		return true
	}
	return m.modal == modalPicker
}

// setFlashSticky shows a message that stays until replaced.
func (m *Model) setFlashSticky(text string, level flashLevel) {
	m.flashID++
	m.flash = flash{text: text, level: level, id: m.flashID}
}

// noteLost tells the user that the selected room left the list.
func (m *Model) noteLost(lr *lostRoom) {
	if lr == nil {
		return
	}
	why := lr.why
	if s := m.rooms[lr.token]; s != nil && s.gone {
		why = "the server answered 404 (not found) for it"
	}
	closed := ""
	if m.dialogToken() == lr.token {
		// a dialog for a room that left the list is closed: nothing acts
		// on a room the list no longer shows
		m.modal = modalNone
		closed = " Its dialog was closed: nothing was sent."
	}
	m.setFlashSticky(lr.name+" is no longer in your list: "+why+"."+closed+" Nothing is selected: ↑/↓ selects a room", levelWarn)
}

// dialogToken is the room the open dialog acts on ("" for none, for the
// dialogs of marked rooms and for the quit question).
func (m Model) dialogToken() string {
	switch m.modal {
	case modalPicker:
		return m.picker.token
	case modalSIP:
		return m.sip.token
	case modalConfirm:
		if req, ok := m.confirm.Payload.(actionReq); ok {
			return req.token
		}
	}
	return ""
}

func (m *Model) setFlash(text string, level flashLevel) tea.Cmd {
	m.flashID++
	m.flash = flash{text: text, level: level, id: m.flashID}
	if level == levelInfo || level == levelOK {
		return m.after(6*time.Second, flashExpiredMsg{id: m.flashID})
	}
	return nil
}

func (m Model) handleKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.c.Keys
	tooSmall := m.c.Width < minWidth || m.c.Height < minHeight
	if tooSmall {
		// nothing acts unseen: every key but quit is ignored, and an
		// open dialog keeps its state for when the window grows
		if m.modal == modalConfirm {
			if _, ok := m.confirm.Payload.(quitPayload); ok && key.Matches(msg, k.Yes) {
				// the quit question is on the too-small screen too
				return m, tea.Quit
			}
		}
		if key.Matches(msg, k.Quit) {
			return m.quit(msg)
		}
		return m, nil
	}
	if m.modal == modalBulkLobby {
		return m.bulkLobbyKey(msg)
	}
	switch m.modal {
	case modalPicker:
		if msg.Type == tea.KeyCtrlC {
			return m.quit(msg)
		}
		p, res := m.picker.Update(&m.c, msg)
		m.picker = p
		if res == nil {
			return m, nil
		}
		return m.handleDialogResult(res)
	case modalSIP:
		if msg.Type == tea.KeyCtrlC {
			return m.quit(msg)
		}
		d, res := m.sip.Update(m.c, msg)
		m.sip = d
		if res == nil {
			return m, nil
		}
		return m.handleDialogResult(res)
	case modalConfirm:
		if msg.Type == tea.KeyCtrlC {
			// ctrl+c on the quit question, or on any question, quits
			return m, tea.Quit
		}
		d, res := m.confirm.Update(m.c, msg)
		m.confirm = d
		return m.handleDialogResult(res)
	}
	if msg.Type == tea.KeyCtrlC {
		return m.quit(msg)
	}
	if m.people.open && !m.showHelp {
		if m.readOnlyRefuses(msg) {
			return m, m.refuseReadOnly(msg)
		}
		return m.peopleKey(msg)
	}
	if m.filtering {
		return m.updateFilter(msg)
	}
	// an error stays until the next key; a warning too
	if m.flash.level == levelWarn || m.flash.level == levelErr {
		m.flash = flash{}
	}
	if m.showHelp {
		// q quits; any other key only closes the help: a key meant for
		// the help must not change a room the user cannot see
		if key.Matches(msg, k.Quit) {
			return m.quit(msg)
		}
		if m.scrollHelp(msg) {
			return m, nil
		}
		m.showHelp = false
		return m, nil
	}
	if m.readOnlyRefuses(msg) {
		return m, m.refuseReadOnly(msg)
	}
	if m2, cmd, ok := m.bulkKey(msg); ok {
		return m2, cmd
	}
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit(msg)
	case key.Matches(msg, k.Help):
		m.showHelp, m.helpOffset = true, 0
		return m, nil
	case key.Matches(msg, k.Up):
		m.table.move(-1)
	case key.Matches(msg, k.Down):
		m.table.move(1)
	case key.Matches(msg, k.PageUp):
		m.table.move(-m.table.height)
	case key.Matches(msg, k.PageDown):
		m.table.move(m.table.height)
	case key.Matches(msg, k.Top):
		m.table.top()
	case key.Matches(msg, k.Bottom):
		m.table.bottom()
	case key.Matches(msg, k.Filter):
		m.filtering = true
		m.detailFull = false
		return m, nil
	case key.Matches(msg, k.Back):
		m.detailFull = false
		return m, nil
	case key.Matches(msg, k.ClearFilter):
		m.filterIn = ""
		m.table.setFilter("")
		return m, nil
	case key.Matches(msg, k.Detail):
		if m.table.selected() == nil {
			return m, m.setFlash(m.noRoomReason(), levelWarn)
		}
		m.detailFull = !m.detailFull
	case key.Matches(msg, peopleKeys.Open):
		return m.openPeople()
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
		m.table.resort((m.table.sortBy + 1) % sortModes)
		return m, m.setFlash("sorted by "+m.table.sortBy.String()+" (o changes the order)", levelInfo)
	case key.Matches(msg, k.Zone):
		if reason := m.c.zoneBlocked(); reason != "" {
			return m, m.setFlash(reason, levelWarn)
		}
		m.c.nextZone()
		return m, m.setFlash("times are now shown in "+m.c.ZoneLabel(), levelInfo)
	case key.Matches(msg, k.All):
		m.table.setShowAll(!m.table.showAll)
		if m.table.showAll {
			return m, m.setFlash("all rooms: · marks what you cannot change (detail: why)", levelInfo)
		}
		return m, m.setFlash("showing only the conversations you own or moderate", levelInfo)
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
	what := itoa(n) + " changes are"
	if n == 1 {
		what = "1 change is"
	}
	m.quitting = true
	return m.openConfirm(newConfirm("Quit talkmod",
		[]string{"talkmod quits by itself as soon as the server has answered."},
		what+" still waiting for the server: quit anyway? y/n",
		"not quitting: the answer will show beside the room or person it concerns", quitPayload{}))
}

// updateFilter handles keys while the filter is being typed.
func (m Model) updateFilter(msg tea.KeyMsg) (Model, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEsc:
		m.filtering = false
		m.filterIn = ""
		m.table.setFilter("")
	case tea.KeyEnter:
		m.filtering = false
	case tea.KeyBackspace:
		if r := []rune(m.filterIn); len(r) > 0 {
			m.filterIn = string(r[:len(r)-1])
			m.table.setFilter(m.filterIn)
		}
	case tea.KeyUp:
		m.table.move(-1)
	case tea.KeyDown:
		m.table.move(1)
	case tea.KeyRunes, tea.KeySpace:
		m.filterIn += string(msg.Runes)
		m.table.setFilter(m.filterIn)
	}
	return m, nil
}

// noRoomReason says why a room key does nothing.
func (m Model) noRoomReason() string {
	switch {
	case !m.loaded && m.listInflight:
		return "the conversations are still loading"
	case m.filterIn != "":
		return "no conversation matches the filter " + quoteFilter(m.filterIn) + " (esc clears it)"
	case len(m.table.all) > 0 && !m.table.showAll:
		return "you own or moderate no group or public conversation (a shows all)"
	}
	return "there is no conversation to act on"
}

func quoteFilter(s string) string { return "\"" + sanitizeInput(s) + "\"" }

// layout sizes the components for the terminal.
func (m *Model) layout() {
	m.help.Width = m.c.Width
	m.table.setHeight(m.tableHeight())
	m.syncKeys()
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

func (m Model) tableHeight() int {
	// header, column header, status bar, help line
	h := m.c.Height - 4
	if m.filtering || m.filterIn != "" {
		h--
	}
	if m.modal != modalNone {
		h -= lipgloss.Height(m.modalView())
	} else {
		h -= m.detailHeight()
	}
	if h < 1 {
		h = 1
	}
	return h
}

// View renders the screen.
func (m Model) View() string {
	w, h := m.c.Width, m.c.Height
	if w < minWidth || h < minHeight {
		msg := "terminal too small: " + itoa(w) + "x" + itoa(h) + ", talkmod needs at least " +
			itoa(minWidth) + "x" + itoa(minHeight) + ". Enlarge the window, or press q to quit."
		if m.modal == modalConfirm {
			if _, ok := m.confirm.Payload.(quitPayload); ok {
				msg += " " + m.confirm.Question
			} else {
				msg += " A question is open: it waits for the larger window."
			}
		} else if m.modal != modalNone {
			msg += " A dialog is open: it waits for the larger window."
		}
		return m.c.Styles.Plain.Width(w).Render(msg)
	}
	now := m.c.Now()
	lines := make([]string, 0, h)
	lines = append(lines, m.headerView(now))
	bodyH := h - 3 // header, status, help
	var body []string
	switch {
	case m.showHelp:
		body = m.helpPage(bodyH)
	case m.people.open && m.modal != modalNone:
		// a question (quit with a change in flight) shows below the people
		q := strings.Split(m.modalView(), "\n")
		body = append(strings.Split(m.peopleView(now, max(bodyH-len(q), 1)), "\n"), q...)
	case m.people.open:
		body = strings.Split(m.peopleView(now, bodyH), "\n")
	case m.detailFull:
		body = strings.Split(m.detailView(now, bodyH, true), "\n")
	default:
		if m.filtering || m.filterIn != "" {
			body = append(body, m.filterView())
		}
		rc := m.rowCtx(now)
		body = append(body, m.table.headerLine(rc))
		rows := m.table.view(rc)
		if len(rows) == 0 {
			rows = []string{m.c.Styles.Dim.Render(fit("  "+m.emptyText(), w))}
		}
		body = append(body, rows...)
		for len(body) < bodyH-m.lowerHeight() {
			body = append(body, "")
		}
		if m.modal != modalNone {
			body = append(body, strings.Split(m.modalView(), "\n")...)
		} else {
			body = append(body, strings.Split(m.detailView(now, m.detailHeight(), false), "\n")...)
		}
	}
	if len(body) > bodyH {
		body = body[:bodyH]
	}
	for len(body) < bodyH {
		body = append(body, "")
	}
	lines = append(lines, body...)
	helpLine := m.shortHelpView()
	if m.people.open && !m.showHelp {
		helpLine = m.peopleHelpLine()
	}
	lines = append(lines, m.statusView(now), helpLine)
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	return strings.Join(lines, "\n")
}

func (m Model) lowerHeight() int {
	if m.modal != modalNone {
		return lipgloss.Height(m.modalView())
	}
	return m.detailHeight()
}

func (m Model) emptyText() string {
	switch {
	case !m.loaded && m.listErr != nil:
		return "the conversations could not be loaded (see below)"
	case !m.loaded:
		return "loading the conversations…"
	}
	return m.noRoomReason()
}

func (m Model) rowCtx(now time.Time) rowCtx {
	return rowCtx{
		c: m.c, caps: m.caps, now: now, rooms: m.rooms,
		spin: spinFrame(m.spinFrame), width: m.c.Width, waiting: m.peopleWaiting,
	}
}

func (m Model) filterView() string {
	st := m.c.Styles
	cursor := ""
	if m.filtering {
		cursor = "█"
	}
	text := "/" + sanitizeInput(m.filterIn) + cursor
	n := len(m.table.visible)
	count := " " + itoa(n) + " matches"
	if n == 1 {
		count = " 1 match"
	}
	return st.Filter.Render(fit(text, m.c.Width-16)) + st.Dim.Render(fit(count, 16))
}
