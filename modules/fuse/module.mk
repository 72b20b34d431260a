# SPDX-License-Identifier: GPL-2.0-or-later
#
# modules/fuse: host unit tests of its pure parts (the mount data parser,
# the protocol's encoding, the request queue), under the sanitizers.
FUSE_TEST_BIN := $(B)/tests/modules/fuse
FUSE_TESTS := test_fuse_opts test_fuse_proto test_fuse_conn test_fuse_libfuse
FUSE_TEST_CFLAGS = $(CPPFLAGS_USER) -I$(CURDIR)/modules/fuse -I$(CURDIR)/daemon/tests \
	$(CFLAGS) $(WARN) $(SAN) -pthread

$(FUSE_TEST_BIN)/test_fuse_opts: modules/fuse/tests/test_fuse_opts.c modules/fuse/fuse_opts.c
$(FUSE_TEST_BIN)/test_fuse_proto: modules/fuse/tests/test_fuse_proto.c modules/fuse/fuse_proto.c
$(FUSE_TEST_BIN)/test_fuse_conn: modules/fuse/tests/test_fuse_conn.c modules/fuse/fuse_conn.c \
	modules/fuse/fuse_proto.c

# the module's methods against Debian's libfuse3 (its high level, a passthrough)
$(FUSE_TEST_BIN)/test_fuse_libfuse: modules/fuse/tests/test_fuse_libfuse.c modules/fuse/fuse_ops.c \
	modules/fuse/fuse_node.c modules/fuse/fuse_dev.c modules/fuse/fuse_conn.c \
	modules/fuse/fuse_proto.c
$(FUSE_TEST_BIN)/test_fuse_libfuse: FUSE_TEST_LIBS = $$(pkg-config --libs fuse3)
$(FUSE_TEST_BIN)/test_fuse_libfuse: FUSE_TEST_CFLAGS += $$(pkg-config --cflags fuse3)

$(FUSE_TESTS:%=$(FUSE_TEST_BIN)/%): $(wildcard modules/fuse/*.h) daemon/tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(FUSE_TEST_CFLAGS) -o $@ $(filter %.c,$^) $(FUSE_TEST_LIBS)

UNIT_TESTS += $(FUSE_TESTS:%=$(FUSE_TEST_BIN)/%)
