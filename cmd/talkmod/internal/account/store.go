// Package account keeps talkmod's stored logins: the accounts of the
// commands and the console (config.json), the logins of talkmod serve's SSH
// keys (serve/logins.json), and their app passwords in the OS keyring or in
// a 0600 credentials file that must belong to the user.
package account

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// Where accounts live:
//
//	$XDG_CONFIG_HOME/talkmod/          (os.UserConfigDir; created 0700)
//	  config.json                      accounts, never a password (0600)
//	  credentials.json                 app passwords, only when no OS keyring
//	                                   is available (0600; refused if group
//	                                   or others can access it)
//
// With a keyring, the app password is stored under service "talkmod" and
// the account's name. TALKMOD_KEYRING=off forces the file.

const (
	ConfigFile      = "config.json"
	CredentialsFile = "credentials.json"
	keyringService  = "talkmod"
	SecretKeyring   = "keyring"
	SecretFile      = "file"
)

// Account is one stored login. It never holds the password.
type Account struct {
	// Name identifies the account: login@host[/path].
	Name string `json:"name"`
	// Server is the base URL as the login flow returned it.
	Server string `json:"server"`
	// LoginName is what basic auth sends (can be an e-mail address).
	LoginName string `json:"loginName"`
	// UserID is the Nextcloud user id (GET /cloud/user).
	UserID      string `json:"userId,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	// Zone is the display time zone for this account (IANA name), "" for
	// the local zone.
	Zone    string `json:"zone,omitempty"`
	Default bool   `json:"default,omitempty"`
	// Secret says where the app password is kept: "keyring" or "file".
	Secret  string    `json:"passwordStore"`
	AddedAt time.Time `json:"addedAt"`
}

// Config is config.json.
type Config struct {
	Version int `json:"version"`
	// Zone is the display time zone used when an account has none.
	Zone     string    `json:"zone,omitempty"`
	Accounts []Account `json:"accounts"`
}

// Credentials is credentials.json.
type Credentials struct {
	Version      int               `json:"version"`
	AppPasswords map[string]string `json:"appPasswords"`
}

// Store reads and writes the configuration directory.
type Store struct {
	dir        string
	keyringOff bool
}

// Open finds the configuration directory; getenv reads TALKMOD_KEYRING.
func Open(getenv func(string) string) (*Store, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return nil, fmt.Errorf("cannot find the configuration directory: %w (set XDG_CONFIG_HOME or HOME)", err)
	}
	v := strings.ToLower(strings.TrimSpace(getenv("TALKMOD_KEYRING")))
	off := v == "off" || v == "0" || v == "false" || v == "no"
	return &Store{dir: filepath.Join(base, "talkmod"), keyringOff: off}, nil
}

// ConfigPath is config.json's path.
func (s *Store) ConfigPath() string { return filepath.Join(s.dir, ConfigFile) }

// CredentialsPath is credentials.json's path.
func (s *Store) CredentialsPath() string { return filepath.Join(s.dir, CredentialsFile) }

// Load reads config.json (empty when there is none).
func (s *Store) Load() (*Config, error) {
	data, err := os.ReadFile(s.ConfigPath())
	if errors.Is(err, fs.ErrNotExist) {
		return &Config{Version: 1}, nil
	}
	if err != nil {
		return nil, err
	}
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s is not valid JSON (%v): fix or remove it", s.ConfigPath(), err)
	}
	return &c, nil
}

// Save writes config.json (0600, atomically).
func (s *Store) Save(c *Config) error {
	c.Version = 1
	return s.writeJSONFile(s.ConfigPath(), c)
}

// writeJSONFile writes v as indented JSON to path (writeFile: 0600,
// atomically).
func (s *Store) writeJSONFile(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return s.writeFile(path, append(data, '\n'))
}

// writeFile writes atomically: a temp file in the same directory, synced,
// then renamed over the old one. A crash never leaves half a file.
func (s *Store) writeFile(path string, data []byte) error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return err
	}
	// The directory is talkmod's own: an older or hand-made one that group
	// or others can enter is closed (the files in it are 0600 anyway).
	if st, err := os.Stat(s.dir); err == nil && runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(s.dir, 0o700); err != nil {
			return fmt.Errorf("cannot make %s private (chmod 700): %w", s.dir, err)
		}
	}
	f, err := os.CreateTemp(s.dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	if d, err := os.Open(s.dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// PermissionError is a credentials file that others can read.
type PermissionError struct {
	Path string
	Mode fs.FileMode
}

func (e *PermissionError) Error() string {
	return fmt.Sprintf("UNPROTECTED CREDENTIALS FILE: permissions %04o for %s are too open; "+
		"it must not be accessible by group or others, so talkmod ignores it. "+
		"Fix it with: chmod 600 %s (if someone else may have read it, then also "+
		"replace the app passwords in it: talkmod logout, then talkmod login)", e.Mode.Perm(), e.Path, e.Path)
}

func (s *Store) loadCredentials() (*Credentials, error) {
	path := s.CredentialsPath()
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Credentials{Version: 1, AppPasswords: map[string]string{}}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		return nil, &PermissionError{Path: path, Mode: st.Mode()}
	}
	if !ownedByMe(st) {
		return nil, fmt.Errorf("BAD OWNER of credentials file %s: it belongs to another user, so talkmod ignores it. "+
			"Remove it (rm %s) and log in again (talkmod login)", path, path)
	}
	var c Credentials
	if err := json.NewDecoder(f).Decode(&c); err != nil {
		return nil, fmt.Errorf("%s is not valid JSON: fix or remove it", path)
	}
	if c.AppPasswords == nil {
		c.AppPasswords = map[string]string{}
	}
	return &c, nil
}

func (s *Store) saveCredentials(c *Credentials) error {
	c.Version = 1
	return s.writeJSONFile(s.CredentialsPath(), c)
}

var (
	keyringOnce sync.Once
	keyringOK   bool
)

// keyringCall runs a keyring call with a time limit: a locked or absent
// secret service must not hang talkmod.
func keyringCall(f func() error) error {
	ch := make(chan error, 1)
	go func() { ch <- f() }()
	select {
	case err := <-ch:
		return err
	case <-time.After(5 * time.Second):
		return errors.New("the keyring did not answer in 5 s")
	}
}

// keyringAvailable probes the OS keyring once: a lookup of a name that is
// not there answers ErrNotFound where a keyring works, and fails otherwise
// (no secret service on a headless host or in CI).
func (s *Store) keyringAvailable() bool {
	if s.keyringOff {
		return false
	}
	keyringOnce.Do(func() {
		err := keyringCall(func() error {
			_, err := keyring.Get(keyringService, "talkmod-probe")
			return err
		})
		keyringOK = err == nil || errors.Is(err, keyring.ErrNotFound)
	})
	return keyringOK
}

// SetPassword stores an app password and says where it went.
func (s *Store) SetPassword(name, password string) (string, error) {
	if s.keyringAvailable() {
		err := keyringCall(func() error { return keyring.Set(keyringService, name, password) })
		if err == nil {
			// A copy left in the file by an earlier login would outlive it.
			s.deleteFilePassword(name)
			return SecretKeyring, nil
		}
	}
	c, err := s.loadCredentials()
	if err != nil {
		return "", err
	}
	c.AppPasswords[name] = password
	if err := s.saveCredentials(c); err != nil {
		return "", err
	}
	return SecretFile, nil
}

// Password reads an account's app password.
func (s *Store) Password(a Account) (string, error) {
	if a.Secret == SecretKeyring {
		if s.keyringOff {
			return "", fmt.Errorf("the app password of %s is in the OS keyring, but TALKMOD_KEYRING=off", a.Name)
		}
		var pw string
		err := keyringCall(func() error {
			var err error
			pw, err = keyring.Get(keyringService, a.Name)
			return err
		})
		if err != nil {
			return "", fmt.Errorf("cannot read the app password of %s from the OS keyring: %v (run talkmod login again)", a.Name, err)
		}
		return pw, nil
	}
	c, err := s.loadCredentials()
	if err != nil {
		return "", err
	}
	pw, ok := c.AppPasswords[a.Name]
	if !ok || pw == "" {
		return "", &NotFoundError{Msg: fmt.Sprintf("no app password stored for %s: run talkmod login", a.Name)}
	}
	return pw, nil
}

func (s *Store) deleteFilePassword(name string) error {
	c, err := s.loadCredentials()
	if err != nil {
		return err
	}
	if _, ok := c.AppPasswords[name]; !ok {
		return nil
	}
	delete(c.AppPasswords, name)
	return s.saveCredentials(c)
}

// DeletePassword forgets an account's app password wherever it is.
func (s *Store) DeletePassword(a Account) error {
	var kerr error
	if a.Secret == SecretKeyring && !s.keyringOff {
		kerr = keyringCall(func() error { return keyring.Delete(keyringService, a.Name) })
		if errors.Is(kerr, keyring.ErrNotFound) {
			kerr = nil
		}
	}
	ferr := s.deleteFilePassword(a.Name)
	var pe *PermissionError
	if errors.As(ferr, &pe) && a.Secret == SecretKeyring {
		ferr = nil
	}
	return errors.Join(kerr, ferr)
}

// Name names an account login@host[/path].
func Name(server, login string) string {
	u, err := url.Parse(server)
	if err != nil || u.Host == "" {
		return login + "@" + strings.TrimRight(server, "/")
	}
	return login + "@" + u.Host + strings.TrimRight(u.Path, "/")
}

// Default returns the default account (or the only one).
func (c *Config) Default() (Account, bool) {
	for _, a := range c.Accounts {
		if a.Default {
			return a, true
		}
	}
	if len(c.Accounts) == 1 {
		return c.Accounts[0], true
	}
	return Account{}, false
}

// Find picks an account by name, or by login name, user id or host when
// that is unambiguous.
func (c *Config) Find(name string) (Account, error) {
	for _, a := range c.Accounts {
		if a.Name == name {
			return a, nil
		}
	}
	var hits []Account
	for _, a := range c.Accounts {
		host := ""
		if u, err := url.Parse(a.Server); err == nil {
			host = u.Host
		}
		if a.LoginName == name || a.UserID == name || host == name {
			hits = append(hits, a)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], nil
	case 0:
		return Account{}, &NotFoundError{Msg: fmt.Sprintf("no stored account %q: see talkmod accounts, or run talkmod login", name)}
	}
	names := make([]string, len(hits))
	for i, a := range hits {
		names[i] = a.Name
	}
	return Account{}, &AmbiguousError{Msg: fmt.Sprintf("%q matches several accounts (%s): give the full name", name, strings.Join(names, ", "))}
}

// Put adds or replaces an account (by name) and returns the stored copy.
func (c *Config) Put(a Account, makeDefault bool) Account {
	i := slices.IndexFunc(c.Accounts, func(x Account) bool { return x.Name == a.Name })
	if i >= 0 {
		old := c.Accounts[i]
		a.Default = old.Default
		if a.Zone == "" {
			a.Zone = old.Zone
		}
		c.Accounts[i] = a
	} else {
		c.Accounts = append(c.Accounts, a)
		i = len(c.Accounts) - 1
	}
	if _, ok := c.DefaultStrict(); !ok {
		makeDefault = true
	}
	if makeDefault {
		c.SetDefault(a.Name)
	}
	return c.Accounts[i]
}

// DefaultStrict returns the account marked default, if any.
func (c *Config) DefaultStrict() (Account, bool) {
	for _, a := range c.Accounts {
		if a.Default {
			return a, true
		}
	}
	return Account{}, false
}

// SetDefault makes name the default account.
func (c *Config) SetDefault(name string) {
	for i := range c.Accounts {
		c.Accounts[i].Default = c.Accounts[i].Name == name
	}
}

// Remove deletes an account; when it was the default, the first one left
// becomes the default.
func (c *Config) Remove(name string) {
	c.Accounts = slices.DeleteFunc(c.Accounts, func(a Account) bool { return a.Name == name })
	if _, ok := c.DefaultStrict(); !ok && len(c.Accounts) > 0 {
		c.Accounts[0].Default = true
	}
}

// Load opens the store and reads config.json.
func Load(getenv func(string) string) (*Store, *Config, error) {
	st, err := Open(getenv)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := st.Load()
	if err != nil {
		return nil, nil, err
	}
	return st, cfg, nil
}

// Dir is the configuration directory (talkmod's, under the user's).
func (s *Store) Dir() string { return s.dir }

// NotFoundError says no stored account or login fits (the commands' "not
// logged in").
type NotFoundError struct{ Msg string }

func (e *NotFoundError) Error() string { return e.Msg }

// AmbiguousError says a name fits several stored accounts or logins (a
// usage error: give the full name).
type AmbiguousError struct{ Msg string }

func (e *AmbiguousError) Error() string { return e.Msg }
