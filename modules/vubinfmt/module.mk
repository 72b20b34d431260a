# SPDX-License-Identifier: GPL-2.0-or-later
# vubinfmt: the host unit test of its pure part (bfm.c: the register
# syntax, the commands, the match, the status text), under the sanitizers.
VUBINFMT_TEST := $(B)/tests/modules/test_bfm
$(VUBINFMT_TEST): modules/vubinfmt/tests/test_bfm.c modules/vubinfmt/bfm.c \
		modules/vubinfmt/bfm.h daemon/tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) -Idaemon/tests -Imodules/vubinfmt $(CFLAGS) $(WARN) $(SAN) \
		-o $@ modules/vubinfmt/tests/test_bfm.c modules/vubinfmt/bfm.c
UNIT_TESTS += $(VUBINFMT_TEST)
