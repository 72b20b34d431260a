# SPDX-License-Identifier: GPL-2.0-or-later
#
# daemon/: the hypervisor build/bin/kmview and its host unit tests.
# Included by the top Makefile, which defines B, BIN, CC, CFLAGS, WARN,
# CPPFLAGS_USER and SAN.

# The layers, bottom up (Documentation/daemon.md): base/ logging and debug
# tags; core/ a request's life, the tables and the path walk; host/ the
# modules and their API; sc/ the system calls, one file per family;
# startup/ what main needs; backend/ the kernel's side.
DAEMON_BASE := base/log base/debug_tags base/debug_color
DAEMON_CORE_ := core/call core/vuht core/vfd core/vpath core/pcache core/member core/member_mem \
	core/view core/exec_dir core/service core/modctx core/modret core/sysname core/arch_table \
	core/statx core/mthread core/fdinfo core/fdlink core/dirent kmod_path
DAEMON_HOST := host/module host/modapi host/modmgmt host/inherit host/nest host/nest_path \
	host/nest_fd host/nest_stdio host/nest_bind host/nest_ids
DAEMON_SC := sc/table sc/path sc/fd sc/mount sc/obj sc/attr sc/link sc/iov sc/mmap sc/exec sc/binfmt \
	sc/cwd sc/procmounts sc/open2 sc/xfer sc/vuctl sc/prw sc/scnum sc/ids sc/clock sc/cap \
	sc/uname sc/timeout sc/exec_ids sc/socket sc/sockmsg
DAEMON_STARTUP := startup/options startup/rc startup/children startup/nofile
DAEMON_CORE := $(DAEMON_BASE) $(DAEMON_CORE_) $(DAEMON_HOST) $(DAEMON_SC) $(DAEMON_STARTUP) \
	serve filter
DAEMON_SRCS := main backend/kmview $(DAEMON_CORE)

DAEMON_OBJ := $(B)/obj/daemon
DAEMON_SAN_OBJ := $(B)/obj/san/daemon
DAEMON_TEST_BIN := $(B)/tests/daemon

DAEMON_CFLAGS = $(CPPFLAGS_USER) -I$(CURDIR)/daemon -I$(CURDIR) -I$(B)/gen $(CFLAGS) $(WARN) -pthread -MMD -MP \
	-DKMVIEW_MODULE_DIR='"$(PREFIX)/lib/kmview/modules"'
# Modules are linked against the daemon's own symbols (vumodule.h): export them.
DAEMON_LDFLAGS := -rdynamic
DAEMON_LIBS := -ldl

USER_PROGS += $(BIN)/kmview

$(BIN)/kmview: $(DAEMON_SRCS:%=$(DAEMON_OBJ)/%.o)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -pthread $(DAEMON_LDFLAGS) -o $@ $^ $(DAEMON_LIBS)

# The names of the system calls, from the C library's headers.
$(B)/gen/sysnames.inc:
	@mkdir -p $(@D)
	echo '#include <sys/syscall.h>' | $(CC) -E -dM - | \
		awk '/^#define __NR_[a-z0-9_]+ [0-9]+$$/ { printf "[%s] = \"%s\",\n", $$3, substr($$2, 6) }' \
		| sort -t'[' -k2 -n > $@.tmp && mv $@.tmp $@
$(DAEMON_OBJ)/core/sysname.o $(DAEMON_SAN_OBJ)/core/sysname.o: $(B)/gen/sysnames.inc

# The lexical path folding of the kernel module, shared so both fold alike.
$(DAEMON_OBJ)/kmod_path.o: kmod/path.c
	@mkdir -p $(@D)
	$(CC) $(DAEMON_CFLAGS) -c -o $@ $<

$(DAEMON_SAN_OBJ)/kmod_path.o: kmod/path.c
	@mkdir -p $(@D)
	$(CC) $(DAEMON_CFLAGS) $(SAN) -c -o $@ $<

$(DAEMON_OBJ)/%.o: daemon/%.c
	@mkdir -p $(@D)
	$(CC) $(DAEMON_CFLAGS) -c -o $@ $<

# Unit tests: the core objects again, with the sanitizers, plus a fake backend.
$(DAEMON_SAN_OBJ)/%.o: daemon/%.c
	@mkdir -p $(@D)
	$(CC) $(DAEMON_CFLAGS) $(SAN) -Idaemon -c -o $@ $<

