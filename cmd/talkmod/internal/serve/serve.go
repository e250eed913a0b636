// Package serve is talkmod serve: the console over SSH. Run is its one
// entry. The server is put together from parts in the style of soft-serve's
// middlewares: the handshake limits (limits.go), the key gate (keygate.go),
// the session gate (this file), the audit writer (audit.go), and the
// session's Bubble Tea program (console.go) with its audited backend
// (backend.go).
package serve

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/safetext"

	tea "github.com/charmbracelet/bubbletea"
	charmlog "github.com/charmbracelet/log"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	bm "github.com/charmbracelet/wish/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// Options are the flags of talkmod serve, the knobs tests turn, and what
// the command gives the server.
type Options struct {
	// Server is the Nextcloud every key signs in to (normalized).
	Server         string
	Listen         string
	HostKey        string // "" : host_ed25519 in Logins.Dir()
	AuthorizedKeys string
	ReadOnlyKeys   string
	IdleTimeout    time.Duration
	MaxSessions    int
	AuditLog       string // "" : standard error

	ShutdownGrace time.Duration // in-flight changes get this long (5 s)
	KeysPoll      time.Duration // how often the key files are checked (2 s)
	FailLimit     int           // failed handshakes per address ...
	FailWindow    time.Duration // ... within this long block it (10 per minute)
	LoginPoll     time.Duration // Login Flow v2 poll interval (2 s)
	Handshake     time.Duration // from connect to a console (30 s)
	// MaxUnauthenticated and MaxUnauthenticatedPerAddr bound the
	// connections without a console (100, and 10 per address).
	MaxUnauthenticated, MaxUnauthenticatedPerAddr int
	RefreshInterval                               time.Duration // the console's polling (default 30 s)
	// Ready is called with the address once the server listens.
	Ready func(addr string)

	// Logins is the store of the keys' Nextcloud logins.
	Logins *account.KeyLogins
	// LoadZone reads a stored display zone (an IANA name or an offset).
	LoadZone func(name string) (*time.Location, error)
	// ErrorFields describes a failed change for its audit line: the HTTP
	// status, the server's error word (or talkmod's kind) and the message.
	ErrorFields func(err error) (status int, reason, message string)
}

// IO is where the server writes: its start lines (Stdout), warnings and
// the audit log when no file is given (Stderr).
type IO struct {
	Stdout, Stderr io.Writer
	Now            func() time.Time
}

// UsageError is an option the server refuses (the command's exit code 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func withDefaults(o Options) Options {
	if o.ShutdownGrace <= 0 {
		o.ShutdownGrace = 5 * time.Second
	}
	if o.KeysPoll <= 0 {
		o.KeysPoll = 2 * time.Second
	}
	if o.FailLimit <= 0 {
		o.FailLimit = 10
	}
	if o.FailWindow <= 0 {
		o.FailWindow = time.Minute
	}
	if o.Listen == "" {
		o.Listen = "127.0.0.1:2222"
	}
	if o.Handshake <= 0 {
		o.Handshake = 30 * time.Second
	}
	if o.MaxUnauthenticated <= 0 {
		o.MaxUnauthenticated = 100
	}
	if o.MaxUnauthenticatedPerAddr <= 0 {
		o.MaxUnauthenticatedPerAddr = 10
	}
	if o.LoadZone == nil {
		o.LoadZone = time.LoadLocation
	}
	if o.ErrorFields == nil {
		o.ErrorFields = clientErrorFields
	}
	return o
}

// server is the running server.
type server struct {
	o      Options
	keys   *keySet
	limits *handshakeLimits
	logins *account.KeyLogins
	audit  *auditLog
	stderr io.Writer

	active       atomic.Int32
	inflight     atomic.Int64
	shuttingDown atomic.Bool
	wg           sync.WaitGroup

	mu       sync.Mutex
	sessions map[*session]bool
}

// session is one SSH session, as the server knows it.
type session struct {
	identity

	mu      sync.Mutex
	user    string
	program *tea.Program
	ended   string // why the session ended, told to the user
}

func (s *session) setUser(u string) { s.mu.Lock(); s.user = u; s.mu.Unlock() }
func (s *session) getUser() string  { s.mu.Lock(); defer s.mu.Unlock(); return s.user }

func (s *session) setEnded(why string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended == "" {
		s.ended = why
	}
}

