# SPDX-License-Identifier: GPL-2.0-or-later
# vunetreal: a vunet submodule, linked with vunet.so (modules/vunet/module.mk).
MOD_LIBS_vunetreal = $(VUNET_SUBMOD_LIBS)
$(MOD_DIR)/vunetreal.so: | $(MOD_DIR)/vunet.so