DAEMON_TESTS := test_options test_debug test_vuctl test_member_mem test_rc test_vuht \
	test_modules test_mount test_calls test_cwd test_procmounts test_xfer test_pool \
	test_modret test_exec test_rmmod test_prw test_filter_keys test_filter_redirect test_scnum \
	test_nest \
	test_inherit test_sockmsg test_socket test_devices test_dirent test_bigio test_pcache test_fdlink \
	test_vubinfmt
DAEMON_TEST_SUPPORT := tests/fake_backend

$(DAEMON_TEST_BIN)/%: $(DAEMON_SAN_OBJ)/tests/%.o \
		$(DAEMON_TEST_SUPPORT:%=$(DAEMON_SAN_OBJ)/%.o) \
		$(DAEMON_CORE:%=$(DAEMON_SAN_OBJ)/%.o)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -pthread $(DAEMON_LDFLAGS) -o $@ $^ $(DAEMON_LIBS)

# test_modules, test_mount and test_calls load the real modules, from the build tree.
DAEMON_MODULE_TESTS := test_modules test_mount test_calls test_cwd test_xfer test_pool test_exec \
	test_nest test_vubinfmt
$(DAEMON_MODULE_TESTS:%=$(DAEMON_SAN_OBJ)/tests/%.o): \
	DAEMON_CFLAGS += -DTEST_MODULE_DIR='"$(B)/modules"'
# Order-only: a prerequisite in $^ would be linked in, loaded before any dlopen.
$(DAEMON_MODULE_TESTS:%=$(DAEMON_TEST_BIN)/%): | $(USER_MODULES)

# liar.so, a module that misbehaves on demand, for the tests of what modules return.
DAEMON_LIAR_TESTS := test_modret test_rmmod test_pool
$(DAEMON_TEST_BIN)/liar.so: daemon/tests/mod_liar.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(CFLAGS) $(WARN) -fPIC -shared -o $@ $<
$(DAEMON_LIAR_TESTS:%=$(DAEMON_SAN_OBJ)/tests/%.o): \
	DAEMON_CFLAGS += -DTEST_LIAR='"$(DAEMON_TEST_BIN)/liar.so"'
$(DAEMON_LIAR_TESTS:%=$(DAEMON_TEST_BIN)/%): $(DAEMON_TEST_BIN)/liar.so

# prwdev.so, a module without file positions (VU_USE_PRW).
$(DAEMON_TEST_BIN)/prwdev.so: daemon/tests/mod_prw.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(CFLAGS) $(WARN) -fPIC -shared -o $@ $<
$(DAEMON_SAN_OBJ)/tests/test_prw.o: DAEMON_CFLAGS += -DTEST_PRW='"$(DAEMON_TEST_BIN)/prwdev.so"'
$(DAEMON_TEST_BIN)/test_prw: $(DAEMON_TEST_BIN)/prwdev.so
# plainmount.so: a mount without umount2, for test_mount.
$(DAEMON_TEST_BIN)/plainmount.so: daemon/tests/mod_plainmount.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(CFLAGS) $(WARN) -fPIC -shared -o $@ $<
$(DAEMON_SAN_OBJ)/tests/test_mount.o: DAEMON_CFLAGS += -DTEST_PLAINMOUNT='"$(DAEMON_TEST_BIN)/plainmount.so"'
$(DAEMON_TEST_BIN)/test_mount: $(DAEMON_TEST_BIN)/plainmount.so
# lookups.so: a fixed tree that counts its lstats, for test_pcache.
$(DAEMON_TEST_BIN)/lookups.so: daemon/tests/mod_lookups.c include/vumodule.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(CFLAGS) $(WARN) -fPIC -shared -o $@ $<
$(DAEMON_SAN_OBJ)/tests/test_pcache.o: DAEMON_CFLAGS += -DTEST_LOOKUPS='"$(DAEMON_TEST_BIN)/lookups.so"'
$(DAEMON_TEST_BIN)/test_pcache: | $(DAEMON_TEST_BIN)/lookups.so
# bigio.so: reads and writes longer than a chunk, for test_bigio.
$(DAEMON_TEST_BIN)/bigio.so: daemon/tests/mod_bigio.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(CFLAGS) $(WARN) -fPIC -shared -o $@ $<
$(DAEMON_SAN_OBJ)/tests/test_bigio.o: DAEMON_CFLAGS += -DTEST_BIGIO='"$(DAEMON_TEST_BIN)/bigio.so"'
$(DAEMON_TEST_BIN)/test_bigio: $(DAEMON_TEST_BIN)/bigio.so
# nestprobe.so, built as Debian builds a module (its calls are open64,
# __read_chk...), for the test of nesting; -D_GNU_SOURCE as VUOS builds modules.
NESTPROBE_FLAGS := -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -D_FORTIFY_SOURCE=2 -O2 -Wall -Werror
$(DAEMON_TEST_BIN)/nestprobe.so: daemon/tests/mod_nestprobe.c include/vumodule.h
	@mkdir -p $(@D)
	$(CC) -I$(CURDIR)/include $(NESTPROBE_FLAGS) -fPIC -shared -o $@ $<
