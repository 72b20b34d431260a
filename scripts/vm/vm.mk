# SPDX-License-Identifier: GPL-2.0-or-later
#
# The test VM and the kernel-side checks, included by the top Makefile (which
# defines B, BIN, KVER, KDIR and VERSION).  See scripts/vm/README.
#
#   vm-check        kmview.ko for 6.1, userspace, selftests; boot 6.1, run the suite
#   vm-check-6.12   fetch Debian 12's newest 6.12, build kmview.ko for it with
#                   -Werror in build/kmod-<kver>/, boot it, run the same suite
#   check-6.12      vm-check-6.12 without CHECK_612_SKIP (what make check runs)
#   vm-shell        boot 6.1 and run `kmview bash` as uid 1000 on the serial console
#   bench           boot 6.1, run selftests/kmview/bench.sh, keep its table in
#                   build/bench-<kver>.txt and plot its curves in
#                   build/bench-<kver>.svg
#   kselftest-headers  kselftest_harness.h, kselftest.h and checkpatch.pl from
#                   /usr/src/linux-source-6.1.tar.xz into build/ksrc/
#   checkpatch, sparse, dkms-check, and lint (all three)

VM_RUN := $(CURDIR)/scripts/vm/run.sh
VM_SUITE := selftests/kmview/run_in_vm.sh
VM_BENCH := selftests/kmview/bench.sh
# Seconds the suite may run inside the guest (the guest is ~10x slower than
# the host); the host adds a margin for boot and unload.
VM_TIMEOUT ?= 1500
# make bench: about 15 minutes in the guest; room for a slow day
BENCH_TIMEOUT ?= 2400
# Extra run.sh options, e.g. VM_ARGS=--interactive.
VM_ARGS ?=
# Run only these tests of the suite (names in run_in_vm.sh), e.g. VM_TESTS="vufs".
VM_TESTS ?=
# Every test of the suite, in its order.
VM_ALL_TESTS := $(shell sed -n 's/^\t"\([a-z_0-9]*\) .*/\1/p' selftests/kmview/run_in_vm.sh)
# make check on 6.12 leaves these out: they test the daemon's and the
# modules' logic, whose kernel side (requests, replies, fds handed over)
# the other tests make too, and kernel-independent userspace (man pages,
# option parsing). 6.1 runs them all; `make vm-check-6.12` alone runs
# them all too. Kept out to hold CI under its hour.
CHECK_612_SKIP ?= manpages vuname vustack modules vuos_modules oot vufuse vufs_cow vufs_enospc \
	unrealuidgid vudev fuseext2
CHECK_612_TESTS = $(filter-out $(CHECK_612_SKIP),$(VM_ALL_TESTS))
KMOD_KO := $(CURDIR)/kmod/kmview.ko
include scripts/vm/debug.mk

.PHONY: lint vm-check vm-check-6.12 check-6.12 vm-shell bench kselftest-headers checkpatch sparse dkms-check

vm-check: kmod userspace selftests
	B=$(B) $(VM_RUN) --kernel $(KVER) --ko $(KMOD_KO) --cmd '$(VM_SUITE) $(VM_TESTS)' \
		--timeout $(VM_TIMEOUT) --out $(B)/vm/check-$(KVER) $(VM_ARGS)

# What make check runs on 6.12 (CHECK_612_SKIP).
check-6.12:
	@$(MAKE) --no-print-directory vm-check-6.12 VM_TESTS="$(CHECK_612_TESTS)"

# The 6.12 kernel is unpacked, never installed (see scripts/vm/fetch-kernel.sh);
# its module build lives in build/kmod-<kver>/ so kmod/ keeps the 6.1 objects.
vm-check-6.12: userspace selftests
	@set -e; \
	kver=$$(B=$(B) scripts/vm/fetch-kernel.sh 6.12); \
	kdir=$(B)/kernels/$$kver/usr/src/linux-headers-$$kver; \
	ko=$$(scripts/vm/build-kmod.sh $$kdir $(B)/kmod-$$kver); \
	B=$(B) $(VM_RUN) --kernel $$kver --ko $$ko --cmd '$(VM_SUITE) $(VM_TESTS)' \
		--timeout $(VM_TIMEOUT) --out $(B)/vm/check-$$kver $(VM_ARGS)

