# SPDX-License-Identifier: GPL-2.0-or-later
# vumisctime (a vumisc submodule): long double arithmetic (libm); the host
# unit test of that arithmetic and of the parsing of the files (vtime.c).
MOD_LIBS_vumisctime := -lm -pthread

VTIME_TEST := $(B)/tests/modules/test_vtime
$(VTIME_TEST): modules/vumisctime/tests/test_vtime.c modules/vumisctime/vtime.c \
		modules/vumisctime/vtime.h daemon/tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) -Idaemon/tests -Imodules/vumisctime $(CFLAGS) $(WARN) $(SAN) \
		-o $@ modules/vumisctime/tests/test_vtime.c modules/vumisctime/vtime.c -lm
UNIT_TESTS += $(VTIME_TEST)