func (s *session) endReason() string { s.mu.Lock(); defer s.mu.Unlock(); return s.ended }

// who is the audit line's who: key, role, user, address, session.
func (s *session) who() event {
	return event{Fingerprint: s.fp, Role: s.role.String(), User: s.getUser(), Remote: s.remote, Session: s.id}
}

type sessionKeyType struct{}

var sessionKey sessionKeyType

// Run runs talkmod serve until ctx ends (SIGTERM, SIGINT).
func Run(ctx context.Context, o Options, out IO) error {
	o = withDefaults(o)
	if out.Now == nil {
		out.Now = time.Now
	}
	if o.HostKey == "" {
		o.HostKey = filepath.Join(o.Logins.Dir(), "host_ed25519")
		if err := os.MkdirAll(o.Logins.Dir(), 0o700); err != nil {
			return err
		}
	}
	keys := &keySet{rwPath: o.AuthorizedKeys, roPath: o.ReadOnlyKeys}
	nrw, nro, err := keys.load()
	if err != nil {
		return err
	}
	audit, err := openAudit(o.AuditLog, out.Stderr, out.Now)
	if err != nil {
		return err
	}
	defer audit.Close()
	// wish's bubbletea middleware logs program errors (a disconnect) with
	// charmbracelet/log on standard error, where the audit log may be
	charmlog.SetOutput(io.Discard)

	sv := &server{o: o, keys: keys, logins: o.Logins, audit: audit, stderr: out.Stderr, sessions: map[*session]bool{}}
	gate := &keyGate{keys: keys, audit: audit}
	limits := newHandshakeLimits(o.FailLimit, o.FailWindow, o.Handshake, audit)
	limits.maxPending, limits.maxPendingPerAddr = o.MaxUnauthenticated, o.MaxUnauthenticatedPerAddr
	guard := &channelGuard{audit: audit}
	sv.limits = limits

	if err := checkHostKey(o.HostKey); err != nil {
		return err
	}
	srv, err := wish.NewServer(
		wish.WithHostKeyPath(o.HostKey),
		wish.WithPublicKeyAuth(gate.allow),
		wish.WithMiddleware(
			sv.console,
			sv.sessionGate,
			gate.middleware,
		),
		func(s *ssh.Server) error {
			limits.install(s)
			s.ChannelHandlers = map[string]ssh.ChannelHandler{"session": guard.handle, "default": guard.refuseChannel}
			s.RequestHandlers = map[string]ssh.RequestHandler{"tcpip-forward": guard.refuseRequest, "streamlocal-forward@openssh.com": guard.refuseRequest}
			return nil
		},
	)
	if err != nil {
		return fmt.Errorf("cannot set up the SSH server: %w", err)
	}
	hostFP, err := hostKeyFingerprint(o.HostKey)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", o.Listen, err)
	}
	addr := l.Addr().String()
	fmt.Fprintf(out.Stdout, "talkmod serve: the console over SSH for %s\n", safetext.RedactURLs(sanitize.Line(o.Server)))
	fmt.Fprintf(out.Stdout, "Listening on %s (host key %s: users can check it on first connect)\n", addr, hostFP)
	fmt.Fprintf(out.Stdout, "Keys: %d read-write (%s)", nrw, o.AuthorizedKeys)
	if o.ReadOnlyKeys != "" {
		fmt.Fprintf(out.Stdout, ", %d read-only (%s)", nro, o.ReadOnlyKeys)
	}
	fmt.Fprintln(out.Stdout)
	host, port, _ := net.SplitHostPort(addr)
	fmt.Fprintf(out.Stdout, "Connect with: ssh -p %s %s\n", port, host)
	sv.warnStaleLogins()
	audit.log(event{Event: "serve-start", Detail: "listening on " + addr + " for " + safetext.RedactURLs(o.Server) + "; host key " + hostFP})

	// key files: re-read when they change, or on SIGHUP
	hup := make(chan os.Signal, 1)
	if runtime.GOOS != "windows" {
		signal.Notify(hup, syscall.SIGHUP)
		defer signal.Stop(hup)
	}
	serveDone := make(chan error, 1)
	go func() { serveDone <- srv.Serve(l) }()
	if o.Ready != nil {
		o.Ready(addr)
	}
	tick := time.NewTicker(o.KeysPoll)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			if keys.changed() {
				sv.reloadKeys("changed")
			}
			continue
		case <-hup:
			sv.reloadKeys("SIGHUP")
			continue
		case err := <-serveDone:
			if err != nil && !errors.Is(err, ssh.ErrServerClosed) {
				srv.Close()
				return fmt.Errorf("the SSH server stopped: %w", err)
			}
		case <-ctx.Done():
		}
		break
	}
	sv.shutdown(srv, l)
	audit.log(event{Event: "serve-stop"})
	fmt.Fprintln(out.Stderr, "talkmod serve: stopped")
	return nil
}