# The README's "try it": a shell in a view, as an ordinary user, on the serial
# console.  Exiting the shell powers the VM off (Ctrl-A x quits QEMU at once).
vm-shell: kmod userspace
	B=$(B) $(VM_RUN) --kernel $(KVER) --ko $(KMOD_KO) --interactive --user 1000 \
		--cmd 'kmview bash' --out $(B)/vm/shell $(VM_ARGS)

# The tree of bench.sh's file calls: a sample of /usr/share/doc as one
# tarball (selftests/kmview/bench_doc.sh says which).
BENCH_DOC_TAR := $(B)/bench/doc.tar
$(BENCH_DOC_TAR): /usr/share/doc selftests/kmview/bench_doc.sh
	@mkdir -p $(@D)
	selftests/kmview/bench_doc.sh $@

bench: kmod userspace selftests $(BENCH_DOC_TAR)
	B=$(B) $(VM_RUN) --kernel $(KVER) --ko $(KMOD_KO) --cmd 'BENCH_DOC_TAR=$(BENCH_DOC_TAR) $(VM_BENCH)' \
		--timeout $(BENCH_TIMEOUT) --out $(B)/vm/bench-$(KVER) $(VM_ARGS)
	cp $(B)/vm/bench-$(KVER)/stdout $(B)/bench-$(KVER).txt
	@if [ -s $(B)/vm/bench-$(KVER)/bench-medians.txt ]; then \
		selftests/kmview/bench_plot.sh $(B)/vm/bench-$(KVER)/bench-medians.txt \
			$(B)/bench-$(KVER).svg "kmview make bench, $(KVER)" && \
		echo "== $(B)/bench-$(KVER).svg"; fi
	@echo "== $(B)/bench-$(KVER).txt"; cat $(B)/bench-$(KVER).txt

# --- files from the kernel source -------------------------------------------
# They ship only in Debian's linux-source tarball; extracting a handful of
# members takes ~10 s (the whole tarball is decompressed once).  Never
# committed: build/ is ignored.
KSRC_TAR ?= $(firstword $(wildcard /usr/src/linux-source-6.1.tar.xz))
KSRC_FILES := tools/testing/selftests/kselftest_harness.h tools/testing/selftests/kselftest.h \
	scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch
KSRC_STAMP := $(B)/ksrc/.extracted

kselftest-headers: $(KSRC_STAMP)

$(KSRC_STAMP): $(KSRC_TAR)
	@test -n "$(KSRC_TAR)" || { echo "no /usr/src/linux-source-6.1.tar.xz: apt-get install linux-source-6.1" >&2; exit 1; }
	@mkdir -p $(B)/ksrc
	tar -xJf $(KSRC_TAR) -C $(B)/ksrc --strip-components=1 \
		$(addprefix linux-source-6.1/,$(KSRC_FILES))
	@touch $@

