# SPDX-License-Identifier: GPL-2.0-or-later
# unrealuidgid: the host unit test of its credential rules (creds.c).
UUG_TEST := $(B)/tests/modules/test_creds
$(UUG_TEST): modules/unrealuidgid/tests/test_creds.c modules/unrealuidgid/creds.c \
		modules/unrealuidgid/creds.h daemon/tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) -Idaemon/tests -Imodules/unrealuidgid $(CFLAGS) $(WARN) $(SAN) \
		-o $@ modules/unrealuidgid/tests/test_creds.c modules/unrealuidgid/creds.c
UNIT_TESTS += $(UUG_TEST)
