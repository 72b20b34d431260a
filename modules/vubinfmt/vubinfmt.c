// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vubinfmt.c - binfmt_misc for the programs of a view (VUOS's vubinfmt,
 * umview's umbinfmt), with Linux's interface:
 *
 *   vu_insmod vubinfmt
 *   vumount -t vubinfmt none /proc/sys/fs/binfmt_misc   (or any directory)
 *   echo ':qemu-arm:M::\x7fELF...:\xff...:/usr/bin/qemu-arm-static:F' > .../register
 *
 * The mount is a directory of `register` (0200), `status` (0644) and one
 * file per entry (0644), all the view owner's. A write to `register` is one
 * register string (bfm.c: the kernel's syntax, flags P O C F); a bad one
 * fails that write with EINVAL (EEXIST for a name in use, ENOENT/EACCES
 * for an F interpreter that is not there or not executable) and nothing is
 * registered. "0", "1", "-1" written to an entry disable, enable, remove
 * it; to `status`, the whole mount (-1: every entry). Reading an entry
 * gives Linux's text (enabled/disabled, interpreter, flags, extension or
 * offset, magic, mask); `status` reads "enabled" or "disabled".
 *
 * Each mount is a binfmt_misc instance of its own and claims, with a
 * CHECKBINFMT wildcard, the execs of the view that its entries match: the
 * newest entry first, as in Linux; an entry that matches makes the
 * confirm function write "#!interpreter" into the request, and the
 * hypervisor runs the interpreter with the file's path as its argument
 * (daemon/sc/binfmt.c): argv is "interpreter path argv[1]...", or with P
 * "interpreter path argv[0] argv[1]...". The kernel's own binfmt_misc is
 * not touched.
 *
 * Flags, and how they differ from Linux's:
 *  P  as Linux.
 *  F  the interpreter is checked at registration (it must exist and be an
 *     executable regular file: else the write fails as Linux's does,
 *     ENOENT or EACCES) and, at exec, found from the view's root, not the
 *     member's chroot. The file is not held open: a later removal of it
 *     makes the exec fail (Linux runs the file it opened). An F
 *     interpreter must be an absolute path (ENOSYS otherwise).
 *  O, C  refused with ENOSYS and a log line: the interpreter would need
 *     the binary's fd as AT_EXECFD in its auxiliary vector, which only
 *     the kernel can put there. A view never changes credentials at exec
 *     (no_new_privs), so C would add nothing else.
 * An interpreter with a blank in its path is refused with ENOSYS (the
 * hypervisor takes the interpreter line as "#!interpreter [arg]"). The
 * magic must lie in the first 128 bytes (Linux 6.1 allows 256).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <vumodule.h>

#include "bfm.h"

VU_PROTOTYPES(vubinfmt)

struct vu_module_t vu_module = {
	.name = "vubinfmt",
	.description = "binfmt_misc per view: register interpreters by magic or extension",
};

/* binfmt_misc's f_type (BINFMTFS_MAGIC) */
#define VBM_FS_MAGIC 0x42494e4d
/* The inodes of Linux's binfmt_misc: the root 1, status 2, register 3, entries after. */
#define VBM_INO_ROOT 1
#define VBM_INO_STATUS 2
#define VBM_INO_REGISTER 3
#define VBM_INO_FIRST 4

struct vbm_node {
	struct vbm_node *next;
	struct bfm_entry e;
	ino_t ino;
	struct timespec time;
	int refs; /* the list, and each open file of it */
	bool listed; /* in the mount's list (else removed, kept for its open files) */
};

struct vbm_mount {
	pthread_mutex_t lock;
	bool enabled;
	ino_t next_ino;
	struct vbm_node *head; /* the newest first: the order of the match */
	struct timespec mtime; /* of the directory: the last register or removal */
	struct timespec time; /* the mount's */
	uid_t uid;
	gid_t gid;
	struct vuht_entry_t *path_ht;
	struct vuht_entry_t *binfmt_ht;
};

enum vbm_kind {
	VBM_ROOT,
	VBM_STATUS,
	VBM_REGISTER,
	VBM_ENTRY
};

struct vbm_file {
	struct vbm_mount *m;
	enum vbm_kind kind;
	struct vbm_node *node; /* VBM_ENTRY: held */
	int flags; /* open's */
	off_t pos; /* a file's offset; a directory's next entry */
};

