// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_backend_kmview.c - backend/kmview.c against a simulated kmview.ko.
 *
 * The kernel module cannot be loaded on the build host, so this test
 * links backend/kmview.c with open, ioctl, read and write wrapped
 * (-Wl,--wrap=...): the wrappers play the kernel's side of
 * uapi/linux/kmview.h, check what the daemon sends as the kernel does
 * (every reply goes through kmod/reply_check.c, the module's own
 * validator), and hand back crafted messages, well and badly formed.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <linux/kmview.h>

#define _VU_HYPERVISOR
#include <vulib.h>

#include "../../kmod/reply_check.h"
#include "backend/backend.h"
#include "base/debug_tags.h"
#include "base/log.h"
#include "serve.h"
#include "tap.h"

int __real_open(const char *path, int flags, ...);
int __real_ioctl(int fd, unsigned long req, ...);
ssize_t __real_read(int fd, void *buf, size_t len);
ssize_t __real_write(int fd, const void *buf, size_t len);

#define MAX_BATCHES 8
#define MEM_BASE 0x7000ULL

/* The simulated kernel. */
static struct {
	int fd;              /* the view's fd, -1 when not open */
	int open_errno;
	int open_flags;
	int hello_errno;
	uint64_t grant;      /* features the kernel enables */
	uint32_t reply_max;
	bool filter_set;
	bool filter_empty;
	uint32_t filter_flags; /* of the last SET_FILTER */
	int attach_errno;
	int bad_calls;       /* anything the real kernel would refuse */
	uint8_t batch[MAX_BATCHES][KMVIEW_READ_MIN];
	size_t batch_len[MAX_BATCHES];
	int nbatches, next_batch;
	uint64_t held[16];   /* requests delivered and not answered */
	int nheld;
	struct kmview_reply replies[16];
	int nreplies;
	int write_errno;
	uint8_t mem[64];     /* member memory at MEM_BASE */
	int mem_calls;
	struct kmview_keys keys; /* the last SET_KEYS, its arrays copied below */
	uint32_t key_ioctls[4];
	struct kmview_dev_key key_devs[4];
	int nkeys;
	struct kmview_prefix prefix; /* the last ADD_PREFIX, its strings copied below */
	char prefix_path[64], prefix_src[64];
} k;

static void bad(const char *what)
{
	printf("# simulated kernel refuses: %s\n", what);
	k.bad_calls++;
}

int __wrap_open(const char *path, int flags, ...)
{
	if (strcmp(path, KMVIEW_DEVICE) != 0) {
		va_list ap;
		int mode = 0;

		if (flags & O_CREAT) {
			va_start(ap, flags);
			mode = va_arg(ap, int);
			va_end(ap);
		}
		return __real_open(path, flags, mode);
	}
	k.open_flags = flags;
	if (k.open_errno) {
		errno = k.open_errno;
		return -1;
	}
	k.fd = __real_open("/dev/null", O_RDWR | O_CLOEXEC);
	return k.fd;
}

static bool zero(const void *p, size_t n)
{
	const uint8_t *c = p;

	while (n--)
		if (*c++)
			return false;
	return true;
}

static bool is_held(uint64_t unique)
{
	for (int i = 0; i < k.nheld; i++)
		if (k.held[i] == unique)
			return true;
	return false;
}

static int ioc_mem(struct kmview_mem *m)
{
	uint64_t end = MEM_BASE + sizeof(k.mem);
	size_t n;

	k.mem_calls++;
	if (!zero(m->reserved, sizeof(m->reserved)) || (m->flags & ~KMVIEW_MEM_WRITE) ||
	    m->len == 0 || m->len > k.reply_max) {
		bad("MEM arguments");
		errno = EINVAL;
		return -1;
	}
	if (!is_held(m->unique)) {
		errno = ENOENT;
		return -1;
	}
	if (m->addr < MEM_BASE || m->addr >= end) {
		errno = EFAULT;
		return -1;
	}
	n = end - m->addr < m->len ? end - m->addr : m->len;
	if (m->flags & KMVIEW_MEM_WRITE)
		memcpy(k.mem + (m->addr - MEM_BASE), (void *)(uintptr_t)m->buf, n);
	else
		memcpy((void *)(uintptr_t)m->buf, k.mem + (m->addr - MEM_BASE), n);
	return (int)n;
}

