# SPDX-License-Identifier: GPL-2.0
# Host unit tests of the kernel module's pure logic (path.c, reply_check.c),
# compiled in userspace with the sanitizers. Included by the top Makefile.

KMOD_TEST_BIN := $(B)/tests/kmod
KMOD_UNIT_CFLAGS = -I$(CURDIR)/uapi $(CFLAGS) $(WARN) $(SAN)

$(KMOD_TEST_BIN)/test_path: kmod/tests/test_path.c kmod/path.c kmod/path.h
	@mkdir -p $(@D)
	$(CC) $(KMOD_UNIT_CFLAGS) -o $@ kmod/tests/test_path.c kmod/path.c

$(KMOD_TEST_BIN)/test_reply_check: kmod/tests/test_reply_check.c kmod/reply_check.c kmod/reply_check.h
	@mkdir -p $(@D)
	$(CC) $(KMOD_UNIT_CFLAGS) -o $@ kmod/tests/test_reply_check.c kmod/reply_check.c

UNIT_TESTS += $(KMOD_TEST_BIN)/test_path $(KMOD_TEST_BIN)/test_reply_check
