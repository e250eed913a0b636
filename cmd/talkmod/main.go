// Command talkmod is a terminal moderator console for Nextcloud Talk
// webinars, and a set of scriptable commands (rooms, room, lobby, sip) and
// account management (login, accounts, logout).
package main

import (
	"os"

	_ "time/tzdata" // display zones work on machines without a zoneinfo database
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
