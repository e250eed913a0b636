package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui"
)

// readOnlyError is the answer of a read-only session's backend to a
// change: nothing is sent.
type readOnlyError struct{}

func (readOnlyError) Error() string { return tui.ReadOnlyNote + "; nothing was sent" }

// sessionBackend is the console's backend in an SSH session: the
// session's own client, plus the audit log of every change attempt, the
// read-only refusal, and the watch for a revoked login (401).
type sessionBackend struct {
	c        *client.Client
	readOnly bool
	sv       *serveServer
	info     *sessInfo

	names        sync.Map // token → room name, from the lists read
	unauthorized atomic.Bool
}

var (
	_ tui.Backend = (*sessionBackend)(nil)
	_ interface {
		DialInInfo(ctx context.Context, token string) (string, error)
	} = (*sessionBackend)(nil)
)

func (b *sessionBackend) note(err error) error {
	if err != nil && client.KindOf(err) == client.KindUnauthorized {
		b.unauthorized.Store(true)
	}
	return err
}

func (b *sessionBackend) Capabilities(ctx context.Context) (models.Capabilities, error) {
	caps, err := b.c.Capabilities(ctx)
	return caps, b.note(err)
}

func (b *sessionBackend) ListRooms(ctx context.Context, opts client.ListOptions) (*client.RoomList, error) {
	l, err := b.c.ListRooms(ctx, opts)
	if err == nil && l != nil {
		for _, r := range l.Rooms {
			b.names.Store(r.Token, r.DisplayName)
		}
	}
	return l, b.note(err)
}

func (b *sessionBackend) GetRoom(ctx context.Context, token string) (models.Room, error) {
	r, err := b.c.GetRoom(ctx, token)
	if err == nil {
		b.names.Store(r.Token, r.DisplayName)
	}
	return r, b.note(err)
}

// DialInInfo passes the dial-in card's text through (the console finds it
// by a type assertion).
func (b *sessionBackend) DialInInfo(ctx context.Context, token string) (string, error) {
	text, err := b.c.DialInInfo(ctx, token)
	return text, b.note(err)
}

func (b *sessionBackend) SetLobby(ctx context.Context, token string, state models.LobbyState, timer *time.Time) (models.Room, error) {
	vals := map[string]any{"state": int(state)}
	if timer != nil {
		vals["timer"] = timer.Unix()
		vals["timerUTC"] = timer.UTC().Format(time.RFC3339)
	}
	return b.change("lobby", token, vals, func() (models.Room, error) { return b.c.SetLobby(ctx, token, state, timer) })
}

func (b *sessionBackend) SetSIP(ctx context.Context, token string, state models.SIPState) (models.Room, error) {
	return b.change("sip", token, map[string]any{"state": int(state)}, func() (models.Room, error) { return b.c.SetSIP(ctx, token, state) })
}

// Participants passes the people view's read through.
func (b *sessionBackend) Participants(ctx context.Context, token string) ([]models.Participant, error) {
	ps, err := b.c.Participants(ctx, token)
	return ps, b.note(err)
}

// SetAttendeePermissions (let in, send back) is a change: audited, and
// refused in a read-only session.
func (b *sessionBackend) SetAttendeePermissions(ctx context.Context, token string, attendeeID int64, method client.PermissionMethod, permissions int) (models.Participant, error) {
	var p models.Participant
	vals := map[string]any{"attendeeId": attendeeID, "method": string(method), "permissions": permissions}
	_, err := b.change("attendee-permissions", token, vals, func() (models.Room, error) {
		var err error
		p, err = b.c.SetAttendeePermissions(ctx, token, attendeeID, method, permissions)
		return models.Room{}, err
	})
	return p, err
}

// RemoveAttendee is a change: audited, and refused in a read-only session.
func (b *sessionBackend) RemoveAttendee(ctx context.Context, token string, attendeeID int64) error {
	_, err := b.change("remove-attendee", token, map[string]any{"attendeeId": attendeeID}, func() (models.Room, error) {
		return models.Room{}, b.c.RemoveAttendee(ctx, token, attendeeID)
	})
	return err
}

// change runs (or, read-only, refuses) one change and writes its audit
// line.
func (b *sessionBackend) change(action, token string, vals map[string]any, do func() (models.Room, error)) (models.Room, error) {
	ev := b.info.who()
	ev.Event, ev.Action, ev.Token, ev.Values = "change", action, token, vals
	if n, ok := b.names.Load(token); ok {
		ev.RoomName, _ = n.(string)
	}
	if b.readOnly {
		ev.Outcome, ev.Reason, ev.Message = "refused", "read-only", "read-only session: nothing was sent"
		b.sv.audit.log(ev)
		return models.Room{}, readOnlyError{}
	}
	b.sv.inflight.Add(1)
	defer b.sv.inflight.Add(-1)
	room, err := do()
	if err != nil {
		je := errorJSON(err).Error
		ev.Outcome, ev.Status, ev.Reason, ev.Message = "error", je.Status, firstNonEmpty(je.Reason, je.Kind), je.Message
	} else {
		ev.Outcome, ev.Status = "ok", 200
		if room.DisplayName != "" {
			ev.RoomName = room.DisplayName
		}
	}
	b.sv.audit.log(ev)
	return room, b.note(err)
}

// messages of the session model
type (
	shutdownMsg  struct{}
	idleCheckMsg struct{}
)

// loggedIn is what the in-session login gives the session.
type loggedIn struct {
	login    serveLogin
	password string
}

