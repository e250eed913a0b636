package account

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func isolated(t *testing.T) func(string) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	return func(k string) string {
		if k == "TALKMOD_KEYRING" {
			return "off"
		}
		return ""
	}
}

// TestStoreKeepsPasswordsPrivate: an app password goes to a 0600
// credentials file in a 0700 directory, config.json never holds it, and
// a credentials file that group or others can read is refused.
func TestStoreKeepsPasswordsPrivate(t *testing.T) {
	st, err := Open(isolated(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := st.Load()
	where, err := st.SetPassword(Name("https://cloud.example.com", "alice"), "secret-app-password")
	if err != nil || where != SecretFile {
		t.Fatalf("SetPassword: %q %v", where, err)
	}
	a := cfg.Put(Account{Name: Name("https://cloud.example.com", "alice"), Server: "https://cloud.example.com", LoginName: "alice", Secret: where}, false)
	if !a.Default {
		t.Error("the first account is not the default")
	}
	if err := st.Save(cfg); err != nil {
		t.Fatal(err)
	}
	for path, mode := range map[string]os.FileMode{st.Dir(): 0o700, st.ConfigPath(): 0o600, st.CredentialsPath(): 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: %v %v, want %04o", path, fi, err, mode)
		}
	}
	if data, _ := os.ReadFile(st.ConfigPath()); len(data) == 0 || strings.Contains(string(data), "secret-app-password") {
		t.Error("config.json holds the password (or nothing)")
	}
	if pw, err := st.Password(a); err != nil || pw != "secret-app-password" {
		t.Errorf("Password: %q %v", pw, err)
	}
	os.Chmod(st.CredentialsPath(), 0o640)
	var pe *PermissionError
	if _, err := st.Password(a); !errors.As(err, &pe) {
		t.Errorf("a group-readable credentials file: %v", err)
	}
}

// TestConfigFind: a name, a login or a host finds an account when it is
// unambiguous; otherwise the errors say not found or ambiguous.
func TestConfigFind(t *testing.T) {
	c := &Config{}
	c.Put(Account{Name: "alice@a.example", Server: "https://a.example", LoginName: "alice"}, false)
	c.Put(Account{Name: "alice@b.example", Server: "https://b.example", LoginName: "alice"}, false)
	if a, err := c.Find("b.example"); err != nil || a.Name != "alice@b.example" {
		t.Errorf("by host: %v %v", a, err)
	}
	var amb *AmbiguousError
	if _, err := c.Find("alice"); !errors.As(err, &amb) {
		t.Errorf("an ambiguous login: %v", err)
	}
	var nf *NotFoundError
	if _, err := c.Find("carol"); !errors.As(err, &nf) {
		t.Errorf("an unknown name: %v", err)
	}
	c.Remove("alice@a.example")
	if d, ok := c.Default(); !ok || d.Name != "alice@b.example" {
		t.Errorf("default after removing the default: %v %v", d, ok)
	}
}

// TestKeyLoginsRoundTrip: a key's login is stored, found by a prefix of
// its fingerprint, and forgotten with its password.
func TestKeyLoginsRoundTrip(t *testing.T) {
	st, err := OpenKeyLogins(isolated(t))
	if err != nil {
		t.Fatal(err)
	}
	fp := "SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	l := KeyLogin{Fingerprint: fp, Server: "https://cloud.example.com", LoginName: "alice", UserID: "alice", AddedAt: time.Now()}
	if _, _, err := st.Put(l, "pw-1"); err != nil {
		t.Fatal(err)
	}
	if _, old, err := st.Put(l, "pw-2"); err != nil || old != "pw-1" {
		t.Errorf("the replaced password: %q %v", old, err)
	}
	logins, _ := st.List()
	if got, err := FindFingerprint(logins, "abcdefgh"); err != nil || got != fp {
		t.Errorf("FindFingerprint: %q %v", got, err)
	}
	if _, pw, ok, err := st.Get(fp); !ok || pw != "pw-2" || err != nil {
		t.Errorf("Get: %q %v %v", pw, ok, err)
	}
	if _, pw, err := st.Forget(fp); err != nil || pw != "pw-2" {
		t.Errorf("Forget: %q %v", pw, err)
	}
	if _, _, ok, _ := st.Get(fp); ok {
		t.Error("a forgotten login is still there")
	}
}
