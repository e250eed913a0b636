package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	charmlog "github.com/charmbracelet/log"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	bm "github.com/charmbracelet/wish/bubbletea"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"
	gossh "golang.org/x/crypto/ssh"

	"github.com/talkmod/talkmod/client"
)

// serveOptions are the flags of talkmod serve, and the knobs tests turn.
type serveOptions struct {
	server         string
	listen         string
	hostKey        string
	authorizedKeys string
	readonlyKeys   string
	idleTimeout    time.Duration
	maxSessions    int
	auditLog       string

	// not flags
	shutdownGrace   time.Duration // in-flight changes get this long (5 s)
	keysPoll        time.Duration // how often the key files are checked (2 s)
	failLimit       int           // failed handshakes per address ...
	failWindow      time.Duration // ... within this long block it (10 per minute)
	loginPoll       time.Duration // Login Flow v2 poll interval (2 s)
	handshake       time.Duration // from connect to the first session (30 s)
	refreshInterval time.Duration // the console's polling (default 30 s)
	ready           func(addr string)
}

const serveLong = `Serve the console over SSH: support staff run "ssh -p 2222 HOST" and get
the console, with nothing to install. Each SSH key signs in to its own
Nextcloud account (Login Flow v2 inside the SSH session, the first time),
and every change is written to an audit log.

  talkmod serve --server https://cloud.example.com --authorized-keys ~/talkmod_keys

Only public keys are accepted (no passwords). --authorized-keys lists the keys
that may change things, --readonly-keys those that may only look; both are
OpenSSH authorized_keys files, refused if group or others can write them, and
re-read when they change (or on SIGHUP). The host key (--host-key) is created
when missing; its fingerprint is printed at start so users can check it.

A key's app password is kept in the OS keyring, else in a 0600 file under
$XDG_CONFIG_HOME/talkmod/serve/. See talkmod serve logins and talkmod serve forget.

SIGTERM or SIGINT tells the sessions "the server is shutting down", gives
changes in flight up to 5 s, and exits 0.

` + exitCodesHelp

func (a *app) serveCmd() *cobra.Command {
	o := serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve --server URL --authorized-keys FILE [flags]",
		Short: "Serve the console over SSH to a support team (one key, one login, an audit log)",
		Long:  serveLong,
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if a.user != "" || a.account != "" {
				return usageErrorf("serve signs each SSH key in to its own account: leave out --user and --account")
			}
			o.server = firstNonEmpty(o.server, a.server)
			return a.runServe(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.listen, "listen", "127.0.0.1:2222", "address to listen on (an address other than loopback is your explicit choice)")
	f.StringVar(&o.hostKey, "host-key", "", "host key path (default: serve/host_ed25519 in talkmod's config directory; created when missing)")
	f.StringVar(&o.authorizedKeys, "authorized-keys", "", "OpenSSH authorized_keys file of the keys that may change things (required)")
	f.StringVar(&o.readonlyKeys, "readonly-keys", "", "OpenSSH authorized_keys file of the keys that may only look")
	f.DurationVar(&o.idleTimeout, "idle-timeout", 30*time.Minute, "close a session with no input for this long (0: never)")
	f.IntVar(&o.maxSessions, "max-sessions", 32, "most sessions at once (0: no limit)")
	f.StringVar(&o.auditLog, "audit-log", "", "audit log file, JSON lines, mode 0600 (default: standard error)")
	cmd.AddCommand(a.serveLoginsCmd(), a.serveForgetCmd(), a.serveZoneCmd())
	return cmd
}

// sessInfo is one SSH session, as the server knows it.
type sessInfo struct {
	id     string
	fp     string
	role   role
	remote string

	mu      sync.Mutex
	user    string
	program *tea.Program
	ended   string // why the session ended, told to the user
}

func (i *sessInfo) setUser(u string) { i.mu.Lock(); i.user = u; i.mu.Unlock() }
func (i *sessInfo) getUser() string  { i.mu.Lock(); defer i.mu.Unlock(); return i.user }

func (i *sessInfo) setEnded(why string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.ended == "" {
		i.ended = why
	}
}

