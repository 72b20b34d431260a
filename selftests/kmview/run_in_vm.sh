#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The kmview selftest suite, run as root inside the test VM with kmview.ko
# loaded (scripts/vm/guest-init.sh). Each test prints TAP; this runner
# prints one TAP line per test with the test's output as comments, keeps
# each log in $KMVIEW_OUT, and exits nonzero if any test failed.
# Most tests run as an ordinary user (uid 1000), as users run kmview.

top=${KMVIEW_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
st=$top/build/selftests
sh_dir=$top/selftests/kmview
out=${KMVIEW_OUT:-/tmp}
user=${KMVIEW_TEST_UID:-1000}
# Seconds one test may take (the debug kernel of make vm-check-debug is slower).
test_timeout=${KMVIEW_TEST_TIMEOUT:-300}
export KMVIEW_BIN=${KMVIEW_BIN:-$top/build/bin}
export PATH=$KMVIEW_BIN:$PATH

as_user=(setpriv --reuid="$user" --regid="$user" --clear-groups env HOME=/tmp)
as_root=(env)

# name, who runs it, command
tests=(
	"replies user $st/replies"
	"placeholder user $st/placeholder"
	"signals user $st/signals"
	"escape user $st/escape"
	"membership root $st/membership"
	"hardening root $st/hardening"
	"keys user $st/keys"
	"fuzz user $st/fuzz"
	"daemon_death user $st/daemon_death"
	"transparency user $sh_dir/transparency.sh"
	"vuname user $sh_dir/vuname.sh"
	"vustack user $sh_dir/vustack.sh"
	"setuid root $sh_dir/setuid.sh"
	"modules user $sh_dir/modules.sh"
	"vuos_modules user $sh_dir/vuos_modules.sh"
	"unreal user $sh_dir/unreal.sh"
	"oot user $sh_dir/oot.sh"
	"no_module root $sh_dir/no_module.sh"
	"vufs user $sh_dir/vufs.sh"
	"vufuse user $sh_dir/vufuse.sh"
	"vufuse_kfuse root $sh_dir/vufuse_kfuse.sh"
	"vufs_cow user $sh_dir/vufs_cow.sh"
	"vufs_enospc root $sh_dir/vufs_enospc.sh"
	"cwd user $sh_dir/cwd.sh"
	"symlinks user $sh_dir/symlinks.sh"
	"chroot user $sh_dir/chroot.sh"
	"procmounts user $sh_dir/procmounts.sh"
	"calls user $sh_dir/calls.sh"
	"scnum user $sh_dir/scnum.sh"
	"sockets user $sh_dir/sockets.sh"
	"fdpass user $sh_dir/fdpass.sh"
	"pool user $sh_dir/pool.sh"
	"inherit user $sh_dir/inherit.sh"
	"tracers user $sh_dir/tracers.sh"
	"limits user $sh_dir/limits.sh"
	"manpages user $sh_dir/manpages.sh"
	"devices user $sh_dir/devices.sh"
	"unrealuidgid user $sh_dir/unrealuidgid.sh"
	"vudev user $sh_dir/vudev.sh"
	"fuseext2 root $sh_dir/fuseext2.sh"
	"seed_disks user $sh_dir/seed_disks.sh"
	"devfuse user $sh_dir/devfuse.sh"
	"vunet user $sh_dir/vunet.sh"
	"redirect user $sh_dir/redirect.sh"
	"vubinfmt user $sh_dir/vubinfmt.sh"
	"vumisc user $sh_dir/vumisc.sh"
)

# Arguments: run only the tests of these names (make vm-check VM_TESTS="vufs cwd").
if [ $# -gt 0 ]; then
	declare -a picked=()
	for t in "${tests[@]}"; do
		read -r name _ <<<"$t"
		for want in "$@"; do
			[ "$name" = "$want" ] && picked+=("$t")
		done
	done
	[ ${#picked[@]} -gt 0 ] || { echo "no test named: $*" >&2; exit 2; }
	tests=("${picked[@]}")
fi

# bash process substitution needs /dev/fd, which devtmpfs does not create
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
# vunetvdestack's taps: the tun module and a /dev/net/tun for users, as udev would make
[ -e /dev/net/tun ] || modprobe tun 2>/dev/null
[ -e /dev/net/tun ] && chmod 0666 /dev/net/tun

echo "TAP version 13"
echo "1..${#tests[@]}"
n=0
failed=0
for t in "${tests[@]}"; do
	read -r name who cmd <<<"$t"
	n=$((n + 1))
	log=$out/$name.log
	start=$SECONDS
	declare -n prefix="as_$who"
	timeout "$test_timeout" "${prefix[@]}" "$cmd" >"$log" 2>&1
	status=$?
	sed 's/^/# /' "$log"
	if [ $status -eq 0 ]; then
		echo "ok $n $name # $((SECONDS - start))s"
	else
		echo "not ok $n $name # exit $status after $((SECONDS - start))s"
		failed=$((failed + 1))
	fi
done
echo "# $failed of $n tests failed"
[ $failed -eq 0 ]
