package serve

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/tui"
	"github.com/talkmod/talkmod/tui/login"
)

// messages of the session model
type (
	shutdownMsg  struct{}
	idleCheckMsg struct{}
)

// loggedIn is what the in-session login gives the session.
type loggedIn struct {
	login    account.KeyLogin
	password string
}

// sessionModel is the program of one SSH session: the in-session login
// while the key has no working Nextcloud login, then the console.
type sessionModel struct {
	sv   *server
	ctx  context.Context
	sess *session
	r    *lipgloss.Renderer

	inLogin bool
	login   login.Model
	console tea.Model
	be      *sessionBackend

	w, h      int
	lastInput time.Time
	notice    string
}

func newSessionModel(sv *server, ctx context.Context, sess *session, r *lipgloss.Renderer) *sessionModel {
	return &sessionModel{sv: sv, ctx: ctx, sess: sess, r: r, w: 80, h: 24, lastInput: time.Now()}
}

func (m *sessionModel) Init() tea.Cmd {
	var first tea.Cmd
	l, pw, ok, err := m.sv.logins.Get(m.sess.fp)
	switch {
	case err != nil:
		first = m.startLogin("the stored login could not be read (" + err.Error() + "): sign in again")
	case ok && account.SameServer(l.Server, m.sv.o.Server):
		m.sv.logins.Touch(m.sess.fp, time.Now())
		first = m.startConsole(l, pw)
	default:
		first = m.startLogin("")
	}
	return tea.Batch(first, m.idleCheck())
}

func (m *sessionModel) idleCheck() tea.Cmd {
	d := m.sv.o.IdleTimeout
	if d <= 0 {
		return nil
	}
	every := min(max(d/4, 10*time.Millisecond), 30*time.Second)
	return tea.Tick(every, func(time.Time) tea.Msg { return idleCheckMsg{} })
}

func (m *sessionModel) startLogin(why string) tea.Cmd {
	intro := "Key " + m.sess.fp + ": no Nextcloud login yet"
	if why != "" {
		intro = why
	}
	server := m.sv.o.Server
	// the app password's name in Nextcloud's device list: which program,
	// never which host or key (the audit log ties a login to its key)
	ua := sessionUserAgent
	m.inLogin = true
	m.console, m.be = nil, nil
	m.login = login.New(m.ctx, login.Options{
		Server:       server,
		Intro:        intro,
		Renderer:     m.r,
		PollInterval: m.sv.o.LoginPoll,
		Start: func(ctx context.Context) (*client.LoginFlow, error) {
			return client.StartLogin(ctx, server, client.LoginUserAgent(ua))
		},
		Poll:   client.PollLogin,
		Finish: m.finishLogin,
	})
	m.login, _ = updateLogin(m.login, tea.WindowSizeMsg{Width: m.w, Height: m.h})
	return m.login.Init()
}

// sessionUserAgent is the User-Agent of a session's sign-in.
var sessionUserAgent = "talkmod/" + client.Version + " serve (Nextcloud Talk moderator console)"

func updateLogin(l login.Model, msg tea.Msg) (login.Model, tea.Cmd) {
	nm, cmd := l.Update(msg)
	return nm.(login.Model), cmd
}

