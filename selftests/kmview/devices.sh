#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Dispatch by device number, ioctl request and binary format, with the
# test modules of selftests/kmview/modules: testdev claims the char device
# 1:3 (/dev/null's number), testioctl the request TIOCGWINSZ, testbinfmt
# the files whose first line is #KMVBIN. A node of /dev shown through a
# vufs mount, or the real one when a chroot makes the kernel forward every
# path, is read, written and ioctl'ed through testdev; the other nodes stay
# what they are. A claimed file execs as a /bin/sh script; others exec as
# always. The kernel forwards a path of the real tree outside a mount and
# an ioctl on a real fd because its filter learns the claimed device numbers
# and ioctl requests (KMVIEW_IOC_SET_KEYS), and every exec while a binary
# format is claimed (KMVIEW_FILTER_ALL_EXECS): a claimed real file outside
# every mount runs its interpreter too.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-devices.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
KMVIEW_MODULE_PATH=$(cd "$(dirname "$(command -v kmview)")/../selftests/modules" && pwd)
export KMVIEW_MODULE_PATH
kmv() { kmview -N -o "$LOG" "$@"; }
D=$T/d	# /dev, through vufs
# chroot(1) makes no call for "/": python does; from then on the kernel forwards every path
# (the kernel forwards chroot only while a module that can mount is loaded: vufs)
export JAIL=$T/jail.py
printf 'import os, sys\nos.chroot("/")\nos.execvp(sys.argv[1], sys.argv[1:])\n' >"$JAIL"

# ---- a device node served by its number ----
is "$(kmv sh -c 'vu_insmod vufs && vumount -t vufs /dev "$1" && cat "$1/null" && echo end' sh "$D" 2>&1)" \
	"end" "without testdev: /dev/null through vufs reads nothing"
is "$(kmv sh -c 'vu_insmod vufs testdev && vumount -t vufs /dev "$1" && cat "$1/null"' sh "$D" 2>&1)" \
	"testdev: $D/null" "with testdev: cat of a 1:3 node is the module's, with the whole path"
is "$(kmv sh -c 'vu_insmod vufs testdev && vumount -t vufs /dev "$1" &&
	echo written >"$1/null" && head -c 4 "$1/zero" | od -An -tx1' sh "$D" 2>&1)" " 00 00 00 00" \
	"a write to it is the module's; /dev/zero (1:5) stays vufs's"
is "$(kmv sh -c 'vu_insmod vufs testdev && vumount -t vufs /dev "$1" &&
	stat -c "%F %t:%T" "$1/null" "$1/zero"' sh "$D" 2>&1)" \
	"$(printf 'character special file 1:3\ncharacter special file 1:5')" "stat of both"
