// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufuse_run.c - a submodule's main() on a stack of its own.
 *
 * main runs in the thread of the mount request until it reaches
 * fuse_loop, which swaps back to the mount; at umount the thread of that
 * request swaps into it again, fuse_loop returns and main ends. So every
 * line of main runs inside a module method, at the mount's epoch: the
 * files it opens (an image in another mount) go through the view
 * (nesting), and the request helpers (vu_mod_gettid) answer for the
 * request that runs it. A thread of its own would run at the epoch
 * "now", outside any request, and see only the real tree.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "vufuse.h"

#define VUFUSE_STACK (8UL << 20) /* the main thread's usual limit; lazily backed */

static __thread struct fuse *vufuse_current;

struct fuse *vufuse_run_current(void)
{
	return vufuse_current;
}

/* The context's first function: makecontext passes ints, so the mount comes by TLS. */
static void vufuse_trampoline(void)
{
	struct fuse *f = vufuse_current;

	f->mainret = f->main(f->argc, f->argv);
	f->state = VUFUSE_ENDED;
	/* back to whoever resumed main last (the mount, or the umount) */
	setcontext(&f->caller);
}

/* Run main's context until it yields or ends; this thread is its caller meanwhile. */
static void vufuse_resume(struct fuse *f)
{
	struct fuse *prev = vufuse_current;

	vufuse_current = f;
	swapcontext(&f->caller, &f->fsctx);
	vufuse_current = prev;
}

int vufuse_run_start(struct fuse *f)
{
	f->stacksize = VUFUSE_STACK;
	f->stack = mmap(NULL, f->stacksize, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (f->stack == MAP_FAILED) {
		f->stack = NULL;
		return -1;
	}
	/* a guard page: an overflow faults instead of writing the heap */
	mprotect(f->stack, 4096, PROT_NONE);
	if (getcontext(&f->fsctx) < 0)
		return -1;
	f->fsctx.uc_stack.ss_sp = f->stack;
	f->fsctx.uc_stack.ss_size = f->stacksize;
	f->fsctx.uc_link = NULL;
	makecontext(&f->fsctx, vufuse_trampoline, 0);
	f->state = VUFUSE_STARTING;
	vufuse_resume(f);
	return f->state == VUFUSE_LOOPING ? 0 : -1;
}

void vufuse_run_yield(struct fuse *f)
{
	f->state = VUFUSE_LOOPING;
	/*
	 * Resumed by vufuse_run_finish, maybe on another thread: no TLS is
	 * touched here after the swap (a compiler may keep a TLS address
	 * across the call); vufuse_resume set that thread's own.
	 */
	swapcontext(&f->fsctx, &f->caller);
}

void vufuse_run_finish(struct fuse *f)
{
	if (f->state == VUFUSE_LOOPING) {
		f->exited = true;
		vufuse_resume(f);
	}
	if (f->stack) {
		munmap(f->stack, f->stacksize);
		f->stack = NULL;
	}
}
