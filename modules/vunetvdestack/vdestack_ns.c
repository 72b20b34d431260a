// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vdestack_ns.c - a sysctl of the stack's namespace. The hypervisor's
 * user owns the user namespace libvdestack made, so a child of the
 * hypervisor may enter it (setns wants one thread: a forked child) and
 * then its network namespace, where /proc/sys/net is that stack's. The
 * namespaces come from a socket of the stack (SIOCGSKNS, NS_GET_USERNS).
 * The child reports through a pipe: the hypervisor reaps its children.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <linux/sockios.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vdestack_ns.h"

#define PING_RANGE "/proc/sys/net/ipv4/ping_group_range"

/* In the child: enter, write @val to @file; the errno (0: done) goes to @out. */
static void __attribute__((noreturn))
vds_ns_child(int userns, int netns, const char *file, const char *val, int out)
{
	int e = 0, fd;

	if (setns(userns, CLONE_NEWUSER) < 0 || setns(netns, CLONE_NEWNET) < 0)
		e = errno;
	if (!e && (fd = open(file, O_WRONLY | O_CLOEXEC)) < 0)
		e = errno;
	if (!e && write(fd, val, strlen(val)) < 0)
		e = errno;
	if (write(out, &e, sizeof(e)) < 0)
		_exit(2);
	_exit(e ? 1 : 0);
}

/* Write @val to the sysctl @file of the namespaces of @sockfd. 0 or -1 with errno. */
static int vds_ns_write(int sockfd, const char *file, const char *val, const char **step)
{
	int netns, userns = -1, p[2] = { -1, -1 }, e = 0;
	pid_t pid;
	ssize_t n;

	*step = "SIOCGSKNS";
	netns = ioctl(sockfd, SIOCGSKNS);
	if (netns < 0)
		return -1;
	*step = "NS_GET_USERNS";
	userns = ioctl(netns, NS_GET_USERNS);
	if (userns < 0 || pipe2(p, O_CLOEXEC) < 0)
		goto fail;
	*step = "fork";
	pid = fork();
	if (pid < 0)
		goto fail;
	if (pid == 0)
		vds_ns_child(userns, netns, file, val, p[1]);
	close(p[1]);
	p[1] = -1;
	*step = "setns";
	n = read(p[0], &e, sizeof(e));
	waitpid(pid, NULL, 0); /* the hypervisor's reaper may have it already: ECHILD */
	if (n != sizeof(e))
		e = ECHILD;
	errno = e;
fail:
	e = errno;
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	if (userns >= 0)
		close(userns);
	close(netns);
	errno = e;
	return e ? -1 : 0;
}

int vds_ns_allow_ping(int sockfd, char *err, size_t errlen)
{
	char val[32];
	const char *step;
	gid_t g = getegid();

	/* the user namespace maps the owner's ids only: a range of one group */
	snprintf(val, sizeof(val), "%u %u\n", (unsigned int)g, (unsigned int)g);
	if (vds_ns_write(sockfd, PING_RANGE, val, &step) == 0)
		return 0;
	snprintf(err, errlen, "cannot set %s in the stack (%s): %s", PING_RANGE, step,
		 strerror(errno));
	return -1;
}

/* The number in the sysctl file @path, or -1 if it cannot be read. */
static long vds_sysctl(const char *path)
{
	FILE *f = fopen(path, "re");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

int vds_ns_userns_forbidden(char *err, size_t errlen)
{
	if (vds_sysctl("/proc/sys/kernel/unprivileged_userns_clone") == 0) {
		snprintf(
			err, errlen,
			"unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone=0)");
		return 1;
	}
	if (vds_sysctl("/proc/sys/user/max_user_namespaces") == 0) {
		snprintf(err, errlen, "user namespaces are disabled (user.max_user_namespaces=0)");
		return 1;
	}
	return 0;
}
