#!/usr/bin/env bash
# scripts/release.sh VERSION [OUTDIR]: build a talkmod release into OUTDIR
# (default dist/):
#
#   talkmod_VERSION_OS_ARCH.tar.gz (.zip for windows)  static binary, README.md,
#       LICENSE, completions/ (bash, zsh, fish), man/man1/ (one page a command),
#       third_party_licenses/ (Go's and every compiled-in module's)
#   talkmod_VERSION_amd64.deb, talkmod_VERSION_arm64.deb,
#   talkmod-VERSION-1.x86_64.rpm, talkmod-VERSION-1.aarch64.rpm
#       /usr/bin/talkmod, man pages, completions, talkmod-serve.service and
#       /etc/talkmod/serve.env (scripts/packaging/)
#   checksums.txt  (sha256, for sha256sum -c)
#
# Needs Go and git (for the commit); tar, zip or rpm tools are not needed:
# the archives are written by scripts/archive and the packages by nfpm,
# built from scripts/packaging/tools at the version pinned there. Offline
# it works from the module cache; otherwise the go command fetches what is
# missing from the module proxy.
#
# Reproducible: the same commit and SOURCE_DATE_EPOCH (default: the commit's
# time) give byte-identical archives, packages and checksums.txt.
#
# Environment:
#   SOURCE_DATE_EPOCH  build date and the time of every file (default: commit time)
#   TARGETS            GOOS/GOARCH list (default: linux, darwin and windows,
#                      amd64 and arm64); packages are made for the linux ones
set -euo pipefail

usage() {
	echo "usage: scripts/release.sh VERSION [OUTDIR]   (e.g. scripts/release.sh 1.2.3)" >&2
	exit 2
}
[ $# -ge 1 ] && [ $# -le 2 ] || usage
version="${1#v}"
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+~][0-9A-Za-z.+~-]+)?$ ]]; then
	echo "release.sh: version $1 is not of the form 1.2.3 (or 1.2.3-rc.1)" >&2
	exit 2
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
outdir="${2:-$root/dist}"
mkdir -p "$outdir"
outdir="$(cd "$outdir" && pwd)"
cd "$root"

start=$(date +%s)
commit="$(git rev-parse HEAD)"
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
	echo "release.sh: warning: the work tree has uncommitted changes; the binaries say commit ${commit}-dirty" >&2
	commit="${commit}-dirty"
fi
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}"
build_date="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null ||
	date -u -r "$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"
targets="${TARGETS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The files of an earlier release in OUTDIR go; nothing else there is touched.
rm -f "$outdir"/talkmod_*.tar.gz "$outdir"/talkmod_*.zip "$outdir"/talkmod_*.deb \
	"$outdir"/talkmod-*.rpm "$outdir"/checksums.txt