static int vbm_next_sfd = 1;

static void vbm_node_put(struct vbm_node *n)
{
	if (--n->refs == 0)
		free(n);
}

/* The entry @name of @m (lock held), or NULL. */
static struct vbm_node *vbm_find(struct vbm_mount *m, const char *name)
{
	for (struct vbm_node *n = m->head; n; n = n->next)
		if (strcmp(n->e.name, name) == 0)
			return n;
	return NULL;
}

/* Take @n out of the list of @m (lock held): its open files keep it. */
static void vbm_unlist(struct vbm_mount *m, struct vbm_node *n)
{
	for (struct vbm_node **pp = &m->head; *pp; pp = &(*pp)->next) {
		if (*pp == n) {
			*pp = n->next;
			n->next = NULL;
			n->listed = false;
			clock_gettime(CLOCK_REALTIME, &m->mtime);
			vbm_node_put(n);
			return;
		}
	}
}

/*
 * What @path (inside the mount) names: 0 with its kind (and, for an
 * entry, the node, not held) or -errno. Lock held.
 */
static int vbm_lookup(struct vbm_mount *m, const char *path, enum vbm_kind *kind,
		      struct vbm_node **node)
{
	const char *name = path;
	const char *slash;

	*node = NULL;
	while (*name == '/')
		name++;
	if (!*name) {
		*kind = VBM_ROOT;
		return 0;
	}
	slash = strchr(name, '/');
	if (slash) {
		/* below one of the files: each is a file, not a directory */
		char first[BFM_NAME_MAX + 1];
		size_t len = (size_t)(slash - name);

		if (len > BFM_NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(first, name, len);
		first[len] = '\0';
		if (!strcmp(first, "status") || !strcmp(first, "register") || vbm_find(m, first))
			return -ENOTDIR;
		return -ENOENT;
	}
	if (!strcmp(name, "status")) {
		*kind = VBM_STATUS;
		return 0;
	}
	if (!strcmp(name, "register")) {
		*kind = VBM_REGISTER;
		return 0;
	}
	*node = vbm_find(m, name);
	if (!*node)
		return -ENOENT;
	*kind = VBM_ENTRY;
	return 0;
}

static void vbm_fill_stat(struct vbm_mount *m, enum vbm_kind kind, struct vbm_node *n,
			  struct vu_stat *buf)
{
	memset(buf, 0, sizeof(*buf));
	buf->st_uid = m->uid;
	buf->st_gid = m->gid;
	buf->st_blksize = 4096;
	buf->st_nlink = 1;
	buf->st_atim = buf->st_mtim = buf->st_ctim = m->time;
	switch (kind) {
	case VBM_ROOT:
		buf->st_mode = S_IFDIR | 0755;
		buf->st_ino = VBM_INO_ROOT;
		buf->st_nlink = 2;
		buf->st_mtim = buf->st_ctim = m->mtime;
		break;
	case VBM_STATUS:
		buf->st_mode = S_IFREG | 0644;
		buf->st_ino = VBM_INO_STATUS;
		break;
	case VBM_REGISTER:
		buf->st_mode = S_IFREG | 0200;
		buf->st_ino = VBM_INO_REGISTER;
		break;
	case VBM_ENTRY:
		buf->st_mode = S_IFREG | 0644;
		buf->st_ino = n->ino;
		buf->st_atim = buf->st_mtim = buf->st_ctim = n->time;
		if (!n->listed)
			buf->st_nlink = 0;
		break;
	}
}

int vu_vubinfmt_lstat(char *pathname, struct vu_stat *buf, int flags, int sfd, void *fdprivate)
{
	struct vbm_mount *m = vu_get_ht_private_data();
	struct vbm_file *f = fdprivate;
	struct vbm_node *n;
	enum vbm_kind kind;
	int ret;

	(void)flags;
	(void)sfd;
	if (!m) {
		errno = ENOENT;
		return -1;
	}
	pthread_mutex_lock(&m->lock);
	if (f) {
		/* an open file: itself, even an entry removed since */
		vbm_fill_stat(m, f->kind, f->node, buf);
		pthread_mutex_unlock(&m->lock);
		return 0;
	}
	ret = vbm_lookup(m, pathname, &kind, &n);
	if (ret == 0)
		vbm_fill_stat(m, kind, n, buf);
	pthread_mutex_unlock(&m->lock);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}

/* The permission bits against the caller's ids (the view owner's: the daemon's). */
int vu_vubinfmt_access(char *path, int mode, int flags)
{
	struct vu_stat st;
	uid_t uid = (flags & AT_EACCESS) ? geteuid() : getuid();
	mode_t bits;

	if (vu_vubinfmt_lstat(path, &st, 0, -1, NULL) < 0)
		return -1;
	if (mode == F_OK)
		return 0;
	if (uid == 0)
		bits = 6 | (st.st_mode & 0111 ? 1 : 0);
	else if (uid == st.st_uid)
		bits = (st.st_mode >> 6) & 7;
	else
		bits = st.st_mode & 7;
	if ((mode & R_OK && !(bits & 4)) || (mode & W_OK && !(bits & 2)) ||
	    (mode & X_OK && !(bits & 1))) {
		errno = EACCES;
		return -1;
	}
	return 0;
}

int vu_vubinfmt_open(const char *pathname, int flags, mode_t mode, void **fdprivate)
{
	struct vbm_mount *m = vu_get_ht_private_data();
	int acc = flags & O_ACCMODE;
	struct vbm_file *f;
	struct vbm_node *n;
	enum vbm_kind kind;
	int ret;

	(void)mode;
	if (!m) {
		errno = ENOENT;
		return -1;
	}
	pthread_mutex_lock(&m->lock);
	ret = vbm_lookup(m, pathname, &kind, &n);
	if (ret == -ENOENT && (flags & O_CREAT))
		ret = -EACCES; /* no file is made here but by register, as in Linux */
	else if (ret == 0 && (flags & O_CREAT) && (flags & O_EXCL))
		ret = -EEXIST;
	else if (ret == 0 && kind == VBM_ROOT && acc != O_RDONLY)
		ret = -EISDIR;
	else if (ret == 0 && kind != VBM_ROOT && (flags & O_DIRECTORY))
		ret = -ENOTDIR;
	else if (ret == 0 && kind == VBM_REGISTER && acc != O_WRONLY)
		ret = -EACCES; /* mode 0200 */
	if (ret == 0) {
		f = calloc(1, sizeof(*f));
		if (!f) {
			ret = -ENOMEM;
		} else {
			f->m = m;
			f->kind = kind;
			f->flags = flags;
			f->node = n;
			if (n)
				n->refs++;
			*fdprivate = f;
			ret = __atomic_fetch_add(&vbm_next_sfd, 1, __ATOMIC_RELAXED) & 0x3fffffff;
		}
	}
	pthread_mutex_unlock(&m->lock);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	printkdebug(B, "open %s kind %d flags 0%o", pathname, (int)kind, (unsigned int)flags);
	return ret;
}

int vu_vubinfmt_close(int fd, void *fdprivate)
{
	struct vbm_file *f = fdprivate;

	(void)fd;
	if (!f) {
		errno = EBADF;
		return -1;
	}
	if (f->node) {
		pthread_mutex_lock(&f->m->lock);
		vbm_node_put(f->node);
		pthread_mutex_unlock(&f->m->lock);
	}
	free(f);
	return 0;
}

/* The text of @f now (lock held) in @buf: its length. */
static size_t vbm_text(struct vbm_file *f, char *buf, size_t size)
{
	if (f->kind == VBM_STATUS)
		return (size_t)snprintf(buf, size, "%s\n", f->m->enabled ? "enabled" : "disabled");
	return bfm_show(&f->node->e, buf, size);
}

static ssize_t vbm_read_at(struct vbm_file *f, void *buf, size_t count, off_t pos)
{
	char text[1024];
	size_t len;

	if (f->kind == VBM_ROOT) {
		errno = EISDIR;
		return -1;
	}
	if ((f->flags & O_ACCMODE) == O_WRONLY) {
		errno = EBADF;
		return -1;
	}
	if (f->kind == VBM_REGISTER) {
		errno = EINVAL; /* Linux's register has no read */
		return -1;
	}
	pthread_mutex_lock(&f->m->lock);
	len = vbm_text(f, text, sizeof(text));
	pthread_mutex_unlock(&f->m->lock);
	if (pos < 0) {
		errno = EINVAL;
		return -1;
	}
	if ((size_t)pos >= len)
		return 0;
	if (count > len - (size_t)pos)
		count = len - (size_t)pos;
	memcpy(buf, text + pos, count);
	return (ssize_t)count;
}

ssize_t vu_vubinfmt_read(int fd, void *buf, size_t count, void *fdprivate)
{
	struct vbm_file *f = fdprivate;
	ssize_t n;

	(void)fd;
	if (!f) {
		errno = EBADF;
		return -1;
	}
	n = vbm_read_at(f, buf, count, f->pos);
	if (n > 0)
		f->pos += n;
	return n;
}

ssize_t vu_vubinfmt_pread64(int fd, void *buf, size_t count, off_t offset, int flags,
			    void *fdprivate)
{
	(void)fd;
	(void)flags;
	if (!fdprivate) {
		errno = EBADF;
		return -1;
	}
	return vbm_read_at(fdprivate, buf, count, offset);
}

/* An F interpreter: there, a regular file, executable. 0 or -errno (Linux's open_exec). */
static int vbm_check_fixed(const char *interp)
{
	struct stat st;

	if (interp[0] != '/')
		return -ENOSYS;
	if (stat(interp, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	if (access(interp, X_OK) < 0)
		return -errno;
	return 0;
}

/* A register string written: 0, or -errno with a log line. */
static int vbm_register(struct vbm_mount *m, const char *buf, size_t count)
{
	struct vbm_node *n = calloc(1, sizeof(*n));
	const char *why = NULL;
	int ret;

	if (!n)
		return -ENOMEM;
	ret = bfm_parse(buf, count, &n->e, &why);
	if (ret < 0) {
		printk(KERN_NOTICE "vubinfmt: register: %s: %s\n", strerror(-ret), why ? why : "?");
		free(n);
		return ret;
	}
	if (n->e.flags & (BFM_F_OPEN_BINARY | BFM_F_CREDENTIALS)) {
		printk(KERN_WARNING
		       "vubinfmt: register %s: flag %s not supported: the interpreter "
		       "would need the binary's fd as AT_EXECFD, which only the kernel gives "
		       "(register it without O and C)\n",
		       n->e.name,
		       n->e.flags & BFM_F_CREDENTIALS ? "C (credentials, implies O)" :
							"O (open-binary)");
		free(n);
		return -ENOSYS;
	}
	if (strpbrk(n->e.interpreter, " \t\n")) {
		printk(KERN_WARNING "vubinfmt: register %s: an interpreter path with a blank "
				    "is not supported\n",
		       n->e.name);
		free(n);
		return -ENOSYS;
	}
	if (n->e.flags & BFM_F_FIX_BINARY) {
		ret = vbm_check_fixed(n->e.interpreter);
		if (ret == -ENOSYS)
			printk(KERN_WARNING "vubinfmt: register %s: flag F with interpreter %s, "
					    "not an absolute path: not supported\n",
			       n->e.name, n->e.interpreter);
		else if (ret < 0)
			printk(KERN_NOTICE "vubinfmt: register %s: flag F: interpreter %s: %s\n",
			       n->e.name, n->e.interpreter, strerror(-ret));
		if (ret < 0) {
			free(n);
			return ret;
		}
	}
	pthread_mutex_lock(&m->lock);
	if (!strcmp(n->e.name, "status") || !strcmp(n->e.name, "register") ||
	    vbm_find(m, n->e.name)) {
		pthread_mutex_unlock(&m->lock);
		printkdebug(B, "register %s: exists", n->e.name);
		free(n);
		return -EEXIST;
	}
	n->ino = m->next_ino++;
	n->refs = 1;
	n->listed = true;
	clock_gettime(CLOCK_REALTIME, &n->time);
	m->mtime = n->time;
	n->next = m->head;
	m->head = n;
	pthread_mutex_unlock(&m->lock);
	printkdebug(B, "register %s: type %c interpreter %s", n->e.name,
		    n->e.magic_type ? 'M' : 'E', n->e.interpreter);
	return 0;
}

static ssize_t vbm_write(struct vbm_file *f, const void *buf, size_t count)
{
	struct vbm_mount *m = f->m;
	int cmd, ret = 0;

	if ((f->flags & O_ACCMODE) == O_RDONLY) {
		errno = EBADF;
		return -1;
	}
	if (f->kind == VBM_REGISTER) {
		ret = vbm_register(m, buf, count);
		if (ret < 0) {
			errno = -ret;
			return -1;
		}
		return (ssize_t)count;
	}
	if (f->kind == VBM_ROOT) {
		errno = EISDIR;
		return -1;
	}
	cmd = bfm_command(buf, count);
	if (cmd < 0) {
		errno = -cmd;
		return -1;
	}
	pthread_mutex_lock(&m->lock);
	switch (cmd) {
	case BFM_CMD_NONE:
		count = 0;
		break;
	case BFM_CMD_DISABLE:
	case BFM_CMD_ENABLE:
		if (f->kind == VBM_STATUS)
			m->enabled = cmd == BFM_CMD_ENABLE;
		else
			f->node->e.enabled = cmd == BFM_CMD_ENABLE;
		break;
	case BFM_CMD_REMOVE:
		if (f->kind == VBM_STATUS) {
			while (m->head)
				vbm_unlist(m, m->head);
		} else if (f->node->listed) {
			vbm_unlist(m, f->node);
		}
		break;
	}
	pthread_mutex_unlock(&m->lock);
	printkdebug(B, "%s: command %d", f->kind == VBM_STATUS ? "status" : f->node->e.name, cmd);
	return (ssize_t)count;
}

ssize_t vu_vubinfmt_write(int fd, const void *buf, size_t count, void *fdprivate)
{
	(void)fd;
	if (!fdprivate) {
		errno = EBADF;
		return -1;
	}
	return vbm_write(fdprivate, buf, count);
}

ssize_t vu_vubinfmt_pwrite64(int fd, const void *buf, size_t count, off_t offset, int flags,
			     void *fdprivate)
{
	(void)offset; /* Linux's files take each write whole, wherever it is */
	(void)flags;
	return vu_vubinfmt_write(fd, buf, count, fdprivate);
}

off_t vu_vubinfmt_lseek(int fd, off_t offset, int whence, void *fdprivate)
{
	struct vbm_file *f = fdprivate;
	off_t base;

	(void)fd;
	if (!f) {
		errno = EBADF;
		return -1;
	}
	if (f->kind == VBM_REGISTER)
		return f->pos; /* noop_llseek */
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END:
		base = 0; /* the files' size is 0, as in Linux */
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if (base + offset < 0) {
		errno = EINVAL;
		return -1;
	}
	f->pos = base + offset;
	return f->pos;
}

/* One record of getdents64 at @p, @room bytes left: its length, or 0 if it does not fit. */
static size_t vbm_dirent(char *p, size_t room, const char *name, ino_t ino, unsigned char type,
			 off_t next)
{
	size_t len = offsetof(struct dirent64, d_name) + strlen(name) + 1;
	struct dirent64 *d = (struct dirent64 *)(void *)p;

	len = (len + 7) & ~(size_t)7;
	if (len > room)
		return 0;
	memset(p, 0, len);
	d->d_ino = ino;
	d->d_off = next;
	d->d_reclen = (unsigned short)len;
	d->d_type = type;
	strcpy(d->d_name, name);
	return len;
}

int vu_vubinfmt_getdents64(unsigned int fd, struct dirent64 *dirp, unsigned int count,
			   void *fdprivate)
{
	struct vbm_file *f = fdprivate;
	char *p = (char *)dirp;
	size_t used = 0;
	struct vbm_node *n;
	off_t i;

	(void)fd;
	if (!f) {
		errno = EBADF;
		return -1;
	}
	if (f->kind != VBM_ROOT) {
		errno = ENOTDIR;
		return -1;
	}
	pthread_mutex_lock(&f->m->lock);
	/* ".", "..", status, register, then the entries, the oldest first (ls -f order) */
	for (;;) {
		const char *name;
		ino_t ino;
		unsigned char type = DT_REG;
		size_t len;
		off_t k = f->pos;

		if (k == 0) {
			name = ".", ino = VBM_INO_ROOT, type = DT_DIR;
		} else if (k == 1) {
			name = "..", ino = VBM_INO_ROOT, type = DT_DIR;
		} else if (k == 2) {
			name = "status", ino = VBM_INO_STATUS;
		} else if (k == 3) {
			name = "register", ino = VBM_INO_REGISTER;
		} else {
			off_t total = 0;

			for (n = f->m->head; n; n = n->next)
				total++;
			if (k - 4 >= total)
				break;
			/* the list is newest first: entry k-4 from the oldest */
			n = f->m->head;
			for (i = 0; i < total - 1 - (k - 4); i++)
				n = n->next;
			name = n->e.name;
			ino = n->ino;
		}
		len = vbm_dirent(p + used, count - used, name, ino, type, k + 1);
		if (!len)
			break;
		used += len;
		f->pos++;
	}
	pthread_mutex_unlock(&f->m->lock);
	if (used == 0 && count > 0 && f->pos < 4) {
		errno = EINVAL; /* the buffer cannot hold the next one */
		return -1;
	}
	return (int)used;
}

int vu_vubinfmt_statfs(const char *pathname, struct statfs *buf, int fd, void *fdprivate)
{
	(void)pathname;
	(void)fd;
	(void)fdprivate;
	memset(buf, 0, sizeof(*buf));
	buf->f_type = VBM_FS_MAGIC;
	buf->f_bsize = 4096;
	buf->f_namelen = 255;
	buf->f_frsize = 4096;
	return 0;
}

/* Linux's binfmt_misc directory has no such operation. */
static int vbm_eperm(void)
{
	errno = EPERM;
	return -1;
}

int vu_vubinfmt_unlink(const char *pathname)
{
	(void)pathname;
	return vbm_eperm();
}

int vu_vubinfmt_mkdir(const char *pathname, mode_t mode)
{
	(void)pathname;
	(void)mode;
	return vbm_eperm();
}

int vu_vubinfmt_rmdir(const char *pathname)
{
	(void)pathname;
	return vbm_eperm();
}

int vu_vubinfmt_mknod(const char *pathname, mode_t mode, dev_t dev)
{
	(void)pathname;
	(void)mode;
	(void)dev;
	return vbm_eperm();
}

int vu_vubinfmt_symlink(const char *target, const char *linkpath)
{
	(void)target;
	(void)linkpath;
	return vbm_eperm();
}

int vu_vubinfmt_link(const char *target, const char *linkpath)
{
	(void)target;
	(void)linkpath;
	return vbm_eperm();
}

int vu_vubinfmt_rename(const char *target, const char *linkpath, int flags)
{
	(void)target;
	(void)linkpath;
	(void)flags;
	return vbm_eperm();
}

int vu_vubinfmt_chmod(const char *pathname, mode_t mode, int fd, void *fdprivate)
{
	(void)pathname;
	(void)mode;
	(void)fd;
	(void)fdprivate;
	return vbm_eperm();
}

int vu_vubinfmt_lchown(const char *pathname, uid_t owner, gid_t group, int fd, void *fdprivate)
{
	(void)pathname;
	(void)owner;
	(void)group;
	(void)fd;
	(void)fdprivate;
	return vbm_eperm();
}

/* The files have no contents to cut: a truncate (O_TRUNC's, echo >) changes nothing. */
int vu_vubinfmt_truncate(const char *path, off_t length, int fd, void *fdprivate)
{
	(void)path;
	(void)fd;
	(void)fdprivate;
	if (length < 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/*
 * The exec of a file of the view: the newest enabled entry that matches
 * it, if the mount is enabled, names the interpreter.
 */
static int vbm_confirm(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	struct vbm_mount *m = vuht_get_private_data(ht);
	struct binfmt_req_t *req = arg;
	struct vbm_node *n = NULL;
	int ret = 0;

	(void)type;
	(void)arglen;
	if (!m || !req || !req->path)
		return 0;
	pthread_mutex_lock(&m->lock);
	if (m->enabled)
		for (n = m->head; n; n = n->next)
			if (bfm_match(&n->e, req->path, (const unsigned char *)req->filehead,
				      req->fileheadlen))
				break;
	if (n) {
		snprintf(req->filehead, sizeof(req->filehead), "#!%s", n->e.interpreter);
		req->fileheadlen = (int)strlen(req->filehead);
		if (n->e.flags & BFM_F_PRESERVE_ARGV0)
			req->flags |= BINFMT_PRESERVE_ARGV0;
		if (n->e.flags & BFM_F_FIX_BINARY)
			req->flags |= BINFMT_FIX_BINARY;
		printkdebug(B, "exec %s: entry %s, %s", req->path, n->e.name, n->e.interpreter);
		ret = 1;
	}
	pthread_mutex_unlock(&m->lock);
	return ret;
}

static void vbm_mount_free(struct vbm_mount *m)
{
	while (m->head)
		vbm_unlist(m, m->head);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

/* The options of a mount: none of its own (the generic ones pass). */
static bool vbm_opts_ok(const char *data)
{
	char *copy, *tok, *save = NULL;
	bool ok = true;

	if (!data || !*data)
		return true;
	copy = strdup(data);
	if (!copy)
		return false;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (strcmp(tok, "rw") && strcmp(tok, "ro") && strcmp(tok, "defaults") &&
		    strcmp(tok, "permanent"))
			ok = false;
	free(copy);
	return ok;
}

int vu_vubinfmt_mount(const char *source, const char *target, const char *filesystemtype,
		      unsigned long mountflags, const void *data)
{
	struct vu_service_t *s = vu_mod_getservice();
	struct vbm_mount *m;
	int e;

	if (!vbm_opts_ok(data)) {
		printk(KERN_NOTICE
		       "vubinfmt: mount on %s: unknown option in \"%s\" (it takes none)\n",
		       target, (const char *)data);
		errno = EINVAL;
		return -1;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		errno = ENOMEM;
		return -1;
	}
	pthread_mutex_init(&m->lock, NULL);
	m->enabled = true;
	m->next_ino = VBM_INO_FIRST;
	m->uid = getuid();
	m->gid = getgid();
	clock_gettime(CLOCK_REALTIME, &m->time);
	m->mtime = m->time;
	pthread_mutex_lock(&m->lock);
	m->binfmt_ht = vuht_add(CHECKBINFMT, NULL, 0, s, 0, vbm_confirm, m);
	if (!m->binfmt_ht) {
		e = errno;
		pthread_mutex_unlock(&m->lock);
		vbm_mount_free(m);
		errno = e;
		return -1;
	}
	m->path_ht = vuht_pathadd(CHECKPATH, source, target, filesystemtype, mountflags, data, s, 0,
				  NULL, m);
	if (!m->path_ht) {
		struct vuht_entry_t *b = m->binfmt_ht;

		e = errno;
		pthread_mutex_unlock(&m->lock);
		/* its cleanup frees the mount: the path entry is already missing */
		vuht_del(b, MNT_DETACH);
		errno = e;
		return -1;
	}
	pthread_mutex_unlock(&m->lock);
	printkdebug(B, "mount %s on %s", source ? source : "none", target);
	return 0;
}

int vu_vubinfmt_umount2(const char *target, int flags)
{
	struct vbm_mount *m = vu_get_ht_private_data();
	struct vuht_entry_t *p, *b;
	int ret;

	(void)target;
	if (!m) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&m->lock);
	p = m->path_ht;
	b = m->binfmt_ht;
	pthread_mutex_unlock(&m->lock);
	/* the path first: it says busy */
	ret = p ? vuht_del(p, flags) : 0;
	if (ret == 0 && b)
		ret = vuht_del(b, flags | MNT_DETACH);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}

/* An entry of a mount went away; with the last the mount goes. */
void vu_vubinfmt_cleanup(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	struct vbm_mount *m = vuht_get_private_data(ht);
	bool last;

	(void)arg;
	(void)arglen;
	if (!m || (type != CHECKPATH && type != CHECKBINFMT))
		return;
	pthread_mutex_lock(&m->lock);
	if (type == CHECKPATH)
		m->path_ht = NULL;
	else
		m->binfmt_ht = NULL;
	last = !m->path_ht && !m->binfmt_ht;
	pthread_mutex_unlock(&m->lock);
	if (last)
		vbm_mount_free(m);
}

void *vu_vubinfmt_init(void)
{
	debug_set_name(B, "VUBINFMT");
	return NULL;
}

int vu_vubinfmt_fini(void *private)
{
	(void)private;
	return 0;
}
