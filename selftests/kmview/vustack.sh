#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vustack: what a user sees before any network stack is mounted. It needs
# a view, and a stack (a mount point of type S_IFSTACK): anything else is
# refused with a clear message, and the command is not run.
. "$(dirname "$0")/lib.sh"

out=$(vustack /tmp echo ran 2>&1)
st=$?
[ $st = 1 ] && echo "$out" | grep -q "not running in a kmview view" && ! echo "$out" | grep -q ran
ok $? "outside a view: exit 1, not running in a kmview view, the command not run"

out=$(kmview -N vustack /kmview-nowhere echo ran 2>&1)
st=$?
[ $st = 1 ] && echo "$out" | grep -q "vustack: /kmview-nowhere: No such file or directory" &&
	! echo "$out" | grep -q ran
ok $? "in a view, a stack that does not exist: exit 1, ENOENT, not run"
[ $st = 1 ] || echo "$out" | sed 's/^/#   /'

out=$(kmview -N vustack -f inet /tmp echo ran 2>&1)
st=$?
[ $st = 1 ] && echo "$out" | grep -q "vustack: /tmp: not a network stack" && ! echo "$out" | grep -q ran
ok $? "in a view, a directory is not a network stack: exit 1, not run"
[ $st = 1 ] || echo "$out" | sed 's/^/#   /'

out=$(kmview -N vustack -f nosuch /tmp echo ran 2>&1)
st=$?
[ $st = 1 ] && echo "$out" | grep -q "unknown protocol family 'nosuch'"
ok $? "an unknown family: a usage error"

out=$(vustack -hv 2>&1)
st=$?
[ $st = 0 ] && echo "$out" | grep -q "Usage: vustack" && echo "$out" | grep -q "16: netlink"
ok $? "vustack -hv: the help and the families, exit 0, even outside a view"
done_testing
