# SPDX-License-Identifier: GPL-2.0-or-later
#
# tools/: vuname, vudebug, the module tools, vumount/vuumount and vustack,
# the VUOS commands for processes in a view,
# and their host unit tests. Included by the top Makefile.

TOOLS_OBJ := $(B)/obj/tools
TOOLS_SAN_OBJ := $(B)/obj/san/tools
TOOLS_TEST_BIN := $(B)/tests/tools

TOOLS_CFLAGS = $(CPPFLAGS_USER) $(CFLAGS) $(WARN) -MMD -MP \
	-DKMVIEW_VERSION='"$(or $(VERSION),unknown)"'

VUNAME_OBJS := vuname vuname_args vuname_print
VUDEBUG_OBJS := vudebug vudebug_args vudebug_list

VUMOUNT_OBJS := vumount vumount_opts
VUSTACK_OBJS := vustack vustack_args vustack_select
VUSU_OBJS := vusu vusu_args vusu_env

USER_PROGS += $(BIN)/vuname $(BIN)/vudebug $(BIN)/vu_insmod $(BIN)/vu_rmmod $(BIN)/vu_lsmod \
	$(BIN)/vumount $(BIN)/vuumount $(BIN)/vustack $(BIN)/vusu

# The module tools are one file each.
$(BIN)/vu_%: $(TOOLS_OBJ)/vu_%.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^

$(BIN)/vumount: $(VUMOUNT_OBJS:%=$(TOOLS_OBJ)/%.o)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^

$(BIN)/vustack: $(VUSTACK_OBJS:%=$(TOOLS_OBJ)/%.o)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^

$(BIN)/vusu: $(VUSU_OBJS:%=$(TOOLS_OBJ)/%.o)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^

$(BIN)/vuumount: $(TOOLS_OBJ)/vuumount.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^

$(BIN)/vuname: $(VUNAME_OBJS:%=$(TOOLS_OBJ)/%.o)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^

$(BIN)/vudebug: $(VUDEBUG_OBJS:%=$(TOOLS_OBJ)/%.o)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^

$(TOOLS_OBJ)/%.o: tools/%.c
	@mkdir -p $(@D)
	$(CC) $(TOOLS_CFLAGS) -c -o $@ $<

# Unit tests: the pure parts (argument parsing, output) with the sanitizers.
$(TOOLS_SAN_OBJ)/%.o: tools/%.c
	@mkdir -p $(@D)
	$(CC) $(TOOLS_CFLAGS) $(SAN) -Itools -Idaemon/tests -c -o $@ $<

$(TOOLS_TEST_BIN)/test_vuname: $(TOOLS_SAN_OBJ)/tests/test_vuname.o \
		$(TOOLS_SAN_OBJ)/vuname_args.o $(TOOLS_SAN_OBJ)/vuname_print.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^

$(TOOLS_TEST_BIN)/test_vudebug: $(TOOLS_SAN_OBJ)/tests/test_vudebug.o \
		$(TOOLS_SAN_OBJ)/vudebug_args.o $(TOOLS_SAN_OBJ)/vudebug_list.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^

$(TOOLS_TEST_BIN)/test_vumount: $(TOOLS_SAN_OBJ)/tests/test_vumount.o \
		$(TOOLS_SAN_OBJ)/vumount_opts.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^

$(TOOLS_TEST_BIN)/test_vustack: $(TOOLS_SAN_OBJ)/tests/test_vustack.o \
		$(TOOLS_SAN_OBJ)/vustack_args.o $(TOOLS_SAN_OBJ)/vustack_select.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^

$(TOOLS_TEST_BIN)/test_vusu: $(TOOLS_SAN_OBJ)/tests/test_vusu.o \
		$(TOOLS_SAN_OBJ)/vusu_args.o $(TOOLS_SAN_OBJ)/vusu_env.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^

# vulib.h: VUOS's names and numbers, and its calls outside a view.
$(TOOLS_TEST_BIN)/test_vulib: $(TOOLS_SAN_OBJ)/tests/test_vulib.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^

UNIT_TESTS += $(TOOLS_TEST_BIN)/test_vuname $(TOOLS_TEST_BIN)/test_vudebug \
	$(TOOLS_TEST_BIN)/test_vumount $(TOOLS_TEST_BIN)/test_vustack $(TOOLS_TEST_BIN)/test_vulib \
	$(TOOLS_TEST_BIN)/test_vusu

-include $(wildcard $(TOOLS_OBJ)/*.d $(TOOLS_SAN_OBJ)/*.d $(TOOLS_SAN_OBJ)/tests/*.d)