// shutdown tells the sessions, lets changes in flight finish (up to the
// grace period), then closes everything.
func (sv *server) shutdown(srv *ssh.Server, l net.Listener) {
	sv.shuttingDown.Store(true)
	l.Close()
	// Send waits for the program's loop: never let one session hold the
	// shutdown up
	for _, p := range sv.programs() {
		go p.Send(shutdownMsg{})
	}
	deadline := time.Now().Add(sv.o.ShutdownGrace)
	for sv.inflight.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	sv.mu.Lock()
	for s := range sv.sessions {
		s.setEnded("the server is shutting down")
	}
	sv.mu.Unlock()
	for _, p := range sv.programs() {
		go p.Quit()
	}
	done := make(chan struct{})
	go func() { sv.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	srv.Close()
	// the changes still in flight end with their connections: their audit
	// lines are written before the log closes
	deadline = time.Now().Add(2 * time.Second)
	for sv.inflight.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
}

func (sv *server) programs() []*tea.Program {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	var out []*tea.Program
	for s := range sv.sessions {
		s.mu.Lock()
		if s.program != nil {
			out = append(out, s.program)
		}
		s.mu.Unlock()
	}
	return out
}

func (sv *server) reloadKeys(why string) {
	nrw, nro, err := sv.keys.load()
	if err != nil {
		fmt.Fprintf(sv.stderr, "talkmod serve: warning: %s; the keys of that file are locked out until it is fixed\n", sanitize.Line(err.Error()))
		sv.audit.log(event{Event: "keys-reloaded", Outcome: "error", Message: err.Error(), Detail: why})
	} else {
		sv.audit.log(event{Event: "keys-reloaded", Outcome: "ok", Detail: fmt.Sprintf("%s: %d read-write, %d read-only keys", why, nrw, nro)})
	}
	sv.endRevokedSessions()
}

// endRevokedSessions ends the open sessions of keys that are no longer
// authorized, or that went from read-write to read-only (a read-only key
// gets a read-only session when it connects again).
func (sv *server) endRevokedSessions() {
	sv.mu.Lock()
	var ended []*session
	for s := range sv.sessions {
		now := sv.keys.roleOf(s.fp)
		if now >= s.role {
			continue
		}
		why := "your key was removed from the authorized keys: this session is closed"
		if now == roleReadOnly {
			why = "your key may now only look (read-only): this session is closed; connect again for a read-only session"
		}
		s.setEnded(why)
		ended = append(ended, s)
	}
	sv.mu.Unlock()
	for _, s := range ended {
		ev := s.who()
		ev.Event, ev.Outcome, ev.Reason, ev.Detail = "session-revoked", "refused", "key", s.endReason()
		ev.Values = map[string]any{"role": sv.keys.roleOf(s.fp).String()}
		sv.audit.log(ev)
		s.mu.Lock()
		p := s.program
		s.mu.Unlock()
		if p != nil {
			go p.Quit()
		}
	}
}

// warnStaleLogins says which stored logins belong to keys that are no
// longer authorized.
func (sv *server) warnStaleLogins() {
	logins, err := sv.logins.List()
	if err != nil {
		fmt.Fprintf(sv.stderr, "talkmod serve: warning: %s\n", sanitize.Line(err.Error()))
		return
	}
	fps := sv.keys.fingerprints()
	for _, l := range logins {
		if !fps[l.Fingerprint] {
			fmt.Fprintf(sv.stderr, "talkmod serve: warning: the stored login of key %s (%s) belongs to a key that is no longer authorized: "+
				"talkmod serve forget %s revokes it\n", l.Fingerprint, sanitize.Line(l.UserID), l.Fingerprint)
		}
	}
}

// sessionGate runs for every session the key gate let through: no
// commands or subsystems, not while shutting down, a PTY, the session
// limit; then it registers the session and writes its start and end to
// the audit log.
func (sv *server) sessionGate(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		id, _ := s.Context().Value(identityKey).(identity)
		sess := &session{identity: id}
		deny := func(reason, msg string) {
			ev := sess.who()
			ev.Event, ev.Outcome, ev.Reason = "session-refused", "refused", reason
			sv.audit.log(ev)
			refuse(s, msg)
		}
		switch {
		case len(s.Command()) > 0 || s.RawCommand() != "" || s.Subsystem() != "":
			deny("command", "talkmod serve runs only the console: connect without a command")
			return
		case sv.shuttingDown.Load():
			deny("shutdown", "the server is shutting down")
			return
		}
		if _, _, ok := s.Pty(); !ok {
			deny("no-pty", "the console needs a terminal: connect with ssh -t")
			return
		}
		n := sv.active.Add(1)
		defer sv.active.Add(-1)
		if sv.o.MaxSessions > 0 && int(n) > sv.o.MaxSessions {
			deny("max-sessions", fmt.Sprintf("all %d sessions of this server are in use: try again later", sv.o.MaxSessions))
			return
		}
		sv.wg.Add(1)
		defer sv.wg.Done()
		if l, ok := sv.logins.Lookup(sess.fp); ok && account.SameServer(l.Server, sv.o.Server) {
			sess.setUser(l.UserID)
		}
		sv.mu.Lock()
		sv.sessions[sess] = true
		sv.mu.Unlock()
		defer func() {
			sv.mu.Lock()
			delete(sv.sessions, sess)
			sv.mu.Unlock()
		}()
		s.Context().SetValue(sessionKey, sess)
		start := time.Now()
		ev := sess.who()
		ev.Event = "session-start"
		sv.audit.log(ev)

		next(s)

		why := sess.endReason()
		ev = sess.who()
		ev.Event, ev.Detail = "session-end", cmp.Or(why, "quit")
		if s.Context().Err() != nil && why == "" {
			ev.Detail = "disconnected"
		}
		ev.Values = map[string]any{"seconds": int(time.Since(start).Seconds())}
		sv.audit.log(ev)
		if why != "" {
			fmt.Fprintf(s, "talkmod: %s\r\n", why)
		}
		s.Exit(0)
	}
}

