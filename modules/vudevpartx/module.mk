# SPDX-License-Identifier: GPL-2.0-or-later
# vudevpartx: its partition-table reader (partx_table.c) and partitioned
# disk (partx_disk.c) are linked into vudevramdisk too (its `mbr` option):
# see modules/vudevramdisk/module.mk. Options through libstropt.
MOD_LIBS_vudevpartx := -lstropt

# Host unit test of the table reader, under the sanitizers.
PARTX_TEST := $(B)/tests/modules/test_partx_table
$(PARTX_TEST): modules/vudevpartx/tests/test_partx_table.c modules/vudevpartx/partx_table.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) -Imodules/vudevpartx -Idaemon/tests $(CFLAGS) $(WARN) $(SAN) -o $@ $^
UNIT_TESTS += $(PARTX_TEST)
