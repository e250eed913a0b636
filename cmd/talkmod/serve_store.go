package main

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
	serveDirName   = "serve"
	serveLoginFile = "logins.json"
	servePWPrefix  = "serve:"
)

// serveLogin is the Nextcloud login of one SSH key.
type serveLogin struct {
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

type serveLoginsFile struct {
	Version int          `json:"version"`
	Logins  []serveLogin `json:"logins"`
}

// serveStore is safe for concurrent use by the sessions of one process.
type serveStore struct {
	mu sync.Mutex
	st *store
}

func openServeStore(getenv func(string) string) (*serveStore, error) {
	st, err := openStore(getenv)
	if err != nil {
		return nil, err
	}
	return &serveStore{st: &store{dir: filepath.Join(st.dir, serveDirName), keyringOff: st.keyringOff}}, nil
}

func (s *serveStore) dir() string { return s.st.dir }

func (s *serveStore) loginsPath() string { return filepath.Join(s.st.dir, serveLoginFile) }

func (s *serveStore) loadLocked() (*serveLoginsFile, error) {
	data, err := os.ReadFile(s.loginsPath())
	if errors.Is(err, fs.ErrNotExist) {
		return &serveLoginsFile{Version: 1}, nil
	}
	if err != nil {
		return nil, err
	}
	var f serveLoginsFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s is not valid JSON (%v): fix or remove it", s.loginsPath(), err)
	}
	return &f, nil
}

func (s *serveStore) saveLocked(f *serveLoginsFile) error {
	f.Version = 1
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return s.st.writeFile(s.loginsPath(), append(data, '\n'))
}

// logins lists the stored logins.
func (s *serveStore) logins() ([]serveLogin, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.loadLocked()
	if err != nil {
		return nil, err
	}
	return f.Logins, nil
}

// lookup returns a key's stored login without its password.
func (s *serveStore) lookup(fp string) (serveLogin, bool) {
	logins, err := s.logins()
	if err != nil {
		return serveLogin{}, false
	}
	for _, l := range logins {
		if l.Fingerprint == fp {
			return l, true
		}
	}
	return serveLogin{}, false
}

func pwName(fp string) string { return servePWPrefix + fp }

// get returns the login of a key and its app password; ok is false when
// the key has none (or its password is gone).
func (s *serveStore) get(fp string) (serveLogin, string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.loadLocked()
	if err != nil {
		return serveLogin{}, "", false, err
	}
	i := slices.IndexFunc(f.Logins, func(l serveLogin) bool { return l.Fingerprint == fp })
	if i < 0 {
		return serveLogin{}, "", false, nil
	}
	l := f.Logins[i]
	pw, err := s.st.password(account{Name: pwName(fp), Secret: l.Secret})
	var nl *notLoggedInError
	if errors.As(err, &nl) {
		return l, "", false, nil
	}
	if err != nil {
		return l, "", false, err
	}
	return l, pw, true, nil
}

// put stores a key's login and app password; it returns the login it
// replaced and that login's password ("" if none), to be revoked on that
// login's own server.
func (s *serveStore) put(l serveLogin, password string) (prev serveLogin, old string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.loadLocked()
	if err != nil {
		return prev, "", err
	}
	i := slices.IndexFunc(f.Logins, func(x serveLogin) bool { return x.Fingerprint == l.Fingerprint })
	if i >= 0 {
		prev = f.Logins[i]
		if pw, err := s.st.password(account{Name: pwName(l.Fingerprint), Secret: prev.Secret}); err == nil && pw != password {
			old = pw
		}
		if l.Zone == "" {
			l.Zone = prev.Zone
		}
	}
	where, err := s.st.setPassword(pwName(l.Fingerprint), password)
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

// touch records that a key's login was used now.
func (s *serveStore) touch(fp string, now time.Time) error {
	_, err := s.update(fp, func(l *serveLogin) { l.LastSeen = now.UTC().Truncate(time.Second) })
	return err
}

// setZone sets the display zone of a key's sessions ("" for UTC).
func (s *serveStore) setZone(fp, zone string) error {
	found, err := s.update(fp, func(l *serveLogin) { l.Zone = zone })
	if err == nil && !found {
		return &notLoggedInError{msg: fmt.Sprintf("no stored login for key %s (see talkmod serve logins)", fp)}
	}
	return err
}

// update changes the stored login of a key; found is false when the key
// has none.
func (s *serveStore) update(fp string, change func(*serveLogin)) (found bool, err error) {
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

// forget removes a key's login and app password; it returns the login and
// the password (to be revoked) it removed.
func (s *serveStore) forget(fp string) (serveLogin, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.loadLocked()
	if err != nil {
		return serveLogin{}, "", err
	}
	i := slices.IndexFunc(f.Logins, func(l serveLogin) bool { return l.Fingerprint == fp })
	if i < 0 {
		return serveLogin{}, "", &notLoggedInError{msg: fmt.Sprintf("no stored login for key %s (see talkmod serve logins)", fp)}
	}
	l := f.Logins[i]
	a := account{Name: pwName(fp), Secret: l.Secret}
	pw, _ := s.st.password(a)
	if err := s.st.deletePassword(a); err != nil {
		return l, pw, err
	}
	f.Logins = slices.Delete(f.Logins, i, i+1)
	return l, pw, s.saveLocked(f)
}

// findFingerprint accepts a fingerprint with or without "SHA256:", or an
// unambiguous prefix of one.
func findFingerprint(logins []serveLogin, arg string) (string, error) {
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
		return "", &notLoggedInError{msg: fmt.Sprintf("no stored login for key %q (see talkmod serve logins)", clean(arg))}
	}
	return "", usageErrorf("%q matches several keys (%s): give the whole fingerprint", clean(arg), strings.Join(hits, ", "))
}
