package main

import (
	"github.com/spf13/cobra"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/cmdutil"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/release"
)

// addReleaseFilesCmd adds the hidden command scripts/release.sh runs to
// write the man pages and shell completions that ship in the archives and
// packages. They are made from the command tree as it is when the release
// is built, so a new command gets its page and its completions with no
// change here. (cobra's doc package writes the pages, with go-md2man.)
func addReleaseFilesCmd(root *cobra.Command) {
	root.AddCommand(&cobra.Command{
		Use:    "gen-release-files DIR",
		Short:  "Write the man pages (DIR/man/man1) and shell completions (DIR/completions) of this talkmod",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			date, err := release.Date(getenv("SOURCE_DATE_EPOCH"), buildDate)
			if err != nil {
				return cmdutil.UsageErrorf("%v", err)
			}
			return release.WriteFiles(cmd.Root(), args[0], date)
		},
	})
}
