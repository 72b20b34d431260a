#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The in-kernel redirect of a bind (KMVIEW_PREFIX_REDIRECT, kmod/redirect.c):
# calls under a vufs bind run natively on the source, with no upcall, and
# give Linux's answers wherever the kernel cannot be sure (symlinks out of
# the tree, .. at the mount root, a nested mount, a rename out of the bind,
# the mount point itself, a signal restart, a mount removed under load).
# Every script runs twice, with redirects and with kmview -R (every call
# served by the module, as before): the two must print the same.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-redirect.XXXXXX)
trap 'rm -rf "$T"' EXIT
export T
LOG=$T/daemon.log
S=$T/src		# the bind's source
V=$T/view/dst		# its mount point, with a sibling that is not the source's
# the trees every run starts from, made again before each run
fresh() {
	rm -rf "$S" "$T/view" "$T/other" "$T/outside" "$T/moved" "$T/hardout"
	mkdir -p "$S/sub/deep" "$S/empty" "$T/view" "$T/other"
	echo hello >"$S/a"
	echo bee >"$S/sub/b"
	echo source-side >"$T/outside"
	echo view-side >"$T/view/outside"
	echo other >"$T/other/o"
	ln -s a "$S/rel"			# stays inside
	ln -s ../outside "$S/up"		# leads out: the view's parent is not the source's
	ln -s /kmview-rd-other/o "$S/abs"	# absolute, to a path only the view has
	ln -s sub/deep "$S/dirlink"
	mkfifo "$S/fifo"
}
fresh

# run SCRIPT in a view with the bind (and a second one at /kmview-rd-other); extra kmview options first
bind_run() {
	local script=$1
	shift
	kmview -N -o "$LOG" "$@" bash -c 'vu_insmod vufs && vumount -t vufs "$1" "$2" &&
		vumount -t vufs "$3" /kmview-rd-other || exit 1
		cd /; . "$4"' sh "$S" "$V" "$T/other" "$script" 2>&1
}

# the same SCRIPT with redirects and without, each on fresh trees: the same output
both() {
	local script=$T/script.sh got want
	cat >"$script"
	fresh
	got=$(bind_run "$script" | sed "s|$T|T|g")
	fresh
	want=$(bind_run "$script" -R | sed "s|$T|T|g")
	if [ "$got" = "$want" ]; then
		ok 0 "$1"
	else
		ok 1 "$1"
		diff <(echo "$want") <(echo "$got") | sed 's/^/#   /' | head -40
	fi
}

both "stat, ls, cat, readlink, access; symlinks out of the source or to a path only the view has; .. at the mount root" <<'EOF'
V=$T/view/dst
stat -c '%n %s %F %a %h' $V $V/a $V/sub $V/sub/b $V/rel $V/fifo $V/empty
stat -L -c '%n %s %F' $V/rel $V/dirlink
ls -la --time-style=+ $V | sed 1d; ls $V/sub $V/dirlink
cat $V/a $V/rel $V/sub/b $V//sub/./b; readlink $V/rel $V/up $V/abs
test -r $V/a && test -d $V/sub/ && ! test -e $V/nothing && echo access
cat $V/a/ $V/a/. $V/nothing 2>&1; ls -d $V/sub/ $V/sub/.
echo "-- symlinks"
cat $V/up $V/abs; stat -L -c '%n %s' $V/up $V/abs
ls $V/dirlink/ && cd $V/dirlink && pwd && cd /
echo "-- .."
cat $V/../outside $V/sub/../a $V/sub/../../outside
stat -c '%n %F' $V/.. $V/sub/..
EOF

