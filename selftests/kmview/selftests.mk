# SPDX-License-Identifier: GPL-2.0-or-later
# The kselftest suite of kmview: C tests on kselftest_harness.h with a small
# test daemon (testd.c), and shell tests that use the real daemon. They run
# inside the test VM (scripts/vm), driven by run_in_vm.sh.

ST_DIR := selftests/kmview
ST_BIN := $(B)/selftests
ST_TESTS := replies placeholder signals escape membership daemon_death fuzz bench fsbench \
	pool_flock hardening keys iobench scalebench clockbench
ST_CFLAGS = $(CPPFLAGS_USER) -I$(B)/ksrc/tools/testing/selftests $(CFLAGS) $(WARN) \
	-Wno-sign-compare -Wno-missing-field-initializers -pthread
ST_COMMON := $(ST_DIR)/testd.c kmod/path.c
ST_MODULES := $(patsubst $(ST_DIR)/modules/%.c,$(ST_BIN)/modules/%.so,$(wildcard $(ST_DIR)/modules/*.c))

selftests: $(ST_TESTS:%=$(ST_BIN)/%) $(ST_BIN)/vcalls $(ST_MODULES) $(ST_BIN)/oot/ootcat.so \
	$(ST_BIN)/fusehello

# Test modules (never installed): each .c of modules/ is one, found through
# KMVIEW_MODULE_PATH=$(ST_BIN)/modules; built against include/vumodule.h only.
$(ST_BIN)/modules/%.so: $(ST_DIR)/modules/%.c include/vumodule.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(CFLAGS) $(WARN) -fPIC -shared -pthread -o $@ $<
# ootcat.so: a module built out of the tree, against a copy of vumodule.h
# only, with Debian's default flags (oot.sh loads it in the VM). The build
# and its checks are a unit test too.
$(ST_BIN)/oot/ootcat.so: $(ST_DIR)/oot/ootcat.c $(ST_DIR)/oot/oot_build.sh include/vumodule.h
	$(ST_DIR)/oot/oot_build.sh $@ >/dev/null
UNIT_TESTS += $(CURDIR)/$(ST_DIR)/oot/oot_build.sh

# vcalls: a plain program the shell tests run in a view (no harness, no testd)
$(ST_BIN)/vcalls: $(ST_DIR)/vcalls.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(CFLAGS) $(WARN) -o $@ $<

# fusehello: a libfuse3 program devfuse.sh mounts through the fuse module
$(ST_BIN)/fusehello: $(ST_DIR)/fusehello.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $$(pkg-config --cflags fuse3) -o $@ $< $$(pkg-config --libs fuse3)

$(ST_BIN)/%: $(ST_DIR)/%.c $(ST_COMMON) $(ST_DIR)/testd.h $(ST_DIR)/view_util.h $(ST_DIR)/bench_util.h \
		uapi/linux/kmview.h | kselftest-headers
	@mkdir -p $(@D)
	$(CC) $(ST_CFLAGS) -o $@ $< $(ST_COMMON)

.PHONY: selftests

# vubinfmt.sh's foreign programs: Debian's static busybox for i386 and armhf
# (binfmt_fixtures.sh: fetched once with apt-get download; if it cannot, it
# leaves the reason for the test's SKIP and the build goes on).
selftests: binfmt-fixtures
binfmt-fixtures:
	$(ST_DIR)/binfmt_fixtures.sh $(ST_BIN)/binfmt
.PHONY: binfmt-fixtures

# VUOS's own modules for vuos_modules.sh (nothing without a VUOS tree).
selftests: vuos-modules
