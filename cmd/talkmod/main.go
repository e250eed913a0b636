// Command talkmod is a terminal moderator console for Nextcloud Talk
// webinars, and a set of scriptable commands (rooms, room, lobby, sip) and
// account management (login, accounts, logout).
//
// The command line is built with cobra (github.com/spf13/cobra): it is the
// most used and best kept Go CLI library (kubectl, gh, hugo, docker), and it
// gives what the commands promise without hand-written code: --help on
// every command, --version, POSIX flags, and shell completion for bash,
// zsh, fish and PowerShell (the completion command), including completion
// of account names and conversation tokens.
package main

import (
	"os"

	_ "time/tzdata" // display zones work on machines without a zoneinfo database
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