static int kern_ioctl(int fd, unsigned long req, void *arg)
{
	if (fd != k.fd || fd < 0)
		return __real_ioctl(fd, req, arg);
	switch (req) {
	case KMVIEW_IOC_HELLO: {
		struct kmview_hello *h = arg;

		if (h->major != KMVIEW_API_MAJOR || h->supported || h->read_min || h->reply_max ||
		    h->nr_syscalls || !zero(h->reserved, sizeof(h->reserved)) ||
		    (h->features & ~KMVIEW_FEAT_ALL))
			bad("HELLO input");
		if (k.hello_errno) {
			errno = k.hello_errno;
			return -1;
		}
		h->features &= k.grant;
		h->supported = k.grant;
		h->read_min = KMVIEW_READ_MIN;
		h->reply_max = k.reply_max;
		h->nr_syscalls = KMVIEW_NR_SYSCALLS;
		return 0;
	}
	case KMVIEW_IOC_SET_FILTER: {
		struct kmview_filter *f = arg;

		uint32_t flags = KMVIEW_FILTER_STRICT_PATHS;

		if (k.grant & KMVIEW_FEAT_ALL_EXECS)
			flags |= KMVIEW_FILTER_ALL_EXECS; /* 1.3 */
		if (k.grant & KMVIEW_FEAT_NO_VDSO)
			flags |= KMVIEW_FILTER_NO_VDSO; /* 1.4 */
		if (f->nr_bits > KMVIEW_NR_SYSCALLS || (f->flags & ~flags) ||
		    !zero(f->reserved, sizeof(f->reserved)))
			bad("SET_FILTER input");
		k.filter_flags = f->flags;
		k.filter_set = true;
		k.filter_empty = zero((void *)(uintptr_t)f->bitmap, (f->nr_bits + 63) / 64 * 8);
		return 0;
	}
	case KMVIEW_IOC_ATTACH:
		if (arg != NULL)
			bad("ATTACH with an argument");
		if (k.attach_errno) {
			errno = k.attach_errno;
			return -1;
		}
		return 0;
	case KMVIEW_IOC_MEM:
		return ioc_mem(arg);
	case KMVIEW_IOC_SET_KEYS: {
		struct kmview_keys *keys = arg;

		if (!(k.grant & KMVIEW_FEAT_KEYS) || !zero(keys->reserved, sizeof(keys->reserved)) ||
		    keys->nr_ioctls > 4 || keys->nr_devs > 4)
			bad("SET_KEYS input");
		k.keys = *keys;
		if (keys->nr_ioctls <= 4)
			memcpy(k.key_ioctls, (void *)(uintptr_t)keys->ioctls, keys->nr_ioctls * 4);
		if (keys->nr_devs <= 4)
			memcpy(k.key_devs, (void *)(uintptr_t)keys->devs,
			       keys->nr_devs * sizeof(k.key_devs[0]));
		k.nkeys++;
		return 0;
	}
	case KMVIEW_IOC_ADD_PREFIX: {
		struct kmview_prefix *p = arg;

		if (p->reserved || p->len >= sizeof(k.prefix_path) ||
		    p->src_len >= sizeof(k.prefix_src) ||
		    ((p->flags & KMVIEW_PREFIX_REDIRECT) != 0) != (p->src != 0))
			bad("ADD_PREFIX input");
		k.prefix = *p;
		snprintf(k.prefix_path, sizeof(k.prefix_path), "%s", (char *)(uintptr_t)p->path);
		snprintf(k.prefix_src, sizeof(k.prefix_src), "%s",
			 p->src ? (char *)(uintptr_t)p->src : "");
		return 0;
	}
	default:
		bad("unknown ioctl");
		errno = ENOTTY;
		return -1;
	}
}

