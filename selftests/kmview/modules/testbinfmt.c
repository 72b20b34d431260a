// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * testbinfmt.c - a test module (selftests only, not installed): a binary
 * format (CHECKBINFMT, a wildcard with a confirm function, as vubinfmt
 * registers it): files whose first line is "#KMVBIN" run with /bin/sh,
 * "#KMVBINP" with /bin/sh and argv[0] kept (BINFMT_PRESERVE_ARGV0).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <vumodule.h>

VU_PROTOTYPES(testbinfmt)

struct vu_module_t vu_module = {
	.name = "testbinfmt",
	.description = "testbinfmt: #KMVBIN files run with /bin/sh (selftests)",
};

static struct vuht_entry_t *testbinfmt_ht;

static int testbinfmt_confirm(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	struct binfmt_req_t *req = arg;
	bool keep = strncmp(req->filehead, "#KMVBINP\n", 9) == 0;

	(void)type;
	(void)arglen;
	(void)ht;
	if (!keep && strncmp(req->filehead, "#KMVBIN\n", 8) != 0)
		return 0;
	snprintf(req->filehead, BINFMTBUFLEN + 2, "#!/bin/sh");
	if (keep)
		req->flags |= BINFMT_PRESERVE_ARGV0;
	return 1;
}

void *vu_testbinfmt_init(void)
{
	testbinfmt_ht = vuht_add(CHECKBINFMT, NULL, 0, vu_mod_getservice(), 0, testbinfmt_confirm,
				 NULL);
	return testbinfmt_ht ? NULL : VU_INIT_FAILED;
}

int vu_testbinfmt_fini(void *private)
{
	(void)private;
	if (testbinfmt_ht && vuht_del(testbinfmt_ht, MNT_FORCE) == 0)
		testbinfmt_ht = NULL;
	return 0;
}
