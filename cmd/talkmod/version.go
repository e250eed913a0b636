package main

import (
	"runtime/debug"
	"strings"

	"github.com/talkmod/talkmod/client"
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
	return versionFrom(client.Version, buildCommit, buildDate, bi)
}

func versionFrom(version, commit, date string, bi *debug.BuildInfo) string {
	if commit != "" {
		if date == "" {
			date = "unknown"
		}
		return version + " (commit " + commit + ", built " + date + ")"
	}
	settings := map[string]string{}
	if bi != nil {
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
		// go install github.com/talkmod/talkmod/cmd/talkmod@v1.2.3 records
		// the module version (a pseudo-version names the commit).
		if v := bi.Main.Version; v != "" && v != "(devel)" && settings["vcs.revision"] == "" {
			return strings.TrimPrefix(v, "v") + " (go install of the module; commit in the version, build date not recorded)"
		}
	}
	rev := settings["vcs.revision"]
	if rev == "" {
		return version + "-dev (development build, commit unknown: built outside a git checkout or with -buildvcs=false)"
	}
	out := version + "-dev (development build, commit " + rev
	if settings["vcs.modified"] == "true" {
		out += " with uncommitted changes"
	}
	if t := settings["vcs.time"]; t != "" {
		out += ", committed " + t
	}
	return out + ")"
}
