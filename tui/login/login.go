// Package login is the in-terminal Login Flow v2 of talkmod serve: the
// address and a QR code in 80x24, polling until access is granted.
package login

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"rsc.io/qr"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// Options configure the in-terminal Login Flow v2 (the sign-in of an
// SSH session whose key has no Nextcloud login yet). The login model does
// no I/O of its own: it asks these functions, in commands.
type Options struct {
	// Server is the Nextcloud the user signs in to (shown, sanitized).
	Server string
	// Intro is one line above the address (e.g. which key signs in).
	Intro string
	// Start starts a flow (client.StartLogin); Poll asks once whether
	// access was granted (client.PollLogin: ErrLoginPending until then).
	Start func(ctx context.Context) (*client.LoginFlow, error)
	Poll  func(ctx context.Context, flow *client.LoginFlow) (*client.LoginResult, error)
	// Finish checks and stores a granted login; its value is handed on in
	// DoneMsg.Value. Its error is shown, and r starts again.
	Finish func(ctx context.Context, res *client.LoginResult) (any, error)
	// Renderer builds the styles (the session's renderer).
	Renderer *lipgloss.Renderer
	// PollInterval (default 2 s) and TimeLimit (default 20 min) pace the
	// flow, as talkmod login does.
	PollInterval, TimeLimit time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// DoneMsg ends the login: Value is what Finish returned; Cancelled is
// set when the user gave up (q or ctrl+c).
type DoneMsg struct {
	Value     any
	Cancelled bool
}

type loginPhase int

const (
	loginStarting loginPhase = iota
	loginWaiting
	loginFinishing
	loginFailed
	loginDone
)

type loginStartedMsg struct {
	gen  int
	flow *client.LoginFlow
	err  error
}

type loginPollTickMsg struct{ gen int }

type loginPolledMsg struct {
	gen int
	res *client.LoginResult
	err error
}

type loginFinishedMsg struct {
	gen   int
	value any
	err   error
}

type loginSpinMsg struct{ gen int }

// Model shows the login address and its QR code, a spinner while the
// server waits for the user to grant access, and q to give up. It fits an
// 80x24 terminal.
type Model struct {
	ctx   context.Context
	opts  Options
	st    loginStyles
	w, h  int
	phase loginPhase
	gen   int // a restart (r) drops the answers of the old flow
	flow  *client.LoginFlow
	err   string
	start time.Time
	frame int
	fails int
}

type loginStyles struct {
	title, dim, err, url, qr lipgloss.Style
	colour, dark             bool
}

// New builds the login model; its requests derive from ctx (the SSH
// session's context: a disconnect cancels them).
func New(ctx context.Context, opts Options) Model {
	if ctx == nil {
		ctx = context.Background()
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 2 * time.Second
	}
	if opts.TimeLimit <= 0 {
		opts.TimeLimit = 20 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	r := opts.Renderer
	if r == nil {
		r = lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.Ascii))
	}
	accent := lipgloss.AdaptiveColor{Light: "#5A3FC0", Dark: "#A78BFA"}
	st := loginStyles{
		title:  r.NewStyle().Bold(true).Foreground(accent),
		dim:    r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#777777", Dark: "#8A8A8A"}),
		err:    r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#B91C1C", Dark: "#F87171"}),
		url:    r.NewStyle().Bold(true),
		colour: r.ColorProfile() != termenv.Ascii,
		dark:   r.HasDarkBackground(),
	}
	// with colours, the code is drawn black on white whatever the
	// terminal's own colours: scanners want dark modules on light
	st.qr = r.NewStyle().Foreground(lipgloss.Color("0")).Background(lipgloss.Color("15"))
	return Model{ctx: ctx, opts: opts, st: st, w: 80, h: 24, gen: 1, start: opts.Now()}
}

// Init starts the flow.
func (m Model) Init() tea.Cmd { return m.startCmd() }

// restart starts a new flow (r after a failure).
func (m Model) restart() (Model, tea.Cmd) {
	m.gen++
	m.phase, m.flow, m.err, m.fails = loginStarting, nil, "", 0
	m.start = m.opts.Now()
	return m, m.startCmd()
}

func (m Model) startCmd() tea.Cmd {
	gen, ctx, start := m.gen, m.ctx, m.opts.Start
	return tea.Batch(func() tea.Msg {
		flow, err := start(ctx)
		return loginStartedMsg{gen: gen, flow: flow, err: err}
	}, m.spin())
}

func (m Model) spin() tea.Cmd {
	gen := m.gen
	return tea.Tick(common.SpinEvery, func(time.Time) tea.Msg { return loginSpinMsg{gen: gen} })
}

