#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# PID 1 of the test VM, run from the host's root (read-only 9p) after the
# initramfs switch_root (scripts/vm/initramfs-init).  It reads the job that
# scripts/vm/run.sh wrote into the out share, loads the module, runs the
# command, unloads the module, checks the kernel's health and reports:
#
#   KMVIEW-VERDICT: pass            on the console and in OUT/verdict, then
#                                   byte 0 to port 0xf4 (QEMU exits 1)
#   KMVIEW-VERDICT: fail (reason)   byte 1 (QEMU exits 3)
#
# The command sees KMVIEW_TOP (repository), KMVIEW_BIN, KMVIEW_OUT (the
# writable out share), KMVIEW_KVER and KMVIEW_KO, and MANPATH with the
# repository's man pages, runs in KMVIEW_TOP, and its output goes to the
# console, OUT/log (stdout and stderr) and OUT/stdout.
#
# PID 1 must never exit or block for good: no `set -e`, every step that can
# hang runs under a deadline, and every path ends in verdict().

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LANG=C.UTF-8
umask 022

OUT=/run/kmview-out
KMVIEW_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

port_write() {
	# isa-debug-exit at 0xf4 = 244: QEMU exits with (byte << 1) | 1.
	printf "\\$(printf '%03o' "$1")" | dd of=/dev/port bs=1 seek=244 count=1 conv=notrunc status=none
}

verdict() {
	local v=$1
	trap - EXIT
	sync
	echo "KMVIEW-VERDICT: $v" > "$OUT/verdict"
	sync
	echo "KMVIEW-VERDICT: $v"
	# Let the serial line drain before QEMU exits.
	nap 0.3
	case $v in
	pass) port_write 0 ;;
	*) port_write 1 ;;
	esac
	# Only reached without /dev/port: a reboot makes QEMU exit 0, a failure.
	echo "guest-init: cannot write the verdict port; rebooting" >&2
	echo b > /proc/sysrq-trigger
	sleep 10
	exit 1
}

fail() { verdict "fail ($*)"; }

# Sleep without an exec (each exec of a host binary costs ~0.1 s over 9p):
# wait for input on a FIFO that nobody writes.  Opened in setup().
nap() {
	if [ -n "${nap_fd:-}" ]; then
		read -r -t "$1" -u "$nap_fd" _
	else
		sleep "$1"
	fi
	return 0
}

# run_deadline SECS LABEL CMD...: run CMD in its own session; kill the whole
# session after SECS seconds.
# Returns the command's status, 124 on timeout, 125 if it cannot be killed
# (a task stuck in D state: report it rather than wait for ever).
run_deadline() {
	local secs=$1 label=$2 pid end
	shift 2
	setsid "$@" &
	pid=$!
	end=$((SECONDS + secs))
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$SECONDS" -ge "$end" ]; then
			echo "guest-init: timeout after ${secs}s: $label" >&2
			kill -TERM -- "-$pid" 2>/dev/null
			nap 2
			kill -KILL -- "-$pid" 2>/dev/null
			end=$((SECONDS + 5))
			while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$end" ]; do
				nap 0.1
			done
			kill -0 "$pid" 2>/dev/null && return 125
			wait "$pid"
			return 124
		fi
		nap 0.1
	done
	wait "$pid"
}

# With KMVIEW_VM_DEBUG=1 in run.sh's environment, time each step.
step() {
	local up rest
	[ "${KMVIEW_DEBUG:-0}" = 1 ] || return 0
	read -r up rest < /proc/uptime
	echo "guest-init: [$up] $*"
}

is_mounted() {
	local dev dir rest
	while read -r dev dir rest; do
		[ "$dir" = "$1" ] && return 0
	done < /proc/mounts
	return 1
}

mnt() { is_mounted "${@: -1}" || mount "$@"; }

