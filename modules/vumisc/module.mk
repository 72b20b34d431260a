# SPDX-License-Identifier: GPL-2.0-or-later
# vumisc: it dlopens its submodules (vumisctime, vumiscuname), which find
# vumisc_get_private_data() in vumisc.so itself.
MOD_LIBS_vumisc := -ldl -pthread
