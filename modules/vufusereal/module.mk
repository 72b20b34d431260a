# SPDX-License-Identifier: GPL-2.0-or-later
#
# vufusereal: a vufuse submodule (vufusereal.so: its fuse_* symbols are vufuse's,
# never libfuse3's) and, from the same source, the FUSE program fusereal
# (linked with libfuse3) for the kernel's FUSE.
$(B)/obj/modules/vufusereal/%.o: MOD_CFLAGS += -D_FILE_OFFSET_BITS=64

$(B)/bin/fusereal: modules/vufusereal/vufusereal.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(CFLAGS) $(WARN) -D_FILE_OFFSET_BITS=64 -o $@ $< -lfuse3

USER_PROGS += $(B)/bin/fusereal
