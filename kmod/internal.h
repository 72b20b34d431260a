/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmview internals: the objects shared by the files of kmview.ko.
 *
 * A view is created by opening /dev/kmview (dev.c) and lives in view.c.
 * Members are tasks of a view (member.c), found from any task through a
 * hash table keyed by task_struct pointer. The capture path is:
 *   capture.c  sys_enter probe and the in-kernel filter (atomic context)
 *   request.c  the member's task_work: build a request, queue it, wait
 *   reply.c    the daemon's write(): validate a reply, hand it to the member
 *   apply.c    the member applies the reply to its registers, memory, fds
 * Placeholder files for virtual fds are in vfd.c, path prefixes in prefix.c,
 * socket families, ioctl requests and device numbers in keys.c,
 * who may join and when the daemon may touch a member's memory in policy.c.
 *
 * Locks and contexts, outermost first:
 *   view->cfg_lock (mutex)   filter and prefix updates; ioctl context
 *   view->lock (spinlock)    the queues, the processing hash, the member
 *                            list and each member's ids; taken in the
 *                            fork/exit/exec tracepoints, never in IRQ
 *   kmview_members_lock      writers of the member hash; readers use RCU
 *   xa_lock(&view->vfds)     the placeholder table (inside view->lock never)
 * A task's siglock may be taken inside view->lock (kill at view death).
 * The sys_enter probe takes no lock at all: RCU and READ_ONCE only.
 * Every object has a reference count; a pointer kept past a lock or an RCU
 * section holds a reference (member: ->ref, view: ->kref, pid: get_pid).
 */
#ifndef KMVIEW_INTERNAL_H
#define KMVIEW_INTERNAL_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/kref.h>
#include <linux/refcount.h>
#include <linux/rcupdate.h>
#include <linux/task_work.h>
#include <linux/xarray.h>
#include <linux/hashtable.h>
#include <linux/workqueue.h>
#include <linux/path.h>
#include <linux/kmview.h>

#include "sysarg.h"

struct pt_regs;
struct poll_table_struct;
struct file;
struct linux_binprm;
struct task_struct;
struct kmview_view;
struct kmview_member;

/*
 * A notification queued for the daemon. Notes are embedded in the object
 * they speak of, so queueing one never allocates (fork and exit happen in
 * atomic context); @release drops the reference the queued note holds.
 * The pids are references of the note's own (kmview_note_set_pids), except
 * in an INTERRUPT note, which lives inside its request.
 */
struct kmview_note {
	struct list_head list;		/* under view->lock */
	u16 type;			/* enum kmview_msg_type */
	struct pid *tid;		/* the task the note is about */
	struct pid *tgid;
	u64 unique;			/* INTERRUPT: the request */
	u64 arg;			/* RELEASE: handle; FORK: clone flags */
	struct pid *child;		/* FORK: the new task */
	struct kmview_member *member;	/* FORK, EXIT: the member it is embedded in */
	void (*release)(struct kmview_note *note);
};

enum kmview_req_state {
	KMVIEW_REQ_QUEUED,	/* in view->pending, not yet read */
	KMVIEW_REQ_TAKEN,	/* read by the daemon, in view->processing */
	KMVIEW_REQ_DONE,	/* replied (or the view died) */
	KMVIEW_REQ_GONE,	/* withdrawn by the member */
};

/* A syscall request: owned by the member, which waits for it to be DONE. */
struct kmview_req {
	struct kmview_note note;	/* note.type == KMVIEW_MSG_SYSCALL */
	struct hlist_node tnode;	/* view->taken while TAKEN, by unique */
	wait_queue_head_t wq;
	enum kmview_req_state state;	/* under view->lock */
	struct kmview_member *member;
	bool interrupted;		/* an INTERRUPT note was queued */
	struct kmview_note intr_note;
	/* the message as read by the daemon (header, body, paths), after the request */
	struct kmview_msg *msg;
	size_t msg_len;
	/* the validated reply, set by reply.c when the state becomes DONE */
	struct kmview_reply *reply;	/* &inline_reply, or allocated */
	size_t reply_len;
	struct kmview_reply inline_reply;	/* a reply with nothing after it */
	struct file *file;		/* KMVIEW_REPLY_FILE: the daemon's file */
	struct kmview_vfd *vfd;		/* KMVIEW_REPLY_VFD: reserved placeholder */
};