static ssize_t kern_read(int fd, void *buf, size_t len)
{
	if (fd != k.fd || fd < 0)
		return __real_read(fd, buf, len);
	if (len < KMVIEW_READ_MIN) {
		bad("read buffer below read_min");
		errno = EINVAL;
		return -1;
	}
	if (k.next_batch == k.nbatches)
		return 0; /* the view is empty */
	int b = k.next_batch++;

	memcpy(buf, k.batch[b], k.batch_len[b]);
	/* Every request handed out is now taken: the daemon must answer it. */
	for (size_t off = 0; off + sizeof(struct kmview_msg) <= k.batch_len[b];) {
		struct kmview_msg h;

		memcpy(&h, k.batch[b] + off, sizeof(h));
		if (h.len < sizeof(h))
			break;
		if (h.type == KMVIEW_MSG_SYSCALL && k.nheld < 16)
			k.held[k.nheld++] = h.unique;
		off += h.len;
	}
	return (ssize_t)k.batch_len[b];
}

static ssize_t kern_write(int fd, const void *buf, size_t len)
{
	struct kmview_reply r;

	if (fd != k.fd || fd < 0)
		return __real_write(fd, buf, len);
	if (len < sizeof(r) || len % 8) {
		bad("reply length");
		errno = EINVAL;
		return -1;
	}
	memcpy(&r, buf, sizeof(r));
	if (kmview_reply_check(buf, len) < 0) {
		bad("reply rejected by kmview_reply_check");
		errno = EINVAL;
		return -1;
	}
	if (!is_held(r.unique)) {
		bad("reply to a request not taken");
		errno = ENOENT;
		return -1;
	}
	for (int i = 0; i < k.nheld; i++)
		if (k.held[i] == r.unique)
			k.held[i] = k.held[--k.nheld];
	if (k.nreplies < 16)
		k.replies[k.nreplies++] = r;
	if (k.write_errno) {
		errno = k.write_errno;
		k.write_errno = 0;
		return -1;
	}
	return (ssize_t)len;
}

/*
 * The daemon's pool writes replies and reads member memory from several
 * threads while its reader reads: one lock for the whole simulated kernel.
 */
static pthread_mutex_t kern_lock = PTHREAD_MUTEX_INITIALIZER;

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	pthread_mutex_lock(&kern_lock);
	ret = kern_ioctl(fd, req, arg);
	pthread_mutex_unlock(&kern_lock);
	return ret;
}

ssize_t __wrap_read(int fd, void *buf, size_t len)
{
	ssize_t ret;

	if (fd != k.fd || fd < 0)
		return __real_read(fd, buf, len); /* may block: not under the lock */
	pthread_mutex_lock(&kern_lock);
	ret = kern_read(fd, buf, len);
	pthread_mutex_unlock(&kern_lock);
	return ret;
}

ssize_t __wrap_write(int fd, const void *buf, size_t len)
{
	ssize_t ret;

	pthread_mutex_lock(&kern_lock);
	ret = kern_write(fd, buf, len);
	pthread_mutex_unlock(&kern_lock);
	return ret;
}

/* The reply to request @unique, or NULL. */
static const struct kmview_reply *reply_of(uint64_t unique)
{
	for (int i = 0; i < k.nreplies; i++)
		if (k.replies[i].unique == unique)
			return &k.replies[i];
	return NULL;
}

/* ---- building batches ---- */

static uint8_t *cur;
static size_t curlen;

static void batch_begin(void)
{
	cur = k.batch[k.nbatches];
	curlen = 0;
}

static void batch_end(void)
{
	k.batch_len[k.nbatches++] = curlen;
}

static void put(const void *p, size_t n)
{
	memcpy(cur + curlen, p, n);
	curlen += n;
}

static void put_msg(uint16_t type, uint64_t unique, int32_t tid, const void *body, size_t bodylen,
		    uint32_t len_override)
{
	struct kmview_msg h = {
		.len = len_override ? len_override : (uint32_t)(sizeof(h) + bodylen),
		.type = type,
		.unique = unique,
		.tid = tid,
		.tgid = tid,
	};

	put(&h, sizeof(h));
	if (bodylen)
		put(body, bodylen);
}

