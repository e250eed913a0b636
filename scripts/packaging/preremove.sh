#!/bin/sh
# talkmod package: before removal (not before an upgrade), stop the service.
# The user, /etc/talkmod and /var/lib/talkmod-serve stay (logins, host key).
set -e
case "$1" in
remove | purge | 0)
	if [ -d /run/systemd/system ]; then
		systemctl disable --now talkmod-serve.service >/dev/null 2>&1 || true
	fi
	;;
esac
exit 0
