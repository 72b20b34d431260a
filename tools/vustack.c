// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vustack - run a command with a mounted network stack as its default.
 *
 *   vustack [-h] [-v] [-s] [-f family,...] stack command [args]
 *
 * As VUOS's vustack: the stack is the mount point of a vunet stack (a file
 * of type S_IFSTACK); msocket(stack, family, SOCK_DEFAULT, 0) makes it the
 * default stack of each selected family for this process, which then
 * execs the command: the command and its children open their sockets on
 * that stack. Outside a view there is nothing to select: say so.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vulib.h>

#include "vustack_args.h"
#include "vustack_select.h"

static long vustack_msocket(const char *stack, int domain, int type, int protocol)
{
	return msocket(stack, domain, type, protocol);
}

int main(int argc, char **argv)
{
	struct vustack_args a;
	struct stat st;
	int failed = 0;

	if (vustack_parse(&a, argc, argv, stderr) < 0) {
		fprintf(stderr, "Try 'vustack --help' for more information.\n");
		return 1;
	}
	if (a.help) {
		vustack_usage(stdout, a.verbose);
		return 0;
	}
	if (vu_check() < 0 && errno == ENOSYS) {
		fprintf(stderr, "vustack: not running in a kmview view\n");
		return 1;
	}
	if (stat(a.stack, &st) < 0) {
		fprintf(stderr, "vustack: %s: %s\n", a.stack, strerror(errno));
		return 1;
	}
	if ((st.st_mode & S_IFMT) != S_IFSTACK) {
		fprintf(stderr, "vustack: %s: not a network stack (mount one with vumount -t vunet...)\n",
			a.stack);
		return 1;
	}
	if (a.supported)
		vustack_add_supported(&a, vustack_msocket);
	if (vustack_select(&a, vustack_msocket, stderr, &failed) < 0) {
		int e = errno;
		const char *name = vustack_family_name(failed);

		if (failed)
			fprintf(stderr, "vustack: msocket %s for %s(%d): %s\n", a.stack,
				name ? name : "unknown", failed, strerror(e));
		else
			fprintf(stderr, "vustack: msocket %s: %s\n", a.stack, strerror(e));
		return 1;
	}
	execvp(a.cmd[0], a.cmd);
	fprintf(stderr, "vustack: %s: %s\n", a.cmd[0], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
