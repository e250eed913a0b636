package serve

import (
	"crypto/rand"
	"encoding/binary"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// The session channel's requests pass through channelGuard before the ssh
// library sees them. It bounds what a client can make the server keep or
// allocate:
//   - the terminal size of pty-req and window-change is clamped to
//     maxCols x maxRows (the console needs no more), in the request itself,
//     so nothing downstream ever sees a larger size;
//   - window-changes never reach the library (it hands them on through a
//     one-slot channel that nobody reads before the shell starts or after
//     the console ends, and its request loop then blocks forever): the
//     guard answers them and keeps the latest size for the console;
//   - only the environment the console reads is kept (maxEnv variables of
//     envNames, short values); every other env request is refused;
//   - a connection opens at most maxChannels session channels at a time.
const (
	maxCols     = 1000
	maxRows     = 500
	maxPixels   = 1 << 14
	maxEnv      = 8
	maxEnvValue = 128
	maxChannels = 4
)

// envNames are the variables a session may set (TERM comes with the PTY).
var envNames = []string{"TERM", "LANG", "LC_ALL", "LC_CTYPE", "COLORTERM", "NO_COLOR"}

// attachRequest is the request a session's handler sends on its own
// channel to find that channel's window sizes; the guard answers it and
// never sends it to the client.
const attachRequest = "attach-window@talkmod"

// windowBox holds a session's latest (clamped) terminal size.
type windowBox struct {
	mu      sync.Mutex
	w, h    int
	set     bool
	changed chan struct{} // one slot: "there is a new size"
}

func newWindowBox() *windowBox { return &windowBox{changed: make(chan struct{}, 1)} }

func (b *windowBox) put(w, h int) {
	b.mu.Lock()
	b.w, b.h, b.set = w, h, true
	b.mu.Unlock()
	select {
	case b.changed <- struct{}{}:
	default:
	}
}

func (b *windowBox) size() (w, h int, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w, b.h, b.set
}

// boxes maps an attach token to the window box of its channel, for the
// moment between the guard's answer and the handler's look-up (the ssh
// library gives a session's handler no other way to its channel).
var boxes sync.Map

// attachWindow finds the window box of a session's channel (nil when the
// channel did not pass the guard).
func attachWindow(s ssh.Session) *windowBox {
	token := make([]byte, 16)
	rand.Read(token)
	if ok, err := s.SendRequest(attachRequest, false, token); err != nil || !ok {
		return nil
	}
	b, _ := boxes.LoadAndDelete(string(token))
	box, _ := b.(*windowBox)
	return box
}

// channelGuard is the session channel handler: the library's, behind the
// guard.
type channelGuard struct {
	audit *auditLog
}

type channelCountKeyType struct{}

var channelCountKey channelCountKeyType

func (g *channelGuard) handle(srv *ssh.Server, conn *gossh.ServerConn, newChan gossh.NewChannel, ctx ssh.Context) {
	ctx.Lock()
	n, _ := ctx.Value(channelCountKey).(*atomic.Int32)
	if n == nil {
		n = new(atomic.Int32)
		ctx.SetValue(channelCountKey, n)
	}
	ctx.Unlock()
	if n.Add(1) > maxChannels {
		n.Add(-1)
		newChan.Reject(gossh.ResourceShortage, "talkmod: too many sessions on one connection")
		return
	}
	defer n.Add(-1)
	ssh.DefaultSessionHandler(srv, conn, &guardedNewChannel{NewChannel: newChan, g: g, ctx: ctx}, ctx)
}

type guardedNewChannel struct {
	gossh.NewChannel
	g   *channelGuard
	ctx ssh.Context
}

func (c *guardedNewChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := c.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	gc := &guardedChannel{Channel: ch, box: newWindowBox()}
	out := make(chan *gossh.Request)
	go gc.filter(reqs, out, c.g, c.ctx)
	return gc, out, nil
}

// guardedChannel answers the attach request of its session's handler.
type guardedChannel struct {
	gossh.Channel
	box *windowBox
}

func (c *guardedChannel) SendRequest(name string, wantReply bool, payload []byte) (bool, error) {
	if name == attachRequest {
		boxes.Store(string(payload), c.box)
		return true, nil
	}
	return c.Channel.SendRequest(name, wantReply, payload)
}

// filter passes the channel's requests on to the library, guarded. It
// ends (closing out) when the client's requests end.
func (c *guardedChannel) filter(in <-chan *gossh.Request, out chan<- *gossh.Request, g *channelGuard, ctx ssh.Context) {
	defer close(out)
	pty, envs := false, 0
	for req := range in {
		switch req.Type {
		case "pty-req":
			w, h, payload, ok := clampPtyRequest(req.Payload)
			if !ok {
				req.Reply(false, nil)
				continue
			}
			req.Payload = payload
			if !pty {
				c.box.put(w, h)
			}
			pty = true
		case "window-change":
			w, h, ok := clampWindow(req.Payload)
			if ok && pty {
				c.box.put(w, h)
			}
			req.Reply(ok && pty, nil)
			continue
		case "env":
			var kv struct{ Key, Value string }
			if gossh.Unmarshal(req.Payload, &kv) != nil || envs >= maxEnv || len(kv.Value) > maxEnvValue || !wantedEnv(kv.Key) {
				req.Reply(false, nil)
				continue
			}
			envs++
		case "subsystem":
			// no subsystem is served: refused here, with an audit line
			var p struct{ Value string }
			gossh.Unmarshal(req.Payload, &p)
			g.audit.log(connEvent(ctx, event{Event: "session-refused", Outcome: "refused", Reason: "subsystem",
				Detail: "subsystem " + p.Value}))
			req.Reply(false, nil)
			continue
		}
		select {
		case out <- req:
		case <-ctx.Done():
			req.Reply(false, nil)
			for req := range in {
				req.Reply(false, nil)
			}
			return
		}
	}
}

func wantedEnv(name string) bool {
	for _, n := range envNames {
		if name == n {
			return true
		}
	}
	return strings.HasPrefix(name, "LC_") && len(name) <= 16
}

// clampPtyRequest clamps a pty-req payload's size (RFC 4254 6.2: string
// TERM, uint32 cols, rows, width px, height px, string modes).
func clampPtyRequest(p []byte) (w, h int, out []byte, ok bool) {
	if len(p) < 4 {
		return 0, 0, nil, false
	}
	n := binary.BigEndian.Uint32(p)
	if uint64(len(p)) < 4+uint64(n)+16 {
		return 0, 0, nil, false
	}
	out = append([]byte(nil), p...)
	win := out[4+n : 4+n+16]
	w, h = clampWindowBytes(win)
	return w, h, out, true
}

// clampWindow reads (and clamps, in place) a window-change payload.
func clampWindow(p []byte) (w, h int, ok bool) {
	if len(p) < 16 {
		return 0, 0, false
	}
	w, h = clampWindowBytes(p[:16])
	return w, h, true
}

func clampWindowBytes(b []byte) (w, h int) {
	cols := min(binary.BigEndian.Uint32(b[0:]), maxCols)
	rows := min(binary.BigEndian.Uint32(b[4:]), maxRows)
	binary.BigEndian.PutUint32(b[0:], cols)
	binary.BigEndian.PutUint32(b[4:], rows)
	binary.BigEndian.PutUint32(b[8:], min(binary.BigEndian.Uint32(b[8:]), maxPixels))
	binary.BigEndian.PutUint32(b[12:], min(binary.BigEndian.Uint32(b[12:]), maxPixels))
	return int(cols), int(rows)
}

// connEvent fills an audit event's who from the connection: the key that
// authenticated and the client's address.
func connEvent(ctx ssh.Context, ev event) event {
	if key, ok := ctx.Value(ssh.ContextKeyPublicKey).(ssh.PublicKey); ok && key != nil {
		ev.Fingerprint = gossh.FingerprintSHA256(key)
	}
	if a := ctx.RemoteAddr(); a != nil {
		ev.Remote = a.String()
	}
	return ev
}

// refuseChannel refuses every channel type but session (port forwarding,
// X11, agent), with an audit line.
func (g *channelGuard) refuseChannel(_ *ssh.Server, _ *gossh.ServerConn, newChan gossh.NewChannel, ctx ssh.Context) {
	g.audit.log(connEvent(ctx, event{Event: "session-refused", Outcome: "refused", Reason: "channel", Detail: "channel " + newChan.ChannelType()}))
	newChan.Reject(gossh.Prohibited, "talkmod serve runs only the console")
}

// refuseRequest refuses a request for remote forwarding, with an audit
// line.
func (g *channelGuard) refuseRequest(ctx ssh.Context, _ *ssh.Server, req *gossh.Request) (bool, []byte) {
	g.audit.log(connEvent(ctx, event{Event: "session-refused", Outcome: "refused", Reason: "forwarding", Detail: req.Type}))
	return false, nil
}
