#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Per-process module state (mod_inheritance upcalls) and vu_mod_fd_get_sfd,
# through the test module inhstate (selftests/kmview/modules/inhstate.c):
# a parent's state is inherited by its children, a child's change is its
# own, threads share their process's, exits TERMINATE (the module frees),
# EXEC comes on the exec'ing process's thread with the set-uid id, for
# every exec (a real program outside every mount too), and a mount's fd=N
# option finds the module's own file behind the caller's fd.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-inherit.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
export KMVIEW_MODULE_PATH=$(cd "$(dirname "$0")/../../build/selftests/modules" && pwd)

kmv() { kmview -N -o "$LOG" "$@"; }

# stat_of NAME: a field of /inh/stats
cat >"$T/lib.sh" <<'LIB'
stat_of() { local s; s=$(readlink /inh/stats); s=" $s "; s=${s#* $1=}; echo "${s%% *}"; }
# until_live N: wait (5 s at most) for the live states to be N (as stat_of counts them)
until_live() {
	for _ in $(seq 50); do [ "$(stat_of live)" = "$1" ] && return 0; sleep 0.1; done
	return 1
}
LIB

out=$(kmv bash -c '. "$1"; vu_insmod inhstate || exit 1
readlink /inh/state                # a member older than the upcall: no state
[ -e /inh/set-7 ]                  # this shell: 7
readlink /inh/state                # a child inherits 7 (and execs readlink: 1)
sh -c "[ -e /inh/set-9 ]; readlink /inh/state"   # a child sets 9, sees 9 (sh, readlink: 2)
readlink /inh/state                # a sibling still sees 7
echo "null=$(stat_of null)"' sh "$T/lib.sh" 2>&1)
is "$(echo "$out" | sed -n 1p)" "none" "a member that existed before the upcall starts with no state"
is "$(echo "$out" | sed -n 2p)" "value=7 execs=1" "a child inherits its parent's state"
is "$(echo "$out" | sed -n 3p)" "value=9 execs=2" "a child's change is its own"
is "$(echo "$out" | sed -n 4p)" "value=7 execs=1" "... a sibling does not see it"
case "$(echo "$out" | sed -n 5p)" in null=[1-9]*) st=0 ;; *) st=1 ;; esac
ok $st "START with NULL was delivered (${out##*null=})"

out=$(kmv bash -c '. "$1"; vu_insmod inhstate || exit 1
[ -e /inh/set-3 ]
sleep 0.5
l0=$(stat_of live)
t0=$(stat_of terminates)
for i in 1 2 3 4 5; do /bin/true; done
until_live "$l0" || echo "live after: $(stat_of live), not $l0"
t1=$(stat_of terminates)
echo "ended $((t1 - t0))"' sh "$T/lib.sh" 2>&1)
ok $? "the view ran"
case "$out" in "ended "[0-9]*) n=${out#ended }; [ "$n" -ge 5 ] 2>/dev/null; st=$? ;; *) st=1 ;; esac
ok $st "each exit TERMINATEs and frees its state (live back where it was, 5 more TERMINATEs at least): $out"

out=$(kmv bash -c 'vu_insmod inhstate || exit 1
python3 -c "
import os, threading
os.path.exists(\"/inh/set-5\")
t = threading.Thread(target=lambda: os.path.exists(\"/inh/set-6\"))
t.start(); t.join()
print(os.readlink(\"/inh/state\"), flush=True)
pid = os.fork()
if pid == 0:
    os.path.exists(\"/inh/set-8\")
    os._exit(0)
os.waitpid(pid, 0)
print(os.readlink(\"/inh/state\"), flush=True)
os.path.exists(\"/inh/set-2\")
pid = os.posix_spawn(\"/usr/bin/readlink\", [\"readlink\", \"/inh/state\"], os.environ)
os.waitpid(pid, 0)
"' 2>&1)
is "$(echo "$out" | sed -n 1p)" "value=6 execs=0" "a thread shares its process's state (CLONE_THREAD)"
is "$(echo "$out" | sed -n 2p)" "value=6 execs=0" "... a forked child's change stays its own"
is "$(echo "$out" | sed -n 3p)" "value=2 execs=1" "a vfork child (posix_spawn) inherits too"

# (every exec is told, readlink's too: python reads the stats without one)
out=$(kmv bash -c 'vu_insmod unreal && vu_insmod inhstate || exit 1
[ -e /inh/set-4 ]
/unreal/usr/bin/readlink /inh/state
readlink /inh/state
/usr/bin/env /usr/bin/readlink /inh/state
python3 -c "
import os, subprocess
setuid = lambda: os.readlink(\"/inh/stats\").split()[-1]
subprocess.run([\"/unreal/usr/bin/mount\", \"--version\"], capture_output=True)
print(setuid(), flush=True)
subprocess.run([\"/unreal/usr/bin/true\"])
print(setuid(), flush=True)
subprocess.run([\"/unreal/usr/bin/mount\", \"--version\"], capture_output=True)
subprocess.run([\"/usr/bin/true\"])
print(setuid(), flush=True)
"' 2>&1)
is "$(echo "$out" | sed -n 1p)" "value=4 execs=1" \
	"EXEC of an exec the daemon serves, on the exec'ing process's thread"
is "$(echo "$out" | sed -n 2p)" "value=4 execs=1" \
	"EXEC of a real program outside every mount (readlink), once: not in its parent"
is "$(echo "$out" | sed -n 3p)" "value=4 execs=2" "... two real programs in a row (env, readlink)"
is "$(echo "$out" | sed -n 4p)" "setuid=0" "EXEC of a set-uid-root file: exec_uid 0"
is "$(echo "$out" | sed -n 5p)" "setuid=-1" "EXEC of a plain file: exec_uid -1"
is "$(echo "$out" | sed -n 6p)" "setuid=-1" "EXEC of a real /usr/bin/true outside every mount, after a set-uid one"

# vu_mod_fd_get_sfd for an fd the request does not name: mount's fd=N
out=$(kmv bash -c 'vu_insmod inhstate || exit 1
exec 3</inh/file
vumount -t inhstate -o fd=3 none "$1/m1" && echo mounted; readlink /inh/fdcheck
vumount -t inhstate -o fd=0 none "$1/m2" 2>/dev/null || echo refused; readlink /inh/fdcheck
exec 4</etc/hostname
vumount -t inhstate -o fd=4 none "$1/m3" 2>/dev/null || echo refused; readlink /inh/fdcheck
' sh "$T" 2>&1)
is "$(echo "$out" | sed -n 1,2p | tr '\n' ' ')" "mounted fd=3: sfd=77 priv=ok ht=ok " \
	"fd=N of a module's own file: its sfd, fdprivate and entry"
is "$(echo "$out" | sed -n 3,4p | tr '\n' ' ')" "refused fd=0: EBADF ht=none " \
	"fd=N of a real fd (the terminal or a pipe): EBADF"
is "$(echo "$out" | sed -n 5,6p | tr '\n' ' ')" "refused fd=4: EBADF ht=none " \
	"fd=N of a real file: EBADF"

# no upcall, no threads of members: vu_rmmod, then the pool serves as before
out=$(kmv bash -c 'vu_insmod inhstate && vu_rmmod inhstate && vu_insmod unreal && cat /unreal/etc/hostname' 2>&1)
is "$out" "$(cat /etc/hostname)" "after vu_rmmod (deregister) the view is served on"

done_testing
