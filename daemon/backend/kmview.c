// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * backend/kmview.c - the capture backend over /dev/kmview (kmview.ko).
 *
 * The only file of the daemon that knows the kernel ABI
 * (uapi/linux/kmview.h): it turns the kernel's messages into struct vu_msg
 * and struct vu_reply into the kernel's replies. Every message is checked
 * against its own length before use: a kernel bug must show up as a clear
 * error here, not as a read past the buffer.
 *
 * Threads: only the pool's reader calls kmv_next and owns the read buffer.
 * Replies and KMVIEW_IOC_MEM come from any worker: each is one write or
 * ioctl on a buffer of the caller's, which the kernel takes whole, so
 * they need no lock; they retry on EINTR (the pool's signal may arrive).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <linux/kmview.h>

#include "backend/backend.h"
#include "base/log.h"

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* Sanity bound on what the kernel may ask for as a read buffer. */
#define KMV_READ_MAX (16U << 20)

struct kmv_backend {
	struct vu_backend be;
	int fd;
	uint32_t reply_max;
	/* Messages of the last read(): [pos, end) are not delivered yet. */
	uint8_t *buf;
	size_t bufsize;
	size_t pos;
	size_t end;
};

static struct kmv_backend *kmv(struct vu_backend *be)
{
	return container_of(be, struct kmv_backend, be);
}

static void kmv_open_error(char *err, size_t errlen, int e)
{
	if (e == EACCES || e == EPERM)
		snprintf(err, errlen,
			 "cannot open %s: %s; the udev rule 99-kmview.rules (make install) gives users read-write access to it",
			 KMVIEW_DEVICE, strerror(e));
	else
		snprintf(err, errlen, "cannot open %s: %s; load the module: modprobe kmview",
			 KMVIEW_DEVICE, strerror(e));
}

static int kmv_hello(struct kmv_backend *k, char *err, size_t errlen)
{
	struct kmview_hello hello;

	memset(&hello, 0, sizeof(hello));
	hello.major = KMVIEW_API_MAJOR;
	hello.minor = KMVIEW_API_MINOR;
	/* FORK and EXIT let per-process debug tags follow the processes. */
	hello.features = KMVIEW_FEAT_NOTIFY_FORK | KMVIEW_FEAT_NOTIFY_EXIT;
	if (ioctl(k->fd, KMVIEW_IOC_HELLO, &hello) < 0) {
		int e = errno;

		if (e == EPROTO)
			snprintf(err, errlen,
				 "%s speaks another protocol version than this kmview (%u.%u): install matching kmview and kmview.ko",
				 KMVIEW_DEVICE, KMVIEW_API_MAJOR, KMVIEW_API_MINOR);
		else
			snprintf(err, errlen, "%s: handshake failed: %s", KMVIEW_DEVICE, strerror(e));
		return -e;
	}
	vu_log(LOG_DEBUG, "kmview.ko protocol %u.%u, features %#llx of %#llx, read_min %u, reply_max %u",
	       hello.major, hello.minor, (unsigned long long)hello.features,
	       (unsigned long long)hello.supported, hello.read_min, hello.reply_max);

	k->bufsize = hello.read_min ? hello.read_min : KMVIEW_READ_MIN;
	if (k->bufsize < KMVIEW_READ_MIN)
		k->bufsize = KMVIEW_READ_MIN;
	if (k->bufsize > KMV_READ_MAX) {
		snprintf(err, errlen, "%s: read buffer of %zu bytes asked for, too large",
			 KMVIEW_DEVICE, k->bufsize);
		return -EPROTO;
	}
	k->reply_max = hello.reply_max ? hello.reply_max : KMVIEW_REPLY_MAX;
	if (hello.features & KMVIEW_FEAT_NOTIFY_FORK)
		k->be.features |= VU_BE_NOTIFY_FORK;
	if (hello.features & KMVIEW_FEAT_NOTIFY_EXIT)
		k->be.features |= VU_BE_NOTIFY_EXIT;
	/* a kmview.ko older than 1.2 has no KMVIEW_IOC_SET_KEYS */
	if (hello.supported & KMVIEW_FEAT_KEYS)
		k->be.features |= VU_BE_KEYS;
	/* before 1.3 the kernel refuses KMVIEW_FILTER_ALL_EXECS */
	if (hello.supported & KMVIEW_FEAT_ALL_EXECS)
		k->be.features |= VU_BE_ALL_EXECS;
	/* before 1.4, KMVIEW_FILTER_NO_VDSO */
	if (hello.supported & KMVIEW_FEAT_NO_VDSO)
		k->be.features |= VU_BE_NO_VDSO;
	/* before 1.5, prefixes have no flags */
	if (hello.supported & KMVIEW_FEAT_REDIRECT)
		k->be.features |= VU_BE_REDIRECT;

	/* Nothing is virtual until a module asks: the view starts transparent. */
	uint32_t nbits = hello.nr_syscalls;

	if (nbits == 0 || nbits > KMVIEW_NR_SYSCALLS)
		nbits = KMVIEW_NR_SYSCALLS;
	k->be.nr_syscalls = nbits;
	uint64_t *bitmap = calloc((nbits + 63) / 64, sizeof(*bitmap));
	struct kmview_filter filter;

	if (!bitmap) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	memset(&filter, 0, sizeof(filter));
	filter.bitmap = (uintptr_t)bitmap;
	filter.nr_bits = nbits;
	int ret = ioctl(k->fd, KMVIEW_IOC_SET_FILTER, &filter);
	int e = errno;

	free(bitmap);
	if (ret < 0) {
		snprintf(err, errlen, "%s: cannot set the syscall filter: %s", KMVIEW_DEVICE,
			 strerror(e));
		return -e;
	}
	return 0;
}

static int kmv_open(struct vu_backend **bep, char *err, size_t errlen)
{
	struct kmv_backend *k = calloc(1, sizeof(*k));
	int ret;

	if (!k) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	k->be.ops = &vu_backend_kmview_ops;
	/* Opening creates the view; close-on-exec keeps the fd out of members. */
	k->fd = open(KMVIEW_DEVICE, O_RDWR | O_CLOEXEC);
	if (k->fd < 0) {
		ret = -errno;
		kmv_open_error(err, errlen, -ret);
		free(k);
		return ret;
	}
	ret = kmv_hello(k, err, errlen);
	if (ret == 0) {
		k->buf = malloc(k->bufsize);
		if (!k->buf) {
			snprintf(err, errlen, "%s", strerror(ENOMEM));
			ret = -ENOMEM;
		}
	}
	if (ret < 0) {
		close(k->fd);
		free(k);
		return ret;
	}
	*bep = &k->be;
	return 0;
}

static ssize_t kmv_read_full(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

/*
 * The child tells the parent through a pipe whether it joined: 0 or an
 * errno. EOF means it died before it could say.
 */
static pid_t kmv_spawn(struct vu_backend *be, vu_member_main_t member_main, void *arg)
{
	struct kmv_backend *k = kmv(be);
	int sync[2];
	int joined = 0;
	pid_t pid;

	if (pipe2(sync, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(sync[0]);
		close(sync[1]);
		return -e;
	}
	if (pid == 0) {
		close(sync[0]);
		/*
		 * The daemon made itself non-dumpable, and so this copy of it; the
		 * kernel lets only a process the daemon could ptrace join its view.
		 */
		if (prctl(PR_SET_DUMPABLE, 1) < 0 || ioctl(k->fd, KMVIEW_IOC_ATTACH, 0UL) < 0)
			joined = errno;
		/* A member never holds the view's control fd. */
		close(k->fd);
		if (write(sync[1], &joined, sizeof(joined)) != sizeof(joined))
			_exit(1);
		close(sync[1]);
		if (joined)
			_exit(1);
		int status = member_main(arg);

		fflush(NULL);
		_exit(status);
	}
	close(sync[1]);
	ssize_t n = kmv_read_full(sync[0], &joined, sizeof(joined));

	close(sync[0]);
	if (n == sizeof(joined) && joined == 0)
		return pid;
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return n == sizeof(joined) ? -joined : -ECHILD;
}

static int kmv_bad(struct kmv_backend *k, const char *what, const struct kmview_msg *h)
{
	vu_log(LOG_ERR, "malformed message from %s: %s (type %u, len %u)", KMVIEW_DEVICE, what,
	       h->type, h->len);
	k->pos = k->end; /* the framing is lost: drop the rest of this read */
	return -EPROTO;
}

/* Fill msg from the message at k->pos: 1 if delivered, 0 if skipped, -EPROTO. */
static int kmv_parse(struct kmv_backend *k, struct vu_msg *msg)
{
	const uint8_t *p = k->buf + k->pos;
	struct kmview_msg h;
	size_t avail = k->end - k->pos;

	memset(&h, 0, sizeof(h));
	if (avail < sizeof(h)) {
		memcpy(&h, p, avail);
		return kmv_bad(k, "truncated header", &h);
	}
	memcpy(&h, p, sizeof(h));
	if (h.len < sizeof(h) || h.len % 8 || h.len > avail)
		return kmv_bad(k, "bad length", &h);
	k->pos += h.len;

	const uint8_t *body = p + sizeof(h);
	size_t bodylen = h.len - sizeof(h);

	memset(msg, 0, sizeof(*msg));
	msg->unique = h.unique;
	msg->tid = h.tid;
	msg->tgid = h.tgid;
	switch (h.type) {
	case KMVIEW_MSG_SYSCALL: {
		struct kmview_syscall sc;
		size_t off = sizeof(sc);

		if (bodylen < sizeof(sc))
			return kmv_bad(k, "short syscall body", &h);
		memcpy(&sc, body, sizeof(sc));
		msg->type = VU_MSG_SYSCALL;
		msg->nr = (long)sc.nr;
		memcpy(msg->args, sc.args, sizeof(msg->args));
		for (int i = 0; i < 2; i++) {
			msg->fd_arg[i] = sc.fd_arg[i] < 6 ? sc.fd_arg[i] : VU_NO_ARG;
			msg->vfd[i] = msg->fd_arg[i] == VU_NO_ARG ? 0 : sc.handle[i];
			msg->path_arg[i] = sc.path_arg[i] < 6 ? sc.path_arg[i] : VU_NO_ARG;
		}
		for (int i = 0; i < 2; i++) {
			size_t plen = sc.path_len[i];

			if (plen == 0)
				continue;
			if (off > bodylen || plen > bodylen - off || body[off + plen - 1] != '\0')
				return kmv_bad(k, "bad path", &h);
			msg->path[i] = (const char *)body + off;
			off += (plen + 7) & ~(size_t)7;
		}
		return 1;
	}
	case KMVIEW_MSG_INTERRUPT:
		msg->type = VU_MSG_INTERRUPT;
		return 1;
	case KMVIEW_MSG_RELEASE: {
		struct kmview_release rel;

		if (bodylen < sizeof(rel))
			return kmv_bad(k, "short release body", &h);
		memcpy(&rel, body, sizeof(rel));
		msg->type = VU_MSG_RELEASE;
		msg->handle = rel.handle;
		return 1;
	}
	case KMVIEW_MSG_FORK: {
		struct kmview_fork f;

		if (bodylen < sizeof(f))
			return kmv_bad(k, "short fork body", &h);
		memcpy(&f, body, sizeof(f));
		msg->type = VU_MSG_FORK;
		msg->child = f.child;
		msg->clone_flags = f.clone_flags;
		return 1;
	}
	case KMVIEW_MSG_EXIT:
		msg->type = VU_MSG_EXIT;
		return 1;
	default:
		/* A newer kernel may send more; it asks no reply of us. */
		vu_log(LOG_DEBUG, "unknown message type %u skipped", h.type);
		return 0;
	}
}

static int kmv_next(struct vu_backend *be, struct vu_msg *msg)
{
	struct kmv_backend *k = kmv(be);

	for (;;) {
		if (k->pos < k->end) {
			int ret = kmv_parse(k, msg);

			if (ret != 0)
				return ret;
			continue;
		}
		ssize_t n = kmv_read_full(k->fd, k->buf, k->bufsize);

		if (n < 0)
			return -errno;
		if (n == 0)
			return 0; /* the view had members and has none left */
		k->pos = 0;
		k->end = (size_t)n;
	}
}

#define KMV_ALIGN8(n) (((n) + 7) & ~(size_t)7)

/* The bytes of a reply: header, path, copy segments, each padded to 8. */
static size_t kmv_reply_size(const struct vu_reply *rep, size_t pathlen)
{
	size_t len = sizeof(struct kmview_reply) + KMV_ALIGN8(pathlen);

	for (unsigned int i = 0; i < rep->ncopy; i++)
		len += sizeof(struct kmview_copy) + KMV_ALIGN8(rep->copy[i].len);
	return len;
}

static int kmv_vfd_poll(struct vu_backend *be, uint64_t handle, uint32_t events)
{
	struct kmview_vfd_poll p;

	memset(&p, 0, sizeof(p));
	p.handle = handle;
	p.events = events;
	return ioctl(kmv(be)->fd, KMVIEW_IOC_VFD_POLL, &p) < 0 ? -errno : 0;
}

static int kmv_set_keys(struct vu_backend *be, const struct vu_keys *keys)
{
	struct kmview_dev_key devs[VU_MAX_KEYS];
	struct kmview_keys arg;

	if (!(be->features & VU_BE_KEYS))
		return -ENOTTY;
	if (keys->nioctls > VU_MAX_KEYS || keys->ndevs > VU_MAX_KEYS)
		return -E2BIG;
	memset(&arg, 0, sizeof(arg));
	memset(devs, 0, sizeof(devs));
	for (unsigned int i = 0; i < keys->ndevs; i++) {
		devs[i].major = keys->devs[i].major;
		devs[i].minor = keys->devs[i].minor;
		devs[i].flags = (keys->devs[i].blk ? KMVIEW_DEV_BLK : 0) |
				(keys->devs[i].any_minor ? KMVIEW_DEV_ANY_MINOR : 0);
	}
	arg.families = keys->families;
	arg.ioctls = (uintptr_t)keys->ioctls;
	arg.nr_ioctls = keys->nioctls;
	arg.devs = (uintptr_t)devs;
	arg.nr_devs = keys->ndevs;
	arg.flags = (keys->any_ioctl ? KMVIEW_KEYS_ANY_IOCTL : 0) |
		    (keys->any_chr ? KMVIEW_KEYS_ANY_CHR : 0) |
		    (keys->any_blk ? KMVIEW_KEYS_ANY_BLK : 0);
	return ioctl(kmv(be)->fd, KMVIEW_IOC_SET_KEYS, &arg) < 0 ? -errno : 0;
}

static ssize_t kmv_mem(struct kmv_backend *k, const struct vu_msg *req, uint64_t addr,
		       void *buf, size_t len, uint32_t flags);

/*
 * Copies too large for one reply go through KMVIEW_IOC_MEM first; the
 * member's call then fails with EFAULT, as the kernel would answer for a
 * copy segment it cannot write.
 */
static int kmv_copy_by_mem(struct kmv_backend *k, const struct vu_msg *req,
			   const struct vu_reply *rep)
{
	for (unsigned int i = 0; i < rep->ncopy; i++) {
		const struct vu_copy *c = &rep->copy[i];
		ssize_t n = kmv_mem(k, req, c->addr, (void *)(uintptr_t)c->data, c->len,
				    KMVIEW_MEM_WRITE);

		if (n < 0 || (size_t)n != c->len)
			return -EFAULT;
	}
	return 0;
}

static int kmv_reply(struct vu_backend *be, const struct vu_msg *req, const struct vu_reply *rep)
{
	struct kmv_backend *k = kmv(be);
	struct vu_reply local = *rep;
	size_t pathlen = 0, len;
	struct kmview_reply r;
	uint8_t *buf, *p;
	ssize_t n;

	memset(&r, 0, sizeof(r));
	r.unique = req->unique;
	switch (rep->kind) {
	case VU_REPLY_RETURN:
		r.kind = KMVIEW_REPLY_RETURN;
		r.retval = rep->retval;
		break;
	case VU_REPLY_NATIVE:
		r.kind = KMVIEW_REPLY_NATIVE;
		local.ncopy = 0;
		break;
	case VU_REPLY_REWRITE:
		r.kind = KMVIEW_REPLY_REWRITE;
		memcpy(r.args, rep->args, sizeof(r.args));
		r.argmask = rep->argmask & 0x3f;
		if (rep->path) {
			if (rep->path_arg < 0 || rep->path_arg >= 6)
				return -EINVAL;
			pathlen = strlen(rep->path) + 1;
			if (pathlen > KMVIEW_PATH_MAX)
				return -ENAMETOOLONG;
			r.flags |= KMVIEW_REPLY_F_PATH;
			r.path_arg = (uint32_t)rep->path_arg;
			/* the exact length, NUL included: the padding follows it */
			r.path_len = (uint32_t)pathlen;
		}
		local.ncopy = 0;
		break;
	case VU_REPLY_VFD:
		if (rep->handle == 0)
			return -EINVAL;
		r.kind = KMVIEW_REPLY_VFD;
		r.handle = rep->handle;
		r.open_flags = (uint32_t)rep->open_flags;
		break;
	case VU_REPLY_FILE:
		if (rep->fd < 0)
			return -EBADF;
		r.kind = KMVIEW_REPLY_FILE;
		r.fd = rep->fd;
		r.open_flags = (uint32_t)(rep->open_flags & O_CLOEXEC);
		break;
	case VU_REPLY_MMAP:
		if (rep->fd < 0)
			return -EBADF;
		r.kind = KMVIEW_REPLY_MMAP;
		r.fd = rep->fd;
		memcpy(r.args, rep->args, sizeof(r.args));
		r.args[4] = 0;
		local.ncopy = 0;
		break;
	default:
		return -EINVAL;
	}
	if (rep->cwd & VU_CWD_VIRTUAL)
		r.flags |= KMVIEW_REPLY_F_CWD_VIRTUAL;
	else if (rep->cwd & VU_CWD_REAL)
		r.flags |= KMVIEW_REPLY_F_CWD_REAL;
	len = kmv_reply_size(&local, pathlen);
	if (len > k->reply_max) {
		int ret = kmv_copy_by_mem(k, req, &local);

		local.ncopy = 0;
		len = kmv_reply_size(&local, pathlen);
		if (ret < 0) {
			if (r.kind != KMVIEW_REPLY_RETURN)
				return ret;
			r.retval = ret;
		}
	}
	r.len = (uint32_t)len;
	r.ncopy = local.ncopy;
	buf = calloc(1, len);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, &r, sizeof(r));
	p = buf + sizeof(r);
	if (pathlen) {
		memcpy(p, rep->path, pathlen);
		p += KMV_ALIGN8(pathlen);
	}
	for (unsigned int i = 0; i < local.ncopy; i++) {
		struct kmview_copy c = { .addr = local.copy[i].addr,
					 .len = (uint32_t)local.copy[i].len };

		memcpy(p, &c, sizeof(c));
		p += sizeof(c);
		if (c.len)
			memcpy(p, local.copy[i].data, c.len);
		p += KMV_ALIGN8(c.len);
	}
	do
		n = write(k->fd, buf, len);
	while (n < 0 && errno == EINTR);
	int e = errno;

	free(buf);
	if (n < 0)
		return -e;
	return (size_t)n == len ? 0 : -EIO;
}

static int kmv_set_filter(struct vu_backend *be, const uint64_t *bitmap, unsigned int nbits,
			  unsigned int flags)
{
	struct kmview_filter filter;

	memset(&filter, 0, sizeof(filter));
	filter.bitmap = (uintptr_t)bitmap;
	filter.nr_bits = nbits;
	if (flags & VU_FILTER_STRICT_PATHS)
		filter.flags |= KMVIEW_FILTER_STRICT_PATHS;
	if (flags & VU_FILTER_ALL_EXECS)
		filter.flags |= KMVIEW_FILTER_ALL_EXECS;
	if (flags & VU_FILTER_NO_VDSO)
		filter.flags |= KMVIEW_FILTER_NO_VDSO;
	return ioctl(kmv(be)->fd, KMVIEW_IOC_SET_FILTER, &filter) < 0 ? -errno : 0;
}

static int kmv_add_prefix(struct vu_backend *be, uint64_t id, const char *path,
			  unsigned int flags, const char *src)
{
	struct kmview_prefix pfx;

	memset(&pfx, 0, sizeof(pfx));
	pfx.path = (uintptr_t)path;
	pfx.len = (uint32_t)strlen(path);
	pfx.id = id;
	if (flags & VU_PREFIX_REDIRECT) {
		pfx.flags = KMVIEW_PREFIX_REDIRECT;
		pfx.src = (uintptr_t)src;
		pfx.src_len = (uint32_t)strlen(src);
	} else if (flags & VU_PREFIX_NATIVE) {
		pfx.flags = KMVIEW_PREFIX_NATIVE;
	}
	return ioctl(kmv(be)->fd, KMVIEW_IOC_ADD_PREFIX, &pfx) < 0 ? -errno : 0;
}

static int kmv_del_prefix(struct vu_backend *be, uint64_t id)
{
	__u64 arg = id;

	return ioctl(kmv(be)->fd, KMVIEW_IOC_DEL_PREFIX, &arg) < 0 ? -errno : 0;
}

static ssize_t kmv_mem(struct kmv_backend *k, const struct vu_msg *req, uint64_t addr,
		       void *buf, size_t len, uint32_t flags)
{
	size_t done = 0;

	while (done < len) {
		struct kmview_mem m;
		size_t chunk = len - done;

		if (chunk > k->reply_max)
			chunk = k->reply_max;
		memset(&m, 0, sizeof(m));
		m.unique = req->unique;
		m.addr = addr + done;
		m.buf = (uintptr_t)buf + done;
		m.len = (uint32_t)chunk;
		m.flags = flags;
		int n = ioctl(k->fd, KMVIEW_IOC_MEM, &m);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return done ? (ssize_t)done : -errno;
		}
		done += (size_t)n;
		if ((size_t)n < chunk)
			break; /* an unmapped page */
	}
	return (ssize_t)done;
}

static ssize_t kmv_mem_read(struct vu_backend *be, const struct vu_msg *req, uint64_t addr,
			    void *buf, size_t len)
{
	return kmv_mem(kmv(be), req, addr, buf, len, 0);
}

static ssize_t kmv_mem_write(struct vu_backend *be, const struct vu_msg *req, uint64_t addr,
			     const void *buf, size_t len)
{
	/* The ioctl reads from buf when writing to the member. */
	return kmv_mem(kmv(be), req, addr, (void *)(uintptr_t)buf, len, KMVIEW_MEM_WRITE);
}

static void kmv_close(struct vu_backend *be)
{
	struct kmv_backend *k = kmv(be);

	close(k->fd);
	free(k->buf);
	free(k);
}

const struct vu_backend_ops vu_backend_kmview_ops = {
	.name = "kmview",
	.open = kmv_open,
	.spawn = kmv_spawn,
	.next = kmv_next,
	.reply = kmv_reply,
	.mem_read = kmv_mem_read,
	.mem_write = kmv_mem_write,
	.set_filter = kmv_set_filter,
	.vfd_poll = kmv_vfd_poll,
	.add_prefix = kmv_add_prefix,
	.del_prefix = kmv_del_prefix,
	.set_keys = kmv_set_keys,
	.close = kmv_close,
};
