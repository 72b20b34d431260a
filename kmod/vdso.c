// SPDX-License-Identifier: GPL-2.0
/*
 * vdso.c - programs exec'd in a view whose clocks are virtual are not told
 * where the vDSO is (KMVIEW_FILTER_NO_VDSO).
 *
 * The C library reads clock_gettime, gettimeofday, time and clock_getres
 * in the vDSO, without a system call, so a module that owns those calls
 * would never see them. Every C library (glibc, musl, Go's runtime) finds
 * the vDSO through AT_SYSINFO_EHDR in the auxiliary vector on the new
 * program's stack; without it they make the system calls. So at exec the
 * entry becomes AT_IGNORE, on the stack and in mm->saved_auxv (what
 * /proc/PID/auxv shows). The mapping itself stays: unmapping the vDSO
 * leaves arch state (mm->context.vdso) pointing at nothing, and a program
 * that looks for "[vdso]" in /proc/self/maps is not one anybody runs.
 *
 * The stack is written by the member itself, in a task_work at its return
 * to user space from execve: the probe of sched_process_exec runs in
 * atomic context, where user memory cannot be touched.
 */
#include <linux/auxvec.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/uaccess.h>

#include "internal.h"

/* Skip a NULL-terminated array of pointers at @p, at most @max of them. */
static unsigned long __user *kmview_skip_ptrs(unsigned long __user *p, unsigned long max)
{
	unsigned long v;

	for (;;) {
		if (get_user(v, p++))
			return NULL;
		if (!v)
			return p;
		if (!max--)
			return NULL;
	}
}

/*
 * The stack at mm->start_stack: argc, argv[] and NULL, envp[] and NULL,
 * then the auxiliary vector, as binfmt_elf's create_elf_tables puts them.
 * Each string is at least its NUL: the arg and env areas bound the counts.
 */
static int kmview_hide_vdso(struct mm_struct *mm)
{
	unsigned long __user *p = (unsigned long __user *)mm->start_stack;
	unsigned long argc, type, i;

	if (get_user(argc, p++) || argc > mm->arg_end - mm->arg_start)
		return -EFAULT;
	p = kmview_skip_ptrs(p + argc, 0);
	if (p)
		p = kmview_skip_ptrs(p, mm->env_end - mm->env_start);
	if (!p)
		return -EFAULT;
	for (i = 0; i < AT_VECTOR_SIZE / 2; i++, p += 2) {
		if (get_user(type, p))
			return -EFAULT;
		if (type == AT_NULL)
			break;
		if (type == AT_SYSINFO_EHDR && put_user((unsigned long)AT_IGNORE, p))
			return -EFAULT;
	}
	for (i = 0; i + 1 < AT_VECTOR_SIZE && mm->saved_auxv[i] != AT_NULL; i += 2)
		if (mm->saved_auxv[i] == AT_SYSINFO_EHDR)
			mm->saved_auxv[i] = AT_IGNORE;
	return 0;
}

static void kmview_novdso_work(struct callback_head *cb)
{
	struct mm_struct *mm = current->mm;

	kfree(cb);
	if (!mm || (current->flags & PF_EXITING))
		return;
	if (kmview_hide_vdso(mm))
		/* the stack is the program's own: it may already be gone */
		pr_notice_ratelimited("kmview: pid %d: no auxiliary vector to hide the vDSO from\n",
				      task_pid_nr(current));
}

void kmview_exec_no_vdso(struct task_struct *task)
{
	struct callback_head *cb = kmalloc(sizeof(*cb), GFP_ATOMIC);

	if (!cb) {
		/* the program keeps its vDSO: its clocks are then the real ones */
		pr_warn_ratelimited("kmview: pid %d: out of memory, the vDSO stays visible\n",
				    task_pid_nr(task));
		return;
	}
	init_task_work(cb, kmview_novdso_work);
	if (task_work_add(task, cb, TWA_RESUME))
		kfree(cb); /* exiting */
}
