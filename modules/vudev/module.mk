# SPDX-License-Identifier: GPL-2.0-or-later
# vudev: the mount options are parsed with libstropt, as VUOS's; the
# submodules find vudev_get_private_data() in vudev.so itself.
MOD_LIBS_vudev := -lstropt -ldl -pthread

# Host unit test of the options and the ioctl probe, under the sanitizers.
VUDEV_TEST := $(B)/tests/modules/test_vudev_opts
$(VUDEV_TEST): modules/vudev/tests/test_vudev_opts.c modules/vudev/vudev_opts.c \
		modules/vudev/vudev_ioctl.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) -Imodules/vudev -Idaemon/tests $(CFLAGS) $(WARN) $(SAN) -o $@ $^ -lstropt
UNIT_TESTS += $(VUDEV_TEST)
