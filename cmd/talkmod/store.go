package main

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
	configFile      = "config.json"
	credentialsFile = "credentials.json"
	keyringService  = "talkmod"
	storeKeyring    = "keyring"
	storeFile       = "file"
)

// account is one stored login. It never holds the password.
type account struct {
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

// config is config.json.
type config struct {
	Version int `json:"version"`
	// Zone is the display time zone used when an account has none.
	Zone     string    `json:"zone,omitempty"`
	Accounts []account `json:"accounts"`
}

// credentials is credentials.json.
type credentials struct {
	Version      int               `json:"version"`
	AppPasswords map[string]string `json:"appPasswords"`
}

// store reads and writes the configuration directory.
type store struct {
	dir        string
	keyringOff bool
}

func openStore(getenv func(string) string) (*store, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return nil, fmt.Errorf("cannot find the configuration directory: %w (set XDG_CONFIG_HOME or HOME)", err)
	}
	v := strings.ToLower(strings.TrimSpace(getenv("TALKMOD_KEYRING")))
	off := v == "off" || v == "0" || v == "false" || v == "no"
	return &store{dir: filepath.Join(base, "talkmod"), keyringOff: off}, nil
}

func (s *store) configPath() string      { return filepath.Join(s.dir, configFile) }
func (s *store) credentialsPath() string { return filepath.Join(s.dir, credentialsFile) }

func (s *store) load() (*config, error) {
	data, err := os.ReadFile(s.configPath())
	if errors.Is(err, fs.ErrNotExist) {
		return &config{Version: 1}, nil
	}
	if err != nil {
		return nil, err
	}
	var c config
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s is not valid JSON (%v): fix or remove it", s.configPath(), err)
	}
	return &c, nil
}

func (s *store) save(c *config) error {
	c.Version = 1
	return s.writeJSONFile(s.configPath(), c)
}

// writeJSONFile writes v as indented JSON to path (writeFile: 0600,
// atomically).
func (s *store) writeJSONFile(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return s.writeFile(path, append(data, '\n'))
}

// writeFile writes atomically: a temp file in the same directory, synced,
// then renamed over the old one. A crash never leaves half a file.
func (s *store) writeFile(path string, data []byte) error {
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

// permissionError is a credentials file that others can read (exit 1).
type permissionError struct {
	path string
	mode fs.FileMode
}

func (e *permissionError) Error() string {
	return fmt.Sprintf("UNPROTECTED CREDENTIALS FILE: permissions %04o for %s are too open; "+
		"it must not be accessible by group or others, so talkmod ignores it. "+
		"Fix it with: chmod 600 %s (if someone else may have read it, then also "+
		"replace the app passwords in it: talkmod logout, then talkmod login)", e.mode.Perm(), e.path, e.path)
}

func (s *store) loadCredentials() (*credentials, error) {
	path := s.credentialsPath()
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &credentials{Version: 1, AppPasswords: map[string]string{}}, nil
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
		return nil, &permissionError{path: path, mode: st.Mode()}
	}
	if !ownedByMe(st) {
		return nil, fmt.Errorf("BAD OWNER of credentials file %s: it belongs to another user, so talkmod ignores it. "+
			"Remove it (rm %s) and log in again (talkmod login)", path, path)
	}
	var c credentials
	if err := json.NewDecoder(f).Decode(&c); err != nil {
		return nil, fmt.Errorf("%s is not valid JSON: fix or remove it", path)
	}
	if c.AppPasswords == nil {
		c.AppPasswords = map[string]string{}
	}
	return &c, nil
}

func (s *store) saveCredentials(c *credentials) error {
	c.Version = 1
	return s.writeJSONFile(s.credentialsPath(), c)
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
func (s *store) keyringAvailable() bool {
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

// setPassword stores an app password and says where it went.
func (s *store) setPassword(name, password string) (string, error) {
	if s.keyringAvailable() {
		err := keyringCall(func() error { return keyring.Set(keyringService, name, password) })
		if err == nil {
			// A copy left in the file by an earlier login would outlive it.
			s.deleteFilePassword(name)
			return storeKeyring, nil
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
	return storeFile, nil
}

// password reads an account's app password.
func (s *store) password(a account) (string, error) {
	if a.Secret == storeKeyring {
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
		return "", &notLoggedInError{msg: fmt.Sprintf("no app password stored for %s: run talkmod login", a.Name)}
	}
	return pw, nil
}

func (s *store) deleteFilePassword(name string) error {
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

// deletePassword forgets an account's app password wherever it is.
func (s *store) deletePassword(a account) error {
	var kerr error
	if a.Secret == storeKeyring && !s.keyringOff {
		kerr = keyringCall(func() error { return keyring.Delete(keyringService, a.Name) })
		if errors.Is(kerr, keyring.ErrNotFound) {
			kerr = nil
		}
	}
	ferr := s.deleteFilePassword(a.Name)
	var pe *permissionError
	if errors.As(ferr, &pe) && a.Secret == storeKeyring {
		ferr = nil
	}
	return errors.Join(kerr, ferr)
}

// accountName names an account login@host[/path].
func accountName(server, login string) string {
	u, err := url.Parse(server)
	if err != nil || u.Host == "" {
		return login + "@" + strings.TrimRight(server, "/")
	}
	return login + "@" + u.Host + strings.TrimRight(u.Path, "/")
}

// defaultAccount returns the default account (or the only one).
func (c *config) defaultAccount() (account, bool) {
	for _, a := range c.Accounts {
		if a.Default {
			return a, true
		}
	}
	if len(c.Accounts) == 1 {
		return c.Accounts[0], true
	}
	return account{}, false
}

// find picks an account by name, or by login name, user id or host when
// that is unambiguous.
func (c *config) find(name string) (account, error) {
	for _, a := range c.Accounts {
		if a.Name == name {
			return a, nil
		}
	}
	var hits []account
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
		return account{}, &notLoggedInError{msg: fmt.Sprintf("no stored account %q: see talkmod accounts, or run talkmod login", name)}
	}
	names := make([]string, len(hits))
	for i, a := range hits {
		names[i] = a.Name
	}
	return account{}, usageErrorf("%q matches several accounts (%s): give the full name", name, strings.Join(names, ", "))
}

// put adds or replaces an account (by name) and returns the stored copy.
func (c *config) put(a account, makeDefault bool) account {
	i := slices.IndexFunc(c.Accounts, func(x account) bool { return x.Name == a.Name })
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
	if _, ok := c.defaultAccountStrict(); !ok {
		makeDefault = true
	}
	if makeDefault {
		c.setDefault(a.Name)
	}
	return c.Accounts[i]
}

func (c *config) defaultAccountStrict() (account, bool) {
	for _, a := range c.Accounts {
		if a.Default {
			return a, true
		}
	}
	return account{}, false
}

func (c *config) setDefault(name string) {
	for i := range c.Accounts {
		c.Accounts[i].Default = c.Accounts[i].Name == name
	}
}

// remove deletes an account; when it was the default, the first one left
// becomes the default.
func (c *config) remove(name string) {
	c.Accounts = slices.DeleteFunc(c.Accounts, func(a account) bool { return a.Name == name })
	if _, ok := c.defaultAccountStrict(); !ok && len(c.Accounts) > 0 {
		c.Accounts[0].Default = true
	}
}
