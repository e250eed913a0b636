package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
)

func TestVersionFlagSaysDevelopmentBuild(t *testing.T) {
	testenv.Isolate(t)
	r := talkmod(t, "", "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "talkmod ") || !strings.Contains(r.stdout, "development build, commit ") {
		t.Fatalf("--version of a test binary: %d %q", r.code, r.stdout)
	}
}

// commandPages is the man page each visible command of the tree should
// get: talkmod.1, talkmod-serve-logins.1, ...
func commandPages(c *cobra.Command) []string {
	if c.Hidden || c.Name() == "help" {
		return nil
	}
	out := []string{strings.ReplaceAll(c.CommandPath(), " ", "-") + ".1"}
	for _, s := range c.Commands() {
		out = append(out, commandPages(s)...)
	}
	return out
}

func TestGenReleaseFiles(t *testing.T) {
	testenv.Isolate(t)
	t.Setenv("SOURCE_DATE_EPOCH", "1796142179") // 2026-12-01T16:22:59Z
	dir1, dir2 := t.TempDir(), t.TempDir()
	for _, d := range []string{dir1, dir2} {
		if r := talkmod(t, "", "gen-release-files", d); r.code != 0 {
			t.Fatalf("gen-release-files: exit %d: %s", r.code, r.stderr)
		}
	}

	// One page for every visible command of the tree (the completion
	// command too), and nothing else.
	root := (&app{}).rootCmd()
	strictCompletion(root)
	want := commandPages(root)
	pages, _ := filepath.Glob(filepath.Join(dir1, "man", "man1", "*.1"))
	if len(pages) != len(want) {
		t.Errorf("%d man pages, want %d (%v)", len(pages), len(want), want)
	}
	for _, name := range want {
		b, err := os.ReadFile(filepath.Join(dir1, "man", "man1", name))
		if err != nil {
			t.Errorf("no man page for a command: %v", err)
			continue
		}
		page := string(b)
		title := strings.ToUpper(strings.TrimSuffix(name, ".1"))
		if !strings.Contains(page, `.TH "`+title+`" "1" "Dec 2026" "talkmod `) {
			t.Errorf("%s: header: %q", name, strings.SplitN(page, "\n", 3)[1])
		}
		if strings.Contains(page, "Auto generated") {
			t.Errorf("%s: carries cobra's auto-generated tag with a date", name)
		}
	}
	lobby, _ := os.ReadFile(filepath.Join(dir1, "man", "man1", "talkmod-lobby.1"))
	if !strings.Contains(string(lobby), "--no-timer removes it") {
		t.Errorf("talkmod-lobby.1 does not describe --no-timer")
	}
	if _, err := os.Stat(filepath.Join(dir1, "man", "man1", "talkmod-gen-release-files.1")); err == nil {
		t.Errorf("the hidden command got a man page")
	}

	for name, marker := range map[string]string{
		"talkmod.bash": "complete -o default -F __start_talkmod talkmod",
		"_talkmod":     "#compdef talkmod",
		"talkmod.fish": "complete -c talkmod",
	} {
		b, err := os.ReadFile(filepath.Join(dir1, "completions", name))
		if err != nil || !strings.Contains(string(b), marker) {
			t.Errorf("completions/%s: %v, lacks %q", name, err, marker)
		}
	}

	// The same tree and date give the same bytes (reproducible releases).
	files, _ := filepath.Glob(filepath.Join(dir1, "*", "*"))
	more, _ := filepath.Glob(filepath.Join(dir1, "man", "man1", "*"))
	for _, f := range append(files, more...) {
		if st, _ := os.Stat(f); st == nil || st.IsDir() {
			continue
		}
		rel, _ := filepath.Rel(dir1, f)
		a, _ := os.ReadFile(f)
		b, err := os.ReadFile(filepath.Join(dir2, rel))
		if err != nil || string(a) != string(b) {
			t.Errorf("%s differs between two runs", rel)
		}
	}
}

func TestGenReleaseFilesRefusesBadEpoch(t *testing.T) {
	testenv.Isolate(t)
	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	r := talkmod(t, "", "gen-release-files", t.TempDir())
	if r.code != exit.Usage || !strings.Contains(r.stderr, "SOURCE_DATE_EPOCH") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestServeUnitFlags keeps the packaged systemd unit and its settings file
// (scripts/packaging) in step with talkmod serve: every flag the unit passes,
// and every flag the settings file sets or names as an example, is a flag
// of the serve command.
func TestServeUnitFlags(t *testing.T) {
	root := (&app{}).rootCmd()
	serve, _, err := root.Find([]string{"serve"})
	if err != nil || serve.Name() != "serve" {
		t.Fatalf("no serve command: %v", err)
	}
	flagRE := regexp.MustCompile(`(?:^|[\s"])--([a-z][a-z-]*)`)
	for _, f := range []string{"talkmod-serve.service", "serve.env"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "scripts", "packaging", f))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if f == "talkmod-serve.service" { // its settings, not its comments (systemctl enable --now)
			var lines []string
			for _, l := range strings.Split(text, "\n") {
				if !strings.HasPrefix(l, "#") {
					lines = append(lines, l)
				}
			}
			text = strings.Join(lines, "\n")
		}
		n := 0
		for _, m := range flagRE.FindAllStringSubmatch(text, -1) {
			n++
			if serve.Flags().Lookup(m[1]) == nil && serve.InheritedFlags().Lookup(m[1]) == nil {
				t.Errorf("%s passes --%s, which talkmod serve does not know", f, m[1])
			}
		}
		if n < 3 {
			t.Errorf("%s: only %d flags found", f, n)
		}
	}
}
