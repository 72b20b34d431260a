# SPDX-License-Identifier: GPL-2.0-or-later
#
# vufusenull: a vufuse submodule (vufusenull.so: its fuse_* symbols are vufuse's,
# never libfuse3's) and, from the same source, the FUSE program fusenull
# (linked with libfuse3) for the kernel's FUSE.
$(B)/obj/modules/vufusenull/%.o: MOD_CFLAGS += -D_FILE_OFFSET_BITS=64

$(B)/bin/fusenull: modules/vufusenull/vufusenull.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(CFLAGS) $(WARN) -D_FILE_OFFSET_BITS=64 -o $@ $< -lfuse3

USER_PROGS += $(B)/bin/fusenull
