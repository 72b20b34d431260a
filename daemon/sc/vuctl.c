// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vuctl.c - view information and debug settings, asked by members.
 *
 * Arguments are raw registers: args[0] is the command, the others are
 * pointers into the member and integers that the member's wrapper passed
 * as int or size_t. Errors are those of a system call: EFAULT for a bad
 * pointer, EINVAL for a bad value or an unknown command.
 */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>

#define _VU_HYPERVISOR
#include <vulib.h>

#include "base/debug_color.h"
#include "base/debug_tags.h"
#include "base/log.h"
#include "core/member.h"
#include "core/member_mem.h"
#include "core/view.h"
#include "sc/scnum.h"
#include "sc/vuctl.h"

/* Longest strings a member may pass, NUL included. */
#define VU_TAGS_MAX 256
#define VU_COLORSPEC_MAX 4096
#define VU_TAGNAME_BUF 64

/* Read a string argument; too long is EINVAL, as in sethostname(2). */
static long vu_arg_str(struct vu_call *call, int argi, char *buf, size_t size)
{
	ssize_t n = vu_peek_str(call->be, call->msg, call->msg->args[argi], buf, size);

	if (n == -ENAMETOOLONG)
		return -EINVAL;
	return n < 0 ? n : 0;
}

/* Copy a string out, cut to len bytes and NUL-terminated (nothing if len is 0). */
static long vu_put_str(struct vu_call *call, uint64_t addr, const char *s, size_t len)
{
	char buf[VU_COLORSPEC_MAX];
	size_t n = strlen(s) + 1;

	if (len == 0)
		return 0;
	if (n > len)
		n = len;
	if (n > sizeof(buf))
		n = sizeof(buf);
	memcpy(buf, s, n - 1);
	buf[n - 1] = '\0';
	return vu_poke(call->be, call->msg, addr, buf, n);
}

static long vu_getinfo(struct vu_call *call)
{
	uint64_t addr = call->msg->args[1];
	struct vu_info info;

	if (addr == 0)
		return 0; /* vu_check(): "yes, in a view" */
	memset(&info, 0, sizeof(info));
	long r = vu_view_uname(&info.uname);

	if (r < 0)
		return r;
	vu_view_get_serverid(info.vu_serverid, sizeof(info.vu_serverid));
	vu_view_get_name(info.vu_name, sizeof(info.vu_name));
	return vu_poke(call->be, call->msg, addr, &info, sizeof(info));
}

static long vu_setname(struct vu_call *call)
{
	char name[_UTSNAME_LENGTH];
	long ret = vu_arg_str(call, 1, name, sizeof(name));

	if (ret < 0)
		return ret;
	vu_log(LOG_INFO, "tid %d names the view \"%s\"", call->msg->tid, name);
	return vu_view_set_name(name);
}

static long vu_get_debugtags(struct vu_call *call)
{
	int local = (int)call->msg->args[3];
	uint64_t mask = local ? vu_member_tags(call->msg->tid) : vu_debug_global();
	char tags[DEBUG_NTAGS];

	vu_tags_format(mask, tags, sizeof(tags));
	return vu_put_str(call, call->msg->args[1], tags, call->msg->args[2]);
}

static long vu_change_debugtags(struct vu_call *call, int add)
{
	int local = (int)call->msg->args[2];
	char tags[VU_TAGS_MAX];
	uint64_t mask;
	long ret = vu_arg_str(call, 1, tags, sizeof(tags));

	if (ret < 0)
		return ret;
	if (vu_tags_parse(tags, &mask) < 0)
		return -EINVAL;
	if (!local) {
		if (add)
			vu_debug_add(mask);
		else
			vu_debug_del(mask);
		return 0;
	}
	uint64_t cur = vu_member_tags(call->msg->tid);

	ret = vu_member_set_tags(call->msg->tid, add ? cur | mask : cur & ~mask);
	if (ret == 0 && add && !(call->be->features & VU_BE_NOTIFY_FORK))
		vu_log(LOG_NOTICE, "local debug tags of tid %d will not pass to its children",
		       call->msg->tid);
	/* The tags apply to the rest of this request too. */
	vu_debug_set_current(vu_member_tags(call->msg->tid));
	return ret;
}

static long vu_get_debugtagname(struct vu_call *call)
{
	char name[VU_TAGNAME_BUF];

	/* Any int is a valid question: vudebug asks about every character. */
	vu_debug_get_name((int)call->msg->args[1], name, sizeof(name));
	return vu_put_str(call, call->msg->args[2], name, call->msg->args[3]);
}

static long vu_set_debugcolor(struct vu_call *call)
{
	char spec[VU_COLORSPEC_MAX];
	long ret = vu_arg_str(call, 1, spec, sizeof(spec));

	if (ret < 0)
		return ret;
	return vu_color_set_string(spec);
}

void vu_vuctl(struct vu_call *call)
{
	long ret;

	/* The wrappers pass cmd as an int: the upper half of the register is not ours. */
	switch ((int)call->msg->args[0]) {
	case VUCTL_GETINFO:
		ret = vu_getinfo(call);
		break;
	case VUCTL_SETNAME:
		ret = vu_setname(call);
		break;
	case VUCTL_GET_DEBUGTAGS:
		ret = vu_get_debugtags(call);
		break;
	case VUCTL_ADD_DEBUGTAGS:
		ret = vu_change_debugtags(call, 1);
		break;
	case VUCTL_DEL_DEBUGTAGS:
		ret = vu_change_debugtags(call, 0);
		break;
	case VUCTL_GET_DEBUGTAGNAME:
		ret = vu_get_debugtagname(call);
		break;
	case VUCTL_SET_DEBUGCOLOR:
		ret = vu_set_debugcolor(call);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	vu_call_return(call, ret);
}