// finishLogin checks a granted login and stores it under the key (it runs
// in a command, not in Update).
func (m *sessionModel) finishLogin(ctx context.Context, res *client.LoginResult) (any, error) {
	server := m.sv.o.Server
	c, err := client.New(client.Config{BaseURL: server, User: res.LoginName, AppPassword: res.AppPassword})
	if err != nil {
		return nil, err
	}
	u, err := c.CurrentUser(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC().Truncate(time.Second)
	l := account.KeyLogin{Fingerprint: m.sess.fp, Server: c.BaseURL(), LoginName: res.LoginName, UserID: u.ID,
		DisplayName: u.DisplayName, AddedAt: now, LastSeen: now}
	prev, old, err := m.sv.logins.Put(l, res.AppPassword)
	if err != nil {
		return nil, err
	}
	if old != "" {
		// the login this one replaces would outlive it: revoke it on its
		// own server (never send it to another)
		if oc, err := client.New(client.Config{BaseURL: prev.Server, User: prev.LoginName, AppPassword: old}); err == nil {
			rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			oc.RevokeAppPassword(rctx)
			cancel()
		}
	}
	m.sess.setUser(u.ID)
	ev := m.sess.who()
	ev.Event, ev.Outcome = "login", "ok"
	m.sv.audit.log(ev)
	return loggedIn{login: l, password: res.AppPassword}, nil
}

func (m *sessionModel) startConsole(l account.KeyLogin, pw string) tea.Cmd {
	c, err := client.New(client.Config{BaseURL: l.Server, User: l.LoginName, AppPassword: pw})
	if err != nil {
		return m.startLogin("the stored login cannot be used (" + err.Error() + "): sign in again")
	}
	m.sess.setUser(l.UserID)
	be := &sessionBackend{c: c, readOnly: m.sess.role != roleReadWrite, sv: m.sv, sess: m.sess, ctx: m.ctx}
	zone := time.UTC
	if l.Zone != "" {
		if loc, err := m.sv.o.LoadZone(l.Zone); err == nil {
			zone = loc
		}
	}
	user := cmp.Or(l.UserID, l.LoginName)
	if be.readOnly {
		user += " (read-only)"
	}
	m.inLogin, m.be = false, be
	m.console = tui.NewWithContext(m.ctx, tui.Options{
		Backend:         be,
		Server:          l.Server,
		User:            user,
		Local:           zone,
		Renderer:        m.r,
		ReadOnly:        be.readOnly,
		ReadOnlyRefused: be.refusedKey,
		RefreshInterval: m.sv.o.RefreshInterval,
	})
	m.console, _ = m.console.Update(tea.WindowSizeMsg{Width: m.w, Height: m.h})
	return m.console.Init()
}

func (m *sessionModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.KeyMsg, tea.MouseMsg:
		m.lastInput = time.Now()
	case idleCheckMsg:
		if idle := time.Since(m.lastInput); idle >= m.sv.o.IdleTimeout {
			m.sess.setEnded(fmt.Sprintf("closed after %s without input", m.sv.o.IdleTimeout))
			return m, tea.Quit
		}
		return m, m.idleCheck()
	case shutdownMsg:
		m.notice = "the server is shutting down: changes in flight get 5 s to finish"
		return m, nil
	case login.DoneMsg:
		if msg.Cancelled {
			m.sess.setEnded("sign-in given up")
			return m, tea.Quit
		}
		if li, ok := msg.Value.(loggedIn); ok {
			return m, m.startConsole(li.login, li.password)
		}
		return m, nil
	}
	if m.inLogin {
		var cmd tea.Cmd
		m.login, cmd = updateLogin(m.login, msg)
		return m, cmd
	}
	if m.console == nil {
		return m, nil
	}
	var cmd tea.Cmd
	m.console, cmd = m.console.Update(msg)
	if m.be != nil && m.be.unauthorized.Load() {
		// the app password was revoked: sign in again
		ev := m.sess.who()
		ev.Event, ev.Outcome, ev.Status, ev.Reason = "login", "error", 401, "unauthorized"
		ev.Message = "the stored login was refused: back to the sign-in"
		m.sv.audit.log(ev)
		return m, m.startLogin("The stored login was refused (401: app password revoked?): sign in again.")
	}
	return m, cmd
}

func (m *sessionModel) View() string {
	var v string
	switch {
	case m.inLogin:
		v = m.login.View()
	case m.console != nil:
		v = m.console.View()
	}
	if m.notice == "" {
		return v
	}
	lines := strings.Split(v, "\n")
	lines[0] = m.r.NewStyle().Bold(true).Reverse(true).Render(ansi.Truncate("talkmod: "+m.notice, max(m.w, 10), "…"))
	return strings.Join(lines, "\n")
}

// closeClient closes the idle connections of the session's client to
// Nextcloud: a session that ended keeps none open.
func (m *sessionModel) closeClient() {
	if m.be != nil {
		m.be.c.CloseIdleConnections()
	}
}
