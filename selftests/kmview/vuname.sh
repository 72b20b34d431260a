#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The management call round trip: vuname and vudebug reach the daemon
# through vuctl, inside a view, and fail clearly outside one.
. "$(dirname "$0")/lib.sh"

is "$(kmview -N -V myview vuname -V)" "myview" "-V names the view"
is "$(kmview -N sh -c 'vuname renamed && vuname -V')" "renamed" "vuname NAME renames the view"
is "$(kmview -N vuname -snrvm)" "$(uname -snrvm)" "vuname -snrvm matches uname in a view"
is "$(kmview -N vuname -o)" "GNU/Linux/VUOS" "vuname -o names VUOS in a view"
serverid=$(kmview -N vuname -U)
case $serverid in ''|*[!0-9]*) ok 1 "vuname -U prints the server id ($serverid)" ;;
*) ok 0 "vuname -U prints the server id" ;;
esac
is "$(vuname -s)" "$(uname -s)" "outside a view vuname behaves as uname"
msg=$(vuname -x -V 2>&1)
st=$?
[ $st -ne 0 ] && echo "$msg" | grep -q "not running in a kmview view"
ok $? "outside a view vuname -x -V fails clearly"
msg=$(vudebug +s 2>&1)
st=$?
[ $st -ne 0 ] && echo "$msg" | grep -q "not running in a kmview view"
ok $? "outside a view vudebug fails clearly"
is "$(kmview -N sh -c 'vudebug +s; vudebug ?s' | grep -c '^s +')" 1 "vudebug +s enables a tag"
is "$(kmview -N -d s sh -c 'vudebug ?s' | grep -c '^s +')" 1 "kmview -d s enables it from the start"
is "$(kmview -N sh -c 'vudebug +s; vudebug -s; vudebug ?s' | grep -c '^s -')" 1 "vudebug -s disables it"
done_testing