// console is the last middleware: the session's Bubble Tea program, fed
// the terminal sizes the channel guard kept. Once it runs, the session
// has its console, and the connection's handshake deadline is lifted.
func (sv *server) console(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		sess, _ := s.Context().Value(sessionKey).(*session)
		box := attachWindow(s)
		if sess == nil || box == nil {
			next(s)
			return
		}
		r := sessionRenderer(s)
		m := newSessionModel(sv, s.Context(), sess, r)
		// the program installs no signal handler of its own: SIGTERM and
		// SIGINT are the server's, which stops gracefully
		opts := append(bm.MakeOptions(s), tea.WithAltScreen(), tea.WithContext(s.Context()), tea.WithoutSignalHandler())
		p := tea.NewProgram(m, opts...)
		sess.mu.Lock()
		sess.program = p
		sess.mu.Unlock()
		if sv.shuttingDown.Load() {
			sess.setEnded("the server is shutting down")
			go p.Quit()
		}
		sv.limits.release(s.Context())
		ctx, cancel := context.WithCancel(s.Context())
		go func() {
			for {
				select {
				case <-ctx.Done():
					p.Quit()
					return
				case <-box.changed:
					if w, h, ok := box.size(); ok {
						p.Send(tea.WindowSizeMsg{Width: w, Height: h})
					}
				}
			}
		}()
		p.Run()
		p.Kill()
		cancel()
		m.closeClient()
		next(s)
	}
}

// checkHostKey refuses a host key that group or others can read.
func checkHostKey(path string) error {
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(filepath.Dir(path), 0o700)
	}
	if err != nil {
		return err
	}
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("UNPROTECTED HOST KEY: permissions %04o for %s are too open; fix it with: chmod 600 %s", st.Mode().Perm(), path, path)
	}
	return nil
}

func hostKeyFingerprint(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return "", fmt.Errorf("host key %s: %w", path, err)
	}
	return gossh.FingerprintSHA256(signer.PublicKey()), nil
}
