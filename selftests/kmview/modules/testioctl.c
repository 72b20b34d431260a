// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * testioctl.c - a test module (selftests only, not installed): it claims
 * the ioctl request TIOCGWINSZ on every fd (CHECKIOCTL) and answers 11
 * rows, 111 columns; called with fd -1 and no private data, as VUOS
 * calls a module for a real fd.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include <vumodule.h>

VU_PROTOTYPES(testioctl)

struct vu_module_t vu_module = {
	.name = "testioctl",
	.description = "testioctl: answers TIOCGWINSZ (selftests)",
};

static struct vuht_entry_t *testioctl_ht;

int vu_testioctl_ioctl(int fd, unsigned long request, void *buf, uintptr_t addr, void *fdprivate)
{
	struct winsize ws = { .ws_row = 11, .ws_col = 111 };

	(void)fd;
	(void)addr;
	(void)fdprivate;
	if (request != TIOCGWINSZ)
		return errno = ENOTTY, -1;
	if (!buf)
		return (int)_IOW(' ', 0, struct winsize); /* the probe: the module writes it */
	memcpy(buf, &ws, sizeof(ws));
	return 0;
}

void *vu_testioctl_init(void)
{
	unsigned long req = TIOCGWINSZ;

	testioctl_ht = vuht_add(CHECKIOCTL, &req, sizeof(req), vu_mod_getservice(), 0, NULL, NULL);
	return testioctl_ht ? NULL : VU_INIT_FAILED;
}

int vu_testioctl_fini(void *private)
{
	(void)private;
	if (testioctl_ht && vuht_del(testioctl_ht, MNT_FORCE) == 0)
		testioctl_ht = NULL;
	return 0;
}