# --- static checks ----------------------------------------------------------
# checkpatch in file mode (-f: no patch, so no FILE_PATH_CHANGES and the like)
# without --strict: every ERROR and WARNING fails, CHECKs are not asked for.
# Ignored everywhere, because it cannot apply to an out-of-tree module:
#   LINUX_VERSION_CODE  "code should be for the version to which it is merged":
#                       kmview builds for several kernels at once; where no
#                       feature test exists, kmod/compat.h compares versions.
# Ignored in the syscall entry hook only (CHECKPATCH_ENTRY):
#   ENOSYS              "ENOSYS means 'invalid syscall nr' and nothing else":
#                       that is what the hook returns when a view refuses a
#                       syscall (compat, x32, io_uring): to the member it does
#                       not exist.  checkpatch expects this false positive from
#                       entry code; everywhere else ENOSYS is still an error.
# The generated kmod/*.mod.c is not ours to check.
CHECKPATCH_IGNORE := LINUX_VERSION_CODE
CHECKPATCH_ENTRY := kmod/capture.c
CHECKPATCH_IGNORE_ENTRY := $(CHECKPATCH_IGNORE),ENOSYS
CHECKPATCH_FILES = $(filter-out %.mod.c $(CHECKPATCH_ENTRY),$(wildcard kmod/*.c kmod/*.h)) \
	uapi/linux/kmview.h
CHECKPATCH = $(B)/ksrc/scripts/checkpatch.pl --no-tree -f --terse --show-types

checkpatch: $(KSRC_STAMP)
	@out=$$({ $(CHECKPATCH) --ignore $(CHECKPATCH_IGNORE) $(CHECKPATCH_FILES); \
		$(if $(wildcard $(CHECKPATCH_ENTRY)),$(CHECKPATCH) --ignore $(CHECKPATCH_IGNORE_ENTRY) \
			$(wildcard $(CHECKPATCH_ENTRY));) } 2>&1 </dev/null); \
	echo "$$out" | grep -vE '^(total: 0 errors, 0 warnings|$$)' || true; \
	if echo "$$out" | grep -qE ': (ERROR|WARNING):'; then \
		echo "checkpatch: FAILED" >&2; exit 1; fi; \
	echo "checkpatch: $(words $(CHECKPATCH_FILES) $(wildcard $(CHECKPATCH_ENTRY))) files clean"

# sparse over every file of the module (C=2 checks files that are up to date
# too).  Same W=1 as `make kmod`, so the objects are not rebuilt for nothing.
# Any warning fails: sparse itself exits 0 on warnings.
sparse:
	@log=$(B)/sparse.log; mkdir -p $(B); \
	$(MAKE) --no-print-directory -C $(KDIR) M=$(CURDIR)/kmod W=1 C=2 modules >$$log 2>&1; \
	rc=$$?; cat $$log; test $$rc = 0 || exit 1; \
	if grep -qE '(warning|error):' $$log; then echo "sparse: FAILED" >&2; exit 1; fi; \
	echo "sparse: clean"

# DKMS in private trees under build/dkms: nothing in /var/lib/dkms, /lib/modules
# or /usr/src changes.  The source tree is filled by the top Makefile's
# dkms-install (its explicit DKMS_FILES list), so a file missing from that list
# fails here.  dkms.conf's PACKAGE_VERSION must equal the Makefile's VERSION.
DKMS_DIR := $(B)/dkms
# dkms signs what it builds, generating /var/lib/dkms/mok.key on first use:
# point it at a key of its own under build/dkms instead (it creates it).
DKMS := mok_signing_key=$(DKMS_DIR)/mok.key mok_certificate=$(DKMS_DIR)/mok.pub \
	dkms --dkmstree $(DKMS_DIR)/tree --sourcetree $(DKMS_DIR)/root/usr/src \
	--installtree $(DKMS_DIR)/install

dkms-check:
	@grep -qx 'PACKAGE_VERSION="$(VERSION)"' dkms.conf || \
		{ echo "dkms.conf: PACKAGE_VERSION is not \"$(VERSION)\" (the Makefile's VERSION)" >&2; exit 1; }
	rm -rf $(DKMS_DIR)
	mkdir -p $(DKMS_DIR)/tree $(DKMS_DIR)/install
	$(MAKE) --no-print-directory dkms-install DESTDIR=$(DKMS_DIR)/root
	$(DKMS) add -m kmview -v $(VERSION)
	$(DKMS) build -m kmview -v $(VERSION) -k $(KVER) || \
		{ cat $(DKMS_DIR)/tree/kmview/$(VERSION)/build/make.log >&2; exit 1; }
	@ko=$$(find $(DKMS_DIR)/tree/kmview/$(VERSION)/$(KVER) -name 'kmview.ko*' | head -n1); \
	test -n "$$ko" || { echo "dkms-check: no kmview.ko built" >&2; exit 1; }; \
	echo "dkms-check: built $$ko"

lint: checkpatch sparse dkms-check
