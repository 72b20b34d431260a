// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vdestack_keeper.c - libvdestack's process asks for SIGHUP when its
 * parent dies, and its parent is the thread that called vde_addstack. A
 * request's thread ends with its member or when the pool shrinks, so the
 * stack is made by a thread of the module that lives until the unmount.
 * Debian's libvdestack asks for nothing, and its process shares the
 * hypervisor's files: it would outlive a hypervisor killed with -9. So the
 * keeper also forks a watchdog that the kernel tells of the keeper's death
 * (PR_SET_PDEATHSIG): it then kills the stack's process. The unmount kills
 * the watchdog first.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <string.h>
#include <unistd.h>

#include "vdestack_keeper.h"

struct vds_keeper {
	pthread_t thread;
	int stop[2]; /* stop: a byte, or the end of the pipe */
	int ready[2]; /* the thread's answer: the errno of vde_addstack, 0 if made */
	char *url, *ifname;
	struct vdestack *stack;
	pid_t watchdog; /* 0: none */
};

/* The one child this thread has made: libvdestack's process. 0 if not known. */
static pid_t vds_thread_child(void)
{
	FILE *f = fopen("/proc/thread-self/children", "re");
	int pid = 0, more = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%d %d", &pid, &more) != 1)
		pid = 0; /* none, or more than one: not sure which */
	fclose(f);
	return pid;
}

/* A process that kills @victim when this thread ends; 0 if none could be made. */
static pid_t vds_watchdog(pid_t victim)
{
	pid_t parent = getpid(), pid;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pid = fork();
	if (pid != 0)
		return pid < 0 ? 0 : pid;
	/* the child of a threaded process: system calls only; no copy of any file */
	close_range(0, ~0U, 0);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGUSR1) == 0 && getppid() == parent)
		while (sigwaitinfo(&set, NULL) < 0)
			;
	kill(victim, SIGKILL);
	_exit(0);
}

static void *vds_keeper_run(void *arg)
{
	struct vds_keeper *k = arg;
	int err;
	char c;

	errno = 0;
	k->stack = vde_addstack(k->url, k->ifname);
	err = k->stack ? 0 : errno ? errno : EINVAL;
	if (!err) {
		pid_t helper = vds_thread_child();

		k->watchdog = helper > 0 ? vds_watchdog(helper) : 0;
	}
	if (write(k->ready[1], &err, sizeof(err)) != sizeof(err) || err)
		return NULL;
	while (read(k->stop[0], &c, 1) < 0 && errno == EINTR)
		;
	if (k->watchdog > 0)
		kill(k->watchdog, SIGKILL);
	vde_delstack(k->stack);
	return NULL;
}

static void vds_keeper_free(struct vds_keeper *k)
{
	for (int i = 0; i < 2; i++) {
		if (k->stop[i] >= 0)
			close(k->stop[i]);
		if (k->ready[i] >= 0)
			close(k->ready[i]);
	}
	free(k->url);
	free(k->ifname);
	free(k);
}

struct vds_keeper *vds_keeper_start(const char *url, const char *ifname, struct vdestack **stack)
{
	struct vds_keeper *k = calloc(1, sizeof(*k));
	int err = ENOMEM;

	if (!k)
		return errno = ENOMEM, NULL;
	k->stop[0] = k->stop[1] = k->ready[0] = k->ready[1] = -1;
	k->url = strdup(url);
	k->ifname = strdup(ifname);
	if (!k->url || !k->ifname || pipe2(k->stop, O_CLOEXEC) < 0 ||
	    pipe2(k->ready, O_CLOEXEC) < 0) {
		err = errno ? errno : ENOMEM;
		goto fail;
	}
	err = pthread_create(&k->thread, NULL, vds_keeper_run, k);
	if (err)
		goto fail;
	if (read(k->ready[0], &err, sizeof(err)) != sizeof(err))
		err = EIO;
	if (err) {
		pthread_join(k->thread, NULL);
		goto fail;
	}
	*stack = k->stack;
	return k;
fail:
	vds_keeper_free(k);
	return errno = err, NULL;
}

void vds_keeper_stop(struct vds_keeper *k)
{
	ssize_t n = write(k->stop[1], "", 1); /* if it fails, the close wakes it */

	(void)n;
	close(k->stop[1]);
	k->stop[1] = -1;
	pthread_join(k->thread, NULL);
	vds_keeper_free(k);
}
