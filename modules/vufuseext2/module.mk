# SPDX-License-Identifier: GPL-2.0-or-later
#
# vufuseext2: the vufuse submodule (vufuseext2.so: libext2fs, and the FUSE
# API from vufuse, so not -lfuse3) and the same sources as the standalone
# FUSE program fuseext2 (linked with libfuse3).

MOD_LIBS_vufuseext2 := -lext2fs -lcom_err -lpthread

FE2_SRCS := $(wildcard modules/vufuseext2/*.c)
FE2_OBJS := $(FE2_SRCS:modules/%.c=$(B)/obj/modules/%.o)

$(BIN)/fuseext2: $(FE2_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ -lfuse3 -lext2fs -lcom_err -lpthread

USER_PROGS += $(BIN)/fuseext2

# Host test: the ops called directly on mkfs'd images, under the sanitizers.
FE2_SAN_OBJ := $(B)/obj/san/vufuseext2
FE2_TEST := $(B)/tests/vufuseext2/test_fuseext2
FE2_TEST_SRCS := $(filter-out modules/vufuseext2/fe2_main.c,$(FE2_SRCS)) \
	modules/vufuseext2/tests/test_fuseext2.c

$(FE2_SAN_OBJ)/%.o: modules/vufuseext2/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(CFLAGS) $(WARN) $(SAN) -Imodules/vufuseext2 -MMD -MP -c -o $@ $<

$(FE2_TEST): $(FE2_TEST_SRCS:modules/vufuseext2/%.c=$(FE2_SAN_OBJ)/%.o)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ -lext2fs -lcom_err -lpthread

UNIT_TESTS += $(FE2_TEST)

-include $(wildcard $(FE2_SAN_OBJ)/*.d $(FE2_SAN_OBJ)/tests/*.d)

# The submodule's link: no libfuse3, only the FUSE calls vufuse emulates.
FE2_SYMTEST := $(CURDIR)/modules/vufuseext2/tests/test_symbols.sh
$(FE2_SYMTEST): $(B)/modules/vufuseext2.so
UNIT_TESTS += $(FE2_SYMTEST)
