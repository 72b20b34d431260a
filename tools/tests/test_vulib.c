// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vulib.c - <vulib.h> is VUOS's: the same call numbers, constants and
 * structure, wrappers that take VUOS's argument types, and every call
 * failing with ENOSYS outside a view (run inside one, those checks are
 * skipped).
 */
#include <errno.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <vulib.h>

#include "tap.h"

int main(void)
{
	/* The numbers are ABI: VUOS 0.9.4's. */
	is_long(__VVU_insmod, -1, "__VVU_insmod is -1");
	is_long(__VVU_rmmod, -2, "__VVU_rmmod is -2");
	is_long(__VVU_lsmod, -3, "__VVU_lsmod is -3");
	is_long(__VVU_vuctl, -4, "__VVU_vuctl is -4");
	is_long(__VVU_msocket, -5, "__VVU_msocket is -5");
	is_long(__NR_vu_insmod, __VVU_insmod, "__NR_vu_insmod");
	is_long(__NR_vu_rmmod, __VVU_rmmod, "__NR_vu_rmmod");
	is_long(__NR_vu_lsmod, __VVU_lsmod, "__NR_vu_lsmod");
	is_long(__NR_vuctl, __VVU_vuctl, "__NR_vuctl");
	is_long(__NR_msocket, __VVU_msocket, "__NR_msocket");
	is_long(VUCTL_GETINFO, 1, "VUCTL_GETINFO");
	is_long(VUCTL_SETNAME, 2, "VUCTL_SETNAME");
	is_long(VUCTL_GET_DEBUGTAGS, 3, "VUCTL_GET_DEBUGTAGS");
	is_long(VUCTL_ADD_DEBUGTAGS, 4, "VUCTL_ADD_DEBUGTAGS");
	is_long(VUCTL_DEL_DEBUGTAGS, 5, "VUCTL_DEL_DEBUGTAGS");
	is_long(VUCTL_GET_DEBUGTAGNAME, 6, "VUCTL_GET_DEBUGTAGNAME");
	is_long(VUCTL_SET_DEBUGCOLOR, 7, "VUCTL_SET_DEBUGCOLOR");
	is_long(S_IFSTACK, 0160000, "S_IFSTACK is 0160000");
	ok((S_IFSTACK & S_IFMT) == S_IFSTACK && !S_ISREG(S_IFSTACK) && !S_ISDIR(S_IFSTACK) &&
		   !S_ISSOCK(S_IFSTACK) && !S_ISLNK(S_IFSTACK),
	   "... a file type of its own");
	is_long(SOCK_DEFAULT, 0, "SOCK_DEFAULT is 0");
	is_long(DEBUG_NTAGS, 65, "DEBUG_NTAGS: 64 tags and the NUL");
	is_long(DEBUG_ALLTAGS[0], ' ', "tag 0 is the space");
	is_long(offsetof(struct vu_info, vu_serverid), sizeof(struct utsname),
		"struct vu_info: the utsname first");
	is_long(sizeof(((struct vu_info *)0)->vu_name), _UTSNAME_LENGTH, "... vu_name's size");
	is_long(sizeof(struct vu_info), sizeof(struct utsname) + 2 * _UTSNAME_LENGTH,
		"... and nothing else");

	if (vu_check() == 0) {
		ok(1, "# SKIP running in a view: the ENOSYS checks need the host");
		return tap_done();
	}
	/* VUOS's wrappers take char *: a VUOS program passes its own buffers. */
	char name[] = "x", buf[64];
	struct vu_info info;

#define IS_ENOSYS(call, what)                                             \
	do {                                                              \
		errno = 0;                                                \
		long r_ = (call);                                         \
		ok(r_ == -1 && errno == ENOSYS, "%s outside a view: -1 ENOSYS", what); \
	} while (0)
	IS_ENOSYS(vu_check(), "vu_check");
	IS_ENOSYS(vu_getinfo(&info), "vu_getinfo");
	IS_ENOSYS(vu_insmod(name, 0), "vu_insmod");
	IS_ENOSYS(vu_rmmod(name), "vu_rmmod");
	IS_ENOSYS(vu_lsmod(buf, sizeof(buf)), "vu_lsmod");
	IS_ENOSYS(vu_setname(name), "vu_setname");
	IS_ENOSYS(vu_get_debugtags(buf, sizeof(buf), 0), "vu_get_debugtags");
	IS_ENOSYS(vu_add_debugtags(name, 1), "vu_add_debugtags");
	IS_ENOSYS(vu_del_debugtags(name, 1), "vu_del_debugtags");
	IS_ENOSYS(vu_get_debugtagname('a', buf, sizeof(buf)), "vu_get_debugtagname");
	IS_ENOSYS(vu_set_debugcolor(name), "vu_set_debugcolor");
	IS_ENOSYS(msocket(name, AF_INET, SOCK_DEFAULT, 0), "msocket");
	IS_ENOSYS(msocket(NULL, AF_INET, SOCK_STREAM, 0), "msocket(NULL, ...)");
	return tap_done();
}