# scripts/vm/initramfs-init normally did all of this already, cheaply.
setup() {
	[ -r /proc/mounts ] || mount -t proc proc /proc || return 1
	mnt -t sysfs sysfs /sys || return 1
	mnt -t devtmpfs devtmpfs /dev || return 1
	[ -d /dev/pts ] || mkdir -p /dev/pts /dev/shm
	# udev would make these; bash's process substitution needs /dev/fd.
	[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
	[ -e /dev/stdin ] || ln -s /proc/self/fd/0 /dev/stdin
	[ -e /dev/stdout ] || ln -s /proc/self/fd/1 /dev/stdout
	[ -e /dev/stderr ] || ln -s /proc/self/fd/2 /dev/stderr
	mnt -t devpts -o gid=5,mode=620,ptmxmode=0666 devpts /dev/pts || return 1
	mnt -t tmpfs -o mode=1777 tmpfs /dev/shm || return 1
	# Nothing the guest does may write to the host: everything writable
	# is a tmpfs, except the out share.
	mnt -t tmpfs -o mode=1777 tmpfs /tmp || return 1
	mnt -t tmpfs -o mode=755 tmpfs /run || return 1
	mnt -t tmpfs -o mode=1777 tmpfs /var/tmp || return 1
	mnt -t tmpfs -o mode=700 tmpfs /root || return 1
	mnt -t tmpfs -o mode=755 tmpfs /home || return 1
	[ -d "$OUT" ] || mkdir -p "$OUT" /run/lock
	mnt -t 9p -o trans=virtio,version=9p2000.L,msize=262144 out "$OUT" || return 1
	mkfifo /run/kmview-nap && exec {nap_fd}<>/run/kmview-nap
}

# Without a working /dev/port or out share there is no way to report; say it
# on the console and let the host see QEMU exit 0.
trap 'verdict "fail (guest-init exited unexpectedly)"' EXIT
setup || fail "cannot set up the guest's mounts"
# initramfs-init puts the repository back at its own path over the tmpfs
# mounts; without that (a clone under /tmp, /home, /root) nothing below works.
[ -d "$KMVIEW_TOP/scripts/vm" ] || fail "the repository $KMVIEW_TOP is hidden by the guest's tmpfs mounts"
[ -r "$OUT/job" ] || fail "no job file in the out share"
# shellcheck source=/dev/null
. "$OUT/job"
KMVIEW_KO=${KMVIEW_KO//@OUT@/$OUT}
export KMVIEW_TOP KMVIEW_BIN="$KMVIEW_TOP/build/bin" KMVIEW_OUT="$OUT" KMVIEW_KVER KMVIEW_KO
export PATH="$KMVIEW_BIN:$PATH" HOME=/root TERM=$KMVIEW_TERM
# The project's man pages first (man/ linked as a man1/ by initramfs-init),
# then, for the trailing colon, man-db's default path.
[ -d /run/kmview-man/man1 ] && export MANPATH=/run/kmview-man:
echo kmview-vm > /proc/sys/kernel/hostname
# loopback up, as a booted system has it (sockets.sh connects to 127.0.0.1)
command -v ip >/dev/null && ip link set lo up
step "mounted"

# A task stuck in D state for 10 s shows up in dmesg (checked below).
if [ -w /proc/sys/kernel/hung_task_timeout_secs ]; then
	echo 10 > /proc/sys/kernel/hung_task_timeout_secs
fi
echo "guest-init: $KMVIEW_KVER, running from $KMVIEW_TOP"

# A kernel with kmemleak (the debug kernel of make vm-check-debug): forget
# what boot leaked, so that the scan after rmmod reports what the run leaked.
kmemleak=/sys/kernel/debug/kmemleak
[ -d /sys/kernel/debug ] && mnt -t debugfs debugfs /sys/kernel/debug
if [ -w "$kmemleak" ]; then
	step "kmemleak: scan and clear"
	echo scan > "$kmemleak" && echo clear > "$kmemleak"
fi

mod=${KMVIEW_KO##*/}
mod=${mod%.ko}
mod=${mod//-/_}
step "insmod $KMVIEW_KO"
if ! insmod "$KMVIEW_KO"; then
	# The kernel says why (bad vermagic, unknown symbol...) only in dmesg.
	dmesg > "$OUT/dmesg" 2>&1
	why=$(grep -v '^\[ *0\.' "$OUT/dmesg" | tail -n 3)
	[ -n "$why" ] && echo "$why"
	fail "insmod $KMVIEW_KO${why:+: $(echo "$why" | tail -n1 | sed 's/^\[[ 0-9.]*\] //')}"
fi
# Stand-in for scripts/99-kmview.rules (there is no udev in the guest).
if [ -e /dev/kmview ]; then
	chmod 0666 /dev/kmview
elif [ "$mod" = kmview ]; then
	fail "kmview.ko loaded but /dev/kmview does not exist"
fi

cd "$KMVIEW_TOP" || fail "cannot cd to $KMVIEW_TOP"
step "run"
: > "$OUT/log"
: > "$OUT/stdout"
# --user: the command runs as that uid (and gid), with no supplementary
# groups and its own HOME on the /home tmpfs.
as_user=()
if [ -n "$KMVIEW_USER" ]; then
	name=$(getent passwd "$KMVIEW_USER" | cut -d: -f1)
	name=${name:-user}
	home=/home/$name
	mkdir -p "$home"
	chown "$KMVIEW_USER:$KMVIEW_USER" "$home"
	chmod 700 "$home"
	as_user=(setpriv "--reuid=$KMVIEW_USER" "--regid=$KMVIEW_USER" --clear-groups
		env "HOME=$home" "USER=$name" "LOGNAME=$name")
fi

if [ "$KMVIEW_INTERACTIVE" = 1 ]; then
	# The user gets the serial line as a controlling terminal.
	stty -F /dev/ttyS0 sane rows "$KMVIEW_ROWS" cols "$KMVIEW_COLS" 2>/dev/null
	[ -n "$KMVIEW_USER" ] && { cd "$home" || fail "cannot cd to $home"; }
	echo "guest-init: running '$KMVIEW_CMD'${KMVIEW_USER:+ as uid $KMVIEW_USER}; exit the shell to power off"
	setsid -w -c "${as_user[@]}" bash -c "$KMVIEW_CMD" </dev/ttyS0 >/dev/ttyS0 2>&1
	echo "guest-init: the session ended with status $?; checking the kernel"
	# A shell's exit status is the user's last command's: the verdict of
	# a session is only about the module and the kernel.
	status=0
	cd "$KMVIEW_TOP" || true
else
	# stdout goes to the console, OUT/log and OUT/stdout; stderr to the
	# console and OUT/log.  pipefail gives the command's own status.
	if [ ${#as_user[@]} -gt 0 ]; then
		KMVIEW_CMD="exec ${as_user[*]@Q} bash -c ${KMVIEW_CMD@Q}"
	fi
	export KMVIEW_CMD
	run_deadline "$KMVIEW_TIMEOUT" "$KMVIEW_CMD" bash -c '
		set -o pipefail
		{ bash -c "$KMVIEW_CMD" 2>&1 >&3 3>&- </dev/null |
			tee -a "$KMVIEW_OUT/log" >&2; } 3>&1 |
			tee -a "$KMVIEW_OUT/log" "$KMVIEW_OUT/stdout"'
	status=$?
fi

step "command done ($status)"
reasons=()
case $status in
0) ;;
124) reasons+=("command timed out after ${KMVIEW_TIMEOUT}s") ;;
125) reasons+=("command timed out after ${KMVIEW_TIMEOUT}s and cannot be killed") ;;
*) reasons+=("command exited $status") ;;
esac

# After rmmod, kmemleak names the module's frames by address only: keep
# where its sections were (address - section start = offset in the .ko).
if [ -w "$kmemleak" ]; then
	grep -H . /sys/module/"$mod"/sections/.*text* > "$OUT/module-sections" 2>/dev/null
fi

# Unloading must work: a reference leak or a stuck member shows here.
if [ "$status" != 125 ]; then
	run_deadline 30 "rmmod $mod" rmmod "$mod"
	rc=$?
	[ $rc = 0 ] || reasons+=("rmmod $mod failed ($rc)")
else
	reasons+=("rmmod $mod skipped")
fi

# Taint: only O (4096, out-of-tree) and E (8192, unsigned) are expected.
step "rmmod done"
read -r tainted < /proc/sys/kernel/tainted
if [ $((tainted & ~(4096 | 8192))) != 0 ]; then
	reasons+=("kernel tainted $tainted")
fi

if [ -w "$kmemleak" ]; then
	# Twice: an object whose contents changed since the previous scan (a
	# new one always has) is only suspected, and reported at the next.
	step "kmemleak: scan"
	echo scan > "$kmemleak" && echo scan > "$kmemleak"
	cat "$kmemleak" > "$OUT/kmemleak"
	if [ -s "$OUT/kmemleak" ]; then
		echo "guest-init: kmemleak reports (all in $OUT/kmemleak):"
		head -n 20 "$OUT/kmemleak"
		reasons+=("kmemleak: $(grep -c '^unreferenced object' "$OUT/kmemleak") unreferenced objects")
	fi
fi

# Lockdep, KASAN and KFENCE print a WARNING: or BUG: line first, but not in
# every version: their own words are matched too.
dmesg > "$OUT/dmesg" 2>&1
bad=$(grep -E 'BUG:|WARNING:|Oops|hung_task|blocked for more than|general protection|kernel BUG|KASAN|KFENCE|UBSAN|ODEBUG|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|sleeping function called from invalid context|BUG [^ ]+ \((Not t|T)ainted' \
	"$OUT/dmesg" | head -n 5)
if [ -n "$bad" ]; then
	echo "guest-init: dmesg shows:"
	echo "$bad"
	reasons+=("dmesg: $(echo "$bad" | head -n1 | sed 's/^\[[ 0-9.]*\] //')")
fi

step "checks done"
if [ ${#reasons[@]} = 0 ]; then
	verdict pass
fi
msg=$(printf '%s; ' "${reasons[@]}")
fail "${msg%; }"
