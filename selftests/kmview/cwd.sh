#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The virtual cwd: cd into a vufs mount whose mount point does not exist
# on the host, and work there as in a real directory: relative paths,
# getcwd, children and threads, fchdir, programs built and run in it, and
# the way back to real directories. Each script runs on the mount and
# natively on the source, and must print the same (paths aside).
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-cwd.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
S=$T/src
V=/kmview-nowhere/v
mkdir -p "$S/sub/deep"
echo hello >"$S/a"
echo inner >"$S/sub/b"
printf '#include <stdio.h>\nint main(void) { puts("built here"); return 0; }\n' >"$S/hello.c"

kmv() { kmview -N -o "$LOG" "$@"; }
# run SCRIPT in a view, in bash, with $D the directory to work in (the mount)
in_view() { kmv bash -c 'vu_insmod vufs && vumount -t vufs "$1" "$2" || exit 1; D=$2; '"$1" sh "$S" "$V" 2>&1; }
native() { bash -c 'D=$1; '"$1" sh "$S" 2>&1; }

same 'cd "$D" && /bin/pwd && ls && cat a && cd sub && /bin/pwd && cat b ../a && ls -a .' \
	"cd into the mount: getcwd, ls, relative reads"
same 'cd "$D/sub/deep" && cd ../.. && /bin/pwd && cat ./a sub/../a' "cd .. inside the mount"
same 'cd "$D"; echo x >new; mkdir nd; mv new nd/moved; cat nd/moved; ln -s nd/moved lk; readlink lk;
	cat lk; rm lk nd/moved; rmdir nd; ls' "creating, renaming and removing by relative paths"
same 'cd "$D" && find . | sort && tar cf - . | tar tf - | sort' "find and tar of ."
same 'cd "$D/sub" && (cd ..; /bin/pwd); /bin/pwd; sh -c "cat b; /bin/pwd"' \
	"a subshell's cd stays in it; a child starts in the cwd"
same 'cd "$D" && python3 -c "
import os, threading
top = os.getcwd()
t = threading.Thread(target=os.chdir, args=(\"sub\",)); t.start(); t.join()
print(os.getcwd() == top + \"/sub\", sorted(os.listdir(\".\")))
fd = os.open(\"..\", os.O_RDONLY | os.O_DIRECTORY); os.fchdir(fd)
print(open(\"a\").read().strip(), os.getcwd() == top)
if os.fork() == 0:
    os.chdir(\"sub\"); os._exit(0)
os.wait(); print(os.getcwd() == top)
"' "python3: a thread's chdir moves the process, fchdir, a child's chdir does not"
same 'cd "$D" && python3 -c "
import select
f = open(\"a\"); g = open(\"sub/b\", \"a\")
print(select.select([f], [g], [], 5)[0:2] == ([f], [g]))
p = select.poll(); p.register(f, select.POLLIN); print(p.poll(5000))
" 2>&1 | sed "s/([0-9]*, /(fd, /"; busybox sh -c "read l <a; echo \$l"' \
	"select and poll on virtual files: always ready; busybox read (it polls)"
same 'cd "$D" && gcc -o hello hello.c && ./hello && rm hello' "gcc builds in the cwd, ./hello runs"
is "$(in_view 'cd "$D" && head -c 5 ../../etc/os-release; echo; cd /tmp && /bin/pwd && cd "$D" && cat a')" \
	"$(head -c 5 /etc/os-release; printf '\n/tmp\nhello')" \
	"relative paths out of the mount are real; cd to a real directory and back"

# errors as on a real directory, and umount while it is someone's cwd
same 'cd "$D/a"; cd "$D/missing"; cd "$D" && cat missing' "cd to a file or a missing directory"
out=$(in_view 'cd "$D" && vuumount "$D"; cd / && vuumount "$D" && echo unmounted; ls "$D"')
echo "$out" | grep -q "Device or resource busy" && echo "$out" | grep -q '^unmounted$'
ok $? "vuumount of the cwd's mount: EBUSY; after cd / it goes"
[ $? -eq 0 ] || echo "$out" | sed 's/^/#   /'

grep -E 'ERROR|error' "$LOG" | grep -v 'Device or resource busy' | sed 's/^/# daemon: /'
done_testing
