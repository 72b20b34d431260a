# SPDX-License-Identifier: GPL-2.0-or-later
#
# vufuse: the FUSE 3 high-level API for submodules. Its objects are
# hidden but for the module's symbols and the fuse_* API (vufuse.c says
# why); FUSE_USE_VERSION 314 is the newest of Debian 12's headers, and
# vufuse also defines the symbols older versions' macros name.
VUFUSE_CFLAGS := -DFUSE_USE_VERSION=314 -D_FILE_OFFSET_BITS=64 -fvisibility=hidden
$(B)/obj/modules/vufuse/%.o: MOD_CFLAGS += $(VUFUSE_CFLAGS)
MOD_LIBS_vufuse := -ldl

# Host unit tests of the pure parts: fmt= and the argv, fuse_opt_parse.
VUFUSE_TEST_BIN := $(B)/tests/modules/vufuse
VUFUSE_SAN_OBJ := $(B)/obj-san/modules/vufuse
VUFUSE_TEST_CFLAGS = $(CPPFLAGS_USER) $(CFLAGS) $(WARN) $(SAN) -MMD -MP \
	-DFUSE_USE_VERSION=314 -D_FILE_OFFSET_BITS=64 -Imodules/vufuse -Idaemon/tests

$(VUFUSE_SAN_OBJ)/%.o: modules/vufuse/%.c
	@mkdir -p $(@D)
	$(CC) $(VUFUSE_TEST_CFLAGS) -c -o $@ $<

$(VUFUSE_TEST_BIN)/test_vufuse_args: $(VUFUSE_SAN_OBJ)/tests/test_vufuse_args.o \
		$(VUFUSE_SAN_OBJ)/vufuse_args.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^

$(VUFUSE_TEST_BIN)/test_fuse_opt: $(VUFUSE_SAN_OBJ)/tests/test_fuse_opt.o \
		$(VUFUSE_SAN_OBJ)/fuse_opt.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^

UNIT_TESTS += $(VUFUSE_TEST_BIN)/test_vufuse_args $(VUFUSE_TEST_BIN)/test_fuse_opt \
	$(VUFUSE_TEST_BIN)/test_vufuse_host

-include $(wildcard $(VUFUSE_SAN_OBJ)/*.d $(VUFUSE_SAN_OBJ)/tests/*.d)

# vufuse.so and its submodules run by a stand-in of the hypervisor's module API.
# vufusev30.so: a submodule of FUSE_USE_VERSION 30, for that test only.
$(VUFUSE_SAN_OBJ)/tests/test_vufuse_host.o: VUFUSE_TEST_CFLAGS += \
	-DTEST_MODULE_DIR='"$(B)/modules"' -DTEST_SUBMODULE_DIR='"$(VUFUSE_TEST_BIN)"'
$(VUFUSE_TEST_BIN)/vufusev30.so: modules/vufuse/tests/vufusev30.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(CFLAGS) $(WARN) -D_FILE_OFFSET_BITS=64 -fPIC -shared -o $@ $<
$(VUFUSE_TEST_BIN)/test_vufuse_host: $(VUFUSE_SAN_OBJ)/tests/test_vufuse_host.o | \
		$(B)/modules/vufuse.so $(B)/modules/vufusereal.so $(B)/modules/vufusenull.so \
		$(VUFUSE_TEST_BIN)/vufusev30.so
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -rdynamic -o $@ $^ -ldl
