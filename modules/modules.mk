# SPDX-License-Identifier: GPL-2.0-or-later
#
# modules/: the hypervisor's modules, one directory each, built as shared
# objects into build/modules/ (where build/bin/kmview looks for them).
# A module is compiled against include/vumodule.h only, as a VUOS module
# would be; its undefined symbols are the daemon's (kmview -rdynamic).
# Included by the top Makefile.

# A module is a directory of modules/ (a submodule too: vudevnull.so is
# modules/vudevnull/). A directory may hold a module.mk that sets
# MOD_LIBS_<name> (the libraries its .so links with) and extra rules.
MODULES := $(patsubst modules/%/,%,$(wildcard modules/*/))
MOD_DIR := $(B)/modules
MOD_OBJ := $(B)/obj/modules
-include $(wildcard modules/*/module.mk)

MOD_CFLAGS = $(CPPFLAGS_USER) $(CFLAGS) $(WARN) -fPIC -MMD -MP

USER_MODULES := $(MODULES:%=$(MOD_DIR)/%.so)

userspace: $(USER_MODULES)

# A module is every .c of its directory.
define MOD_RULES
$(MOD_DIR)/$(1).so: $(patsubst modules/$(1)/%.c,$(MOD_OBJ)/$(1)/%.o,$(wildcard modules/$(1)/*.c))
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) -shared -o $$@ $$^ $$(MOD_LIBS_$(1))
endef
$(foreach m,$(MODULES),$(eval $(call MOD_RULES,$(m))))

$(MOD_OBJ)/%.o: modules/%.c
	@mkdir -p $(@D)
	$(CC) $(MOD_CFLAGS) -c -o $@ $<

install-modules: $(USER_MODULES)
	install -d $(DESTDIR)$(PREFIX)/lib/kmview/modules
	install -m 0644 $(USER_MODULES) $(DESTDIR)$(PREFIX)/lib/kmview/modules/

.PHONY: install-modules

-include $(wildcard $(MOD_OBJ)/*/*.d)
