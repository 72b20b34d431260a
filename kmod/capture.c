// SPDX-License-Identifier: GPL-2.0
/*
 * The capture path, first half: the sys_enter tracepoint probe.
 *
 * It runs for every system call of every task while the module is loaded,
 * in atomic context, so it does the cheapest checks first and never sleeps:
 *   1. any member at all (a counter), then is current a member (RCU hash);
 *   2. escape paths (compat, x32, io_uring_setup): refused;
 *   3. the view's syscall bitmap;
 *   4. fd arguments: a placeholder (any view's) defers the decision;
 *   5. keys (keys.c): socket families, ioctl requests on real fds;
 *      and execve/execveat with KMVIEW_FILTER_ALL_EXECS, whatever the path;
 *   6. path arguments: forwarded only if one falls under a prefix, or,
 *      while device keys are set, deferred to be resolved.
 * What may be virtual is skipped here (orig_ax = -1) and handed to the
 * member's own task_work (request.c), which may sleep.
 */
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fcntl.h>
#include <linux/uaccess.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>

#include "internal.h"
#include "path.h"

static DEFINE_PER_CPU(char [KMVIEW_PATH_MAX], kmview_probe_path);

/*
 * May fd be a placeholder? Called under rcu_read_lock() without a reference
 * to the file: a concurrent close can free it (6.1) or recycle it for
 * another file (6.12, SLAB_TYPESAFE_BY_RCU), so only f_op is read, never
 * private_data. A placeholder of another view, or a file recycled under
 * us, is told apart in the task_work, which holds a reference (request.c).
 */
static bool kmview_fd_maybe_virtual(unsigned long fd)
{
	struct file *file;

	if (fd > INT_MAX)
		return false;
	file = files_lookup_fd_raw(current->files, fd);
	return file && READ_ONCE(file->f_op) == &kmview_vfd_fops;
}

/*
 * Copy a user string without faulting, page by page so that a string
 * ending before an unmapped page is still read. Returns its length, or -1
 * if it could not be read here (the task_work will read it, sleeping).
 */
static long kmview_probe_strcpy(char *dst, unsigned long src)
{
	long len = 0;

	while (len < KMVIEW_PATH_MAX) {
		size_t chunk = min_t(size_t, 64, PAGE_SIZE - offset_in_page(src + len));
		const char *nul;

		chunk = min_t(size_t, chunk, KMVIEW_PATH_MAX - len);
		if (copy_from_user_nofault(dst + len, (const void __user *)(src + len), chunk))
			return -1;
		nul = memchr(dst + len, '\0', chunk);
		if (nul)
			return nul - dst;
		len += chunk;
	}
	return -1;
}

/*
 * Decide from a path argument alone; absolute paths are settled here,
 * but for a redirect, which the task_work checks (redirect.c).
 */
static enum kmview_verdict kmview_filter_path(struct kmview_view *view, long nr,
					      unsigned long uaddr, bool relative_to_cwd,
					      bool cwd_virtual)
{
	struct kmview_prefix_hit hit = { };

	enum kmview_verdict v;
	char *buf;
	long len;

	if (!uaddr)
		return KMVIEW_NATIVE;
	buf = get_cpu_ptr(kmview_probe_path);
	len = kmview_probe_strcpy(buf, uaddr);
	if (len < 0) {
		v = KMVIEW_SLOW;
	} else if (buf[0] != '/') {
		/* relative to a real dirfd stays real; relative to the cwd needs the cwd */
		if (!relative_to_cwd || len == 0)
			v = KMVIEW_NATIVE;
		else
			v = cwd_virtual ? KMVIEW_FORWARD : KMVIEW_SLOW;
	} else {
		len = kmview_path_normalize(buf, len);
		switch (kmview_prefix_lookup(view, buf, len, 0, &hit)) {
		case KMVIEW_PREFIX_VIRTUAL:
			v = KMVIEW_FORWARD;
			break;
		case KMVIEW_PREFIX_TO_REAL:
			v = kmview_arch_may_redirect(nr) ? KMVIEW_SLOW : KMVIEW_FORWARD;
			break;
		default:
			v = KMVIEW_NATIVE;
			break;
		}
	}
	put_cpu_ptr(kmview_probe_path);
	return v;
}

