/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sc/scnum.h - the system calls a module owns by their number (CHECKSC):
 * the id calls (sc/ids.c), the clock and time calls (sc/clock.c),
 * capget/capset (sc/cap.c), uname and the host names (sc/uname.c).
 *
 * The key of such a call is vu_arch_table[nr], the method that serves it,
 * so getuid, geteuid and getresuid all look up getresfuid's entry, as in
 * VUOS (choice_sc). A call whose key nobody claims runs natively; the
 * kernel filter holds these calls only while a CHECKSC entry owns them
 * (filter.c), so an unclaimed one never even reaches the daemon.
 */
#ifndef KMVIEW_DAEMON_SC_SCNUM_H
#define KMVIEW_DAEMON_SC_SCNUM_H

#include <stdbool.h>
#include <sys/utsname.h>

#include "core/call.h"
#include "core/service.h"
#include "core/vuht.h"

/*
 * The entry that owns the call being served, with a use (vuht_drop it),
 * or NULL: then the call is answered native.
 */
struct vuht_entry_t *vu_scnum_pick(struct vu_call *call);
/*
 * Has the module of @ht method @m? If not, the call is answered ENOSYS,
 * with a debug line (tag c), and false returned.
 */
bool vu_scnum_has(struct vu_call *call, struct vuht_entry_t *ht, enum vu_method m);

/*
 * May the daemon write into the member of @call (ptrace's rule, which the
 * kernel applies to a reply's copies and rewrites)? Not if it is not
 * dumpable (PR_SET_DUMPABLE 0: ssh-agent) or no longer has the daemon's
 * ids. With @addr (an address the call names), a read of one byte there
 * says it exactly (EPERM); without, the owner of /proc/TID/mem, which the
 * kernel gives to root for such a task (the directory keeps the task's
 * uid): exact for a daemon that is not root. The clock, sleep and timeout
 * handlers leave such a member's calls to the kernel rather than make
 * them fail with EPERM.
 */
bool vu_scnum_writable(struct vu_call *call, uint64_t addr);

/* The handlers, by family. */
void vu_sc_getid(struct vu_call *call); /* getuid geteuid getresuid, the gid ones */
void vu_sc_setid(struct vu_call *call); /* setuid setreuid setresuid setfsuid, gid */
void vu_sc_groups(struct vu_call *call); /* getgroups setgroups */
void vu_sc_gettime(struct vu_call *call); /* clock_gettime gettimeofday time */
void vu_sc_settime(struct vu_call *call); /* clock_settime settimeofday */
void vu_sc_clock_getres(struct vu_call *call);
void vu_sc_nanosleep(struct vu_call *call); /* nanosleep clock_nanosleep */
void vu_sc_timeout(struct vu_call *call); /* poll ppoll select pselect6 epoll_wait epoll_pwait alarm */
void vu_sc_cap(struct vu_call *call); /* capget capset */
void vu_sc_uname(struct vu_call *call);
void vu_sc_setname(struct vu_call *call); /* sethostname setdomainname */
/* The view's uname: the real one as the module that owns uname changes it. */
int vu_view_uname(struct utsname *u);

#endif /* KMVIEW_DAEMON_SC_SCNUM_H */