struct kmview_prefix_set;
struct kmview_keyset;

/* Unread FORK and EXIT notes of a view beyond which a member's fork waits (main.c). */
extern unsigned int kmview_notes_max;
/* Bytes one read() stages at most: bounds its allocation and its walk of the queue. */
#define KMVIEW_READ_MAX (4 * KMVIEW_READ_MIN)

/* A view. Its lifetime: one reference for the daemon's file, one per member and placeholder. */
struct kmview_view {
	struct kref kref;
	spinlock_t lock;		/* queues, members, state below */
	wait_queue_head_t waitq;	/* daemon readers */
	struct list_head pending;	/* notes and requests not yet read */
	struct list_head processing;	/* requests read, awaiting a reply */
	DECLARE_HASHTABLE(taken, 8);	/* the same requests, by unique */
	struct list_head members;
	unsigned int nr_members;
	atomic_t nr_notes;		/* FORK and EXIT notes queued */
	wait_queue_head_t space_wq;	/* forks waiting for nr_notes to drop */
	bool populated;			/* a member has joined */
	bool dead;			/* the daemon closed the view: written under lock, READ_ONCE outside */
	bool hello_done;
	u64 features;
	u64 next_unique;
	const struct cred *cred;	/* the daemon's credentials */
	pid_t daemon_tgid;		/* in the initial pid namespace */
	struct path root;		/* the daemon's root: redirects are resolved from it */

	/* filter, read locklessly by the probe */
	unsigned long bitmap[BITS_TO_LONGS(KMVIEW_NR_SYSCALLS)];
	u32 filter_flags;
	struct kmview_prefix_set __rcu *prefixes;
	struct kmview_keyset __rcu *keys;	/* NULL until KMVIEW_IOC_SET_KEYS */
	struct mutex cfg_lock;		/* serialises filter, prefix and key updates */

	struct xarray vfds;		/* handle -> struct kmview_vfd */
};

/* Calls the task_work handles without the daemon. */
enum kmview_local {
	KMVIEW_LOCAL_NONE,
	KMVIEW_LOCAL_THROTTLE,		/* a fork waits for the daemon to read notes */
	KMVIEW_LOCAL_UNMAP,		/* a thread exits: unmap its scratch page */
};

/* A task of a view. Freed after a grace period, in process context (rwork). */
struct kmview_member {
	struct hlist_node hnode;	/* kmview_members hash, by task */
	struct list_head vnode;		/* view->members, under view->lock */
	struct task_struct *task;	/* valid while hashed: removed at exit */
	struct pid *tid, *tgid;		/* written by the task itself, under view->lock */
	struct kmview_view *view;	/* reference held */
	refcount_t ref;
	struct rcu_work rwork;

	/* KMVIEW_IOC_MEM calls under way on this member's request: it stays parked */
	atomic_t mem_users;
	wait_queue_head_t mem_wq;

	/* the captured call, saved by the probe for the task_work */
	struct callback_head work;
	struct callback_head restore_work;	/* after a rewritten call (apply.c) */
	bool work_pending;
	bool slow_path;			/* the probe could not settle the paths */
	bool cwd_virtual;		/* set by the daemon's replies; inherited */
	long nr;
	unsigned long args[6];

	/* one-shot pass of a call restarted natively (see apply.c) */
	bool bypass;
	u8 local;			/* enum kmview_local: the task_work serves it alone */
	bool rewritten;			/* the bypassed call has rewritten arguments */
	bool rewrite_running;		/* ... and it is running: restore them at its exit */
	long bypass_nr;
	unsigned long bypass_ip, bypass_sp;
	unsigned long bypass_args[6];	/* the registers the bypassed call must have */
	unsigned long saved_args[6];	/* the caller's own arguments */