$(DAEMON_SAN_OBJ)/tests/test_nest.o: DAEMON_CFLAGS += -DTEST_NESTPROBE='"$(DAEMON_TEST_BIN)/nestprobe.so"'
$(DAEMON_TEST_BIN)/test_nest: | $(DAEMON_TEST_BIN)/nestprobe.so
# test_socket loads sockecho, a test module of the selftests (selftests/kmview/modules).
$(DAEMON_SAN_OBJ)/tests/test_socket.o: \
	DAEMON_CFLAGS += -DTEST_SOCKECHO='"$(B)/selftests/modules/sockecho.so"'
$(DAEMON_TEST_BIN)/test_socket: | $(B)/selftests/modules/sockecho.so
# tdev.so: device nodes, ioctls and a binary format, for test_devices.
$(DAEMON_TEST_BIN)/tdev.so: daemon/tests/mod_tdev.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(CFLAGS) $(WARN) -fPIC -shared -o $@ $<
$(DAEMON_SAN_OBJ)/tests/test_devices.o: DAEMON_CFLAGS += -DTEST_TDEV='"$(DAEMON_TEST_BIN)/tdev.so"'
$(DAEMON_TEST_BIN)/test_devices: $(DAEMON_TEST_BIN)/tdev.so

# backend/kmview.c against a simulated kmview.ko: the system calls it makes
# are wrapped, and every reply is checked by the module's own validator.
DAEMON_KERNEL_WRAP := -Wl,--wrap=open,--wrap=ioctl,--wrap=read,--wrap=write

$(DAEMON_SAN_OBJ)/kmod_reply_check.o: kmod/reply_check.c
	@mkdir -p $(@D)
	$(CC) $(DAEMON_CFLAGS) $(SAN) -c -o $@ $<

$(DAEMON_TEST_BIN)/test_backend_kmview: $(DAEMON_SAN_OBJ)/tests/test_backend_kmview.o \
		$(DAEMON_SAN_OBJ)/backend/kmview.o $(DAEMON_SAN_OBJ)/kmod_reply_check.o \
		$(DAEMON_CORE:%=$(DAEMON_SAN_OBJ)/%.o)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -pthread $(DAEMON_KERNEL_WRAP) -o $@ $^ $(DAEMON_LIBS)

# The real binary, start to end, over a preloaded stand-in for /dev/kmview.
$(DAEMON_TEST_BIN)/fake_kmview.so: daemon/tests/fake_kmview.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(CFLAGS) $(WARN) -fPIC -shared -o $@ $< -ldl

$(DAEMON_TEST_BIN)/test_main: daemon/tests/test_main.sh $(BIN)/kmview $(DAEMON_TEST_BIN)/fake_kmview.so
	@mkdir -p $(@D)
	install -m 0755 $< $@

UNIT_TESTS += $(DAEMON_TESTS:%=$(DAEMON_TEST_BIN)/%) $(DAEMON_TEST_BIN)/test_backend_kmview \
	$(DAEMON_TEST_BIN)/test_main
# Reached through pattern rules only: keep them, or every run rebuilds them.
.SECONDARY: $(DAEMON_CORE:%=$(DAEMON_SAN_OBJ)/%.o) $(DAEMON_TEST_SUPPORT:%=$(DAEMON_SAN_OBJ)/%.o) \
	$(DAEMON_TESTS:%=$(DAEMON_SAN_OBJ)/tests/%.o) $(DAEMON_SAN_OBJ)/backend/kmview.o

-include $(wildcard $(DAEMON_OBJ)/*.d $(DAEMON_OBJ)/*/*.d $(DAEMON_SAN_OBJ)/*.d $(DAEMON_SAN_OBJ)/*/*.d)
