package main

import (
	"runtime/debug"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/release"
)

// The release build (scripts/release.sh) stamps these with
//
//	-ldflags "-X github.com/talkmod/talkmod/client.Version=1.2.3
//	          -X main.buildCommit=<full commit> -X main.buildDate=<RFC 3339, UTC>"
//
// (client.Version also goes into the User-Agent). A plain go build leaves
// them empty and versionLine reads what the go command recorded instead.
var (
	buildCommit string
	buildDate   string
)

// versionLine is what talkmod --version prints after "talkmod ": the
// version, the commit and the build date of a release build, else that this
// is a development build and its commit.
func versionLine() string {
	bi, _ := debug.ReadBuildInfo()
	return release.VersionLine(client.Version, buildCommit, buildDate, bi)
}
