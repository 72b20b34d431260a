# SPDX-License-Identifier: GPL-2.0-or-later
# unrealcap shares unrealuidgid's credentials and per-process state.
$(MOD_DIR)/unrealcap.so: $(MOD_OBJ)/unrealuidgid/creds.o $(MOD_OBJ)/unrealuidgid/vproc.o