	/* a page of this thread's for rewritten paths (apply.c), 0 until needed */
	unsigned long scratch;
	bool mm_borrowed;		/* shares its mm with another process (vfork) */

	struct kmview_note fork_note, exit_note;
	struct kmview_note exec_fork_note, exec_exit_note;	/* a thread's exec took a new tid */
};

/* Placeholder file private data: the daemon's handle and its readiness. */
struct kmview_vfd {
	struct kmview_note note;	/* RELEASE, queued at the last close */
	struct kmview_view *view;	/* reference held */
	u64 handle;
	__poll_t events;
	wait_queue_head_t wq;
};

/* dev.c */
extern struct miscdevice kmview_miscdev;
bool kmview_is_view_file(const struct file *file);

/* main.c */
int kmview_probes_get(void);	/* a view is created: the probes are on */
void kmview_probes_put(void);	/* a view is freed: off with the last one */
extern atomic_t kmview_nr_members;
/* Live objects, checked at module exit: a leak shows as a WARNING in the tests. */
extern atomic_t kmview_nr_views, kmview_nr_reqs, kmview_nr_vfds;

/* view.c */
struct kmview_view *kmview_view_create(void);
void kmview_view_get(struct kmview_view *view);
void kmview_view_put(struct kmview_view *view);
void kmview_view_kill(struct kmview_view *view);
void kmview_queue_note_locked(struct kmview_view *view, struct kmview_note *note);
void kmview_note_set_pids(struct kmview_note *note, struct pid *tid, struct pid *tgid);
void kmview_note_put_pids(struct kmview_note *note);
void kmview_view_note_done(struct kmview_view *view);
struct kmview_req *kmview_find_taken_locked(struct kmview_view *view, u64 unique);
void kmview_req_take_locked(struct kmview_view *view, struct kmview_req *req);
void kmview_req_untake_locked(struct kmview_req *req);
bool kmview_view_eof_locked(struct kmview_view *view);

/* member.c */
int kmview_member_init(void);
void kmview_member_exit(void);
struct kmview_member *kmview_member_lookup(struct task_struct *task);
int kmview_member_attach(struct kmview_view *view);
void kmview_member_get(struct kmview_member *m);
void kmview_member_put(struct kmview_member *m);
void kmview_on_fork(void *data, struct task_struct *parent, struct task_struct *child);
void kmview_on_exit(void *data, struct task_struct *task);
void kmview_on_exec(void *data, struct task_struct *task, pid_t old_pid,
		    struct linux_binprm *bprm);
void kmview_member_set_cwd(struct kmview_member *m, bool cwd_virtual);

/* capture.c */
void kmview_on_sys_enter(void *data, struct pt_regs *regs, long nr);
void kmview_on_signal_deliver(void *data, int sig, struct kernel_siginfo *info,
			      struct k_sigaction *ka);
void kmview_on_sys_exit(void *data, struct pt_regs *regs, long ret);

/* policy.c */
int kmview_policy_attach(struct kmview_view *view);
bool kmview_policy_access(struct kmview_view *view, struct task_struct *task);

/* request.c */
void kmview_request_work(struct callback_head *cb);

/* ring.c */
ssize_t kmview_ring_read(struct kmview_view *view, char __user *buf, size_t count, bool nonblock);
__poll_t kmview_ring_poll(struct kmview_view *view, struct file *file, struct poll_table_struct *wait);

/* reply.c */
ssize_t kmview_reply_write(struct kmview_view *view, const char __user *buf, size_t count);

