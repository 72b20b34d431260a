#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Without the module, kmview says what to do; the module unloads and loads
# again cleanly. Run as root, last: it unloads and reloads kmview.ko.
. "$(dirname "$0")/lib.sh"
user=${KMVIEW_TEST_UID:-1000}
ko=${KMVIEW_KO:-}

if [ "$(id -u)" -ne 0 ] || [ -z "$ko" ]; then
	skip "needs root and KMVIEW_KO"
	done_testing
	exit
fi
rmmod kmview
ok $? "the module unloads after the suite"
msg=$(setpriv --reuid="$user" --regid="$user" --clear-groups kmview -N true 2>&1)
st=$?
[ $st -eq 1 ] && echo "$msg" | grep -q "load the module: modprobe kmview"
ok $? "without the module kmview tells how to load it"
echo "$msg" | sed 's/^/# /'
insmod "$ko"
ok $? "the module loads again"
[ -c /dev/kmview ] && chmod 0666 /dev/kmview
is "$(setpriv --reuid="$user" --regid="$user" --clear-groups kmview -N -V again vuname -V)" again \
	"and a view works again"
done_testing
