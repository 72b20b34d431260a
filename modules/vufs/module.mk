# SPDX-License-Identifier: GPL-2.0-or-later
# vufs: host unit tests of its pure logic (options, names, vstat records,
# the merged listing) and of its methods on real directories (the daemon's
# side stubbed: tests/stub_daemon.c).
VUFS_LOGIC_TEST := $(B)/tests/modules/test_vufs_logic
$(VUFS_LOGIC_TEST): modules/vufs/tests/test_vufs_logic.c modules/vufs/vufs_opts.c \
		modules/vufs/vufs_vstat.c modules/vufs/vufs_list.c modules/vufs/vufs.h \
		modules/vufs/vufs_list.h daemon/tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) -Idaemon/tests -Imodules/vufs $(CFLAGS) $(WARN) $(SAN) -o $@ \
		modules/vufs/tests/test_vufs_logic.c modules/vufs/vufs_opts.c \
		modules/vufs/vufs_vstat.c modules/vufs/vufs_list.c
UNIT_TESTS += $(VUFS_LOGIC_TEST)

VUFS_OPS_TEST := $(B)/tests/modules/test_vufs_ops
VUFS_SRCS := $(wildcard modules/vufs/*.c)
$(VUFS_OPS_TEST): modules/vufs/tests/test_vufs_ops.c modules/vufs/tests/stub_daemon.c \
		modules/vufs/tests/stub_daemon.h $(VUFS_SRCS) $(wildcard modules/vufs/*.h) \
		daemon/tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) -Idaemon/tests -Imodules/vufs $(CFLAGS) $(WARN) $(SAN) -o $@ \
		modules/vufs/tests/test_vufs_ops.c modules/vufs/tests/stub_daemon.c $(VUFS_SRCS)
UNIT_TESTS += $(VUFS_OPS_TEST)