static enum kmview_verdict kmview_filter(struct kmview_member *m, long nr,
					 const unsigned long *args)
{
	const struct kmview_sysarg *sa = kmview_sysarg(nr);
	struct kmview_view *view = m->view;
	bool cwd_virtual = READ_ONCE(m->cwd_virtual);
	enum kmview_verdict v = KMVIEW_NATIVE;
	bool shaped = false;
	int i;

	for (i = 0; i < KMVIEW_SLOTS; i++) {
		if (sa->fd[i] == KMVIEW_NO_ARG)
			continue;
		shaped = true;
		if (kmview_fd_maybe_virtual(args[sa->fd[i]]))
			v = KMVIEW_SLOW;	/* whose placeholder: decided with a reference */
	}
	if (unlikely(kmview_arch_is_socket(nr)) && kmview_keys_active(view))
		return kmview_keys_family(view, args[0]) ? KMVIEW_FORWARD : KMVIEW_NATIVE;
	if (kmview_arch_is_ioctl(nr) && kmview_keys_ioctl(view, args[1]))
		return KMVIEW_FORWARD;	/* on a real fd too */
	if (cwd_virtual && kmview_arch_changes_cwd(nr))
		return KMVIEW_FORWARD;	/* the daemon must see the cwd change */
	if (kmview_arch_changes_root(nr))
		return KMVIEW_FORWARD;	/* a daemon that wants chroot serves every one */
	if (unlikely(kmview_arch_is_exec(nr)) &&
	    (READ_ONCE(view->filter_flags) & KMVIEW_FILTER_ALL_EXECS))
		return KMVIEW_FORWARD;	/* binary formats, per-process state: every exec */
	if (kmview_arch_reads_cwd(nr))
		return cwd_virtual ? KMVIEW_FORWARD : KMVIEW_NATIVE;
	for (i = 0; i < KMVIEW_SLOTS; i++) {
		bool cwd;

		if (sa->path[i] == KMVIEW_NO_ARG)
			continue;
		shaped = true;
		if (READ_ONCE(view->filter_flags) & KMVIEW_FILTER_STRICT_PATHS)
			return KMVIEW_FORWARD;
		if (!cwd_virtual && !kmview_prefix_any(view)) {
			if (args[sa->path[i]] && kmview_keys_any_dev(view))
				v = KMVIEW_SLOW;	/* is it a device node? resolved there */
			continue;
		}
		cwd = sa->dirfd[i] == KMVIEW_NO_ARG ||
		      (int)args[sa->fd[sa->dirfd[i]]] == AT_FDCWD;
		switch (kmview_filter_path(view, nr, args[sa->path[i]], cwd, cwd_virtual)) {
		case KMVIEW_FORWARD:
			return KMVIEW_FORWARD;
		case KMVIEW_NATIVE:
			if (args[sa->path[i]] && kmview_keys_any_dev(view))
				v = KMVIEW_SLOW;
			break;
		default:
			v = KMVIEW_SLOW;
			break;
		}
	}
	return shaped ? v : KMVIEW_FORWARD;
}

/*
 * Hand the call to the member's task_work: skip it now, decide there. A
 * call that cannot be deferred (the task is past exit_task_work) fails
 * closed: it is refused, never run natively unfiltered.
 */
static void kmview_defer(struct kmview_member *m, struct pt_regs *regs, long nr,
			 const unsigned long *args, bool slow)
{
	kmview_arch_skip(regs, -ENOSYS);
	if (m->work_pending)
		return;	/* cannot happen: one call at a time per task */
	m->nr = nr;
	memcpy(m->args, args, sizeof(m->args));
	m->slow_path = slow;
	kmview_member_get(m);
	m->work_pending = true;
	if (task_work_add(current, &m->work, TWA_RESUME)) {
		m->work_pending = false;
		m->local = KMVIEW_LOCAL_NONE;
		kmview_member_put(m);
	}
}