func (i *sessInfo) endReason() string { i.mu.Lock(); defer i.mu.Unlock(); return i.ended }

func (i *sessInfo) who() auditEvent {
	return auditEvent{Fingerprint: i.fp, Role: i.role.String(), User: i.getUser(), Remote: i.remote, Session: i.id}
}

type sessKeyType struct{}

var sessKey sessKeyType

// serveServer is the running server.
type serveServer struct {
	o      serveOptions
	keys   *keySet
	store  *serveStore
	audit  *auditLog
	stderr io.Writer
	now    func() time.Time

	active       atomic.Int32
	inflight     atomic.Int64
	shuttingDown atomic.Bool
	wg           sync.WaitGroup

	mu       sync.Mutex
	sessions map[*sessInfo]bool
	failures map[string][]time.Time
	// refusedLogged: when a rate-limited address was last written to the
	// audit log
	refusedLogged map[string]time.Time
}

func defaultServeOptions(o serveOptions) serveOptions {
	if o.shutdownGrace <= 0 {
		o.shutdownGrace = 5 * time.Second
	}
	if o.keysPoll <= 0 {
		o.keysPoll = 2 * time.Second
	}
	if o.failLimit <= 0 {
		o.failLimit = 10
	}
	if o.failWindow <= 0 {
		o.failWindow = time.Minute
	}
	if o.listen == "" {
		o.listen = "127.0.0.1:2222"
	}
	if o.handshake <= 0 {
		o.handshake = 30 * time.Second
	}
	return o
}

// runServe runs talkmod serve until ctx ends (SIGTERM, SIGINT).
func (a *app) runServe(ctx context.Context, o serveOptions) error {
	o = defaultServeOptions(o)
	o.server = normalizeServer(firstNonEmpty(o.server, getenv("TALKMOD_SERVER")))
	if o.server == "" {
		return usageErrorf("which Nextcloud do the sessions sign in to? give --server https://cloud.example.com")
	}
	if _, err := newAPIClient(client.Config{BaseURL: o.server}); err != nil {
		return err
	}
	if o.authorizedKeys == "" {
		return usageErrorf("--authorized-keys FILE is required: the OpenSSH public keys that may use the console")
	}
	if o.maxSessions < 0 || o.idleTimeout < 0 {
		return usageErrorf("--max-sessions and --idle-timeout cannot be negative")
	}
	st, err := openServeStore(getenv)
	if err != nil {
		return err
	}
	if o.hostKey == "" {
		o.hostKey = filepath.Join(st.dir(), "host_ed25519")
		if err := os.MkdirAll(st.dir(), 0o700); err != nil {
			return err
		}
	}
	keys := &keySet{rwPath: o.authorizedKeys, roPath: o.readonlyKeys}
	nrw, nro, err := keys.load()
	if err != nil {
		return err
	}
	audit, err := openAudit(o.auditLog, a.stderr, a.now)
	if err != nil {
		return err
	}
	defer audit.Close()
	// wish's bubbletea middleware logs program errors (a disconnect) with
	// charmbracelet/log on standard error, where the audit log may be
	charmlog.SetOutput(io.Discard)

	sv := &serveServer{o: o, keys: keys, store: st, audit: audit, stderr: a.stderr, now: a.now,
		sessions: map[*sessInfo]bool{}, failures: map[string][]time.Time{}, refusedLogged: map[string]time.Time{}}

	if err := checkHostKey(o.hostKey); err != nil {
		return err
	}
	srv, err := wish.NewServer(
		wish.WithHostKeyPath(o.hostKey),
		wish.WithPublicKeyAuth(sv.allow),
		wish.WithMiddleware(
			bm.MiddlewareWithProgramHandler(sv.program, termenv.Ascii),
			sv.gate,
		),
		func(s *ssh.Server) error {
			s.ConnCallback = sv.connCallback
			s.ConnectionFailedCallback = sv.connFailed
			s.ServerConfigCallback = func(ssh.Context) *gossh.ServerConfig {
				return &gossh.ServerConfig{MaxAuthTries: 6}
			}
			return nil
		},
	)
	if err != nil {
		return fmt.Errorf("cannot set up the SSH server: %w", err)
	}
	hostFP, err := hostKeyFingerprint(o.hostKey)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", o.listen, err)
	}
	addr := l.Addr().String()
	fmt.Fprintf(a.stdout, "talkmod serve: the console over SSH for %s\n", redactURLs(clean(o.server)))
	fmt.Fprintf(a.stdout, "Listening on %s (host key %s: users can check it on first connect)\n", addr, hostFP)
	fmt.Fprintf(a.stdout, "Keys: %d read-write (%s)", nrw, o.authorizedKeys)
	if o.readonlyKeys != "" {
		fmt.Fprintf(a.stdout, ", %d read-only (%s)", nro, o.readonlyKeys)
	}
	fmt.Fprintln(a.stdout)
	host, port, _ := net.SplitHostPort(addr)
	fmt.Fprintf(a.stdout, "Connect with: ssh -p %s %s\n", port, host)
	sv.warnStaleLogins()
	audit.log(auditEvent{Event: "serve-start", Detail: "listening on " + addr + " for " + redactURLs(o.server) + "; host key " + hostFP})

	// key files: re-read when they change, or on SIGHUP
	hup := make(chan os.Signal, 1)
	if runtime.GOOS != "windows" {
		signal.Notify(hup, syscall.SIGHUP)
		defer signal.Stop(hup)
	}
	serveDone := make(chan error, 1)
	go func() { serveDone <- srv.Serve(l) }()
	if o.ready != nil {
		o.ready(addr)
	}
	tick := time.NewTicker(o.keysPoll)
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
	audit.log(auditEvent{Event: "serve-stop"})
	fmt.Fprintln(a.stderr, "talkmod serve: stopped")
	return nil
}

