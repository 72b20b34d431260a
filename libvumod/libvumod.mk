# SPDX-License-Identifier: GPL-2.0-or-later
#
# libvumod/: the library of <libvumod.h> (pseudofiles), for modules.
# build/lib/libvumod.so (soname libvumod.so.0) and build/lib/libvumod.a
# (position independent: a module may link it in, as a .so it is dlopened
# from a directory the loader does not search). Both need
# -lvolatilestream. Included by the top Makefile.

LIBVUMOD_SRCS := pseudofile
LIB_DIR := $(B)/lib
LIBVUMOD_OBJ := $(B)/obj/libvumod
LIBVUMOD_SAN_OBJ := $(B)/obj/san/libvumod
LIBVUMOD_TEST_BIN := $(B)/tests/libvumod
LIBVUMOD_SO := $(LIB_DIR)/libvumod.so.0
LIBVUMOD_A := $(LIB_DIR)/libvumod.a
LIBVUMOD_LIBS := -lvolatilestream

LIBVUMOD_CFLAGS = $(CPPFLAGS_USER) $(CFLAGS) $(WARN) -fPIC -MMD -MP

userspace: $(LIBVUMOD_SO) $(LIB_DIR)/libvumod.so $(LIBVUMOD_A)

$(LIBVUMOD_SO): $(LIBVUMOD_SRCS:%=$(LIBVUMOD_OBJ)/%.o)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -shared -Wl,-soname,libvumod.so.0 -o $@ $^ $(LIBVUMOD_LIBS)

$(LIB_DIR)/libvumod.so: | $(LIBVUMOD_SO)
	ln -sf libvumod.so.0 $@

$(LIBVUMOD_A): $(LIBVUMOD_SRCS:%=$(LIBVUMOD_OBJ)/%.o)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(LIBVUMOD_OBJ)/%.o: libvumod/%.c
	@mkdir -p $(@D)
	$(CC) $(LIBVUMOD_CFLAGS) -c -o $@ $<

$(LIBVUMOD_SAN_OBJ)/%.o: libvumod/%.c
	@mkdir -p $(@D)
	$(CC) $(LIBVUMOD_CFLAGS) $(SAN) -Idaemon/tests -c -o $@ $<

$(LIBVUMOD_TEST_BIN)/test_pseudofile: $(LIBVUMOD_SAN_OBJ)/tests/test_pseudofile.o \
		$(LIBVUMOD_SRCS:%=$(LIBVUMOD_SAN_OBJ)/%.o)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LIBVUMOD_LIBS)

UNIT_TESTS += $(LIBVUMOD_TEST_BIN)/test_pseudofile

# The library and the headers a module or a program for a view builds with.
PUBLIC_HEADERS := vumodule.h vulib.h vudev.h vunet.h vumisc.h libvumod.h
install-libvumod: $(LIBVUMOD_SO) $(LIBVUMOD_A)
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include
	install -m 0755 $(LIBVUMOD_SO) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libvumod.so.0 $(DESTDIR)$(PREFIX)/lib/libvumod.so
	install -m 0644 $(LIBVUMOD_A) $(DESTDIR)$(PREFIX)/lib/
	install -m 0644 $(PUBLIC_HEADERS:%=include/%) $(DESTDIR)$(PREFIX)/include/

.PHONY: install-libvumod

-include $(wildcard $(LIBVUMOD_OBJ)/*.d $(LIBVUMOD_SAN_OBJ)/*.d $(LIBVUMOD_SAN_OBJ)/tests/*.d)