func (m Model) pollLater() tea.Cmd {
	gen := m.gen
	return tea.Tick(m.opts.PollInterval, func(time.Time) tea.Msg { return loginPollTickMsg{gen: gen} })
}

// Update handles a message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.KeyMsg:
		switch {
		case msg.Type == tea.KeyCtrlC || msg.String() == "q" || msg.Type == tea.KeyEsc:
			m.phase = loginDone
			m.gen++ // late answers are dropped
			return m, func() tea.Msg { return DoneMsg{Cancelled: true} }
		case msg.String() == "r" && m.phase == loginFailed:
			return m.restart()
		}
	case loginSpinMsg:
		if msg.gen != m.gen || m.phase == loginFailed || m.phase == loginDone {
			return m, nil
		}
		m.frame++
		return m, m.spin()
	case loginStartedMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		if msg.err != nil {
			m.phase, m.err = loginFailed, "could not start the login: "+client.Message(msg.err)
			return m, nil
		}
		m.phase, m.flow = loginWaiting, msg.flow
		return m, m.pollLater()
	case loginPollTickMsg:
		if msg.gen != m.gen || m.phase != loginWaiting {
			return m, nil
		}
		if m.opts.Now().Sub(m.start) > m.opts.TimeLimit {
			m.phase, m.err = loginFailed, "no access was granted within "+m.opts.TimeLimit.String()
			return m, nil
		}
		gen, ctx, flow, poll := m.gen, m.ctx, m.flow, m.opts.Poll
		return m, func() tea.Msg {
			res, err := poll(ctx, flow)
			return loginPolledMsg{gen: gen, res: res, err: err}
		}
	case loginPolledMsg:
		if msg.gen != m.gen || m.phase != loginWaiting {
			return m, nil
		}
		switch {
		case msg.err == nil:
			m.phase = loginFinishing
			gen, ctx, res, finish := m.gen, m.ctx, msg.res, m.opts.Finish
			return m, func() tea.Msg {
				v, err := finish(ctx, res)
				return loginFinishedMsg{gen: gen, value: v, err: err}
			}
		case errors.Is(msg.err, client.ErrLoginPending):
			m.fails = 0
			return m, m.pollLater()
		}
		// a network hiccup or a 5xx while waiting is not the end of the
		// flow (as in talkmod login); anything else is
		if k := client.KindOf(msg.err); (k == client.KindNetwork || k == client.KindUnavailable) && m.fails < 5 {
			m.fails++
			return m, m.pollLater()
		}
		m.phase, m.err = loginFailed, client.Message(msg.err)
	case loginFinishedMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		if msg.err != nil {
			m.phase, m.err = loginFailed, "the server granted access, but: "+client.Message(msg.err)
			return m, nil
		}
		m.phase = loginDone
		v := msg.value
		return m, func() tea.Msg { return DoneMsg{Value: v} }
	}
	return m, nil
}

