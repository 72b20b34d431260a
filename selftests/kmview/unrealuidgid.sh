#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# unrealuidgid, unrealcap and vusu, as an ordinary user: virtual ids that
# children inherit, the kernel's rules for who may change them (the view's
# owner may become anyone; a user who is not the owner cannot come back to
# root), capabilities that follow the uid, the real ids untouched (a file
# made as the virtual root is the user's), and modules that ask who the
# caller is (the test module whoami) told the virtual ids.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-uug.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
kmv() { kmview -N -o "$LOG" "$@"; }
KMVIEW_MODULE_PATH=$(cd "$(dirname "$(command -v kmview)")/../selftests/modules" && pwd)
export KMVIEW_MODULE_PATH
me=$(id -u)
ngroups=$(python3 -c 'import os; print(len(os.getgroups()))')
PATH=$PATH:/sbin:/usr/sbin

is "$(kmv sh -c 'vu_insmod unrealuidgid && vusu -c id' 2>&1)" "$(id root)" \
	"vusu -c id: root, with root's groups from the view's /etc/group"
is "$(kmv sh -c 'vu_insmod unrealuidgid && vusu -c "sh -c \"id -u; id -g\""' 2>&1)" "0
0" "a child of vusu's shell is root too"
is "$(kmv sh -c 'vu_insmod unrealuidgid && vusu -c "touch $1/f" && stat -c %u "$1/f"' sh "$T" 2>&1)" \
	"$me" "a file the virtual root makes on the host is the user's"
out=$(kmv sh -c 'vu_insmod unrealuidgid && vusu nobody -s /bin/sh -c "id -u; vusu -c id"' 2>&1)
echo "$out" | head -n1 | grep -qx 65534 && echo "$out" | grep -q "vusu: .*Operation not permitted"
st=$?
ok $st "root becomes nobody, and nobody cannot become root again"
[ $st = 0 ] || printf '#   %s\n' "$out"
is "$(kmv sh -c 'vu_insmod unrealuidgid && vusu nobody -s /bin/sh -c "vusu -c true" 2>/dev/null; echo $?; id -u' 2>&1)" \
	"1
$me" "... it fails with status 1, and the owner's shell is the owner still"
out=$(kmv sh -c 'vu_insmod unrealuidgid && vusu - -c "echo \$HOME \$USER; echo \$0" 2>/dev/null' 2>&1)
is "$out" "$(getent passwd root | cut -d: -f6) root
-$(basename "$(getent passwd root | cut -d: -f7)")" "vusu - : a login shell, with root's HOME and USER"

# capabilities follow the virtual uid
is "$(kmv sh -c 'vu_insmod unrealuidgid && vusu -c "capsh --print" | grep "^Current:"' 2>&1 | sed "s/ *$//")" \
	"Current: =ep" "capsh --print as the virtual root: every capability"
is "$(kmv sh -c 'vu_insmod unrealuidgid && vusu nobody -s /bin/sh -c "capsh --print" |
	grep "^Current:"' 2>&1 | sed "s/ *$//")" "Current: =" "as nobody: none"
is "$(kmv sh -c 'vu_insmod unrealcap && capsh --caps=cap_chown+ep -- -c "capsh --print" 2>&1 |
	grep "^Current:"; capsh --caps=cap_chown+ep --print | grep "^Current:"' 2>&1 | sed "s/ *$//")" \
	"Current: =
Current: cap_chown=ep" "unrealcap: the owner raises cap_chown; an exec of a non-root program drops it, as Linux does"
out=$(kmv sh -c 'vu_insmod unrealcap; vu_insmod unrealuidgid; vu_lsmod' 2>&1)
echo "$out" | grep -q "unrealuidgid: .*busy" && ! echo "$out" | grep -q "^unrealuidgid"
st=$?
ok $st "unrealuidgid refuses to load beside unrealcap (two stores of capabilities)"
[ $st = 0 ] || printf '#   %s\n' "$out"

# a module asking who its caller is gets the virtual ids
is "$(kmv sh -c 'vu_insmod unrealuidgid whoami && cat /dev/whoami && vusu -c "cat /dev/whoami" &&
	vusu nobody -s /bin/sh -c "cat /dev/whoami"' 2>&1)" \
	"$me $me $(id -g) $(id -g) $me $ngroups
0 0 0 0 0 1
65534 65534 65534 65534 65534 1" "whoami: a module's getuid, geteuid, getgid, getegid, setfsuid(-1), getgroups are the caller's virtual ones"
is "$(kmv sh -c 'vu_insmod whoami && cat /dev/whoami' 2>&1)" \
	"$me $me $(id -g) $(id -g) $me $ngroups" "without unrealuidgid: the real ones"

# errors
out=$(kmv sh -c 'vusu -c id; echo "status $?"' 2>&1)
echo "$out" | grep -q "vusu: cannot .*Operation not permitted (is unrealuidgid loaded" &&
	echo "$out" | grep -q "^status 1$"
st=$?
ok $st "vusu without unrealuidgid: a clear error, status 1"
[ $st = 0 ] || printf '#   %s\n' "$out"
is "$(kmv sh -c 'vu_insmod unrealuidgid && vusu nosuchuser; echo "status $?"' 2>&1)" \
	"vusu: user nosuchuser does not exist
status 1" "an unknown user"
is "$(kmv sh -c 'vu_insmod unrealuidgid && vusu -c id && vu_rmmod unrealuidgid && id -u' 2>&1)" \
	"$(id root)
$me" "vu_rmmod unrealuidgid: the real ids again"

done_testing
