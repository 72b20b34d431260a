#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# With no module loaded a view is transparent: a real workload gives the
# same output natively and in a view, exit statuses pass through, and
# processes outside a view are unaffected while one is active.
. "$(dirname "$0")/lib.sh"
wl=$(dirname "$0")/workload.sh

native=$(bash "$wl" 2>&1)
inview=$(kmview -N bash "$wl" 2>&1)
is "$inview" "$native" "a workload gives the same output in a view"
[ "$inview" = "$native" ] || diff <(echo "$native") <(echo "$inview") | sed 's/^/# /'

kmview -N sh -c 'exit 7'
is "$?" 7 "kmview exits with the command's status"
kmview -N sh -c 'kill -TERM $$'
is "$?" 143 "a command killed by a signal gives 128+signal"
is "$(kmview -N grep NoNewPrivs /proc/self/status | tr -d ' \t')" "NoNewPrivs:1" \
	"members run with no_new_privs"
msg=$(kmview -N kmview -N true 2>&1)
[ $? -ne 0 ]
ok $? "kmview inside a view fails (nested views are not supported yet)"
echo "$msg" | sed 's/^/# /'

kmview -N sleep 120 &
vpid=$!
outside=$(bash "$wl" 2>&1)
is "$outside" "$native" "processes outside an active view are unaffected"
kill "$vpid"
wait "$vpid" 2>/dev/null

kmview -N -x true
is "$?" 0 "-x is accepted"
kmview 2>/dev/null
[ $? -ne 0 ]
ok $? "kmview without a command fails"
done_testing
