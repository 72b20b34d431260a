# SPDX-License-Identifier: GPL-2.0-or-later
# vumiscuname (a vumisc submodule): the host unit test of its field rules.
MOD_LIBS_vumiscuname := -pthread

UTS_FIELD_TEST := $(B)/tests/modules/test_uts_field
$(UTS_FIELD_TEST): modules/vumiscuname/tests/test_uts_field.c modules/vumiscuname/uts_field.c \
		modules/vumiscuname/uts_field.h daemon/tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) -Idaemon/tests -Imodules/vumiscuname $(CFLAGS) $(WARN) $(SAN) \
		-o $@ modules/vumiscuname/tests/test_uts_field.c modules/vumiscuname/uts_field.c
UNIT_TESTS += $(UTS_FIELD_TEST)