// View renders the title, the address (wrapped to the width), the QR code with the
// state beside it when there is room.
func (m Model) View() string {
	w := max(m.w, 20)
	var b strings.Builder
	title := "talkmod · sign in to " + sanitize.Line(m.opts.Server)
	b.WriteString(m.st.title.Render(ansi.Truncate(title, w, "…")) + "\n")
	if m.opts.Intro != "" {
		b.WriteString(m.st.dim.Render(ansi.Truncate(sanitize.Line(m.opts.Intro), w, "…")) + "\n")
	} else {
		b.WriteString("\n")
	}
	status := m.statusLines()
	if m.flow == nil || m.phase == loginFailed || m.phase == loginFinishing {
		for _, l := range status {
			b.WriteString(l + "\n")
		}
		return strings.TrimRight(b.String(), "\n")
	}
	b.WriteString("Open this address in a browser (here or on your phone) and grant access:\n")
	for _, l := range wrapHard(sanitize.Line(m.flow.LoginURL), w) {
		b.WriteString(m.st.url.Render(l) + "\n")
	}
	b.WriteString("\n")
	used := strings.Count(b.String(), "\n")
	left := m.h - used
	code := m.qrLines(left, w)
	if code == nil {
		for _, l := range status {
			b.WriteString(l + "\n")
		}
		if left >= len(status)+2 {
			b.WriteString(m.st.dim.Render(ansi.Truncate("(a larger window shows a QR code of the address)", w, "…")) + "\n")
		}
		return strings.TrimRight(b.String(), "\n")
	}
	qw := ansi.StringWidth(code[0])
	side := w - qw - 2
	if side >= 24 {
		for i, l := range code {
			line := l
			if i < len(status) {
				line += "  " + ansi.Truncate(status[i], side, "…")
			}
			b.WriteString(line + "\n")
		}
	} else {
		for _, l := range code {
			b.WriteString(l + "\n")
		}
		for _, l := range status {
			b.WriteString(l + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func (m Model) statusLines() []string {
	switch m.phase {
	case loginStarting:
		return []string{common.SpinFrame(m.frame) + " starting the login…", m.st.dim.Render("q gives up")}
	case loginFinishing:
		return []string{common.SpinFrame(m.frame) + " access granted: checking the new login…"}
	case loginFailed:
		return []string{m.st.err.Render("✗ " + sanitize.Line(m.err)), m.st.dim.Render("r starts again · q gives up")}
	}
	el := m.opts.Now().Sub(m.start).Round(time.Second)
	return []string{
		common.SpinFrame(m.frame) + " waiting for access (" + el.String() + ")",
		m.st.dim.Render("q gives up"),
	}
}

// wrapHard cuts s into lines of w cells (a URL has no spaces to wrap at).
func wrapHard(s string, w int) []string {
	var out []string
	for ansi.StringWidth(s) > w {
		out = append(out, ansi.Truncate(s, w, ""))
		s = ansi.TruncateLeft(s, w, "")
	}
	return append(out, s)
}

// qrLines draws the flow's address as a QR code of at most rows lines and
// cols cells: with half blocks (square modules) where it fits, else with
// sextants (2x3 modules a cell), else nil.
func (m Model) qrLines(rows, cols int) []string {
	code, err := qr.Encode(m.flow.LoginURL, qr.L)
	if err != nil {
		return nil
	}
	// ink is what a character draws: the dark modules on light paper (with
	// colours), else the light ones on a dark terminal
	invert := !m.st.colour && m.st.dark
	var lines []string
	n := code.Size + 2 // one module of quiet zone on each side
	switch {
	case (n+1)/2 <= rows && n <= cols:
		lines = halfBlocks(code, invert)
	case (n+2)/3 <= rows && (n+1)/2 <= cols:
		lines = sextants(code, invert)
	default:
		return nil
	}
	if m.st.colour {
		for i, l := range lines {
			lines[i] = m.st.qr.Render(l)
		}
	}
	return lines
}

// qrDark says whether module (x, y) of the code plus a one-module quiet zone
// is dark.
func qrDark(c *qr.Code, x, y int) bool {
	x, y = x-1, y-1
	if x < 0 || y < 0 || x >= c.Size || y >= c.Size {
		return false
	}
	return c.Black(x, y)
}

func halfBlocks(c *qr.Code, invert bool) []string {
	n := c.Size + 2
	var out []string
	for y := 0; y < n; y += 2 {
		var b strings.Builder
		for x := 0; x < n; x++ {
			top := qrDark(c, x, y) != invert
			bot := qrDark(c, x, y+1) != invert // past the end: paper
			switch {
			case top && bot:
				b.WriteRune('█')
			case top:
				b.WriteRune('▀')
			case bot:
				b.WriteRune('▄')
			default:
				b.WriteRune(' ')
			}
		}
		out = append(out, b.String())
	}
	return out
}

// sextants draws c (with a one-module quiet zone) with the Unicode
// sextant characters: 2 modules across and 3 down per cell.
func sextants(c *qr.Code, invert bool) []string {
	n := c.Size + 2
	var out []string
	for y := 0; y < n; y += 3 {
		var b strings.Builder
		for x := 0; x < n; x += 2 {
			v := 0
			for dy := 0; dy < 3; dy++ {
				for dx := 0; dx < 2; dx++ {
					// past the end is paper, as the quiet zone
					if qrDark(c, x+dx, y+dy) != invert {
						v |= 1 << (dy*2 + dx)
					}
				}
			}
			b.WriteRune(sextant(v))
		}
		out = append(out, b.String())
	}
	return out
}

// sextant is the character of a 2x3 pattern v (bit 0 top left, bit 1 top
// right, ... bit 5 bottom right). U+1FB00 onwards holds every pattern but
// the empty, full, left-half and right-half ones.
func sextant(v int) rune {
	switch v {
	case 0:
		return ' '
	case 63:
		return '█'
	case 21:
		return '▌'
	case 42:
		return '▐'
	}
	i := v - 1
	if v > 21 {
		i--
	}
	if v > 42 {
		i--
	}
	return rune(0x1FB00 + i)
}
