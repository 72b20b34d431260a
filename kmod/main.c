// SPDX-License-Identifier: GPL-2.0
/*
 * kmview: views for processes (VUOS) as a loadable module.
 *
 * A view gives its member processes their own mounts, devices, network
 * stacks, names and ids without root: a daemon in userspace serves the
 * system calls that may be virtual, every other call runs natively.
 * The module hooks syscall entry through tracepoints (no kernel patch),
 * filters in the kernel and forwards what may be virtual through
 * /dev/kmview. Documentation/design.md describes the whole path.
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/tracepoint.h>
#include <linux/string.h>
#include <linux/moduleparam.h>

#include "internal.h"

/*
 * The kernel's spinlocks sleep under PREEMPT_RT, and the fork, exit and
 * exec probes take view->lock in tracepoint context (preemption off).
 */
#ifdef CONFIG_PREEMPT_RT
#error "kmview does not support PREEMPT_RT kernels"
#endif

/*
 * The ABI: every struct has explicit padding, so 32-bit and 64-bit
 * userspace (and a compat ioctl) see one layout. Sizes are the ABI.
 */
static_assert(sizeof(struct kmview_hello) == 56);
static_assert(sizeof(struct kmview_filter) == 32);
static_assert(sizeof(struct kmview_prefix) == 40);
static_assert(sizeof(struct kmview_mem) == 48);
static_assert(sizeof(struct kmview_vfd_poll) == 24);
static_assert(sizeof(struct kmview_dev_key) == 16);
static_assert(sizeof(struct kmview_keys) == 48);
static_assert(sizeof(struct kmview_msg) == 24);
static_assert(sizeof(struct kmview_syscall) == 96);
static_assert(offsetof(struct kmview_syscall, reserved) + 16 == 96);
static_assert(sizeof(struct kmview_release) == 8);
static_assert(sizeof(struct kmview_fork) == 16);
static_assert(sizeof(struct kmview_reply) == 120);
static_assert(sizeof(struct kmview_copy) == 16);

/*
 * Members of all views: while it is 0 the probes return at once. A counter,
 * not a static key: patching the probe's code at every view's start and end
 * under other CPUs running it brought down the 6.12 test guest (an int3 left
 * unhandled), and one load and branch cost nothing beside the syscall slow
 * path the tracepoint already implies.
 */
atomic_t kmview_nr_members = ATOMIC_INIT(0);
atomic_t kmview_nr_views = ATOMIC_INIT(0);
atomic_t kmview_nr_reqs = ATOMIC_INIT(0);
atomic_t kmview_nr_vfds = ATOMIC_INIT(0);

/*
 * The bound on a view's unread FORK and EXIT notes: past it a member's fork
 * waits (killably) for the daemon to read. The rest of the queue is bounded
 * by the members themselves (one request each) and by the daemon's own
 * replies (placeholders).
 */
unsigned int kmview_notes_max = 4096;

/* At least 1: at 0 every fork would wait for ever. */
static int kmview_notes_max_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int err = kstrtouint(val, 0, &n);

	if (err)
		return err;
	if (n < 1)
		return -EINVAL;
	WRITE_ONCE(kmview_notes_max, n);
	return 0;
}

static const struct kernel_param_ops kmview_notes_max_ops = {
	.set = kmview_notes_max_set,
	.get = param_get_uint,
};
module_param_cb(notes_max, &kmview_notes_max_ops, &kmview_notes_max, 0644);
MODULE_PARM_DESC(notes_max, "unread fork/exit notes of a view before its forks wait (default 4096)");

struct kmview_probe {
	const char *name;
	void *func;
	struct tracepoint *tp;
};

static struct kmview_probe kmview_probes[] = {
	{ "sys_enter", kmview_on_sys_enter },
	{ "sched_process_fork", kmview_on_fork },
	{ "sched_process_exit", kmview_on_exit },
	{ "signal_deliver", kmview_on_signal_deliver },
	{ "sched_process_exec", kmview_on_exec },
};

static void kmview_find_tracepoint(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kmview_probes); i++)
		if (!strcmp(tp->name, kmview_probes[i].name))
			kmview_probes[i].tp = tp;
}

static int kmview_find_tracepoints(void)
{
	unsigned int i;

	for_each_kernel_tracepoint(kmview_find_tracepoint, NULL);
	for (i = 0; i < ARRAY_SIZE(kmview_probes); i++) {
		if (!kmview_probes[i].tp) {
			pr_err("kmview: tracepoint %s not found\n", kmview_probes[i].name);
			return -ENOENT;
		}
	}
	return 0;
}

static void kmview_unregister_probes(unsigned int n)
{
	while (n--)
		tracepoint_probe_unregister(kmview_probes[n].tp, kmview_probes[n].func, NULL);
	tracepoint_synchronize_unregister();
}

static int kmview_register_probes(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(kmview_probes); i++) {
		err = tracepoint_probe_register(kmview_probes[i].tp, kmview_probes[i].func, NULL);
		if (err)
			goto undo;
	}
	return 0;
undo:
	kmview_unregister_probes(i);
	return err;
}

/*
 * The probes are registered only while a view exists. A registered
 * sys_enter probe sends every system call of every task of the machine
 * through the kernel's syscall slow path (the tracepoint's work bit is set
 * on all of them), so with no view the module costs processes nothing.
 * Members exist only inside views, so none runs while the probes are off.
 */
static DEFINE_MUTEX(kmview_probes_lock);
static unsigned int kmview_probes_users;

int kmview_probes_get(void)
{
	int err = 0;

	mutex_lock(&kmview_probes_lock);
	if (!kmview_probes_users)
		err = kmview_register_probes();
	if (!err)
		kmview_probes_users++;
	mutex_unlock(&kmview_probes_lock);
	return err;
}

void kmview_probes_put(void)
{
	mutex_lock(&kmview_probes_lock);
	if (!WARN_ON_ONCE(!kmview_probes_users) && !--kmview_probes_users)
		kmview_unregister_probes(ARRAY_SIZE(kmview_probes));
	mutex_unlock(&kmview_probes_lock);
}

static int __init kmview_init(void)
{
	int err;

	err = kmview_member_init();
	if (err)
		return err;
	err = kmview_find_tracepoints();
	if (err)
		goto fail;
	err = misc_register(&kmview_miscdev);
	if (err)
		goto fail;
	pr_info("kmview: protocol %d.%d, /dev/kmview ready\n", KMVIEW_API_MAJOR, KMVIEW_API_MINOR);
	return 0;

fail:
	kmview_member_exit();
	return err;
}

static void __exit kmview_exit(void)
{
	misc_deregister(&kmview_miscdev);
	/* every view held a module reference: the probes went with the last one */
	WARN_ON(kmview_probes_users);
	kmview_member_exit();
	WARN(atomic_read(&kmview_nr_views) || atomic_read(&kmview_nr_reqs) ||
	     atomic_read(&kmview_nr_vfds), "kmview: leaked %d views, %d requests, %d placeholders\n",
	     atomic_read(&kmview_nr_views), atomic_read(&kmview_nr_reqs),
	     atomic_read(&kmview_nr_vfds));
}

module_init(kmview_init);
module_exit(kmview_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmview developers");
MODULE_DESCRIPTION("kmview: views for processes (VUOS) through syscall tracepoints");
MODULE_ALIAS_MISCDEV(KMVIEW_MINOR);
MODULE_ALIAS("devname:kmview");