/* A syscall message with up to two paths; path_len_bump corrupts path 0's length. */
static void put_syscall(uint64_t unique, int32_t tid, int64_t nr, uint64_t a0, uint64_t a1,
			const char *p0, const char *p1, int path_len_bump)
{
	uint8_t body[sizeof(struct kmview_syscall) + 2 * 256];
	struct kmview_syscall sc;
	size_t off = sizeof(sc);
	const char *paths[2] = { p0, p1 };

	memset(body, 0, sizeof(body));
	memset(&sc, 0, sizeof(sc));
	sc.nr = nr;
	sc.args[0] = a0;
	sc.args[1] = a1;
	sc.fd_arg[0] = sc.fd_arg[1] = KMVIEW_NO_ARG;
	sc.path_arg[0] = sc.path_arg[1] = KMVIEW_NO_ARG;
	for (int i = 0; i < 2; i++) {
		if (!paths[i])
			continue;
		size_t n = strlen(paths[i]) + 1;

		sc.path_arg[i] = (uint8_t)i;
		sc.path_len[i] = (uint16_t)n;
		memcpy(body + off, paths[i], n);
		off += (n + 7) & ~(size_t)7;
	}
	sc.path_len[0] = (uint16_t)(sc.path_len[0] + path_len_bump);
	memcpy(body, &sc, sizeof(sc));
	put_msg(KMVIEW_MSG_SYSCALL, unique, tid, body, off, 0);
}

static void reset(void)
{
	memset(&k, 0, sizeof(k));
	k.fd = -1;
	k.grant = KMVIEW_FEAT_ALL;
	k.reply_max = KMVIEW_REPLY_MAX;
}

static struct vu_backend *open_be(void)
{
	struct vu_backend *be = NULL;
	char err[256];

	if (vu_backend_kmview_ops.open(&be, err, sizeof(err)) < 0) {
		printf("# open failed: %s\n", err);
		return NULL;
	}
	return be;
}

/* ---- tests ---- */

static void test_open(void)
{
	struct vu_backend *be;
	char err[256];

	reset();
	k.open_errno = ENOENT;
	is_long(vu_backend_kmview_ops.open(&be, err, sizeof(err)), -ENOENT, "no device: ENOENT");
	ok(strstr(err, "cannot open /dev/kmview: No such file or directory; load the module: modprobe kmview"),
	   "tells to load the module");
	k.open_errno = EACCES;
	is_long(vu_backend_kmview_ops.open(&be, err, sizeof(err)), -EACCES, "no access: EACCES");
	ok(strstr(err, "Permission denied") && strstr(err, "udev"), "names the udev rule");
	k.open_errno = 0;
	k.hello_errno = EPROTO;
	is_long(vu_backend_kmview_ops.open(&be, err, sizeof(err)), -EPROTO, "another major: EPROTO");
	ok(strstr(err, "protocol"), "says the versions differ");

	reset();
	be = open_be();
	ok(be != NULL, "open with a kernel that grants everything");
	if (!be)
		return;
	is_long(k.open_flags, O_RDWR | O_CLOEXEC, "opened O_RDWR|O_CLOEXEC");
	ok(k.filter_set && k.filter_empty, "an empty filter: the view starts transparent");
	ok(k.filter_flags == 0, "and no flag");
	is_long(be->features,
		VU_BE_NOTIFY_FORK | VU_BE_NOTIFY_EXIT | VU_BE_KEYS | VU_BE_ALL_EXECS | VU_BE_NO_VDSO |
			VU_BE_REDIRECT,
		"FORK and EXIT notifications on, keys, every exec, no vDSO, redirects");
	be->ops->close(be);

	reset();
	k.grant = 0;
	be = open_be();
	ok(be && be->features == 0, "an older kernel without notifications: none claimed");
	if (be)
		be->ops->close(be);
	is_long(k.bad_calls, 0, "the handshakes were well formed");
}

