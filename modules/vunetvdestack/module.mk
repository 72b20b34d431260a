# SPDX-License-Identifier: GPL-2.0-or-later
# vunetvdestack: a vunet submodule (linked with vunet.so), over libvdestack
# (the stack's namespace), libvdeplug and libnl-route-3 (vde0's set-up).
MOD_LIBS_vunetvdestack = $(VUNET_SUBMOD_LIBS) -lvdestack -lvdeplug -lnl-route-3 -lnl-3 -pthread
$(MOD_DIR)/vunetvdestack.so: | $(MOD_DIR)/vunet.so
$(MOD_OBJ)/vunetvdestack/%.o: MOD_CFLAGS += -I/usr/include/libnl3

# The host unit test of the mount options.
VDS_OPTS_TEST := $(B)/tests/modules/test_vdestack_opts
$(VDS_OPTS_TEST): modules/vunetvdestack/tests/test_vdestack_opts.c \
		modules/vunetvdestack/vdestack_opts.c modules/vunetvdestack/vdestack_opts.h \
		daemon/tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) -Idaemon/tests -Imodules/vunetvdestack $(CFLAGS) $(WARN) $(SAN) \
		-o $@ modules/vunetvdestack/tests/test_vdestack_opts.c \
		modules/vunetvdestack/vdestack_opts.c
UNIT_TESTS += $(VDS_OPTS_TEST)
