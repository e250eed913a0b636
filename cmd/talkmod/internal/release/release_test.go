package release

import (
	"runtime/debug"
	"testing"
)

func TestVersionFrom(t *testing.T) {
	vcs := func(kv ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/talkmod/talkmod", Version: "(devel)"}}
		for i := 0; i+1 < len(kv); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return bi
	}
	cases := []struct {
		name, version, commit, date string
		bi                          *debug.BuildInfo
		want                        string
	}{
		{"release", "1.2.3", "0123abcd", "2026-12-01T16:22:59Z", vcs(),
			"1.2.3 (commit 0123abcd, built 2026-12-01T16:22:59Z)"},
		{"release build info ignored", "1.2.3", "0123abcd", "", vcs("vcs.revision", "ffff"),
			"1.2.3 (commit 0123abcd, built unknown)"},
		{"go build in a clone", "0.1.0", "", "", vcs("vcs.revision", "3dc3a03", "vcs.time", "2026-12-01T16:22:59Z", "vcs.modified", "false"),
			"0.1.0-dev (development build, commit 3dc3a03, committed 2026-12-01T16:22:59Z)"},
		{"go build with changes", "0.1.0", "", "", vcs("vcs.revision", "3dc3a03", "vcs.modified", "true"),
			"0.1.0-dev (development build, commit 3dc3a03 with uncommitted changes)"},
		{"go build without vcs", "0.1.0", "", "", vcs(),
			"0.1.0-dev (development build, commit unknown: built outside a git checkout or with -buildvcs=false)"},
		{"no build info", "0.1.0", "", "", nil,
			"0.1.0-dev (development build, commit unknown: built outside a git checkout or with -buildvcs=false)"},
		{"go install of a tag", "0.1.0", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}},
			"1.2.3 (go install of the module; commit in the version, build date not recorded)"},
	}
	for _, c := range cases {
		if got := VersionLine(c.version, c.commit, c.date, c.bi); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}
