// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fake_kmview.c - LD_PRELOAD stand-in for /dev/kmview, for test_main.sh.
 *
 * It lets the real kmview binary run its whole start-up and shutdown on a
 * host without the module: open, HELLO, SET_FILTER and ATTACH succeed (or
 * fail as FAKE_KMVIEW_OPEN_ERRNO / FAKE_KMVIEW_ATTACH_ERRNO say), and
 * read() reports the view empty once the daemon has no children left, as
 * the kernel does when its last member exits. With FAKE_KMVIEW_VUCTL set,
 * the first read delivers one vu_check() request; the reply is appended to
 * the file FAKE_KMVIEW_LOG. Nothing is captured: the "members" run natively.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <linux/kmview.h>

static int fk_fd = -1;
static int fk_sent_vuctl;

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

static int fk_env_errno(const char *name)
{
	const char *v = getenv(name);

	return v ? atoi(v) : 0;
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	va_start(ap, flags);
	if (flags & O_CREAT)
		mode = va_arg(ap, mode_t);
	va_end(ap);
	if (strcmp(path, KMVIEW_DEVICE) != 0)
		return REAL(open)(path, flags, mode);
	if (fk_env_errno("FAKE_KMVIEW_OPEN_ERRNO")) {
		errno = fk_env_errno("FAKE_KMVIEW_OPEN_ERRNO");
		return -1;
	}
	fk_fd = REAL(open)("/dev/null", O_RDWR | (flags & O_CLOEXEC));
	return fk_fd;
}

int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd != fk_fd || fd < 0)
		return REAL(ioctl)(fd, req, arg);
	switch (req) {
	case KMVIEW_IOC_HELLO: {
		struct kmview_hello *h = arg;

		h->features &= KMVIEW_FEAT_ALL;
		h->supported = KMVIEW_FEAT_ALL;
		h->read_min = KMVIEW_READ_MIN;
		h->reply_max = KMVIEW_REPLY_MAX;
		h->nr_syscalls = KMVIEW_NR_SYSCALLS;
		return 0;
	}
	case KMVIEW_IOC_SET_FILTER:
	case KMVIEW_IOC_SET_KEYS:
		return 0;
	case KMVIEW_IOC_ATTACH:
		if (fk_env_errno("FAKE_KMVIEW_ATTACH_ERRNO")) {
			errno = fk_env_errno("FAKE_KMVIEW_ATTACH_ERRNO");
			return -1;
		}
		/* The member's programs must not carry the stand-in along. */
		unsetenv("LD_PRELOAD");
		return 0;
	default:
		errno = ENOTTY;
		return -1;
	}
}

/* One vu_check() request: vuctl(VUCTL_GETINFO, NULL). */
static ssize_t fk_vuctl_msg(void *buf)
{
	struct kmview_msg h = { .len = sizeof(h) + sizeof(struct kmview_syscall),
				.type = KMVIEW_MSG_SYSCALL, .unique = 42, .tid = 1, .tgid = 1 };
	struct kmview_syscall sc = { .nr = KMVIEW_VU_VUCTL, .args = { 1 } };

	memset(sc.fd_arg, KMVIEW_NO_ARG, sizeof(sc.fd_arg));
	memset(sc.path_arg, KMVIEW_NO_ARG, sizeof(sc.path_arg));
	memcpy(buf, &h, sizeof(h));
	memcpy((char *)buf + sizeof(h), &sc, sizeof(sc));
	return h.len;
}

ssize_t read(int fd, void *buf, size_t len)
{
	if (fd != fk_fd || fd < 0)
		return REAL(read)(fd, buf, len);
	if (len < KMVIEW_READ_MIN) {
		errno = EINVAL;
		return -1;
	}
	if (getenv("FAKE_KMVIEW_VUCTL") && !fk_sent_vuctl++)
		return fk_vuctl_msg(buf);
	for (;;) {
		siginfo_t si;
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		/* Zombies still count: the view is empty once they are reaped. */
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 && errno == ECHILD)
			return 0;
		if (nanosleep(&ts, NULL) < 0)
			return -1; /* EINTR, as the real read is interruptible */
	}
}

ssize_t write(int fd, const void *buf, size_t len)
{
	const struct kmview_reply *r = buf;
	const char *log = getenv("FAKE_KMVIEW_LOG");

	if (fd != fk_fd || fd < 0)
		return REAL(write)(fd, buf, len);
	if (log) {
		FILE *f = fopen(log, "a");

		if (f) {
			fprintf(f, "reply unique=%llu len=%u kind=%u retval=%lld\n",
				(unsigned long long)r->unique, r->len, r->kind,
				(long long)r->retval);
			fclose(f);
		}
	}
	return (ssize_t)len;
}