export CGO_ENABLED=0 GOFLAGS=-mod=readonly
ldflags="-s -w -buildid= -X github.com/talkmod/talkmod/client.Version=${version} -X main.buildCommit=${commit} -X main.buildDate=${build_date}"
build() { # build GOOS GOARCH OUT
	GOOS="$1" GOARCH="$2" go build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$3" ./cmd/talkmod
}
# third_party_licenses GOOS GOARCH DIR: the licence files (LICENSE, COPYING,
# NOTICE) of Go and of every module compiled into that binary, in
# DIR/MODULE/ (a module without one: its README, and a warning).
third_party_licenses() {
	mkdir -p "$3/go"
	cp "$(go env GOROOT)/LICENSE" "$3/go/LICENSE"
	GOOS="$1" GOARCH="$2" go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Dir}}{{end}}{{end}}' ./cmd/talkmod |
		LC_ALL=C sort -u | while read -r mod dir; do
		local found=""
		mkdir -p "$3/$mod"
		for f in "$dir"/*; do
			case "$(basename "$f" | tr '[:lower:]' '[:upper:]')" in
			LICENSE* | LICENCE* | COPYING* | NOTICE*) [ -f "$f" ] && cp "$f" "$3/$mod/" && found=1 ;;
			esac
		done
		if [ -z "$found" ]; then
			# (github.com/mattn/go-localereader v0.0.1 says "MIT" in its README only.)
			echo "release.sh: warning: module $mod has no licence file; its README.md goes in its place" >&2
			cp "$dir/README.md" "$3/$mod/README.md"
		fi
	done
}

echo "talkmod ${version} (commit ${commit}, SOURCE_DATE_EPOCH ${SOURCE_DATE_EPOCH} = ${build_date})"

# The tools: the archiver, nfpm (pinned in scripts/packaging/tools/go.mod),
# and a talkmod for this machine that writes the man pages and completions
# from its own command tree.
go build -trimpath -o "$work/archive" ./scripts/archive
go -C scripts/packaging/tools build -trimpath -o "$work/nfpm" github.com/goreleaser/nfpm/v2/cmd/nfpm
build "$(go env GOHOSTOS)" "$(go env GOHOSTARCH)" "$work/talkmod-host"
"$work/talkmod-host" gen-release-files "$work/common"

for target in $targets; do
	goos="${target%/*}" goarch="${target#*/}"
	name="talkmod_${version}_${goos}_${goarch}"
	stage="$work/$name"
	exe=talkmod
	[ "$goos" = windows ] && exe=talkmod.exe
	echo "== $goos/$goarch"
	mkdir -p "$stage"
	build "$goos" "$goarch" "$stage/$exe"
	cp README.md LICENSE "$stage/"
	cp -R "$work/common/completions" "$work/common/man" "$stage/"
	third_party_licenses "$goos" "$goarch" "$stage/third_party_licenses"
	chmod -R u=rwX,go=rX "$stage"
	find "$stage" -exec touch -h -d "$build_date" {} + # nfpm keeps the times of a tree's files
	if [ "$goos" = windows ]; then
		"$work/archive" -mtime "$SOURCE_DATE_EPOCH" -o "$outdir/$name.zip" "$stage"
	else
		"$work/archive" -mtime "$SOURCE_DATE_EPOCH" -o "$outdir/$name.tar.gz" "$stage"
	fi

	[ "$goos" = linux ] || continue
	case "$goarch" in amd64 | arm64) ;; *) continue ;; esac
	# Packages: man pages gzipped (gzip -n: no name, no time in the header).
	mkdir -p "$stage/man/man1.gz"
	for page in "$stage"/man/man1/*.1; do
		gzip -n -9 -c "$page" >"$stage/man/man1.gz/$(basename "$page").gz"
	done
	sed -e "s|\${NFPM_ARCH}|$goarch|g" -e "s|\${VERSION}|$version|g" -e "s|\${STAGE}|$stage|g" \
		-e "s|\${PACKAGING}|$root/scripts/packaging|g" scripts/packaging/nfpm.yaml >"$stage.nfpm.yaml"
	rpm_arch=x86_64
	[ "$goarch" = arm64 ] && rpm_arch=aarch64
	for packager in deb rpm; do
		if [ $packager = deb ]; then
			pkg="$outdir/talkmod_${version}_${goarch}.deb"
		else
			pkg="$outdir/talkmod-${version}-1.${rpm_arch}.rpm"
		fi
		"$work/nfpm" package --config "$stage.nfpm.yaml" --packager "$packager" --target "$pkg" >/dev/null
	done
done

(
	cd "$outdir"
	shopt -s nullglob
	files=$(printf '%s\n' talkmod_*.tar.gz talkmod_*.zip talkmod_*.deb talkmod-*.rpm | LC_ALL=C sort)
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum $files >checksums.txt
	else
		shasum -a 256 $files >checksums.txt
	fi
	echo "== $outdir ($(($(date +%s) - start)) s)"
	ls -l $files checksums.txt | awk '{printf "%10d  %s\n", $5, $NF}'
)
