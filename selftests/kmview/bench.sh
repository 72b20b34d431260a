#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make bench`, as root in the test VM: every path in turn, in one run, as
# one table of medians with their ratios to native and issue 12's goals
# (the rows: bench_rows.txt; the format: bench_table.awk), then the ext4
# image bench. The curves go to $KMVIEW_OUT/bench-medians.txt, which the
# make target plots (bench_plot.sh). Everything the user runs is pinned
# to CPU 0; progress goes to stderr, the table to stdout.
#
# Phases: getppid (bench.c; with kmview.ko unloaded for the first row);
# clock_gettime natively, in a view, with vumisctime (clockbench.c);
# gcc and tar x (bench_work.sh) with kmview.ko not loaded, loaded, beside
# an active view and in a view, three rounds; the file calls of a copy of
# /usr/share/doc (bench_fs.sh) natively, in a view, through a vufs bind,
# /unreal, the bind again without the kernel's redirect (kmview -R),
# proot -b and bwrap --bind, three rounds; the curves
# (bench_scale.sh, scalebench.c).
set -u
top=${KMVIEW_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
here=$top/selftests/kmview
user=${KMVIEW_TEST_UID:-1000}
export PATH=$top/build/bin:$PATH
out=${KMVIEW_OUT:-$top/build}
ROUNDS=${BENCH_ROUNDS:-3}

# as the test user, on CPU 0
u() { setpriv --reuid="$user" --regid="$user" --clear-groups env HOME=/tmp taskset -c 0 "$@"; }
say() { echo "bench: [${SECONDS}s] $*" >&2; }

D=$(mktemp -d /tmp/kmview-bench.XXXXXX)
chmod 755 "$D"
# the results as they come, where the host sees them
R=$out/bench-results.txt
: >"$R" || exit 1
# a step that hangs costs its rows, not the run
T=${BENCH_STEP_TIMEOUT:-600}
vpid=
trap '[ -n "$vpid" ] && view_down; rm -rf "$D"' EXIT

# kmview.ko out and back in, from where guest-init loaded it
# (a view just closed may hold the module for a moment)
mod_unload() {
	[ -n "${KMVIEW_KO:-}" ] || return 1
	for _ in $(seq 50); do rmmod kmview 2>/dev/null && return 0; sleep 0.1; done
	rmmod kmview
}
mod_load() {
	[ -n "${KMVIEW_KO:-}" ] || return 0
	insmod "$KMVIEW_KO" || return 1
	for _ in $(seq 50); do [ -e /dev/kmview ] && break; sleep 0.1; done
	chmod 0666 /dev/kmview	# as guest-init does: there is no udev
}
# a view with one member asleep, for "outside an active view"
view_up() {
	rm -f "$D/member"
	u kmview -N bash -c 'echo $$ >"$1.tmp" && mv "$1.tmp" "$1" && exec sleep 100000' \
		view "$D/member" &
	vpid=$!
	for _ in $(seq 100); do [ -s "$D/member" ] && return 0; sleep 0.1; done
	return 1
}
view_down() { kill "$(cat "$D/member")"; wait "$vpid"; vpid=; }

say "getppid"
u "$top/build/selftests/bench" >>"$R" || echo "gp.fwd - bench failed" >>"$R"

say "clock_gettime: native, in a view, with vumisctime"
mkdir -p "$D/clk" && chown "$user:$user" "$D/clk"
cb=$top/build/selftests/clockbench
u "$cb" clock.native >>"$R" || echo "clock.native - clockbench failed" >>"$R"
u "$cb" -s clock.sys >>"$R" || echo "clock.sys - clockbench failed" >>"$R"
u kmview -N "$cb" clock.inview >>"$R" || echo "clock.inview - clockbench failed" >>"$R"
u timeout -k 5 "$T" kmview -N sh -c 'vu_insmod vumisc && vumount -t vumisctime none "$1" &&
	"$2" -n 20000 clock.vumisc' bench "$D/clk" "$cb" >>"$R" ||
	echo "clock.vumisc - the view with vumisctime failed" >>"$R"

say "preparing the trees"
"$here/bench_work.sh" init "$D" || exit 1
# a sample of /usr/share/doc as one tarball (make bench writes it on the
# host, bench_doc.sh), or else all of it
if [ -r "${BENCH_DOC_TAR:-}" ]; then
	tar xf "$BENCH_DOC_TAR" -C "$D" || exit 1
else
	cp -a /usr/share/doc "$D/doc"
fi
mkdir -p "$D/small" "$D/bind" "$D/proot" "$D/bwrap" "$D/sbind" "$D/dbind" "$D/vbind"
: >"$D/small/file"
for n in 1000 10000 100000; do
	mkdir "$D/d$n" && "$top/build/selftests/scalebench" mkfiles "$D/d$n" $n
done
chown -R "$user:$user" "$D"

if [ -z "${KMVIEW_KO:-}" ]; then
	echo "gp.unloaded - KMVIEW_KO not set: run in the VM" >>"$R"
	echo "wl.gcc.unloaded - KMVIEW_KO not set" >>"$R"
	echo "wl.tarx.unloaded - KMVIEW_KO not set" >>"$R"
fi
for r in $(seq "$ROUNDS"); do
	say "gcc, tar x: round $r of $ROUNDS"
	if mod_unload; then
		u "$top/build/selftests/bench" -u -r 3 >>"$R"
		u "$here/bench_work.sh" run unloaded "$D" >>"$R"
		mod_load || { echo "bench: cannot load $KMVIEW_KO again" >&2; exit 1; }
	fi
	say "loaded, outside, in a view"
	u "$here/bench_work.sh" run loaded "$D" >>"$R"
	view_up || { echo "bench: the view did not start" >&2; exit 1; }
	u "$here/bench_work.sh" run outside "$D" >>"$R"
	view_down
	u kmview -N "$here/bench_work.sh" run inview "$D" >>"$R"
done

# bwrap needs unprivileged user namespaces (Debian's switch, if it has it)
uns=/proc/sys/kernel/unprivileged_userns_clone
[ -w "$uns" ] && [ "$(cat "$uns")" = 0 ] && echo 1 >"$uns"
if ! u bwrap --dev-bind / / true 2>"$D/bwrap.err"; then
	for o in stat open getdents find tar ls all; do
		echo "fs.$o.bwrap - bwrap cannot run: $(head -n1 "$D/bwrap.err")"
	done >>"$R"
fi
for r in $(seq "$ROUNDS"); do
	say "file calls on /usr/share/doc: round $r of $ROUNDS: native"
	u "$here/bench_fs.sh" native "$D/doc" >>"$R"
	say "in a view, vufs bind, /unreal"
	u timeout -k 5 "$T" kmview -N bash -c '
		vu_insmod vufs unreal && vumount -t vufs "$2/doc" "$2/bind" || exit 1
		"$1/bench_fs.sh" view "$2/doc" && "$1/bench_fs.sh" bind "$2/bind" &&
			"$1/bench_fs.sh" unreal "/unreal$2/doc"
		s=$?
		vuumount "$2/bind"
		exit $s' bench "$here" "$D" >>"$R" || say "the view's file calls failed"
	say "proot"
	say "vufs bind without the redirect (kmview -R)"
	u timeout -k 5 "$T" kmview -R -N bash -c '
		vu_insmod vufs && vumount -t vufs "$2/doc" "$2/bind" || exit 1
		"$1/bench_fs.sh" bindnr "$2/bind"
		s=$?
		vuumount "$2/bind"
		exit $s' bench "$here" "$D" >>"$R" || say "the view's file calls failed"
	say "proot"
	u timeout -k 5 "$T" proot -b "$D/doc:$D/proot" "$here/bench_fs.sh" proot "$D/proot" >>"$R" 2>"$D/proot.err" ||
		say "proot failed: $(tail -n1 "$D/proot.err")"
	say "bwrap"
	u timeout -k 5 "$T" bwrap --dev-bind / / --bind "$D/doc" "$D/bwrap" "$here/bench_fs.sh" bwrap "$D/bwrap" \
		>>"$R" 2>>"$D/bwrap.err" || say "bwrap failed: $(tail -n1 "$D/bwrap.err")"
done

say "scale"
for n in 1000 10000 100000; do
	u "$top/build/selftests/scalebench" list "dir.native@$n" "$D/d$n" >>"$R"
done
(ulimit -n 20000 && u timeout -k 5 "$T" kmview -N "$here/bench_scale.sh" "$D") >>"$R" || say "bench_scale.sh failed"

say "done"
ndoc=$(find "$D/doc" -type f | wc -l)
echo "# kmview make bench: $(uname -r), $(date -u '+%F %H:%M') UTC, medians of $ROUNDS rounds" \
	"(getppid: of 5); doc tree: $ndoc files, $(find "$D/doc" -type d | wc -l) directories," \
	"$(du -sm "$D/doc" | cut -f1) MB"
awk -v medians="$out/bench-medians.txt" -f "$here/bench_table.awk" "$here/bench_rows.txt" "$R"
echo

# An ext4 image through a loop mount, fuse2fs, fuseext2 (and vufuseext2 in
# a view): as root, which the loop mount and the kernel's FUSE need.
taskset -c 0 bash "$here/bench_ext2.sh"
echo; bash "$here/bench_cow.sh"
