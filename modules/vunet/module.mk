# SPDX-License-Identifier: GPL-2.0-or-later
# vunet: its submodules (vunetXXX.so) link with it for the functions of
# <vunet.h> (vunet_get_private_data...): the soname is how they name it,
# found beside them ($ORIGIN), and the copy already loaded is the one used.
MOD_LIBS_vunet := -Wl,-soname,vunet.so
VUNET_SUBMOD_LIBS = $(MOD_DIR)/vunet.so -Wl,-rpath,'$$ORIGIN'

# The host unit test of the options vunet takes for itself.
VUNET_OPTS_TEST := $(B)/tests/modules/test_vunet_opts
$(VUNET_OPTS_TEST): modules/vunet/tests/test_vunet_opts.c modules/vunet/vunet_opts.c \
		modules/vunet/vunet_opts.h daemon/tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) -Idaemon/tests -Imodules/vunet $(CFLAGS) $(WARN) $(SAN) \
		-o $@ modules/vunet/tests/test_vunet_opts.c modules/vunet/vunet_opts.c
UNIT_TESTS += $(VUNET_OPTS_TEST)

# The host unit test of the netdevice requests' sizes (vunet_ioctl.c).
VUNET_IOCTL_TEST := $(B)/tests/modules/test_vunet_ioctl
$(VUNET_IOCTL_TEST): modules/vunet/tests/test_vunet_ioctl.c modules/vunet/vunet_ioctl.c \
		include/vunet.h daemon/tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) -Idaemon/tests $(CFLAGS) $(WARN) $(SAN) \
		-o $@ modules/vunet/tests/test_vunet_ioctl.c modules/vunet/vunet_ioctl.c
UNIT_TESTS += $(VUNET_IOCTL_TEST)
