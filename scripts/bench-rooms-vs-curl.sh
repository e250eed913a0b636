#!/usr/bin/env bash
# bench-rooms-vs-curl.sh: how long `talkmod rooms --json` takes next to a
# bare `curl -s -o /dev/null` of the same room list, from a
# `talkmod demo-server --rooms N` on loopback.
#
#   scripts/bench-rooms-vs-curl.sh [N ...]      (default: 1000 10000)
#   RUNS=5 (runs per tool and size, alternating; the median counts)
#
# Prints min/median/max wall time of each and the ratio of the medians
# (target: talkmod <= 1.3x curl). The app password reaches curl through a
# config on its stdin, never its command line.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v curl >/dev/null || { echo "bench: curl is missing" >&2; exit 1; }
runs=${RUNS:-5}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

work=$(mktemp -d)
server_pid=""
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/talkmod" ./cmd/talkmod
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" TALKMOD_KEYRING=off
mkdir -p "$HOME"

now_ns() { date +%s%N; }
# stats prints "min median max" (ms) of its arguments (ns).
stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.1f %.1f %.1f", a[1]/1e6, a[int((NR+1)/2)]/1e6, a[NR]/1e6}'; }

printf '%-7s %-28s %-28s %s\n' rooms "curl ms (min/median/max)" "talkmod ms (min/median/max)" "ratio of medians"
for n in "${sizes[@]}"; do
	"$work/talkmod" demo-server --rooms "$n" >"$work/server.out" 2>"$work/server.err" &
	server_pid=$!
	for _ in $(seq 100); do
		grep -q '^App password:' "$work/server.out" 2>/dev/null && break
		sleep 0.1
	done
	url=$(awk '/^URL:/ {print $2}' "$work/server.out")
	user=$(awk '/^User:/ {print $2}' "$work/server.out")
	pw=$(awk '/^App password:/ {print $3}' "$work/server.out")
	[ -n "$pw" ] || { echo "bench: the demo server did not start" >&2; cat "$work/server.err" >&2; exit 1; }
	export TALKMOD_SERVER="$url" TALKMOD_USER="$user" TALKMOD_APP_PASSWORD="$pw"
	list="$url/ocs/v2.php/apps/spreed/api/v4/room?noStatusUpdate=1&format=json"
	curl_cfg="user = \"$user:$pw\""
	run_curl() {
		printf '%s\n' "$curl_cfg" | curl -s -o /dev/null -K - -H 'OCS-APIRequest: true' -H 'Accept: application/json' "$list"
	}
	run_talkmod() { "$work/talkmod" rooms --json >/dev/null; }
	# warm up both (and check talkmod reads the whole list)
	run_curl
	got=$("$work/talkmod" rooms --all --json | grep -c '"token"' || true)
	[ "$got" -eq "$n" ] || { echo "bench: talkmod rooms --all --json gave $got rooms, want $n" >&2; exit 1; }
	c=() t=()
	for i in $(seq "$runs"); do
		if [ $((i % 2)) -eq 1 ]; then order="curl talkmod"; else order="talkmod curl"; fi
		for tool in $order; do
			s=$(now_ns)
			"run_$tool"
			e=$(now_ns)
			if [ "$tool" = curl ]; then c+=($((e - s))); else t+=($((e - s))); fi
		done
	done
	read -r cmin cmed cmax <<<"$(stats "${c[@]}")"
	read -r tmin tmed tmax <<<"$(stats "${t[@]}")"
	ratio=$(awk -v a="$tmed" -v b="$cmed" 'BEGIN {printf "%.2f", a/b}')
	printf '%-7s %-28s %-28s %sx\n' "$n" "$cmin / $cmed / $cmax" "$tmin / $tmed / $tmax" "$ratio"
	kill "$server_pid"
	wait "$server_pid" 2>/dev/null || true
	server_pid=""
done