static void test_keys(void)
{
	static struct vu_keys keys;
	struct vu_backend *be;

	reset();
	be = open_be();
	if (!be)
		return;
	memset(&keys, 0, sizeof(keys));
	keys.families = 1ULL << 10;
	keys.ioctls[0] = 0x5401;
	keys.nioctls = 1;
	keys.devs[0] = (struct vu_dev_key){ .major = 1, .minor = 3 };
	keys.devs[1] = (struct vu_dev_key){ .major = 8, .blk = true, .any_minor = true };
	keys.ndevs = 2;
	keys.any_chr = true;
	is_long(be->ops->set_keys(be, &keys), 0, "set_keys");
	ok(k.nkeys == 1 && k.keys.families == 1ULL << 10 && k.keys.nr_ioctls == 1 &&
		   k.key_ioctls[0] == 0x5401, "families and requests as given");
	ok(k.keys.flags == KMVIEW_KEYS_ANY_CHR, "any char device: KMVIEW_KEYS_ANY_CHR alone");
	ok(k.keys.nr_devs == 2 && k.key_devs[0].major == 1 && k.key_devs[0].minor == 3 &&
		   k.key_devs[0].flags == 0, "1:3, a character device");
	ok(k.key_devs[1].major == 8 && k.key_devs[1].flags == (KMVIEW_DEV_BLK | KMVIEW_DEV_ANY_MINOR),
	   "block major 8, any minor");
	be->ops->close(be);

	reset();
	k.grant = KMVIEW_FEAT_NOTIFY_FORK | KMVIEW_FEAT_NOTIFY_EXIT;
	be = open_be();
	if (!be)
		return;
	ok(!(be->features & VU_BE_KEYS), "a kmview.ko before 1.2: no keys");
	is_long(be->ops->set_keys(be, &keys), -ENOTTY, "set_keys is ENOTTY");
	is_long(k.nkeys, 0, "and never reaches the kernel");
	be->ops->close(be);
	is_long(k.bad_calls, 0, "every SET_KEYS was well formed");
}

/* set_filter's flags become the kernel's; ALL_EXECS only from a 1.3 kernel on. */
static void test_filter_flags(void)
{
	static uint64_t bitmap[KMVIEW_NR_SYSCALLS / 64];
	struct vu_backend *be;

	reset();
	be = open_be();
	if (!be)
		return;
	is_long(be->ops->set_filter(be, bitmap, KMVIEW_NR_SYSCALLS, VU_FILTER_ALL_EXECS), 0,
		"set_filter with ALL_EXECS");
	is_long(k.filter_flags, KMVIEW_FILTER_ALL_EXECS, "KMVIEW_FILTER_ALL_EXECS");
	be->ops->set_filter(be, bitmap, KMVIEW_NR_SYSCALLS,
			    VU_FILTER_STRICT_PATHS | VU_FILTER_ALL_EXECS);
	is_long(k.filter_flags, KMVIEW_FILTER_STRICT_PATHS | KMVIEW_FILTER_ALL_EXECS,
		"with STRICT_PATHS, both");
	be->ops->set_filter(be, bitmap, KMVIEW_NR_SYSCALLS, VU_FILTER_STRICT_PATHS);
	is_long(k.filter_flags, KMVIEW_FILTER_STRICT_PATHS, "STRICT_PATHS alone");
	be->ops->set_filter(be, bitmap, KMVIEW_NR_SYSCALLS, VU_FILTER_NO_VDSO);
	is_long(k.filter_flags, KMVIEW_FILTER_NO_VDSO, "KMVIEW_FILTER_NO_VDSO");
	be->ops->close(be);

	reset();
	k.grant = KMVIEW_FEAT_NOTIFY_FORK | KMVIEW_FEAT_NOTIFY_EXIT | KMVIEW_FEAT_KEYS;
	be = open_be();
	if (!be)
		return;
	ok(!(be->features & VU_BE_ALL_EXECS), "a kmview.ko before 1.3: not every exec");
	ok(!(be->features & VU_BE_NO_VDSO), "... nor the vDSO hidden");
	ok(!(be->features & VU_BE_REDIRECT), "... nor redirects");
	be->ops->close(be);
	is_long(k.bad_calls, 0, "every SET_FILTER was well formed");
}

