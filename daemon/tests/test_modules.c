// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_modules.c - the real unreal.so through the module layer: load,
 * list, the errors of VUOS, a served stat and a native one, remove.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "fake_backend.h"
#include "filter.h"
#include "host/modmgmt.h"
#include "tap.h"
#include "core/vfd.h"
#include "core/vuht.h"

int main(void)
{
	struct fake_backend f;
	char list[256];
	struct vu_msg m = { .type = VU_MSG_SYSCALL, .tid = 1, .tgid = 1, .nr = __NR_lstat };
	uint64_t u;

	setenv("KMVIEW_MODULE_PATH", TEST_MODULE_DIR, 1);
	fake_init(&f, 0);
	is_long(vu_module_insert("unreal", 0), 0, "unreal loads");
	is_long(vu_module_insert("unreal", 0), -EEXIST, "twice: EEXIST");
	is_long(vu_module_insert("no_such_module", 0), -ENOENT, "an unknown module: ENOENT");
	vu_lsmod_format(list, sizeof(list));
	ok(strncmp(list, "unreal: ", 8) == 0, "lsmod lists it");
	is_long(vu_filter_sync(&f.be), 0, "the filter follows");
	is_long(f.nprefixes, 2, "/unreal and /unreal/unreal are registered");

	m.fd_arg[0] = m.fd_arg[1] = m.path_arg[1] = VU_NO_ARG;
	m.path[0] = "/unreal/no/such/file";
	m.args[1] = 0x1000;
	u = fake_push(&f, m);
	fake_run(&f);
	is_long(fake_result(&f, u), -ENOENT, "lstat of a missing virtual file: the module's ENOENT");
	m.path[0] = "/unreal/";
	u = fake_push(&f, m);
	fake_run(&f);
	is_long(fake_result(&f, u), 0, "lstat of /unreal: served");
	m.path[0] = "/etc";
	u = fake_push(&f, m);
	fake_run(&f);
	is_long(fake_result(&f, u), FAKE_NATIVE, "a real path runs natively");
	/* a missing file: never chmod a real one (the tests may run as root) */
	m.nr = __NR_chmod;
	m.path[0] = "/unreal/no/such/file";
	u = fake_push(&f, m);
	fake_run(&f);
	is_long(fake_result(&f, u), -ENOENT, "chmod on a virtual path reaches unreal's chmod: ENOENT");
	is_long(f.protocol_errors, 0, "one reply per request");

	is_long(vu_module_remove("unreal"), 0, "unreal goes");
	is_long(vu_module_remove("unreal"), -ENOENT, "twice: ENOENT");
	is_long(vuht_count(), 0, "nothing is left in the table");
	vu_filter_sync(&f.be);
	is_long(f.nprefixes, 0, "nor in the kernel filter");
	vu_filter_reset();
	return tap_done();
}