is "$(kmv sh -c 'vu_insmod vufs testdev && vumount -t vufs /dev "$1" && python3 -c "
import fcntl, struct, termios, sys
with open(sys.argv[1], \"rb\") as f:
    print(struct.unpack(\"HHHH\", fcntl.ioctl(f, termios.TIOCGWINSZ, bytes(8)))[:2])
" "$1/null"' sh "$D" 2>&1)" "(42, 4242)" "python fcntl.ioctl(TIOCGWINSZ) on it: the module's winsize"
is "$(kmv sh -c 'vu_insmod vufs testdev && python3 "$JAIL" cat /dev/null' 2>&1)" "testdev: /dev/null" \
	"the real /dev/null, every path forwarded (chroot /): the module's"
is "$(kmv sh -c 'vu_insmod vufs testdev && python3 "$JAIL" head -c 3 /dev/zero | od -An -tx1' 2>&1)" \
	" 00 00 00" "  the real /dev/zero stays real"
is "$(kmv sh -c 'vu_insmod vufs && python3 "$JAIL" cat /dev/null; echo end' 2>&1)" "end" \
	"  and without testdev, /dev/null is the kernel's"
is "$(kmv sh -c 'vu_insmod testdev && cat /dev/null' 2>&1)" "testdev: /dev/null" \
	"the real /dev/null outside any mount: the kernel's device keys forward it"
is "$(kmv sh -c 'vu_insmod testdev && head -c 2 /dev/zero | od -An -tx1' 2>&1)" " 00 00" \
	"  and /dev/zero, unclaimed, is the kernel's"

# ---- an ioctl request on real fds ----
PYWIN='import fcntl, os, struct, termios
m, s = os.openpty()
print(struct.unpack("HHHH", fcntl.ioctl(s, termios.TIOCGWINSZ, bytes(8)))[:2],
      struct.unpack("i", fcntl.ioctl(s, termios.FIONREAD, bytes(4)))[0])'
is "$(kmv python3 -c "$PYWIN" 2>&1)" "(0, 0) 0" "a new pty: TIOCGWINSZ 0x0, FIONREAD 0 (native)"
is "$(kmv sh -c 'vu_insmod testioctl && exec python3 -c "$1"' sh "$PYWIN" 2>&1)" "(11, 111) 0" \
	"testioctl: TIOCGWINSZ on a real pty is the module's (the kernel's ioctl keys); FIONREAD native"
is "$(kmv sh -c 'vu_insmod testioctl && vu_rmmod testioctl && exec python3 -c "$1"' sh "$PYWIN" \
	2>&1)" "(0, 0) 0" "  and once the module is gone, native again"

# ---- a binary format ----
S=$T/src
V=$T/v	# $S through vufs
mkdir -p "$S"
printf '#KMVBIN\necho "binfmt: $0 $*"\n' >"$S/prog"
printf '#KMVBINP\necho "keep: $0 $*"\n' >"$S/keep"
printf '#!/bin/sh\necho "plain: $0 $*"\n' >"$S/plain"
printf '#KMVBIN\necho "not executable"\n' >"$S/noexec"
chmod 755 "$S/prog" "$S/keep" "$S/plain"
# python's execv has no shell's fallback for ENOEXEC: what the kernel says is what it gets
EXEC='import os, sys
try:
    os.execv(sys.argv[1], sys.argv[2:])
except OSError as e:
    print(e.strerror)'
vexec() { kmv sh -c 'vu_insmod vufs ${3:+testbinfmt} && vumount -t vufs "$1" "$2" &&
	shift 3 && exec python3 -c "$@"' sh "$S" "$V" "$1" "$EXEC" "${@:2}" 2>&1; }
is "$(vexec "" "$V/prog" name arg)" "Exec format error" "without testbinfmt: a #KMVBIN file does not exec"
is "$(vexec y "$V/prog" name arg)" "binfmt: $V/prog arg" \
	"with testbinfmt: it runs with /bin/sh, its path as the script, argv[0] gone"
is "$(vexec y "$V/keep" name arg)" "keep: $V/keep name arg" "#KMVBINP: argv[0] kept (PRESERVE_ARGV0)"
# (a virtual script runs as its real copy: $0 is the copy's path, sc/exec.c)
vexec y "$V/plain" name arg | grep -q '^plain: /.*/plain arg$'
ok $? "an unclaimed #! script runs as always"
is "$(vexec y "$V/noexec" name)" "Permission denied" "a claimed file without x: EACCES"
is "$(vexec y /bin/echo echo native)" "native" "a real program runs as always"
is "$(kmv sh -c 'vu_insmod vufs testbinfmt && python3 "$JAIL" python3 -c "$1" "$2/prog" name arg' sh "$EXEC" "$S" \
	2>&1)" "binfmt: $S/prog arg" "a claimed real file, every path forwarded (chroot /)"
is "$(kmv sh -c 'vu_insmod testbinfmt && exec python3 -c "$1" "$2/prog" name arg' sh "$EXEC" "$S" 2>&1)" \
	"binfmt: $S/prog arg" "a claimed real file outside every mount (every exec forwarded)"
is "$(kmv sh -c 'vu_insmod testbinfmt && exec python3 -c "$1" "$2/plain" name arg' sh "$EXEC" "$S" 2>&1)" \
	"plain: $S/plain arg" "  an unclaimed real script there runs natively"

done_testing
