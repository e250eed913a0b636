package main

import (
	"cmp"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/safetext"
)

// setupLogging opens the debug log (--log-file, else TALKMOD_LOG). Logs go
// only to that file, never to the terminal; secrets are redacted.
func (a *app) setupLogging() error {
	path := cmp.Or(a.logFile, getenv("TALKMOD_LOG"))
	if path == "" || a.logClose != nil {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("cannot open the log file: %w", err)
	}
	// Logs never go to the terminal, not even by naming it.
	if term.IsTerminal(int(f.Fd())) {
		f.Close()
		return cmdutil.UsageErrorf("--log-file %s is a terminal: debug logs go to a file only", path)
	}
	// An existing file may have been created with a wider mode.
	_ = f.Chmod(0o600)
	a.logClose = f.Close
	a.logger = slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{
		Level:       slog.LevelDebug,
		ReplaceAttr: safetext.RedactAttr,
	}))
	a.logger.Debug("talkmod start", "version", client.Version, "args", strings.Join(a.args, " "))
	return nil
}
