// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/cap.c - capget and capset of a module that owns them.
 *
 * The header and the data are copied in and out here, so the module gets
 * plain structs (VUOS's vu_wrap_cap.c). VUOS knows version 3 only; here
 * the kernel's rules apply: versions 1 (one data struct) and 2 and 3 (two);
 * an unknown version is EINVAL with version 3 written back to the header,
 * but a capget with no data pointer then succeeds (how libcap asks for the
 * version). The module always gets room for two data structs, zeroed
 * beyond what version 1 carries. pid 0 is the caller itself: the module
 * gets its tid (vu_mod_gettid); capset of another thread is EPERM.
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

#include "core/member_mem.h"
#include "core/modcall.h"
#include "sc/scnum.h"

#define VU_CAP_DATA 2

/* How many data structs @version carries; 0 if unknown. */
static unsigned int vu_cap_count(uint32_t version)
{
	switch (version) {
	case _LINUX_CAPABILITY_VERSION_1:
		return _LINUX_CAPABILITY_U32S_1;
	case _LINUX_CAPABILITY_VERSION_2:
		return _LINUX_CAPABILITY_U32S_2;
	case _LINUX_CAPABILITY_VERSION_3:
		return _LINUX_CAPABILITY_U32S_3;
	default:
		return 0;
	}
}

static long vu_cap_serve(struct vu_call *call, struct vuht_entry_t *ht, bool set)
{
	const struct vu_msg *msg = call->msg;
	struct __user_cap_header_struct hdr;
	struct __user_cap_data_struct data[VU_CAP_DATA];
	uint64_t datap = msg->args[1];
	unsigned int n;
	long ret;

	if (msg->args[0] == 0)
		return -EFAULT;
	ret = vu_peek(call->be, msg, msg->args[0], &hdr, sizeof(hdr));
	if (ret < 0)
		return ret;
	n = vu_cap_count(hdr.version);
	if (n == 0) {
		hdr.version = _LINUX_CAPABILITY_VERSION_3;
		/* written now: the copies of a reply are for a call that succeeds (call.h) */
		ret = vu_poke(call->be, msg, msg->args[0], &hdr.version, sizeof(hdr.version));
		if (ret < 0)
			return ret;
		return !set && datap == 0 ? 0 : -EINVAL;
	}
	if (datap == 0)
		return set ? -EFAULT : 0;
	if (hdr.pid < 0)
		return set ? -EPERM : -EINVAL;
	if (hdr.pid == 0)
		hdr.pid = vu_mod_gettid();
	else if (set && hdr.pid != vu_mod_gettid())
		return -EPERM;
	memset(data, 0, sizeof(data));
	if (set) {
		ret = vu_peek(call->be, msg, datap, data, n * sizeof(data[0]));
		if (ret < 0)
			return ret;
		return vu_mcall(ht, capset, int, (cap_user_header_t, const cap_user_data_t), &hdr,
				data);
	}
	ret = vu_mcall(ht, capget, int, (cap_user_header_t, cap_user_data_t), &hdr, data);
	if (ret == 0)
		ret = vu_call_copy_out(call, datap, data, n * sizeof(data[0]));
	return ret;
}

void vu_sc_cap(struct vu_call *call)
{
	bool set = call->msg->nr == __NR_capset;
	struct vuht_entry_t *ht = vu_scnum_pick(call);

	if (!ht) {
		vu_call_native(call);
		return;
	}
	if (vu_scnum_has(call, ht, set ? VU_M_capset : VU_M_capget))
		vu_call_return(call, vu_cap_serve(call, ht, set));
	vuht_drop(ht);
}