/*
 * A tracer skips a call by setting its number to -1 at the syscall-entry
 * stop (strace -e inject=): that must not become the management call -1.
 * The stop comes before this probe and leaves no trace but the task's
 * PTRACE_SYSCALL work bit, so under such a tracer -1 is always a skip
 * (Documentation/design.md, "Tracers in a view").
 */
static bool kmview_tracer_skipped(long nr)
{
	return nr == -1 && test_syscall_work(SYSCALL_TRACE);
}

static void kmview_capture(struct kmview_member *m, struct pt_regs *regs, long nr)
{
	struct kmview_view *view = m->view;
	unsigned long args[6];
	enum kmview_verdict v;

	/* first of all: no bypass lets a compat or x32 call through */
	if (unlikely(kmview_arch_escape(regs, nr))) {
		m->bypass = false;
		pr_info_ratelimited("kmview: refused syscall %ld (compat, x32 or io_uring) in pid %d\n",
				    nr, task_pid_nr(current));
		kmview_arch_skip(regs, -ENOSYS);
		return;
	}
	if (m->bypass) {
		m->bypass = false;
		kmview_arch_get_args(regs, args);
		if (nr == m->bypass_nr && kmview_arch_syscall_ip(regs) == m->bypass_ip &&
		    kmview_arch_stack_pointer(regs) == m->bypass_sp &&
		    !memcmp(args, m->bypass_args, sizeof(args))) {
			/* the call a reply sent back to run natively */
			if (m->rewritten)
				kmview_rewrite_running(m);
			return;
		}
	}
	if (nr < 0) {
		if (nr >= KMVIEW_VU_FIRST && !kmview_tracer_skipped(nr)) {
			kmview_arch_get_args(regs, args);
			kmview_defer(m, regs, nr, args, false);
		}
		return;
	}
	if (unlikely(kmview_arch_is_fork(nr)) &&
	    atomic_read(&view->nr_notes) >= READ_ONCE(kmview_notes_max)) {
		/* backpressure: the fork waits, in the task_work, for the daemon to read */
		kmview_arch_get_args(regs, args);
		m->local = KMVIEW_LOCAL_THROTTLE;
		kmview_defer(m, regs, nr, args, false);
		return;
	}
	if (unlikely(m->scratch) && kmview_arch_is_thread_exit(nr)) {
		/* the thread goes, its mm stays: its scratch page goes first */
		kmview_arch_get_args(regs, args);
		m->local = KMVIEW_LOCAL_UNMAP;
		kmview_defer(m, regs, nr, args, false);
		return;
	}
	if (nr >= KMVIEW_NR_SYSCALLS || !test_bit(nr, view->bitmap))
		return;
	kmview_arch_get_args(regs, args);
	v = kmview_filter(m, nr, args);
	if (v != KMVIEW_NATIVE)
		kmview_defer(m, regs, nr, args, v == KMVIEW_SLOW);
}

void kmview_on_sys_enter(void *data, struct pt_regs *regs, long nr)
{
	struct kmview_member *m;

	if (!atomic_read(&kmview_nr_members))
		return;
	rcu_read_lock();
	m = kmview_member_lookup(current);
	if (m)
		kmview_capture(m, regs, nr);
	rcu_read_unlock();
}

/*
 * A signal handler is about to run between a native restart prepared by a
 * reply and the restarted call: put the original arguments back and let
 * the call be captured afresh after the handler (a rewritten path on the
 * stack would not survive the signal frame).
 */
void kmview_on_signal_deliver(void *data, int sig, struct kernel_siginfo *info,
			      struct k_sigaction *ka)
{
	struct kmview_member *m;
	int i;

	if (!atomic_read(&kmview_nr_members))
		return;
	rcu_read_lock();
	m = kmview_member_lookup(current);
	if (m && m->bypass) {
		struct pt_regs *regs = task_pt_regs(current);

		m->bypass = false;
		m->rewritten = false;
		for (i = 0; i < 6; i++)
			kmview_arch_set_arg(regs, i, m->saved_args[i]);
	}
	rcu_read_unlock();
}
