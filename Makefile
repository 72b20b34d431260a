# SPDX-License-Identifier: GPL-2.0-or-later
#
# kmview: top-level build. `make` builds the userspace programs and, when
# kernel headers are present, kmview.ko; `make check` runs every test;
# `make bench` prints the benchmark ratios; `make vm-shell` boots the test
# VM and runs `kmview bash` in it as an ordinary user.

VERSION := 0.1.0
B := $(CURDIR)/build
BIN := $(B)/bin

# The kernel module is built against Debian 12's 6.1 headers unless KDIR says otherwise.
KVER ?= $(shell ls -d /lib/modules/6.1.*-amd64/build 2>/dev/null | sed 's,/lib/modules/,,;s,/build,,' | sort -V | tail -n1)
KDIR ?= /lib/modules/$(KVER)/build

CC ?= gcc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Werror -Wno-unused-parameter
CPPFLAGS_USER := -I$(CURDIR)/uapi -I$(CURDIR)/include -D_GNU_SOURCE
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all userspace kmod clean check unit vm-check vm-check-6.12 bench vm-shell \
	install dkms-install dkms-check checkpatch sparse kselftest-headers deps \
	vuos-compat vuos-compat-all vuos-modules

all: userspace kmod

# --- the Debian packages ----------------------------------------------------
# scripts/packages.txt, through scripts/deps.sh: nothing to do when all are
# installed (one dpkg-query); else, as root, apt-get installs the missing
# ones; as a user, it prints the `sudo apt-get install ...` line and make
# stops.  For `make check` and `make vm-shell` it runs while this file is
# read, before any rule and before the other makefiles (some of their
# prerequisites look for installed files), so nothing is built without it.
DEPS_GOALS := check vm-shell
deps:
	@scripts/deps.sh
ifneq ($(filter $(DEPS_GOALS),$(MAKECMDGOALS)),)
ifeq ($(findstring n,$(firstword -$(MAKEFLAGS))),)
$(shell scripts/deps.sh >&2)
ifneq ($(.SHELLSTATUS),0)
$(error the Debian packages above are missing (scripts/packages.txt))
endif
endif
endif

# modules.mk first: the daemon's tests name $(USER_MODULES) as prerequisites,
# and a prerequisite list is expanded when its rule is read.
include modules/modules.mk
include daemon/daemon.mk
include tools/tools.mk
include libvumod/libvumod.mk
include kmod/tests/tests.mk
include selftests/kmview/selftests.mk
include scripts/vm/vm.mk

# scripts/deps.sh, on lists of its own.
UNIT_TESTS += $(CURDIR)/scripts/tests/test_deps.sh

userspace: $(USER_PROGS)

kmod:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod W=1 modules

clean:
	rm -rf $(B)
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod clean >/dev/null 2>&1

# Host unit tests first, then the VM suites: all of it on 6.1, the tests
# whose kernel side differs on 6.12 (CHECK_612_SKIP in scripts/vm/vm.mk).
check: unit vm-check check-6.12

# Every host unit test, each built with ASan and UBSan; all run, any failure fails.
unit: $(UNIT_TESTS)
	@fail=0; for t in $(UNIT_TESTS); do \
		echo "# $$t"; $$t || { echo "FAILED: $$t"; fail=1; }; \
	done; exit $$fail

# Do VUOS's own submodules and commands compile against include/? Not part
# of `unit`: it reads a VUOS source tree (VUOS_SRC, default /work/vuos) and
# is skipped without one. vuos-compat-all adds VUOS's modules (vumodule.h).
VUOS_SRC ?= /work/vuos
vuos-compat:
	VUOS_SRC=$(VUOS_SRC) scripts/vuos-compat.sh
vuos-compat-all:
	VUOS_SRC=$(VUOS_SRC) scripts/vuos-compat.sh -a
# VUOS's own test modules, built unchanged: the VM test vuos_modules loads them.
vuos-modules: $(B)/lib/libvumod.a
	VUOS_SRC=$(VUOS_SRC) scripts/vuos-modules.sh $(B)/vuos/modules $(B)/lib/libvumod.a

install: userspace install-modules install-libvumod
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(USER_PROGS) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	# the modules' pages (kmview-MODULE.7), once there are any
	set -e; for p in $(wildcard man/*.7); do \
		install -D -m 0644 $$p $(DESTDIR)$(PREFIX)/share/man/man7/$${p#man/}; done
	install -d $(DESTDIR)/etc/udev/rules.d
	install -m 0644 scripts/99-kmview.rules $(DESTDIR)/etc/udev/rules.d/

# DKMS: an explicit list of what the module is built from.
DKMS_FILES := dkms.conf kmod/Kbuild kmod/Makefile $(filter-out %.mod.c,$(wildcard kmod/*.c kmod/*.h)) \
	uapi/linux/kmview.h
dkms-install:
	install -d $(DESTDIR)/usr/src/kmview-$(VERSION)
	tar cf - $(DKMS_FILES) | tar xf - -C $(DESTDIR)/usr/src/kmview-$(VERSION)
	[ -n "$(DESTDIR)" ] || dkms install -m kmview -v $(VERSION)
