# SPDX-License-Identifier: GPL-2.0-or-later
# vunetnull: a vunet submodule, linked with vunet.so (modules/vunet/module.mk).
MOD_LIBS_vunetnull = $(VUNET_SUBMOD_LIBS)
$(MOD_DIR)/vunetnull.so: | $(MOD_DIR)/vunet.so