/* apply.c */
void kmview_apply_reply(struct kmview_member *m, struct pt_regs *regs, struct kmview_req *req);
void kmview_restart_native(struct kmview_member *m, struct pt_regs *regs);
void kmview_return(struct pt_regs *regs, long val);
void kmview_exec_reset(struct kmview_member *m);
void kmview_rewrite_running(struct kmview_member *m);
void kmview_bypass_arm(struct kmview_member *m, struct pt_regs *regs);
void kmview_scratch_unmap(struct kmview_member *m, struct pt_regs *regs);
int kmview_rewrite_paths(struct kmview_member *m, struct pt_regs *regs,
			 const unsigned int *arg, char *const *path, const size_t *len,
			 unsigned int n);

/* vfd.c */
struct kmview_vfd *kmview_vfd_reserve(struct kmview_view *view, u64 handle);
void kmview_vfd_unreserve(struct kmview_vfd *vfd);
void kmview_vfd_drop(struct kmview_vfd *vfd);
int kmview_vfd_install(struct kmview_vfd *vfd, u32 open_flags);
bool kmview_is_placeholder(struct kmview_view *view, struct file *file);
int kmview_vfd_set_events(struct kmview_view *view, u64 handle, __poll_t events);
void kmview_vfd_wake_all(struct kmview_view *view);
extern const struct file_operations kmview_vfd_fops;

/* How the filter settles a call, cheapest first (capture.c, request.c). */
enum kmview_verdict {
	KMVIEW_NATIVE,		/* run it natively */
	KMVIEW_FORWARD,		/* the daemon serves it */
	KMVIEW_SLOW,		/* decided in the task_work, which may sleep */
	KMVIEW_REDIRECT,	/* run it natively on the real directory of a redirect */
};

/* prefix.c: what the newest prefix a path falls under says */
enum {
	KMVIEW_PREFIX_NONE,	/* under no prefix */
	KMVIEW_PREFIX_VIRTUAL,	/* a plain prefix: forward */
	KMVIEW_PREFIX_TO_REAL,	/* KMVIEW_PREFIX_REDIRECT */
	KMVIEW_PREFIX_REAL,	/* KMVIEW_PREFIX_NATIVE */
};

struct kmview_prefix_hit {
	u64 id;
	size_t len;		/* of the prefix */
	char *src;		/* KMVIEW_PATH_MAX bytes, or NULL: the real directory */
	size_t src_len;
};

int kmview_prefix_add(struct kmview_view *view, const struct kmview_prefix *arg);
int kmview_prefix_del(struct kmview_view *view, u64 id);
int kmview_prefix_lookup(struct kmview_view *view, const char *path, size_t len,
			 u64 below, struct kmview_prefix_hit *hit);
bool kmview_prefix_any(struct kmview_view *view);
void kmview_prefix_free(struct kmview_view *view);

/* keys.c */
int kmview_keys_set(struct kmview_view *view, const struct kmview_keys *arg);
bool kmview_keys_active(struct kmview_view *view);
bool kmview_keys_family(struct kmview_view *view, unsigned long family);
bool kmview_keys_ioctl(struct kmview_view *view, unsigned long request);
bool kmview_keys_any_dev(struct kmview_view *view);
bool kmview_keys_dev(struct kmview_view *view, umode_t mode, dev_t rdev);
void kmview_keys_free(struct kmview_view *view);

/* redirect.c: run a call under a redirect natively on the real directory */
struct kmview_redirect {
	struct kmview_prefix_hit hit[KMVIEW_SLOTS];
	char *buf[KMVIEW_SLOTS];	/* the work area of each path, NULL: none */
	char *to[KMVIEW_SLOTS];		/* the rewritten paths, in buf, NULL: none */
	size_t to_len[KMVIEW_SLOTS];
};

enum kmview_verdict kmview_redirect_classify(struct kmview_member *m, unsigned int slot,
					     const char *path, long len,
					     struct kmview_redirect *rd);
bool kmview_redirect_apply(struct kmview_member *m, struct pt_regs *regs,
			   struct kmview_redirect *rd);
void kmview_redirect_release(struct kmview_redirect *rd);

/* vdso.c: hide the vDSO from the program @task (current) has just exec'd. */
void kmview_exec_no_vdso(struct task_struct *task);

#endif /* KMVIEW_INTERNAL_H */
