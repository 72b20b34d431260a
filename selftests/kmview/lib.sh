# SPDX-License-Identifier: GPL-2.0-or-later
# TAP helpers for the shell selftests: ok, is, skip, done_testing.
tap_n=0
tap_fail=0

ok() {	# ok STATUS NAME...: STATUS 0 passes
	local st=$1
	shift
	tap_n=$((tap_n + 1))
	if [ "$st" -eq 0 ]; then
		echo "ok $tap_n $*"
	else
		echo "not ok $tap_n $*"
		tap_fail=$((tap_fail + 1))
	fi
}

is() {	# is GOT WANT NAME...
	local got=$1 want=$2
	shift 2
	if [ "$got" = "$want" ]; then
		ok 0 "$@"
	else
		ok 1 "$@"
		printf '#   got:  %s\n#   want: %s\n' "$got" "$want"
	fi
}

# same SCRIPT NAME: SCRIPT run in a view (the test's in_view) and natively
# (its native) prints the same, once the mount point $V and the source $S
# both read D.
same() {
	local got want
	got=$(in_view "$1" | sed "s|$V|D|g")
	want=$(native "$1" | sed "s|$S|D|g")
	is "$got" "$want" "$2"
}

skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $*"; }

done_testing() {
	echo "1..$tap_n"
	[ "$tap_fail" -eq 0 ]
}

# The programs under test come first in PATH.
export PATH=${KMVIEW_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../build/bin" && pwd)}:$PATH