// shutdown tells the sessions, lets changes in flight finish (up to the
// grace period), then closes everything.
func (sv *serveServer) shutdown(srv *ssh.Server, l net.Listener) {
	sv.shuttingDown.Store(true)
	l.Close()
	// Send waits for the program's loop: never let one session hold the
	// shutdown up
	for _, p := range sv.programs() {
		go p.Send(shutdownMsg{})
	}
	deadline := time.Now().Add(sv.o.shutdownGrace)
	for sv.inflight.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	sv.mu.Lock()
	for info := range sv.sessions {
		info.setEnded("the server is shutting down")
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
}

func (sv *serveServer) programs() []*tea.Program {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	var out []*tea.Program
	for info := range sv.sessions {
		info.mu.Lock()
		if info.program != nil {
			out = append(out, info.program)
		}
		info.mu.Unlock()
	}
	return out
}

func (sv *serveServer) reloadKeys(why string) {
	nrw, nro, err := sv.keys.load()
	if err != nil {
		fmt.Fprintf(sv.stderr, "talkmod serve: warning: %s; the keys of that file are locked out until it is fixed\n", clean(err.Error()))
		sv.audit.log(auditEvent{Event: "keys-reloaded", Outcome: "error", Message: err.Error(), Detail: why})
		return
	}
	sv.audit.log(auditEvent{Event: "keys-reloaded", Outcome: "ok", Detail: fmt.Sprintf("%s: %d read-write, %d read-only keys", why, nrw, nro)})
}

// warnStaleLogins says which stored logins belong to keys that are no
// longer authorized.
func (sv *serveServer) warnStaleLogins() {
	logins, err := sv.store.logins()
	if err != nil {
		fmt.Fprintf(sv.stderr, "talkmod serve: warning: %s\n", clean(err.Error()))
		return
	}
	fps := sv.keys.fingerprints()
	for _, l := range logins {
		if !fps[l.Fingerprint] {
			fmt.Fprintf(sv.stderr, "talkmod serve: warning: the stored login of key %s (%s) belongs to a key that is no longer authorized: "+
				"talkmod serve forget %s revokes it\n", l.Fingerprint, clean(l.UserID), l.Fingerprint)
		}
	}
}

// allow is the public-key handler: it only answers allow or deny. The
// identity is taken later, from the key that actually authenticated
// (s.PublicKey() in gate), never from a key only offered here
// (CVE-2024-45337, soft-serve GHSA-pchf-49fh-w34r).
func (sv *serveServer) allow(_ ssh.Context, key ssh.PublicKey) bool {
	return sv.keys.role(key) != roleNone
}

func remoteIP(a net.Addr) string {
	if a == nil {
		return ""
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// connCallback refuses an address with too many failed handshakes.
func (sv *serveServer) connCallback(ctx ssh.Context, conn net.Conn) net.Conn {
	ip := remoteIP(conn.RemoteAddr())
	sv.mu.Lock()
	n := sv.recentFailuresLocked(ip)
	logIt := false
	if n >= sv.o.failLimit {
		// one audit line per address and window, not one per refused
		// connection: a flood must not fill the disk
		if t, ok := sv.refusedLogged[ip]; !ok || time.Since(t) > sv.o.failWindow {
			if len(sv.refusedLogged) > 100000 {
				clear(sv.refusedLogged)
			}
			sv.refusedLogged[ip] = time.Now()
			logIt = true
		}
	}
	sv.mu.Unlock()
	if n >= sv.o.failLimit {
		if logIt {
			sv.audit.log(auditEvent{Event: "connection-refused", Remote: conn.RemoteAddr().String(), Outcome: "refused",
				Reason: "rate-limited", Detail: fmt.Sprintf("%d failed handshakes within %s: this address is refused until they age out", n, sv.o.failWindow)})
		}
		return nil
	}
	// a connection that does not authenticate and open a session in
	// time is closed: idle half-open connections cost nothing to make
	hc := &handshakeConn{Conn: conn}
	hc.until.Store(time.Now().Add(sv.o.handshake).UnixNano())
	ctx.SetValue(handshakeKey, hc)
	return hc
}

type handshakeKeyType struct{}

var handshakeKey handshakeKeyType

// handshakeConn caps the connection's deadline until its first session
// starts (the ssh library sets the deadline before every read and write).
type handshakeConn struct {
	net.Conn
	until atomic.Int64 // unix nanoseconds; 0 once released
}

func (c *handshakeConn) SetDeadline(t time.Time) error {
	if u := c.until.Load(); u != 0 && (t.IsZero() || t.UnixNano() > u) {
		t = time.Unix(0, u)
	}
	return c.Conn.SetDeadline(t)
}

func (c *handshakeConn) release() {
	if c.until.Swap(0) != 0 {
		c.Conn.SetDeadline(time.Time{})
	}
}

func (sv *serveServer) recentFailuresLocked(ip string) int {
	cut := time.Now().Add(-sv.o.failWindow)
	ts := sv.failures[ip]
	i := 0
	for i < len(ts) && ts[i].Before(cut) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(sv.failures, ip)
	} else {
		sv.failures[ip] = ts
	}
	return len(ts)
}

func (sv *serveServer) connFailed(conn net.Conn, err error) {
	ip := remoteIP(conn.RemoteAddr())
	sv.mu.Lock()
	sv.recentFailuresLocked(ip)
	if len(sv.failures) < 100000 { // bounded memory under a flood of addresses
		sv.failures[ip] = append(sv.failures[ip], time.Now())
	}
	sv.mu.Unlock()
	sv.audit.log(auditEvent{Event: "handshake-failed", Remote: conn.RemoteAddr().String(), Outcome: "refused", Message: err.Error()})
}

func newSessionID() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// refuse ends a session before the console with one line, exit status 1.
func refuse(s ssh.Session, msg string) {
	fmt.Fprintf(s.Stderr(), "talkmod: %s\r\n", msg)
	s.Exit(1)
}

// gate runs first for every session: identity and role from the key that
// authenticated, no commands or subsystems, a PTY, the session limit.
func (sv *serveServer) gate(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		if hc, ok := s.Context().Value(handshakeKey).(*handshakeConn); ok {
			hc.release()
		}
		key := s.PublicKey()
		r, fp := roleNone, ""
		if key != nil {
			r, fp = sv.keys.role(key), gossh.FingerprintSHA256(key)
		}
		info := &sessInfo{id: newSessionID(), fp: fp, role: r, remote: s.RemoteAddr().String()}
		deny := func(reason, msg string) {
			ev := info.who()
			ev.Event, ev.Outcome, ev.Reason = "session-refused", "refused", reason
			sv.audit.log(ev)
			refuse(s, msg)
		}
		switch {
		case r == roleNone:
			deny("key", "this key is not (or no longer) authorized")
			return
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
		if sv.o.maxSessions > 0 && int(n) > sv.o.maxSessions {
			deny("max-sessions", fmt.Sprintf("all %d sessions of this server are in use: try again later", sv.o.maxSessions))
			return
		}
		sv.wg.Add(1)
		defer sv.wg.Done()
		if l, ok := sv.store.lookup(fp); ok && sameServer(l.Server, sv.o.server) {
			info.setUser(l.UserID)
		}
		sv.mu.Lock()
		sv.sessions[info] = true
		sv.mu.Unlock()
		defer func() {
			sv.mu.Lock()
			delete(sv.sessions, info)
			sv.mu.Unlock()
		}()
		s.Context().SetValue(sessKey, info)
		start := time.Now()
		ev := info.who()
		ev.Event = "session-start"
		sv.audit.log(ev)

		next(s)

		why := info.endReason()
		ev = info.who()
		ev.Event, ev.Detail = "session-end", firstNonEmpty(why, "quit")
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

// program builds the session's Bubble Tea program: its own renderer (the
// client's terminal), model, client and context.
func (sv *serveServer) program(s ssh.Session) *tea.Program {
	info, _ := s.Context().Value(sessKey).(*sessInfo)
	if info == nil {
		return nil
	}
	r := sessionRenderer(s)
	m := newSessionModel(sv, s.Context(), info, r)
	opts := append(bm.MakeOptions(s), tea.WithAltScreen(), tea.WithContext(s.Context()))
	p := tea.NewProgram(m, opts...)
	info.mu.Lock()
	info.program = p
	info.mu.Unlock()
	if sv.shuttingDown.Load() {
		info.setEnded("the server is shutting down")
		go p.Quit()
	}
	return p
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

func (a *app) serveLoginsCmd() *cobra.Command {
	var authorized, readonly string
	cmd := &cobra.Command{
		Use:   "logins",
		Short: "List the Nextcloud logins of the SSH keys: fingerprint, user, last seen",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := openServeStore(getenv)
			if err != nil {
				return err
			}
			logins, err := st.logins()
			if err != nil {
				return err
			}
			var fps map[string]bool
			if authorized != "" {
				ks := &keySet{rwPath: authorized, roPath: readonly}
				if _, _, err := ks.load(); err != nil {
					return err
				}
				fps = ks.fingerprints()
			}
			if a.jsonOut {
				return writeJSON(a.stdout, logins)
			}
			if len(logins) == 0 {
				fmt.Fprintln(a.stderr, "talkmod: no key has signed in yet")
				return nil
			}
			sort.Slice(logins, func(i, j int) bool { return logins[i].LastSeen.After(logins[j].LastSeen) })
			header := []string{"FINGERPRINT", "USER", "SERVER", "LAST SEEN"}
			if fps != nil {
				header = append(header, "KEY")
			}
			var rows [][]string
			for _, l := range logins {
				seen := "never"
				if !l.LastSeen.IsZero() {
					seen = l.LastSeen.UTC().Format("2006-01-02 15:04 UTC")
				}
				row := []string{l.Fingerprint, clean(firstNonEmpty(l.UserID, l.LoginName)), clean(l.Server), seen}
				if fps != nil {
					if fps[l.Fingerprint] {
						row = append(row, "authorized")
					} else {
						row = append(row, "NOT AUTHORIZED")
					}
				}
				rows = append(rows, row)
			}
			writeTable(a.stdout, header, rows)
			return nil
		},
	}
	a.jsonFlag(cmd)
	cmd.Flags().StringVar(&authorized, "authorized-keys", "", "also say which logins' keys are still in this file (and --readonly-keys)")
	cmd.Flags().StringVar(&readonly, "readonly-keys", "", "the read-only keys file")
	return cmd
}

func (a *app) serveForgetCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "forget FINGERPRINT",
		Short: "Revoke a key's app password on the server and forget its login",
		Args:  exactArgs(1, "FINGERPRINT (see talkmod serve logins)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, fp, err := storedFingerprint(args[0])
			if err != nil {
				return err
			}
			l, pw, err := st.forget(fp)
			if err != nil {
				return err
			}
			who := clean(firstNonEmpty(l.UserID, l.LoginName)) + " on " + clean(l.Server)
			revoked := false
			if pw != "" {
				if c, err := newAPIClient(client.Config{BaseURL: l.Server, User: l.LoginName, AppPassword: pw, Logger: a.logger}); err == nil {
					ctx, cancel := context.WithTimeout(cmd.Context(), 15*time.Second)
					err = c.RevokeAppPassword(ctx)
					cancel()
					if err == nil || client.KindOf(err) == client.KindUnauthorized {
						revoked = true // a 401: it was revoked already
					} else {
						fmt.Fprintf(a.stderr, "talkmod: warning: could not revoke the app password on the server (%s): "+
							"revoke it under Settings → Security → Devices & sessions\n", clean(client.Message(err)))
					}
				}
			}
			if revoked {
				fmt.Fprintf(a.stdout, "Forgot the login of key %s (%s); its app password is revoked.\n", fp, who)
			} else {
				fmt.Fprintf(a.stdout, "Forgot the login of key %s (%s).\n", fp, who)
			}
			return nil
		},
	}
}

func (a *app) serveZoneCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "zone FINGERPRINT ZONE",
		Short: "Set the display time zone of a key's sessions (IANA name, e.g. Europe/Berlin; UTC to reset)",
		Args:  exactArgs(2, "FINGERPRINT and ZONE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			loc, err := loadZone(args[1])
			if err != nil || strings.EqualFold(args[1], "local") {
				return usageErrorf("%q is not a time zone name (e.g. Europe/Berlin, UTC)", clean(args[1]))
			}
			st, fp, err := storedFingerprint(args[0])
			if err != nil {
				return err
			}
			name := loc.String()
			if name == "UTC" {
				name = ""
			}
			if err := st.setZone(fp, name); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Sessions of key %s show times in %s (z switches to UTC and back); it applies to new sessions.\n", fp, firstNonEmpty(name, "UTC"))
			return nil
		},
	}
}

