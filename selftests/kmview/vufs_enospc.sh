#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A full SOURCE during a copy-up: the write that needs the copy fails with
# ENOSPC, the old file stays whole in the view and on the host, nothing of
# the copy is left, and what fits still works. Root only makes the small
# tmpfs SOURCE (size=1m, the user's); the view runs as the test user.
. "$(dirname "$0")/lib.sh"

user=${KMVIEW_TEST_UID:-1000}
T=$(mktemp -d /tmp/kmview-vufsfull.XXXXXX)
trap 'umount "$T/src" 2>/dev/null; rm -rf "$T"' EXIT
mkdir -p "$T/src" "$T/real"
chmod 755 "$T"
if ! mount -t tmpfs -o "size=1m,uid=$user,gid=$user,mode=0755" tmpfs "$T/src"; then
	skip "cannot mount a tmpfs"
	done_testing
	exit
fi
head -c 3M /dev/urandom >"$T/real/big"
echo small >"$T/real/small"
touch "$T/log"
chown -R "$user:$user" "$T/real" "$T/log"
sum=$(sha256sum <"$T/real/big")
as_user() { setpriv --reuid="$user" --regid="$user" --clear-groups env HOME=/tmp "$@"; }

out=$(as_user kmview -N -o "$T/log" sh -c 'vu_insmod vufs && vumount -t vufs -o cow "$1/src" "$1/real" || exit 1
	echo x >>"$1/real/big"; echo "status $?"
	sha256sum <"$1/real/big"; stat -c %s "$1/real/big"
	echo y >>"$1/real/small" && cat "$1/real/small"' sh "$T" 2>&1)
is "$out" "sh: 2: cannot create $T/real/big: No space left on device
status 2
$sum
$((3 * 1048576))
small
y" "a copy-up of 3 MiB into a 1 MiB SOURCE: ENOSPC, the old file whole in the view; a small one copies"
is "$(sha256sum <"$T/real/big")" "$sum" "the real file is intact"
is "$(ls -A "$T/src/.-" 2>/dev/null | grep -c cp)" 0 "no temporary of the failed copy left in SOURCE/.-"
! [ -e "$T/src/big" ] && [ "$(cat "$T/src/small")" = "small
y" ]
ok $? "SOURCE holds the small copy only"
done_testing
