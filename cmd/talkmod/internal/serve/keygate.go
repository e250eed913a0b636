package serve

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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

// loadKeyFile reads an OpenSSH authorized_keys file, checked as sshd's
// StrictModes checks it (checkKeyPath): nobody but the serving user (or
// root) may be able to change it or any directory above it. Options before
// a key (command=, from=, ...) are not honoured by talkmod serve, and
// certificates are not plain keys: a line with either is refused, naming
// it, rather than read without its restrictions.
func loadKeyFile(path string) ([]gossh.PublicKey, error) {
	real, err := checkKeyPath(path)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(real)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := checkKeyFileInfo(path, st); err != nil {
		return nil, err
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
		if cert, ok := key.(*gossh.Certificate); ok {
			return nil, fmt.Errorf("%s: line %d is a certificate (%s): talkmod serve takes plain public keys only (it does not check a certificate's validity, principals or options), so it refuses the file; put the user's own public key there",
				path, i+1, sanitize.Line(cert.Type()))
		}
		keys = append(keys, key)
	}
	return keys, nil
}

// checkKeyPath resolves path's symlinks and checks every directory from
// the file's up to the root: each must belong to the serving user or root
// and be writable by nobody else, except that a root-owned directory with
// the sticky bit (such as /tmp) is fine: nobody else can rename or replace
// what is in it.
func checkKeyPath(path string) (string, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", err
	}
	if real, err = filepath.Abs(real); err != nil {
		return "", err
	}
	if runtime.GOOS == "windows" {
		return real, nil
	}
	for dir := filepath.Dir(real); ; dir = filepath.Dir(dir) {
		st, err := os.Stat(dir)
		if err != nil {
			return "", err
		}
		uid, known := ownerOf(st)
		switch {
		case known && uid != os.Getuid() && uid != 0:
			return "", fmt.Errorf("%s is refused: the directory %s belongs to another user (uid %d), who could replace the file; keep key files in directories of your own", path, dir, uid)
		case st.Mode().Perm()&0o022 != 0 && !(st.Mode()&os.ModeSticky != 0 && known && uid == 0):
			return "", fmt.Errorf("%s is refused: group or others can write the directory %s (permissions %04o), so anyone could replace the file; fix it with: chmod go-w %s",
				path, dir, st.Mode().Perm(), dir)
		}
		if dir == filepath.Dir(dir) {
			return real, nil
		}
	}
}

// checkKeyFileInfo checks the key file itself: a regular file, of the
// serving user or root, that group and others cannot write.
func checkKeyFileInfo(path string, st os.FileInfo) error {
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	if runtime.GOOS == "windows" {
		return nil
	}
	if uid, known := ownerOf(st); known && uid != os.Getuid() && uid != 0 {
		return fmt.Errorf("%s is refused: it belongs to another user (uid %d), who could add a key; fix it with: chown %d %s", path, uid, os.Getuid(), path)
	}
	if st.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("%s is refused: group or others can write it (permissions %04o), so anyone could add a key; fix it with: chmod go-w %s",
			path, st.Mode().Perm(), path)
	}
	return nil
}

// keySet holds the keys of both files and reloads them when they change.
type keySet struct {
	rwPath, roPath string

	mu    sync.RWMutex
	roles map[string]role // key.Marshal() → role
	byFP  map[string]role // fingerprint → role
	stamp [2]string
}

// stampOf fingerprints a key file and the directories above it: where it
// leads (symlinks), and of each its inode, mode, owner, size and change
// times. A chmod, chown, rename or edit changes it.
func stampOf(path string) string {
	if path == "" {
		return ""
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "error: " + err.Error()
	}
	var b strings.Builder
	b.WriteString(real)
	for p := real; ; p = filepath.Dir(p) {
		if st, err := os.Stat(p); err == nil {
			fmt.Fprintf(&b, "|%s %d %d %s", st.Mode(), st.Size(), st.ModTime().UnixNano(), statDetail(st))
		}
		if p == filepath.Dir(p) {
			return b.String()
		}
	}
}

// load reads both files; a file that cannot be read fails the whole load
// (at start) and keeps nothing of that file (on a reload: closed, not
// open, when in doubt).
func (k *keySet) load() (rw, ro int, err error) {
	roles, byFP := map[string]role{}, map[string]role{}
	var errs []error
	stamps := [2]string{stampOf(k.rwPath), stampOf(k.roPath)}
	if keys, err := loadKeyFile(k.rwPath); err != nil {
		errs = append(errs, err)
	} else {
		for _, key := range keys {
			roles[string(key.Marshal())] = roleReadWrite
			byFP[gossh.FingerprintSHA256(key)] = roleReadWrite
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
				byFP[gossh.FingerprintSHA256(key)] = roleReadOnly
			}
			ro = len(keys)
		}
	}
	k.mu.Lock()
	k.roles, k.byFP = roles, byFP
	k.stamp = stamps
	k.mu.Unlock()
	return rw, ro, errors.Join(errs...)
}

// changed says whether a file (or a directory above it) changed since
// the last load.
func (k *keySet) changed() bool {
	now := [2]string{stampOf(k.rwPath), stampOf(k.roPath)}
	k.mu.RLock()
	defer k.mu.RUnlock()
	return now != k.stamp
}

// roleOf is the role of the key with that fingerprint now.
func (k *keySet) roleOf(fp string) role {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.byFP[fp]
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