// sessionModel is the program of one SSH session: the in-session login
// while the key has no working Nextcloud login, then the console.
type sessionModel struct {
	sv   *serveServer
	ctx  context.Context
	info *sessInfo
	r    *lipgloss.Renderer

	inLogin bool
	login   tui.LoginModel
	console tea.Model
	be      *sessionBackend

	w, h      int
	lastInput time.Time
	notice    string
}

func newSessionModel(sv *serveServer, ctx context.Context, info *sessInfo, r *lipgloss.Renderer) *sessionModel {
	return &sessionModel{sv: sv, ctx: ctx, info: info, r: r, w: 80, h: 24, lastInput: time.Now()}
}

func (m *sessionModel) Init() tea.Cmd {
	var first tea.Cmd
	l, pw, ok, err := m.sv.store.get(m.info.fp)
	switch {
	case err != nil:
		first = m.startLogin("the stored login could not be read (" + err.Error() + "): sign in again")
	case ok && sameServer(l.Server, m.sv.o.server):
		m.sv.store.touch(m.info.fp, time.Now())
		first = m.startConsole(l, pw)
	default:
		first = m.startLogin("")
	}
	return tea.Batch(first, m.idleCheck())
}

func (m *sessionModel) idleCheck() tea.Cmd {
	d := m.sv.o.idleTimeout
	if d <= 0 {
		return nil
	}
	every := min(max(d/4, 10*time.Millisecond), 30*time.Second)
	return tea.Tick(every, func(time.Time) tea.Msg { return idleCheckMsg{} })
}

func (m *sessionModel) startLogin(why string) tea.Cmd {
	intro := "Key " + m.info.fp + ": no Nextcloud login yet"
	if why != "" {
		intro = why
	}
	server := m.sv.o.server
	fp := m.info.fp
	host, _ := os.Hostname()
	ua := "talkmod/" + client.Version + " serve"
	if host != "" {
		ua += " (" + host + ")"
	}
	ua += " " + fp
	m.inLogin = true
	m.console, m.be = nil, nil
	m.login = tui.NewLogin(m.ctx, tui.LoginOptions{
		Server:       server,
		Intro:        intro,
		Renderer:     m.r,
		PollInterval: m.sv.o.loginPoll,
		Start: func(ctx context.Context) (*client.LoginFlow, error) {
			return client.StartLogin(ctx, server, client.LoginUserAgent(ua))
		},
		Poll:   client.PollLogin,
		Finish: m.finishLogin,
	})
	m.login, _ = updateLogin(m.login, tea.WindowSizeMsg{Width: m.w, Height: m.h})
	return m.login.Init()
}

func updateLogin(l tui.LoginModel, msg tea.Msg) (tui.LoginModel, tea.Cmd) {
	nm, cmd := l.Update(msg)
	return nm.(tui.LoginModel), cmd
}

// finishLogin checks a granted login and stores it under the key (it runs
// in a command, not in Update).
func (m *sessionModel) finishLogin(ctx context.Context, res *client.LoginResult) (any, error) {
	server := m.sv.o.server
	c, err := newAPIClient(client.Config{BaseURL: server, User: res.LoginName, AppPassword: res.AppPassword})
	if err != nil {
		return nil, err
	}
	u, err := c.CurrentUser(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC().Truncate(time.Second)
	l := serveLogin{Fingerprint: m.info.fp, Server: c.BaseURL(), LoginName: res.LoginName, UserID: u.ID,
		DisplayName: u.DisplayName, AddedAt: now, LastSeen: now}
	prev, old, err := m.sv.store.put(l, res.AppPassword)
	if err != nil {
		return nil, err
	}
	if old != "" {
		// the login this one replaces would outlive it: revoke it on its
		// own server (never send it to another)
		if oc, err := newAPIClient(client.Config{BaseURL: prev.Server, User: prev.LoginName, AppPassword: old}); err == nil {
			rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			oc.RevokeAppPassword(rctx)
			cancel()
		}
	}
	m.info.setUser(u.ID)
	ev := m.info.who()
	ev.Event, ev.Outcome = "login", "ok"
	m.sv.audit.log(ev)
	return loggedIn{login: l, password: res.AppPassword}, nil
}

func (m *sessionModel) startConsole(l serveLogin, pw string) tea.Cmd {
	c, err := newAPIClient(client.Config{BaseURL: l.Server, User: l.LoginName, AppPassword: pw})
	if err != nil {
		return m.startLogin("the stored login cannot be used (" + err.Error() + "): sign in again")
	}
	m.info.setUser(l.UserID)
	be := &sessionBackend{c: c, readOnly: m.info.role != roleReadWrite, sv: m.sv, info: m.info}
	zone := time.UTC
	if l.Zone != "" {
		if loc, err := loadZone(l.Zone); err == nil {
			zone = loc
		}
	}
	user := firstNonEmpty(l.UserID, l.LoginName)
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
		RefreshInterval: m.sv.o.refreshInterval,
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
		if idle := time.Since(m.lastInput); idle >= m.sv.o.idleTimeout {
			m.info.setEnded(fmt.Sprintf("closed after %s without input", m.sv.o.idleTimeout))
			return m, tea.Quit
		}
		return m, m.idleCheck()
	case shutdownMsg:
		m.notice = "the server is shutting down: changes in flight get 5 s to finish"
		return m, nil
	case tui.LoginDoneMsg:
		if msg.Cancelled {
			m.info.setEnded("sign-in given up")
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
		ev := m.info.who()
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
