// Command loadtest measures talkmod serve under the hostile clients of
// issue 16, on loopback addresses only, with bounded loops: it starts the
// demo Talk server in-process and the talkmod binary given as its argument
// as "talkmod serve", then reports the serve process's RSS and open
// descriptors (from /proc) under an env flood, a huge PTY, 1,000 silent
// connections (and the time a valid key needs to get its console
// meanwhile), and 30 s after 1,000 channels with an early window change
// went away. Linux only.
//
//	go build -o /tmp/talkmod ./cmd/talkmod && go run ./cmd/talkmod/internal/serve/loadtest /tmp/talkmod
package main

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: loadtest /path/to/talkmod")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(bin string) error {
	home, err := os.MkdirTemp("", "talkmod-loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(home)
	os.Setenv("HOME", home)
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	os.Setenv("TALKMOD_KEYRING", "off")
	talk, acct, err := talktest.StartDemo()
	if err != nil {
		return err
	}
	defer talk.Close()

	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := gossh.NewSignerFromKey(priv)
	fp := gossh.FingerprintSHA256(signer.PublicKey())
	keys := filepath.Join(home, "readonly_keys")
	rw := filepath.Join(home, "authorized_keys")
	os.WriteFile(keys, gossh.MarshalAuthorizedKey(signer.PublicKey()), 0o600)
	os.WriteFile(rw, nil, 0o600)
	logins, err := account.OpenKeyLogins(os.Getenv)
	if err != nil {
		return err
	}
	if _, _, err := logins.Put(account.KeyLogin{Fingerprint: fp, Server: acct.URL, LoginName: acct.User, UserID: acct.User, AddedAt: time.Now()}, acct.AppPassword); err != nil {
		return err
	}

	cmd := exec.Command(bin, "serve", "--server", acct.URL, "--listen", "127.0.0.1:0", "--authorized-keys", rw,
		"--readonly-keys", keys, "--audit-log", filepath.Join(home, "audit.log"), "--max-sessions", "0")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	addr := ""
	sc := bufio.NewScanner(stdout)
	re := regexp.MustCompile(`Listening on (127\.0\.0\.1:\d+)`)
	for addr == "" && sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
		}
	}
	go io.Copy(io.Discard, stdout)
	if addr == "" {
		return fmt.Errorf("serve printed no address")
	}
	pid := cmd.Process.Pid
	cfg := &gossh.ClientConfig{User: "support", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 30 * time.Second}
	report := func(what string) {
		fmt.Printf("%-58s RSS %4d MB  fds %4d\n", what, rssMB(pid), fds(pid))
	}
	report("idle")

	// a valid console, to check the server lives through each scenario
	console := func(w, h int) (time.Duration, error) {
		start := time.Now()
		c, err := dialFrom("127.0.0.99", addr, cfg)
		if err != nil {
			return 0, err
		}
		defer c.Close()
		s, err := c.NewSession()
		if err != nil {
			return 0, err
		}
		var out syncBuf
		s.Stdout = &out
		in, _ := s.StdinPipe()
		if err := s.RequestPty("dumb", h, w, gossh.TerminalModes{}); err != nil {
			return 0, err
		}
		if err := s.Shell(); err != nil {
			return 0, err
		}
		for !strings.Contains(out.String(), "(read-only)") {
			if time.Since(start) > 60*time.Second {
				return 0, fmt.Errorf("no console after 60 s")
			}
			time.Sleep(10 * time.Millisecond)
		}
		took := time.Since(start)
		in.Write([]byte("q"))
		s.Wait()
		return took, nil
	}

	// 1. env flood: 4 channels x 2,000 env requests of 30 kB
	c, err := dialFrom("127.0.0.10", addr, cfg)
	if err != nil {
		return err
	}
	big := strings.Repeat("x", 30<<10)
	refused := 0
	for ch := 0; ch < 4; ch++ {
		s, err := c.NewSession()
		if err != nil {
			return err
		}
		for i := 0; i < 2000; i++ {
			if s.Setenv(fmt.Sprintf("FLOOD_%d", i), big) != nil {
				refused++
			}
		}
	}
	report(fmt.Sprintf("after 8,000 env requests of 30 kB (%d refused)", refused))
	c.Close()

	// 2. huge PTY and window change
	c, err = dialFrom("127.0.0.11", addr, cfg)
	if err != nil {
		return err
	}
	s, _ := c.NewSession()
	var screen syncBuf
	s.Stdout = &screen
	s.RequestPty("dumb", 4294967295, 4294967295, gossh.TerminalModes{})
	s.Shell()
	time.Sleep(2 * time.Second)
	s.WindowChange(4294967295, 4294967295)
	time.Sleep(2 * time.Second)
	report("console at 4294967295x4294967295 (clamped)")
	c.Close()

	// 3. 1,000 silent connections from 100 addresses, and a valid key
	var silent []net.Conn
	for i := 0; i < 1000; i++ {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(fmt.Sprintf("127.0.1.%d", 1+i%100))}, Timeout: 5 * time.Second}
		if nc, err := d.Dial("tcp", addr); err == nil {
			silent = append(silent, nc)
		}
	}
	time.Sleep(time.Second)
	report("1,000 silent connections open")
	took, err := console(100, 30)
	if err != nil {
		return fmt.Errorf("valid key during the silent connections: %w", err)
	}
	fmt.Printf("a valid key got its console in %s meanwhile\n", took.Round(time.Millisecond))
	for _, nc := range silent {
		nc.Close()
	}

	// 4. 1,000 channels with an early window change, then gone
	time.Sleep(time.Second)
	report("before 1,000 early-window-change channels")
	for i := 0; i < 250; i++ {
		c, err := dialFrom(fmt.Sprintf("127.0.2.%d", 1+i%200), addr, cfg)
		if err != nil {
			return err
		}
		for j := 0; j < 4; j++ {
			s, err := c.NewSession()
			if err != nil {
				return err
			}
			s.RequestPty("dumb", 24, 80, gossh.TerminalModes{})
			s.WindowChange(30, 100)
			s.WindowChange(31, 101)
		}
		c.Close()
	}
	report("right after they disconnected")
	time.Sleep(30 * time.Second)
	report("30 s later")
	if _, err := console(80, 24); err != nil {
		return fmt.Errorf("valid key at the end: %w", err)
	}
	fmt.Println("the server served a console after every scenario")
	return nil
}

func dialFrom(from, addr string, cfg *gossh.ClientConfig) (*gossh.Client, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 30 * time.Second}
	nc, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	sc, chans, reqs, err := gossh.NewClientConn(nc, addr, cfg)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return gossh.NewClient(sc, chans, reqs), nil
}

func rssMB(pid int) int {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			var kb int
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(l, "VmRSS:")), "%d", &kb)
			return kb / 1024
		}
	}
	return -1
}

func fds(pid int) int {
	ents, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	return len(ents)
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
