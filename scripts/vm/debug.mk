# SPDX-License-Identifier: GPL-2.0-or-later
#
# The debug-kernel run, included by scripts/vm/vm.mk.  See scripts/vm/README
# and Documentation/design.md, "The debug-kernel run".
#
#   debug-kernel       build Debian's 6.1 source with KASAN, KFENCE, lockdep,
#                      DEBUG_ATOMIC_SLEEP, debugobjects and kmemleak
#                      (scripts/vm/debug-kernel.config), cached in
#                      build/kernels/debug-<hash>/
#   vm-check-debug     build kmview.ko against it (W=1 -Werror), prove that a
#                      KASAN report fails a run, then run DEBUG_TESTS with
#                      a longer fuzz loop; any report in dmesg fails it
#
# DEBUG_FUZZ_ITERATIONS  length of each random loop of the fuzz test
# DEBUG_TEST_TIMEOUT     seconds one test may take (run_in_vm.sh)
# DEBUG_VM_TIMEOUT       seconds the whole suite may take in the guest
# DEBUG_TESTS            the tests run on it (VM_TESTS, if given, is run
#                        instead): those whose kernel side no other test
#                        covers, each a different path through kmview.ko
#                        (requests, replies and their checks, placeholders,
#                        signals, policy, membership, keys, the fuzzers, a
#                        daemon's death, exec, chroot and the redirect, the
#                        vDSO hidden (scnum), sockets, fork and exit,
#                        ptrace; the kernel's limits are in fuzz, its
#                        device keys in keys). The
#                        rest (modules' and the daemon's logic, real
#                        workloads) runs on 6.1 and 6.12; on this kernel
#                        each test is 2-5x slower, and the whole suite does
#                        not fit CI's hour
#
# kasan_multi_shot: KASAN reports every bad access, not only the first (the
# first fails the run all the same); lockdep always stops at its first.

DEBUG_KERNEL := $(CURDIR)/scripts/vm/build-debug-kernel.sh
DEBUG_FUZZ_ITERATIONS ?= 50000
DEBUG_TEST_TIMEOUT ?= 900
DEBUG_VM_TIMEOUT ?= 2400
DEBUG_TESTS ?= replies placeholder signals escape membership hardening keys fuzz daemon_death \
	setuid no_module chroot scnum sockets inherit tracers
DEBUG_VM_TESTS = $(if $(VM_TESTS),$(VM_TESTS),$(DEBUG_TESTS))
# What must fail the harness check: a use-after-free that KASAN reports.
DEBUG_PROVOKE := echo READ_AFTER_FREE > /sys/kernel/debug/provoke-crash/DIRECT

.PHONY: debug-kernel vm-check-debug

debug-kernel:
	@B=$(B) $(DEBUG_KERNEL) >/dev/null

vm-check-debug: userspace selftests
	@set -e; \
	kver=$$(B=$(B) $(DEBUG_KERNEL)); \
	ko=$$(scripts/vm/build-kmod.sh $(B)/kernels/$$kver/obj $(B)/kmod-$$kver); \
	echo "== vm-check-debug: a KASAN report must fail the run"; \
	if B=$(B) $(VM_RUN) --kernel $$kver --ko $$ko --cmd '$(DEBUG_PROVOKE)' \
		--timeout 300 --out $(B)/vm/debug-harness-$$kver >/dev/null; then \
		echo "vm-check-debug: the run passed although KASAN reported" >&2; exit 1; fi; \
	grep -q 'KASAN' $(B)/vm/debug-harness-$$kver/verdict || \
		{ echo "vm-check-debug: the harness check failed for another reason:" >&2; \
		  cat $(B)/vm/debug-harness-$$kver/verdict >&2; exit 1; }; \
	echo "== vm-check-debug: the suite, fuzz loops of $(DEBUG_FUZZ_ITERATIONS)"; \
	B=$(B) KMVIEW_VM_APPEND=kasan_multi_shot $(VM_RUN) --kernel $$kver --ko $$ko \
		--cmd 'KMVIEW_FUZZ_ITERATIONS=$(DEBUG_FUZZ_ITERATIONS) KMVIEW_TEST_TIMEOUT=$(DEBUG_TEST_TIMEOUT) $(VM_SUITE) $(DEBUG_VM_TESTS)' \
		--timeout $(DEBUG_VM_TIMEOUT) --out $(B)/vm/check-$$kver $(VM_ARGS)