static void test_prefixes(void)
{
	struct vu_backend *be;

	reset();
	be = open_be();
	if (!be)
		return;
	is_long(be->ops->add_prefix(be, 7, "/mnt", 0, NULL), 0, "add_prefix");
	ok(k.prefix.id == 7 && k.prefix.flags == 0 && k.prefix.len == 4 && !k.prefix.src &&
		   !strcmp(k.prefix_path, "/mnt"),
	   "a plain prefix: no flag, no source");
	is_long(be->ops->add_prefix(be, 8, "/dst", VU_PREFIX_REDIRECT, "/usr/src"), 0,
		"add_prefix of a redirect");
	ok(k.prefix.flags == KMVIEW_PREFIX_REDIRECT && k.prefix.src_len == 8 &&
		   !strcmp(k.prefix_src, "/usr/src") && !strcmp(k.prefix_path, "/dst"),
	   "KMVIEW_PREFIX_REDIRECT with its real directory");
	is_long(be->ops->add_prefix(be, 9, "/dst/x", VU_PREFIX_NATIVE, NULL), 0,
		"add_prefix of a real tree");
	ok(k.prefix.flags == KMVIEW_PREFIX_NATIVE && !k.prefix.src && k.prefix.src_len == 0,
	   "KMVIEW_PREFIX_NATIVE, no source");
	be->ops->close(be);
	is_long(k.bad_calls, 0, "every ADD_PREFIX was well formed");
}

static void test_messages(void)
{
	struct kmview_fork fk = { .child = 77, .clone_flags = 0x11 };
	struct kmview_release rel = { .handle = 99 };
	uint8_t junk[8] = { 0 };
	struct vu_backend *be;
	struct vu_msg m;

	reset();
	batch_begin();
	put_syscall(5, 10, -4, 1, 0x1234, "/tmp/a", "/b/c/d", 0);
	put_msg(KMVIEW_MSG_FORK, 0, 10, &fk, sizeof(fk), 0);
	put_msg(99, 0, 10, junk, sizeof(junk), 0); /* a newer kernel's message */
	put_msg(KMVIEW_MSG_INTERRUPT, 5, 10, NULL, 0, 0);
	put_msg(KMVIEW_MSG_RELEASE, 0, 10, &rel, sizeof(rel), 0);
	put_msg(KMVIEW_MSG_EXIT, 0, 77, NULL, 0, 0);
	batch_end();
	be = open_be();
	if (!be)
		return;

	is_long(be->ops->next(be, &m), 1, "a syscall message");
	ok(m.type == VU_MSG_SYSCALL && m.unique == 5 && m.tid == 10 && m.tgid == 10, "header fields");
	ok(m.nr == -4 && m.args[0] == 1 && m.args[1] == 0x1234, "number and arguments");
	is_str(m.path[0], "/tmp/a", "path 0");
	is_str(m.path[1], "/b/c/d", "path 1, after path 0's padding");
	struct vu_reply rep = { .kind = VU_REPLY_RETURN, .retval = -EINTR };

	is_long(be->ops->reply(be, &m, &rep), 0, "reply RETURN -EINTR");
	ok(k.nreplies == 1 && k.replies[0].unique == 5 && k.replies[0].kind == KMVIEW_REPLY_RETURN &&
		   k.replies[0].retval == -EINTR && k.replies[0].len == sizeof(struct kmview_reply),
	   "the kernel got unique, kind, retval and len");
	struct vu_reply file = { .kind = VU_REPLY_FILE, .fd = 0, .open_flags = O_CLOEXEC,
				 .cwd = VU_CWD_VIRTUAL };

	k.held[k.nheld++] = m.unique; /* taken again: the encoding of more replies */
	is_long(be->ops->reply(be, &m, &file), 0, "reply FILE with a virtual cwd");
	ok(k.nreplies == 2 && k.replies[1].kind == KMVIEW_REPLY_FILE && k.replies[1].fd == 0 &&
		   k.replies[1].open_flags == O_CLOEXEC &&
		   k.replies[1].flags == KMVIEW_REPLY_F_CWD_VIRTUAL,
	   "the kernel got the fd, O_CLOEXEC and the cwd flag");
	file.fd = -1;
	is_long(be->ops->reply(be, &m, &file), -EBADF, "FILE without a file: EBADF");
	struct vu_reply back = { .kind = VU_REPLY_NATIVE, .cwd = VU_CWD_REAL };

	k.held[k.nheld++] = m.unique;
	is_long(be->ops->reply(be, &m, &back), 0, "reply NATIVE, the cwd real again");
	ok(k.nreplies == 3 && k.replies[2].flags == KMVIEW_REPLY_F_CWD_REAL, "CWD_REAL sent");
	is_long(be->ops->next(be, &m), 1, "a fork message");
	ok(m.type == VU_MSG_FORK && m.tid == 10 && m.child == 77 && m.clone_flags == 0x11, "fork fields");
	is_long(be->ops->next(be, &m), 1, "an unknown type is skipped");
	ok(m.type == VU_MSG_INTERRUPT && m.unique == 5, "the interrupt comes next");
	is_long(be->ops->next(be, &m), 1, "a release message");
	ok(m.type == VU_MSG_RELEASE && m.handle == 99, "release fields");
	is_long(be->ops->next(be, &m), 1, "an exit message");
	ok(m.type == VU_MSG_EXIT && m.tid == 77, "exit fields");
	is_long(be->ops->next(be, &m), 0, "read returns 0: the view is empty");
	be->ops->close(be);
	is_long(k.bad_calls, 0, "nothing the kernel would refuse");
}

