// SPDX-License-Identifier: GPL-2.0
/*
 * The member applies a validated reply, in its own context: it copies
 * result data into its own memory, installs files into its own fd table,
 * and sets its own registers, so every access check is the member's.
 */
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/task_work.h>
#include <linux/file.h>
#include <linux/fcntl.h>
#include <linux/uaccess.h>
#include <linux/ptrace.h>
#include <linux/mm.h>
#include <linux/mman.h>

#include "internal.h"
#include "reply_check.h"
#include "compat.h"

void kmview_return(struct pt_regs *regs, long val)
{
	kmview_arch_set_return(regs, val);
}

/* Run the captured call natively once, with the arguments now in the registers. */
void kmview_restart_native(struct kmview_member *m, struct pt_regs *regs)
{
	kmview_arch_restart(regs, m->nr);
	m->bypass = true;
	m->rewritten = false;
	m->bypass_nr = m->nr;
	m->bypass_ip = kmview_arch_syscall_ip(regs) + 2;
	memcpy(m->saved_args, m->args, sizeof(m->saved_args));
	kmview_bypass_arm(m, regs);
}

/*
 * The bypass passes only the very call it was armed for: the same number,
 * instruction, stack pointer and argument registers. A restart that never
 * reaches the probe (a seccomp filter skipping it) leaves it armed, and a
 * later call from the same glibc wrapper must still be filtered; matching
 * the registers too, it is filtered unless it is the same call again.
 */
void kmview_bypass_arm(struct kmview_member *m, struct pt_regs *regs)
{
	kmview_arch_get_args(regs, m->bypass_args);
	m->bypass_sp = kmview_arch_stack_pointer(regs);
}

/*
 * Task work after a rewritten call ran natively, before the task returns to
 * user mode (and before any signal frame: get_signal() runs task works
 * first): the caller's argument registers come back as it set them, as the
 * syscall ABI promises, and a call that must restart (-ERESTART*, after a
 * handler or not) restarts with its own arguments, so it is captured and
 * served afresh instead of reading a rewritten path that is gone.
 */
static void kmview_restore_work(struct callback_head *cb)
{
	struct kmview_member *m = container_of(cb, struct kmview_member, restore_work);
	struct pt_regs *regs = task_pt_regs(current);
	unsigned int i;

	if (m->rewrite_running) {
		m->rewrite_running = false;
		for (i = 0; i < 6; i++)
			kmview_arch_set_arg(regs, i, m->saved_args[i]);
	}
	kmview_member_put(m);
}

/* The probe saw a rewritten call enter: restore its arguments when it is done. */
void kmview_rewrite_running(struct kmview_member *m)
{
	m->rewritten = false;
	kmview_member_get(m);
	init_task_work(&m->restore_work, kmview_restore_work);
	if (task_work_add(current, &m->restore_work, TWA_RESUME)) {
		kmview_member_put(m);	/* exiting: nobody returns to user mode */
		return;
	}
	m->rewrite_running = true;
}

/*
 * exec: the new program's registers are its own, nothing is restored into
 * them; its mm is new, with no scratch page, and shared with nobody.
 */
void kmview_exec_reset(struct kmview_member *m)
{
	m->scratch = 0;
	m->mm_borrowed = false;
	m->bypass = false;
	m->rewritten = false;
	m->rewrite_running = false;
}

static int kmview_apply_copies(const struct kmview_reply *r)
{
	unsigned int i;

	for (i = 0; i < r->ncopy; i++) {
		const struct kmview_copy *c = kmview_reply_copy(r, i);

		if (copy_to_user((void __user *)(unsigned long)c->addr, c + 1, c->len))
			return -EFAULT;
	}
	return 0;
}

/* A thread's scratch area holds the two longest paths a call may have rewritten. */
#define KMVIEW_SCRATCH_SIZE PAGE_ALIGN(KMVIEW_SLOTS * KMVIEW_PATH_MAX)

/*
 * Where a rewritten path goes while its call runs: a page of the thread's
 * own, mapped in its mm at its first rewrite and unmapped when the thread
 * exits (capture.c). Below the stack pointer there may be no room: a
 * sigaltstack handler, a goroutine's small stack, a guard page. A task that
 * shares its mm with another process would leave its page behind in the
 * other at exec: a vfork child uses its (blocked) parent's page, if it has
 * one, and otherwise, as other such tasks, writes below its stack.
 */
static unsigned long kmview_path_area(struct kmview_member *m, struct pt_regs *regs,
				      size_t len)
{
	unsigned long addr;

	if (m->mm_borrowed && !m->scratch)
		return kmview_arch_below_stack(regs, len);
	if (!m->scratch) {
		addr = vm_mmap(NULL, 0, KMVIEW_SCRATCH_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, 0);
		if (IS_ERR_VALUE(addr))
			return addr;
		m->scratch = addr;
	}
	return m->scratch;
}

/* Is [@addr, @addr + size) still exactly the page we mapped? The program may have replaced it. */
static bool kmview_scratch_is_ours(unsigned long addr)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	bool ours;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	ours = vma && vma->vm_start == addr && vma->vm_end == addr + KMVIEW_SCRATCH_SIZE &&
	       vma_is_anonymous(vma) && !(vma->vm_flags & VM_SHARED);
	mmap_read_unlock(mm);
	return ours;
}

/*
 * The thread exits: its page goes, then the exit is entered again and
 * filtered as any call (no bypass: a daemon that wants exit still sees it).
 */