// sessionRenderer is the session's lipgloss renderer, built as
// bm.MakeRenderer builds it (the client's TERM and environment: TERM=dumb
// or NO_COLOR gives no colours) but without its question for the
// terminal's background colour: on an emulated PTY that question reads
// the session until the client answers, so a client that does not answer
// (the Go SSH client, some terminals) would see nothing until its first
// key, and would lose that key. (A real PTY, ssh.AllocatePty, bounds the
// wait, but charmbracelet/ssh then closes the PTY under Bubble Tea's
// reader on a disconnect: a data race.) A dark background is assumed.
func sessionRenderer(s ssh.Session) *lipgloss.Renderer {
	pty, _, ok := s.Pty()
	if !ok || pty.Term == "" || pty.Term == "dumb" {
		return lipgloss.NewRenderer(s, termenv.WithProfile(termenv.Ascii))
	}
	env := sshEnviron(append(s.Environ(), "TERM="+pty.Term))
	r := lipgloss.NewRenderer(s, termenv.WithEnvironment(env), termenv.WithUnsafe(), termenv.WithColorCache(true))
	r.SetHasDarkBackground(true)
	return r
}

// sshEnviron is the client's environment, as termenv reads it.
type sshEnviron []string

func (e sshEnviron) Environ() []string { return e }

func (e sshEnviron) Getenv(k string) string {
	v := ""
	for _, kv := range e {
		if strings.HasPrefix(kv, k+"=") {
			v = kv[len(k)+1:] // the last one wins, as in a shell
		}
	}
	return v
}

// storedFingerprint opens the serve store and finds the stored login that
// FINGERPRINT (or an unambiguous part of it) names.
func storedFingerprint(arg string) (*serveStore, string, error) {
	st, err := openServeStore(getenv)
	if err != nil {
		return nil, "", err
	}
	logins, err := st.logins()
	if err != nil {
		return nil, "", err
	}
	fp, err := findFingerprint(logins, arg)
	if err != nil {
		return nil, "", err
	}
	return st, fp, nil
}