static void test_malformed(void)
{
	struct vu_backend *be;
	struct vu_msg m;

	reset();
	batch_begin();
	put_msg(KMVIEW_MSG_EXIT, 0, 1, NULL, 0, 28); /* not a multiple of 8 */
	batch_end();
	batch_begin();
	put_syscall(1, 1, 39, 0, 0, "/x", NULL, 9); /* path longer than the message */
	batch_end();
	batch_begin();
	put_syscall(2, 1, 39, 0, 0, "/abcdefg", NULL, -1); /* path without its NUL */
	batch_end();
	batch_begin();
	put_msg(KMVIEW_MSG_FORK, 0, 1, NULL, 0, 0); /* fork without a body */
	put_msg(KMVIEW_MSG_EXIT, 0, 1, NULL, 0, 0);
	batch_end();
	batch_begin();
	put_msg(KMVIEW_MSG_EXIT, 0, 3, NULL, 0, 0);
	batch_end();
	be = open_be();
	if (!be)
		return;
	vu_log_set_level(-1); /* the errors are expected */
	is_long(be->ops->next(be, &m), -EPROTO, "length not a multiple of 8: EPROTO");
	is_long(be->ops->next(be, &m), -EPROTO, "path past the end: EPROTO");
	is_long(be->ops->next(be, &m), -EPROTO, "path without NUL: EPROTO");
	is_long(be->ops->next(be, &m), -EPROTO, "short fork body: EPROTO");
	is_long(be->ops->next(be, &m), 1, "the rest of a broken batch is dropped, the next read works");
	ok(m.type == VU_MSG_EXIT && m.tid == 3, "from the next batch");
	vu_log_set_level(LOG_WARNING);
	k.nheld = 0; /* the refused requests would be withdrawn */
	be->ops->close(be);
}

