package account

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/talkmod/talkmod/tui/sanitize"
)

// The serve store keeps one Nextcloud login per SSH key fingerprint:
//
//	$XDG_CONFIG_HOME/talkmod/serve/     (0700)
//	  logins.json                       fingerprint → server, user, zone,
//	                                    last seen; never a password (0600)
//	  credentials.json                  app passwords when no OS keyring
//	                                    is available (0600)
//
// With a keyring, an app password is stored under service "talkmod" and
// the name "serve:SHA256:…". The password code is the store's of the
// accounts (store.go), pointed at this directory.

const (
	serveDirName  = "serve"
	keyLoginFile  = "logins.json"
	servePWPrefix = "serve:"
)

// KeyLogin is the Nextcloud login of one SSH key.
type KeyLogin struct {
	// Fingerprint is the key's, as OpenSSH prints it (SHA256:…).
	Fingerprint string `json:"fingerprint"`
	Server      string `json:"server"`
	LoginName   string `json:"loginName"`
	UserID      string `json:"userId,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	// Zone is the display zone of the key's sessions (IANA), "" for UTC.
	Zone string `json:"zone,omitempty"`
	// Secret says where the app password is: "keyring" or "file".
	Secret   string    `json:"passwordStore"`
	AddedAt  time.Time `json:"addedAt"`
	LastSeen time.Time `json:"lastSeen"`
}

type keyLoginsFile struct {
	Version int        `json:"version"`
	Logins  []KeyLogin `json:"logins"`
}

// KeyLogins is the store of the SSH keys' logins; it is safe for
// concurrent use by the sessions of one process.
type KeyLogins struct {
	mu sync.Mutex
	st *Store
}

// OpenKeyLogins opens the store of the SSH keys' logins (serve/ in the
// configuration directory).
func OpenKeyLogins(getenv func(string) string) (*KeyLogins, error) {
	st, err := Open(getenv)
	if err != nil {
		return nil, err
	}
	return &KeyLogins{st: &Store{dir: filepath.Join(st.dir, serveDirName), keyringOff: st.keyringOff}}, nil
}

// Dir is the directory of serve's files (logins, credentials, host key).
func (s *KeyLogins) Dir() string { return s.st.dir }

func (s *KeyLogins) path() string { return filepath.Join(s.st.dir, keyLoginFile) }

func (s *KeyLogins) loadLocked() (*keyLoginsFile, error) {
	data, err := os.ReadFile(s.path())
	if errors.Is(err, fs.ErrNotExist) {
		return &keyLoginsFile{Version: 1}, nil
	}
	if err != nil {
		return nil, err
	}
	var f keyLoginsFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s is not valid JSON (%v): fix or remove it", s.path(), err)
	}
	return &f, nil
}

func (s *KeyLogins) saveLocked(f *keyLoginsFile) error {
	f.Version = 1
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return s.st.writeFile(s.path(), append(data, '\n'))
}

// List lists the stored logins.
func (s *KeyLogins) List() ([]KeyLogin, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.loadLocked()
	if err != nil {
		return nil, err
	}
	return f.Logins, nil
}

// Lookup returns a key's stored login without its password.
func (s *KeyLogins) Lookup(fp string) (KeyLogin, bool) {
	logins, err := s.List()
	if err != nil {
		return KeyLogin{}, false
	}
	for _, l := range logins {
		if l.Fingerprint == fp {
			return l, true
		}
	}
	return KeyLogin{}, false
}

func pwName(fp string) string { return servePWPrefix + fp }

// Get returns the login of a key and its app password; ok is false when
// the key has none (or its password is gone).
func (s *KeyLogins) Get(fp string) (KeyLogin, string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.loadLocked()
	if err != nil {
		return KeyLogin{}, "", false, err
	}
	i := slices.IndexFunc(f.Logins, func(l KeyLogin) bool { return l.Fingerprint == fp })
	if i < 0 {
		return KeyLogin{}, "", false, nil
	}
	l := f.Logins[i]
	pw, err := s.st.Password(Account{Name: pwName(fp), Secret: l.Secret})
	var nl *NotFoundError
	if errors.As(err, &nl) {
		return l, "", false, nil
	}
	if err != nil {
		return l, "", false, err
	}
	return l, pw, true, nil
}

// Put stores a key's login and app password; it returns the login it
// replaced and that login's password ("" if none), to be revoked on that
// login's own server.
func (s *KeyLogins) Put(l KeyLogin, password string) (prev KeyLogin, old string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.loadLocked()
	if err != nil {
		return prev, "", err
	}
	i := slices.IndexFunc(f.Logins, func(x KeyLogin) bool { return x.Fingerprint == l.Fingerprint })
	if i >= 0 {
		prev = f.Logins[i]
		if pw, err := s.st.Password(Account{Name: pwName(l.Fingerprint), Secret: prev.Secret}); err == nil && pw != password {
			old = pw
		}
		if l.Zone == "" {
			l.Zone = prev.Zone
		}
	}
	where, err := s.st.SetPassword(pwName(l.Fingerprint), password)
	if err != nil {
		return prev, "", err
	}
	l.Secret = where
	if i >= 0 {
		f.Logins[i] = l
	} else {
		f.Logins = append(f.Logins, l)
	}
	return prev, old, s.saveLocked(f)
}

// Touch records that a key's login was used now.
func (s *KeyLogins) Touch(fp string, now time.Time) error {
	_, err := s.update(fp, func(l *KeyLogin) { l.LastSeen = now.UTC().Truncate(time.Second) })
	return err
}

// SetZone sets the display zone of a key's sessions ("" for UTC).
func (s *KeyLogins) SetZone(fp, zone string) error {
	found, err := s.update(fp, func(l *KeyLogin) { l.Zone = zone })
	if err == nil && !found {
		return &NotFoundError{Msg: fmt.Sprintf("no stored login for key %s (see talkmod serve logins)", fp)}
	}
	return err
}

// update changes the stored login of a key; found is false when the key
// has none.
func (s *KeyLogins) update(fp string, change func(*KeyLogin)) (found bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.loadLocked()
	if err != nil {
		return false, err
	}
	for i := range f.Logins {
		if f.Logins[i].Fingerprint == fp {
			change(&f.Logins[i])
			return true, s.saveLocked(f)
		}
	}
	return false, nil
}

// Forget removes a key's login and app password; it returns the login and
// the password (to be revoked) it removed.
func (s *KeyLogins) Forget(fp string) (KeyLogin, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.loadLocked()
	if err != nil {
		return KeyLogin{}, "", err
	}
	i := slices.IndexFunc(f.Logins, func(l KeyLogin) bool { return l.Fingerprint == fp })
	if i < 0 {
		return KeyLogin{}, "", &NotFoundError{Msg: fmt.Sprintf("no stored login for key %s (see talkmod serve logins)", fp)}
	}
	l := f.Logins[i]
	a := Account{Name: pwName(fp), Secret: l.Secret}
	pw, _ := s.st.Password(a)
	if err := s.st.DeletePassword(a); err != nil {
		return l, pw, err
	}
	f.Logins = slices.Delete(f.Logins, i, i+1)
	return l, pw, s.saveLocked(f)
}

// FindFingerprint accepts a fingerprint with or without "SHA256:", or an
// unambiguous prefix of one.
func FindFingerprint(logins []KeyLogin, arg string) (string, error) {
	arg = strings.TrimSpace(arg)
	want := arg
	if !strings.HasPrefix(want, "SHA256:") {
		want = "SHA256:" + want
	}
	var hits []string
	for _, l := range logins {
		if l.Fingerprint == want {
			return l.Fingerprint, nil
		}
		if len(want) >= len("SHA256:")+6 && strings.HasPrefix(l.Fingerprint, want) {
			hits = append(hits, l.Fingerprint)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], nil
	case 0:
		return "", &NotFoundError{Msg: fmt.Sprintf("no stored login for key %q (see talkmod serve logins)", sanitize.Line(arg))}
	}
	return "", &AmbiguousError{Msg: fmt.Sprintf("%q matches several keys (%s): give the whole fingerprint", sanitize.Line(arg), strings.Join(hits, ", "))}
}

// FindKeyLogin opens the store of the keys' logins and finds the stored
// login that arg (a fingerprint, or an unambiguous part of one) names.
func FindKeyLogin(getenv func(string) string, arg string) (*KeyLogins, string, error) {
	st, err := OpenKeyLogins(getenv)
	if err != nil {
		return nil, "", err
	}
	logins, err := st.List()
	if err != nil {
		return nil, "", err
	}
	fp, err := FindFingerprint(logins, arg)
	if err != nil {
		return nil, "", err
	}
	return st, fp, nil
}
