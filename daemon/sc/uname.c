// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/uname.c - uname, sethostname and setdomainname of a module that
 * owns them (kmview's methods: VUOS has none; vumiscuname will use them).
 *
 * The module's uname gets a struct utsname already holding the real
 * answer (the daemon's uname(2)), so that it changes only the fields it
 * virtualizes. sethostname and setdomainname get the name copied in and
 * NUL-terminated, with its length; longer than __NEW_UTS_LEN (64) or
 * negative is EINVAL, as in the kernel. Permission checks are the module's.
 */
#include <errno.h>
#include <linux/utsname.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#include "core/arch_table.h"
#include "core/member_mem.h"
#include "core/modcall.h"
#include "sc/scnum.h"

/* The member's struct is the kernel's new_utsname: six fields of 65 bytes. */
_Static_assert(sizeof(struct utsname) == 6 * (__NEW_UTS_LEN + 1), "struct utsname");

/*
 * The view's uname, for vuname(1) (sc/vuctl.c): the module that owns
 * uname, if any, changes the real answer as it does for uname(2).
 */
int vu_view_uname(struct utsname *u)
{
	int key = (int)vu_arch_method(__NR_uname);
	struct vuht_entry_t *ht;
	long ret;

	if (uname(u) < 0)
		return -errno;
	ht = vuht_pick(CHECKSC, &key, sizeof(key), vu_epoch_get());
	if (!ht)
		return 0;
	ret = ht->service->method[VU_M_uname] ? vu_mcall(ht, uname, int, (struct utsname *), u) : 0;
	vuht_drop(ht);
	if (ret < 0)
		uname(u); /* the module's failure leaves the real names */
	return 0;
}

void vu_sc_uname(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct vuht_entry_t *ht = vu_scnum_pick(call);
	struct utsname u;
	long ret;

	if (!ht) {
		vu_call_native(call);
		return;
	}
	if (!vu_scnum_has(call, ht, VU_M_uname))
		goto out;
	ret = -EFAULT;
	if (msg->args[0] && uname(&u) == 0) {
		ret = vu_mcall(ht, uname, int, (struct utsname *), &u);
		if (ret == 0)
			ret = vu_call_copy_out(call, msg->args[0], &u, sizeof(u));
	}
	vu_call_return(call, ret);
out:
	vuht_drop(ht);
}

/* sethostname(name, len), setdomainname(name, len). */
void vu_sc_setname(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	bool host = msg->nr == __NR_sethostname;
	struct vuht_entry_t *ht = vu_scnum_pick(call);
	int len = (int)msg->args[1];
	char name[__NEW_UTS_LEN + 1];
	long ret;

	if (!ht) {
		vu_call_native(call);
		return;
	}
	if (!vu_scnum_has(call, ht, host ? VU_M_sethostname : VU_M_setdomainname))
		goto out;
	ret = -EINVAL;
	if (len < 0 || len > __NEW_UTS_LEN)
		goto answer;
	ret = vu_peek(call->be, msg, msg->args[0], name, (size_t)len);
	if (ret < 0)
		goto answer;
	name[len] = '\0';
	if (host)
		ret = vu_mcall(ht, sethostname, int, (const char *, size_t), name, (size_t)len);
	else
		ret = vu_mcall(ht, setdomainname, int, (const char *, size_t), name, (size_t)len);
answer:
	vu_call_return(call, ret);
out:
	vuht_drop(ht);
}