static void test_mem(void)
{
	struct vu_backend *be;
	struct vu_msg m;
	char buf[64];

	reset();
	k.reply_max = 16; /* forces the backend to split */
	batch_begin();
	put_syscall(9, 1, -4, 0, 0, NULL, NULL, 0);
	batch_end();
	for (size_t i = 0; i < sizeof(k.mem); i++)
		k.mem[i] = (uint8_t)i;
	be = open_be();
	if (!be)
		return;
	be->ops->next(be, &m);
	k.mem_calls = 0;
	is_long(be->ops->mem_read(be, &m, MEM_BASE, buf, 40), 40, "read 40 bytes");
	is_long(k.mem_calls, 3, "in chunks of reply_max: 16 + 16 + 8");
	ok(buf[0] == 0 && buf[39] == 39, "the right bytes");
	is_long(be->ops->mem_read(be, &m, MEM_BASE + 60, buf, 10), 4, "short at the end of the mapping");
	is_long(be->ops->mem_read(be, &m, 0x100, buf, 10), -EFAULT, "unmapped: EFAULT");
	is_long(be->ops->mem_read(be, &m, MEM_BASE, buf, 0), 0, "0 bytes: no ioctl (the kernel refuses len 0)");
	is_long(be->ops->mem_write(be, &m, MEM_BASE + 2, "hey", 3), 3, "write 3 bytes");
	ok(memcmp(k.mem + 2, "hey", 3) == 0, "into the member");
	struct vu_reply native = { .kind = VU_REPLY_NATIVE };

	k.write_errno = ENOENT;
	is_long(be->ops->reply(be, &m, &native), -ENOENT, "reply when the member left: ENOENT");
	is_long(k.replies[0].kind, KMVIEW_REPLY_NATIVE, "a NATIVE reply");
	is_long(be->ops->mem_read(be, &m, MEM_BASE, buf, 1), -ENOENT, "after the reply: ENOENT");
	be->ops->close(be);
	is_long(k.bad_calls, 0, "every MEM call was well formed");
}

static int member_main(void *arg)
{
	return *(int *)arg;
}

static void test_spawn(void)
{
	struct vu_backend *be;
	int code = 7, status = 0;

	reset();
	be = open_be();
	if (!be)
		return;
	pid_t pid = be->ops->spawn(be, member_main, &code);

	ok(pid > 0, "spawn: the child joined");
	ok(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		   WEXITSTATUS(status) == 7,
	   "it ran member_main and exited with its result");
	k.attach_errno = EPERM;
	is_long(be->ops->spawn(be, member_main, &code), -EPERM, "ATTACH refused: the errno comes back");
	is_long(waitpid(-1, NULL, WNOHANG), -1, "and the child is already reaped");
	be->ops->close(be);
}

/* The whole path: kernel messages in, vu_serve, replies out. */
static void test_serve(void)
{
	struct vu_backend *be;

	reset();
	batch_begin();
	put_syscall(1, 50, __NR_vuctl, VUCTL_GETINFO, 0, NULL, NULL, 0);
	put_syscall(2, 50, 39, 0, 0, NULL, NULL, 0);
	put_syscall(3, 51, __NR_vu_insmod, MEM_BASE, 0, NULL, NULL, 0);
	batch_end();
	batch_begin();
	put_syscall(4, 50, __NR_vuctl, VUCTL_SETNAME, MEM_BASE, NULL, NULL, 0);
	batch_end();
	memcpy(k.mem, "served", 7);
	be = open_be();
	if (!be)
		return;
	vu_log_set_level(LOG_CRIT); /* insmod's error is expected */
	is_long(vu_serve(be), 0, "vu_serve ends when read returns 0");
	vu_log_set_level(LOG_WARNING);
	is_long(k.nreplies, 4, "four requests, four replies");
	/* served by the pool: in any order */
	const struct kmview_reply *r1 = reply_of(1), *r2 = reply_of(2), *r3 = reply_of(3),
				  *r4 = reply_of(4);

	ok(r1 && r1->kind == KMVIEW_REPLY_RETURN && r1->retval == 0, "vu_check: RETURN 0");
	ok(r2 && r2->kind == KMVIEW_REPLY_NATIVE, "getpid: NATIVE");
	ok(r3 && r3->retval == -ENOENT, "vu_insmod of an unknown module: RETURN -ENOENT");
	ok(r4 && r4->retval == 0, "vu_setname through KMVIEW_IOC_MEM");
	is_long(k.nheld, 0, "nothing left unanswered");
	is_long(k.bad_calls, 0, "every reply passed kmview_reply_check");
	be->ops->close(be);
}

int main(void)
{
	vu_debug_tags_init();
	test_open();
	test_keys();
	test_filter_flags();
	test_prefixes();
	test_messages();
	test_malformed();
	test_mem();
	test_spawn();
	test_serve();
	return tap_done();
}
