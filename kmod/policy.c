// SPDX-License-Identifier: GPL-2.0
/*
 * Who may be a member, and when the daemon may touch a member's memory.
 *
 * The daemon of a view has ptrace power over its members: it reads and
 * writes their memory (KMVIEW_IOC_MEM, the copies of a reply), rewrites
 * their calls and hands them files. So joining a view is held to the rules
 * of PTRACE_ATTACH by the daemon, and every access to a member's memory to
 * those of PTRACE_PEEKDATA/POKEDATA (ptrace_may_access() and
 * ptrace_access_vm() are not exported to modules: this is their subset for
 * an unprivileged tracer, which is what a daemon is):
 *   - the same user namespace and the same real, effective, saved and fs
 *     ids, and the same supplementary groups;
 *   - permitted capabilities that are a subset of the daemon's;
 *   - the same LSM label (secid), so no LSM domain is crossed;
 *   - an mm the user may dump (not PR_SET_DUMPABLE 0, not an exec of an
 *     unreadable binary), checked at attach and at every memory access;
 *   - at attach, an fd table and fs_struct shared with nobody: a
 *     CLONE_FILES or CLONE_FS sibling outside the view could swap an fd
 *     under the filter or move the cwd the daemon resolves against.
 * Members run with no_new_privs, so an exec cannot raise their credentials
 * later; a member that becomes non-dumpable loses its memory to nobody.
 */
#include <linux/cred.h>
#include <linux/capability.h>
#include <linux/security.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/coredump.h>
#include <linux/fdtable.h>
#include <linux/fs_struct.h>
#include <linux/user_namespace.h>

#include "internal.h"

static bool kmview_same_ids(const struct cred *a, const struct cred *b)
{
	return a->user_ns == b->user_ns &&
	       uid_eq(a->uid, b->uid) && uid_eq(a->euid, b->euid) &&
	       uid_eq(a->suid, b->suid) && uid_eq(a->fsuid, b->fsuid) &&
	       gid_eq(a->gid, b->gid) && gid_eq(a->egid, b->egid) &&
	       gid_eq(a->sgid, b->sgid) && gid_eq(a->fsgid, b->fsgid);
}

/* Both sorted by the kernel (set_groups), so equal sets are equal arrays. */
static bool kmview_same_groups(const struct group_info *a, const struct group_info *b)
{
	int i;

	if (a == b)
		return true;
	if (a->ngroups != b->ngroups)
		return false;
	for (i = 0; i < a->ngroups; i++)
		if (!gid_eq(a->gid[i], b->gid[i]))
			return false;
	return true;
}

static bool kmview_same_label(const struct cred *a, const struct cred *b)
{
	u32 sa = 0, sb = 0;

	security_cred_getsecid(a, &sa);
	security_cred_getsecid(b, &sb);
	return sa == sb;
}

/* May a daemon with credentials @daemon act as the tracer of a task with @member? */
static bool kmview_cred_allowed(const struct cred *member, const struct cred *daemon)
{
	return kmview_same_ids(member, daemon) &&
	       kmview_same_groups(member->group_info, daemon->group_info) &&
	       cap_issubset(member->cap_permitted, daemon->cap_permitted) &&
	       kmview_same_label(member, daemon);
}

static bool kmview_mm_dumpable(struct mm_struct *mm)
{
	return mm && get_dumpable(mm) == SUID_DUMP_USER;
}

/**
 * kmview_policy_attach - may the current task join @view?
 * @view: the view whose fd current holds
 *
 * Return: 0, -EPERM if the daemon could not trace current, or -EBUSY if
 * current shares its memory, fd table or fs_struct with another task.
 */
int kmview_policy_attach(struct kmview_view *view)
{
	struct fs_struct *fs = current->fs;
	bool shared;

	if (!kmview_cred_allowed(current_cred(), view->cred) ||
	    !kmview_mm_dumpable(current->mm))
		return -EPERM;
	/* MMF_MULTIPROCESS, not mm_users: a reader of /proc/PID/mem holds the mm a moment */
	if (!thread_group_empty(current) || test_bit(MMF_MULTIPROCESS, &current->mm->flags) ||
	    atomic_read(&current->files->count) > 1)
		return -EBUSY;
	spin_lock(&fs->lock);
	shared = fs->users > 1;
	spin_unlock(&fs->lock);
	return shared ? -EBUSY : 0;
}

/*
 * Is @ns a user namespace below @daemon's whose ancestor just below it is
 * owned by the daemon's euid? Then the daemon has every capability there,
 * CAP_SYS_PTRACE included (cap_capable()): a member that made itself such a
 * namespace (unshare -r, bwrap, rootless containers) stays the daemon's.
 */
static bool kmview_ns_owned(const struct user_namespace *ns, const struct cred *daemon)
{
	for (; ns && ns != &init_user_ns; ns = ns->parent)
		if (ns->parent == daemon->user_ns)
			return uid_eq(ns->owner, daemon->euid);
	return false;
}

/**
 * kmview_policy_access - may the daemon of @view read or write @task's memory now?
 * @view: the member's view
 * @task: a member parked in a request, or current applying a reply
 *
 * The check of ptrace_access_vm(): the mm must still be dumpable by the
 * user, and the credentials still those the attach accepted, or those of a
 * user namespace the daemon owns.
 */
bool kmview_policy_access(struct kmview_view *view, struct task_struct *task)
{
	struct mm_struct *mm = get_task_mm(task);
	const struct cred *cred;
	bool ok;

	ok = kmview_mm_dumpable(mm);
	if (mm)
		mmput(mm);
	rcu_read_lock();
	cred = __task_cred(task);
	ok = ok && (kmview_cred_allowed(cred, view->cred) ||
		    (kmview_ns_owned(cred->user_ns, view->cred) &&
		     kmview_same_label(cred, view->cred)));
	rcu_read_unlock();
	return ok;
}
