package serve

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/talkmod/talkmod/tui/sanitize"
)

// role is what a key may do in talkmod serve.
type role int

const (
	roleNone role = iota
	roleReadOnly
	roleReadWrite
)

func (r role) String() string {
	switch r {
	case roleReadWrite:
		return "read-write"
	case roleReadOnly:
		return "read-only"
	}
	return "none"
}

// maxKeyFile bounds what is read of a key file.
const maxKeyFile = 4 << 20

// loadKeyFile reads an OpenSSH authorized_keys file. It is refused when
// group or others can write it (they could add their own key), as sshd's
// StrictModes does. Options before a key (command=, from=, ...) are not
// honoured by talkmod serve; such a line is refused rather than read
// without its restrictions.
func loadKeyFile(path string) ([]gossh.PublicKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o022 != 0 {
		return nil, fmt.Errorf("%s is refused: group or others can write it (permissions %04o), so anyone could add a key; fix it with: chmod go-w %s",
			path, st.Mode().Perm(), path)
	}
	if st.Size() > maxKeyFile {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, maxKeyFile)
	}
	data := make([]byte, st.Size())
	if _, err := f.ReadAt(data, 0); err != nil && st.Size() > 0 {
		return nil, err
	}
	var keys []gossh.PublicKey
	for i, l := range bytes.Split(data, []byte("\n")) {
		l = bytes.TrimSpace(l)
		if len(l) == 0 || l[0] == '#' {
			continue
		}
		key, _, options, _, err := gossh.ParseAuthorizedKey(l)
		if err != nil {
			return nil, fmt.Errorf("%s: line %d is not an OpenSSH public key", path, i+1)
		}
		if len(options) > 0 {
			return nil, fmt.Errorf("%s: line %d has options (%s): talkmod serve does not honour options, so it refuses the file; remove them",
				path, i+1, sanitize.Line(strings.Join(options, ",")))
		}
		keys = append(keys, key)
	}
	return keys, nil
}

// keySet holds the keys of both files and reloads them when they change.
type keySet struct {
	rwPath, roPath string

	mu    sync.RWMutex
	roles map[string]role // key.Marshal() → role
	stamp [2]fileStamp
}

type fileStamp struct {
	mod  time.Time
	size int64
	ok   bool
}

func stampOf(path string) fileStamp {
	if path == "" {
		return fileStamp{}
	}
	st, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{mod: st.ModTime(), size: st.Size(), ok: true}
}

// load reads both files; a file that cannot be read fails the whole load
// (at start) and keeps nothing of that file (on a reload: closed, not
// open, when in doubt).
func (k *keySet) load() (rw, ro int, err error) {
	roles := map[string]role{}
	var errs []error
	stamps := [2]fileStamp{stampOf(k.rwPath), stampOf(k.roPath)}
	if keys, err := loadKeyFile(k.rwPath); err != nil {
		errs = append(errs, err)
	} else {
		for _, key := range keys {
			roles[string(key.Marshal())] = roleReadWrite
		}
		rw = len(keys)
	}
	if k.roPath != "" {
		if keys, err := loadKeyFile(k.roPath); err != nil {
			errs = append(errs, err)
		} else {
			// a key in both files gets the lesser role
			for _, key := range keys {
				roles[string(key.Marshal())] = roleReadOnly
			}
			ro = len(keys)
		}
	}
	k.mu.Lock()
	k.roles = roles
	k.stamp = stamps
	k.mu.Unlock()
	return rw, ro, errors.Join(errs...)
}

// changed says whether a file changed since the last load.
func (k *keySet) changed() bool {
	now := [2]fileStamp{stampOf(k.rwPath), stampOf(k.roPath)}
	k.mu.RLock()
	defer k.mu.RUnlock()
	return now != k.stamp
}

// role looks a key up.
func (k *keySet) role(key gossh.PublicKey) role {
	if key == nil {
		return roleNone
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.roles[string(key.Marshal())]
}

// fingerprints lists every loaded key's fingerprint.
func (k *keySet) fingerprints() map[string]bool {
	k.mu.RLock()
	defer k.mu.RUnlock()
	out := map[string]bool{}
	for raw := range k.roles {
		if key, err := gossh.ParsePublicKey([]byte(raw)); err == nil {
			out[gossh.FingerprintSHA256(key)] = true
		}
	}
	return out
}

// identity is who a session is: the key that authenticated (as OpenSSH
// prints its fingerprint), its role, and the client's address.
type identity struct {
	id     string // the session's id in the audit log
	fp     string
	role   role
	remote string
}

type identityKeyType struct{}

var identityKey identityKeyType

// keyGate is the authentication part: the public-key handler answers
// only allow or deny; the middleware takes the identity from the key that
// actually authenticated (s.PublicKey()), never from a key only offered
// (CVE-2024-45337, soft-serve GHSA-pchf-49fh-w34r), and refuses a session
// whose key is no longer authorized.
type keyGate struct {
	keys  *keySet
	audit *auditLog
}

// allow is the public-key handler.
func (g *keyGate) allow(ctx ssh.Context, key ssh.PublicKey) bool {
	noteOffered(ctx, key)
	return g.keys.role(key) != roleNone
}

func (g *keyGate) middleware(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		key := s.PublicKey()
		id := identity{id: newSessionID(), role: roleNone, remote: s.RemoteAddr().String()}
		if key != nil {
			id.role, id.fp = g.keys.role(key), gossh.FingerprintSHA256(key)
		}
		if id.role == roleNone {
			g.audit.log(event{Event: "session-refused", Fingerprint: id.fp, Role: id.role.String(), Remote: id.remote,
				Session: id.id, Outcome: "refused", Reason: "key"})
			refuse(s, "this key is not (or no longer) authorized")
			return
		}
		s.Context().SetValue(identityKey, id)
		next(s)
	}
}

func newSessionID() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// refuse ends a session before the console with one line, exit status 1,
// and closes its connection a moment later (time for the line to go out):
// a refused session keeps nothing open.
func refuse(s ssh.Session, msg string) {
	fmt.Fprintf(s.Stderr(), "talkmod: %s\r\n", msg)
	s.Exit(1)
	if c, ok := s.Context().Value(ssh.ContextKeyConn).(gossh.Conn); ok {
		time.AfterFunc(refusedLinger, func() { c.Close() })
	}
}

// refusedLinger is how long a refused session's connection stays open
// for its last line.
const refusedLinger = 500 * time.Millisecond

// Fingerprints reads the key files (readOnly may be "") and lists their
// keys' fingerprints, for talkmod serve logins.
func Fingerprints(readWrite, readOnly string) (map[string]bool, error) {
	ks := &keySet{rwPath: readWrite, roPath: readOnly}
	if _, _, err := ks.load(); err != nil {
		return nil, err
	}
	return ks.fingerprints(), nil
}