void kmview_scratch_unmap(struct kmview_member *m, struct pt_regs *regs)
{
	if (!m->mm_borrowed && kmview_scratch_is_ours(m->scratch))
		vm_munmap(m->scratch, KMVIEW_SCRATCH_SIZE);
	m->scratch = 0;
	kmview_arch_restart(regs, m->nr);
}

/*
 * Write @n paths (NUL-terminated, @len without the NUL) into the path area,
 * one after the other, and make argument @arg[i] point at path i; then run
 * the call natively once with the registers as they are now. Returns 0, or
 * -errno with the registers left alone.
 */
int kmview_rewrite_paths(struct kmview_member *m, struct pt_regs *regs,
			 const unsigned int *arg, char *const *path, const size_t *len,
			 unsigned int n)
{
	unsigned long addr = 0, at;
	size_t total = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		total += len[i] + 1;
	if (total > KMVIEW_SCRATCH_SIZE)
		return -ENAMETOOLONG;
	if (n) {
		addr = kmview_path_area(m, regs, total);
		if (IS_ERR_VALUE(addr))
			return (long)addr;
	}
	for (i = 0, at = addr; i < n; at += len[i] + 1, i++)
		if (copy_to_user((void __user *)at, path[i], len[i] + 1))
			return -EFAULT;
	for (i = 0, at = addr; i < n; at += len[i] + 1, i++)
		kmview_arch_set_arg(regs, arg[i], at);
	kmview_restart_native(m, regs);
	m->rewritten = n > 0;
	return 0;
}

static void kmview_apply_rewrite(struct kmview_member *m, struct pt_regs *regs,
				 const struct kmview_reply *r)
{
	char *path = (char *)kmview_reply_path(r);
	size_t len = r->path_len - 1;
	unsigned int i;
	int err;

	/* the reply's path is NUL-terminated (reply_check.c) */
	if (r->flags & KMVIEW_REPLY_F_PATH) {
		/* where the path goes, before any register changes: a failure leaves them alone */
		unsigned long addr = kmview_path_area(m, regs, r->path_len);

		if (IS_ERR_VALUE(addr)) {
			kmview_return(regs, (long)addr);
			return;
		}
	}
	for (i = 0; i < 6; i++)
		if (r->argmask & (1U << i))
			kmview_arch_set_arg(regs, i, r->args[i]);
	err = kmview_rewrite_paths(m, regs, &r->path_arg, &path, &len,
				   (r->flags & KMVIEW_REPLY_F_PATH) ? 1 : 0);
	if (err) {
		for (i = 0; i < 6; i++)
			kmview_arch_set_arg(regs, i, m->args[i]);
		kmview_return(regs, err);
		return;
	}
	m->rewritten = r->argmask || (r->flags & KMVIEW_REPLY_F_PATH);
}

/* As SCM_RIGHTS receives a file: the LSM's file_receive hook decides too. */
static long kmview_install_file(struct kmview_req *req, u32 open_flags)
{
	return kmview_receive_fd(req->file, open_flags & O_CLOEXEC);
}

static bool kmview_reply_acts_on_memory(const struct kmview_reply *r)
{
	return r->ncopy || r->kind == KMVIEW_REPLY_MMAP ||
	       (r->kind == KMVIEW_REPLY_REWRITE && (r->argmask || (r->flags & KMVIEW_REPLY_F_PATH)));
}

void kmview_apply_reply(struct kmview_member *m, struct pt_regs *regs, struct kmview_req *req)
{
	const struct kmview_reply *r = req->reply;
	long ret;

	if (r->flags & (KMVIEW_REPLY_F_CWD_VIRTUAL | KMVIEW_REPLY_F_CWD_REAL))
		kmview_member_set_cwd(m, r->flags & KMVIEW_REPLY_F_CWD_VIRTUAL);

	/*
	 * Copies write the member's memory where the daemon says; new
	 * arguments let a native call read or write it (a buffer sent to the
	 * daemon's pipe); a mapping may replace its code: ptrace's rule.
	 */
	if (kmview_reply_acts_on_memory(r) && !kmview_policy_access(m->view, current)) {
		pr_info_ratelimited("kmview: pid %d is not dumpable: its call fails (EPERM)\n",
				    task_pid_nr(current));
		kmview_return(regs, -EPERM);
		return;
	}
	switch (r->kind) {
	case KMVIEW_REPLY_NATIVE:
		kmview_restart_native(m, regs);
		return;
	case KMVIEW_REPLY_REWRITE:
		kmview_apply_rewrite(m, regs, r);
		return;
	}

	ret = kmview_apply_copies(r);
	if (ret)
		goto out;
	switch (r->kind) {
	case KMVIEW_REPLY_RETURN:
		ret = r->retval;
		/* an interrupted call the daemon gave up: the kernel's restart rules */
		if (ret == -EINTR && req->interrupted && signal_pending(current) && m->nr != -1) {
			kmview_arch_set_nr(regs, m->nr);
			ret = -ERESTARTSYS;
		}
		break;
	case KMVIEW_REPLY_VFD:
		ret = kmview_vfd_install(req->vfd, r->open_flags);
		if (ret >= 0)
			req->vfd = NULL;	/* the placeholder owns it now */
		break;
	case KMVIEW_REPLY_FILE:
		ret = kmview_install_file(req, r->open_flags);
		break;
	case KMVIEW_REPLY_MMAP:
		/* the mapping takes its own reference to the file */
		ret = vm_mmap(req->file, r->args[0], r->args[1], r->args[2], r->args[3],
			      r->args[5]);
		break;
	}
out:
	kmview_return(regs, ret);
}
