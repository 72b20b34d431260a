# SPDX-License-Identifier: GPL-2.0-or-later
# vudevramdisk: a partitioned disk as vudevpartx's (its `mbr` option), so
# it links vudevpartx's table reader and disk objects; options through
# libstropt.
MOD_LIBS_vudevramdisk := -lstropt
# (modules.mk reads this before it sets MOD_DIR and MOD_OBJ)
$(B)/modules/vudevramdisk.so: $(B)/obj/modules/vudevpartx/partx_table.o \
	$(B)/obj/modules/vudevpartx/partx_disk.o

# Host unit test of the size= parser, under the sanitizers.
RAMDISK_SIZE_TEST := $(B)/tests/modules/test_ramdisk_size
$(RAMDISK_SIZE_TEST): modules/vudevramdisk/tests/test_ramdisk_size.c \
		modules/vudevramdisk/ramdisk_size.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) -Imodules/vudevramdisk -Idaemon/tests $(CFLAGS) $(WARN) $(SAN) -o $@ $^
UNIT_TESTS += $(RAMDISK_SIZE_TEST)