both "a nested mount in the bound tree, a rename out of the bind, making and removing names, the mount point itself" <<'EOF'
V=$T/view/dst
vumount -t vufs $T/other $V/sub/deep && ls $V/sub/deep && cat $V/sub/deep/o
stat -c '%n %s' $V/sub/deep/o
echo x >$V/tomove && mv $V/tomove $T/moved && cat $T/moved && ls $V
ln $V/a $T/hardout 2>&1 | sed 's/: .*: /: /'; ln $V/a $V/hard && stat -c %h $V/a
rm $V/hard; vuumount $V/sub/deep; ls $V/sub/deep
echo "-- names"
mkdir $V/d && touch $V/d/f && chmod 600 $V/d/f && ln -s f $V/d/l && mv $V/d/f $V/d/g
stat -c '%n %a %F' $V/d/g $V/d/l; truncate -s 5 $V/d/g; stat -c '%s' $V/d/g
rm $V/d/g $V/d/l && rmdir $V/d && ls $V
echo "-- the mount point"
rmdir $V 2>&1; rm $V 2>&1; mkdir $V 2>&1; ln -s x $V/y 2>&1; ls $V $T/view
mv $V $T/view/renamed 2>&1; ls $T/view $T/view/renamed
EOF

# the calls stay in the kernel: the module sees none of them
cat >"$T/quiet.sh" <<'EOF'
V=$T/view/dst
vudebug +s
for i in 1 2 3 4 5; do stat $V/sub/b >/dev/null; cat $V/sub/b >/dev/null; ls -l $V/sub >/dev/null; done
vudebug -s
EOF
: >"$LOG"
kmview -N -l 7 -o "$LOG" bash -c 'vu_insmod vufs && vumount -t vufs "$1" "$2" && . "$3"' sh \
	"$S" "$V" "$T/quiet.sh" >/dev/null 2>&1
redirected=$(grep -c 'sub/b' "$LOG")
: >"$LOG"
kmview -N -R -l 7 -o "$LOG" bash -c 'vu_insmod vufs && vumount -t vufs "$1" "$2" && . "$3"' sh \
	"$S" "$V" "$T/quiet.sh" >/dev/null 2>&1
served=$(grep -c 'sub/b' "$LOG")
[ "$redirected" -eq 0 ] && [ "$served" -ge 10 ]
ok $? "stat and open of a file under the bind never reach the daemon ($redirected logged lines; $served with -R)"
grep -q "redirected to $S" "$LOG" || kmview -N -l 7 -o "$LOG" sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2"' \
	sh "$S" "$V" >/dev/null 2>&1
grep -q "prefix $V redirected to $S" "$LOG"
ok $? "the daemon says it pushed the redirect"

# a signal in a FIFO open that blocks natively: the handler runs, the open restarts
cat >"$T/fifo.py" <<'EOF'
import os, signal, sys, threading, time
path = sys.argv[1]
hits = []
signal.signal(signal.SIGALRM, lambda s, f: hits.append(s))
signal.siginterrupt(signal.SIGALRM, False)
signal.setitimer(signal.ITIMER_REAL, 0.3)
def writer():
    time.sleep(1.2)
    with open(path, "w") as w:
        w.write("through the fifo\n")
threading.Thread(target=writer, daemon=True).start()
with open(path) as r:
    print(r.read().strip(), "after", len(hits), "signal")
EOF
both "a signal during an open that blocks natively restarts it (SA_RESTART)" <<'EOF'
python3 $T/fifo.py $T/view/dst/fifo
EOF

# the mount goes while a loop of calls runs: each call sees the bind or the real (missing) path
out=$(kmview -N -o "$LOG" bash -c 'vu_insmod vufs && vumount -t vufs "$1" "$2" || exit 1
	(for i in $(seq 1 60); do cat "$2/a" 2>/dev/null || echo gone; done) >"$3/loop.out" &
	sleep 0.2; vuumount "$2"; wait; sort -u "$3/loop.out" | tr "\n" " "' sh "$S" "$V" "$T" 2>&1)
case "$out" in
"hello " | "gone hello " | "gone ") ok 0 "vuumount while calls run: each sees the bind or nothing ($out)" ;;
*) ok 1 "vuumount while calls run: each sees the bind or nothing"; echo "#   got: $out" ;;
esac

# chroot into a bind: chroot.sh (the member's root is not the daemon's: every call forwarded)

done_testing
