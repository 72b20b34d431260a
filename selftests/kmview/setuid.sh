#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A setuid binary does not gain privilege in a view. Run as root: it makes
# a setuid-root copy of id(1) on a tmpfs, then runs it as an ordinary user.
. "$(dirname "$0")/lib.sh"
user=${KMVIEW_TEST_UID:-1000}
as_user() { setpriv --reuid="$user" --regid="$user" --clear-groups env HOME=/tmp "$@"; }

if [ "$(id -u)" -ne 0 ]; then
	skip "needs root to make a setuid binary"
	done_testing
	exit
fi
d=$(mktemp -d /tmp/kmview-suid.XXXXXX)
chmod 755 "$d"
cp /usr/bin/id "$d/id"
chown root:root "$d/id"
chmod 4755 "$d/id"
outside=$(as_user "$d/id" -u)
if [ "$outside" != 0 ]; then
	skip "setuid does not work on $d (nosuid?)"
else
	ok 0 "outside a view the setuid copy runs as root"
	is "$(as_user kmview -N "$d/id" -u)" "$user" "in a view it runs as the user"
fi
rm -rf "$d"
done_testing
