package serve

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"
)

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
