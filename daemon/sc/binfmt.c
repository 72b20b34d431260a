// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/binfmt.c - execve and execveat of a file a CHECKBINFMT entry claims
 * (VUOS's binfmt_misc, vu_wrap_execve.c).
 *
 * While the table has binfmt entries (the kernel then forwards every
 * exec: filter.c), an exec'd file that is a regular executable file,
 * virtual or real, is asked about: a struct binfmt_req_t
 * with its path in the view and its first BINFMTBUFLEN bytes (read through
 * its module, or from the real file) goes to vuht_pick(CHECKBINFMT); the
 * confirm function of the entry that takes it writes the interpreter line
 * into req.filehead ("#!interpreter [arg]") and may set req.flags. The
 * exec then runs the interpreter, with argv
 *     interpreter [arg] path argv[1] ...
 * (argv[0] kept after the path with BINFMT_PRESERVE_ARGV0), as Linux's
 * binfmt_misc does. A filehead the confirm left without "#!" is VUOS's
 * guess: a binary (ELF, or a first byte below '\n') runs as it is, anything
 * else with /bin/sh. An interpreter that is claimed in turn is asked
 * again, four levels at most (then ELOOP); a virtual interpreter runs as
 * its real copy (sc/exec.c).
 *
 * The kernel runs the interpreter: the reply rewrites the path and the
 * argv pointer. The new argv array and its new strings are written into
 * the member's stack, below its stack pointer (read from
 * /proc/TID/syscall), its red zone and the room the kernel may use there
 * for the rewritten path: memory the member does not use while it waits,
 * and gone with its old image if the exec succeeds.
 *
 * BINFMT_OPEN_BINARY and BINFMT_CREDENTIALS are accepted and ignored, as
 * in VUOS: the interpreter gets the path, not an open fd (no AT_EXECFD),
 * and credentials never change at exec in a view (no_new_privs).
 * BINFMT_FIX_BINARY (binfmt_misc's F): the interpreter, an absolute path,
 * is found from the view's root, not the member's chroot or cwd.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/log.h"
#include "core/member_mem.h"
#include "core/modcall.h"
#include "core/vpath.h"
#include "sc/exec.h"

/* VUOS's EXECVE_MAX_DEPTH: interpreters of interpreters. */
#define VU_BINFMT_DEPTH 4
/* Arguments of the member's argv read at most (the kernel's limit is the size, not the count). */
#define VU_BINFMT_MAXARGS 65536
/* Left untouched below the stack pointer: the red zone, and a path the kernel may put there. */
#define VU_BINFMT_GAP (128 + KMVIEW_PATH_MAX + 256)

/*
 * The first BINFMTBUFLEN bytes of @t, an executable regular file, in
 * @req: 0, or -errno (not a file to ask about: the exec goes on as it
 * would, and says what is wrong).
 */
static long vu_binfmt_head(struct vu_target *t, struct binfmt_req_t *req)
{
	struct stat st;
	long n;
	int fd;

	memset(req, 0, sizeof(*req));
	req->path = t->path;
	if (t->ht) {
		void *fdprivate = NULL;
		int sfd;

		n = vu_mcall(t->ht, lstat, int, VU_LSTAT_PROTO, (char *)t->mpath, &st, 0, -1, NULL);
		if (n < 0)
			return n;
		if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111))
			return -EACCES;
		sfd = (int)vu_mcall(t->ht, open, int, (const char *, int, mode_t, void **),
				    t->mpath, O_RDONLY, 0, &fdprivate);
		if (sfd < 0)
			return sfd;
		if (t->ht->service->mod->flags & VU_USE_PRW)
			n = vu_mcall(t->ht, pread64, ssize_t,
				     (int, void *, size_t, off_t, int, void *), sfd, req->filehead,
				     BINFMTBUFLEN, 0, 0, fdprivate);
		else
			n = vu_mcall(t->ht, read, ssize_t, (int, void *, size_t, void *), sfd,
				     req->filehead, BINFMTBUFLEN, fdprivate);
		vu_mcall(t->ht, close, int, (int, void *), sfd, fdprivate);
	} else {
		if (!t->path[0] || access(t->path, X_OK) < 0)
			return -EACCES;
		fd = open(t->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		n = fstat(fd, &st) < 0 ? -errno : !S_ISREG(st.st_mode) ? -EACCES : 0;
		if (n == 0) {
			n = read(fd, req->filehead, BINFMTBUFLEN);
			if (n < 0)
				n = -errno;
		}
		close(fd);
	}
	if (n < 0)
		return n;
	req->fileheadlen = (int)(n > BINFMTBUFLEN ? BINFMTBUFLEN : n);
	return 0;
}

/* Does a binfmt entry claim @t? 1 (@req as its confirm function left it), 0, or -errno. */
static int vu_binfmt_claimed(struct vu_target *t, struct binfmt_req_t *req)
{
	struct vuht_entry_t *ht;

	if (vu_binfmt_head(t, req) < 0)
		return 0;
	ht = vuht_pick(CHECKBINFMT, req, 0, vu_epoch_get());
	if (!ht)
		return 0;
	vu_debug('a', "exec %s: binary format of module %s", t->path,
		 ht->service->mod ? ht->service->mod->name : "?");
	vuht_drop(ht);
	return 1;
}

/*
 * The interpreter line of a claimed file: its interpreter and argument
 * (may be "") in @line, pointed to by @interp and @arg. 1, 0 if it runs
 * as it is (a binary), or -ENOEXEC.
 */
static int vu_binfmt_line(const struct binfmt_req_t *req, char *line, char **interp, char **arg)
{
	size_t len = strnlen(req->filehead, BINFMTBUFLEN + 1);
	char *p;

	if (req->filehead[0] != '#' || req->filehead[1] != '!') {
		unsigned char c = (unsigned char)req->filehead[0];

		if (req->fileheadlen <= 2 || c < '\n' || c == 0x7f)
			return 0;
		strcpy(line, "/bin/sh"); /* VUOS's guess: a script */
		*interp = line;
		*arg = line + strlen(line);
		return 1;
	}
	memcpy(line, req->filehead + 2, len - 2);
	line[len - 2] = '\0';
	line[strcspn(line, "\n")] = '\0';
	p = line + strspn(line, " \t");
	*interp = p;
	p += strcspn(p, " \t");
	if (*p)
		*p++ = '\0';
	p += strspn(p, " \t");
	*arg = p;
	return **interp ? 1 : -ENOEXEC;
}

/* An argument of the new argv: a string of the member's (@addr) or a new one (@s). */
struct vu_binfmt_arg {
	uint64_t addr;
	const char *s;
};

struct vu_binfmt_argv {
	struct vu_binfmt_arg *a;
	size_t n;
};

static void vu_argv_behead(struct vu_binfmt_argv *v)
{
	if (v->n) {
		memmove(v->a, v->a + 1, (v->n - 1) * sizeof(*v->a));
		v->n--;
	}
}

/* Room was made for the interpreters' arguments when the argv was read. */
static void vu_argv_addhead(struct vu_binfmt_argv *v, uint64_t addr, const char *s)
{
	memmove(v->a + 1, v->a, v->n * sizeof(*v->a));
	v->a[0].addr = addr;
	v->a[0].s = s;
	v->n++;
}

/* The member's argv at @addr (NULL: none), with room for 3 more per level. */
static long vu_argv_read(struct vu_call *call, uint64_t addr, struct vu_binfmt_argv *v)
{
	size_t cap = 16;

	v->n = 0;
	v->a = malloc(cap * sizeof(*v->a));
	while (v->a && addr) {
		uint64_t p;
		long ret = vu_peek(call->be, call->msg, addr + v->n * sizeof(p), &p, sizeof(p));

		if (ret < 0)
			return ret;
		if (!p)
			break;
		if (v->n == VU_BINFMT_MAXARGS)
			return -E2BIG;
		if (v->n + 3 * VU_BINFMT_DEPTH + 4 >= cap) {
			struct vu_binfmt_arg *a = realloc(v->a, 2 * cap * sizeof(*a));

			if (!a)
				return -ENOMEM;
			v->a = a;
			cap *= 2;
		}
		v->a[v->n].addr = p;
		v->a[v->n++].s = NULL;
	}
	return v->a ? 0 : -ENOMEM;
}

/* The stack pointer of @tid, waiting in a system call: 0, or -errno. */
static int vu_member_sp(pid_t tid, uint64_t *sp)
{
	char path[64], line[512], *tok[10], *save = NULL;
	int fd, n = 0;
	ssize_t len;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = read(fd, line, sizeof(line) - 1);
	close(fd);
	if (len <= 0)
		return len < 0 ? -errno : -EIO;
	line[len] = '\0';
	/* "nr arg1 ... arg6 sp pc", or "nr sp pc" for no call, or "running" */
	for (char *t = strtok_r(line, " \n", &save); t && n < 10; t = strtok_r(NULL, " \n", &save))
		tok[n++] = t;
	if (n < 3 || strncmp(tok[n - 2], "0x", 2) != 0)
		return -EAGAIN;
	*sp = strtoull(tok[n - 2], NULL, 16);
	return 0;
}

/*
 * Write @v as a NULL-terminated argv below the member's stack: its
 * address in @out. 0, or -errno.
 */
static long vu_argv_write(struct vu_call *call, const struct vu_binfmt_argv *v, uint64_t *out)
{
	size_t arr = (v->n + 1) * sizeof(uint64_t), size = arr;
	uint64_t sp = 0, base, *ptrs;
	char *block, *s;
	long ret;

	for (size_t i = 0; i < v->n; i++)
		if (v->a[i].s)
			size += strlen(v->a[i].s) + 1;
	ret = vu_member_sp(call->msg->tid, &sp);
	if (ret < 0) {
		vu_log(LOG_NOTICE, "tid %d: exec of a claimed binary format: no stack pointer (%s)",
		       call->msg->tid, strerror((int)-ret));
		return ret;
	}
	if (sp < VU_BINFMT_GAP + size + 16)
		return -EFAULT;
	base = (sp - VU_BINFMT_GAP - size) & ~(uint64_t)15;
	block = calloc(1, size);
	if (!block)
		return -ENOMEM;
	ptrs = (uint64_t *)block;
	s = block + arr;
	for (size_t i = 0; i < v->n; i++) {
		if (!v->a[i].s) {
			ptrs[i] = v->a[i].addr;
			continue;
		}
		ptrs[i] = base + (uint64_t)(s - block);
		strcpy(s, v->a[i].s);
		s += strlen(s) + 1;
	}
	ret = vu_poke(call->be, call->msg, base, block, size);
	free(block);
	*out = base;
	return ret;
}

/*
 * The exec of @t (path slot 0 of @call, resolved) if a binfmt entry
 * claims it: the reply set, true. False if none does: the exec goes on as
 * it would.
 */
bool vu_binfmt_exec(struct vu_call *call, struct vu_target *t)
{
	const struct vu_msg *msg = call->msg;
	int at = msg->nr == __NR_execveat;
	int argv_arg = at ? 2 : 1;
	/* the interpreter line of each level: the strings of the new argv point here */
	char lines[VU_BINFMT_DEPTH + 1][BINFMTBUFLEN + 2];
	char *interp = NULL, *arg = NULL, *prev = NULL;
	struct binfmt_req_t req;
	struct vu_binfmt_argv v = { 0 };
	struct vu_target it = { 0 };
	uint64_t argv_addr = 0;
	char *exe = NULL;
	long ret;

	if (!vuht_has_type(CHECKBINFMT) || vu_binfmt_claimed(t, &req) <= 0)
		return false;
	ret = vu_binfmt_line(&req, lines[0], &interp, &arg);
	if (ret == 0)
		return false; /* a binary: it runs as it is */
	if (ret > 0)
		ret = vu_argv_read(call, msg->args[argv_arg], &v);
	for (int depth = 0; ret >= 0; depth++) {
		if (depth == VU_BINFMT_DEPTH) {
			ret = -ELOOP;
			break;
		}
		/* VUOS's order: argv[0] goes, then the path, the argument, the interpreter */
		if (!(req.flags & BINFMT_PRESERVE_ARGV0))
			vu_argv_behead(&v);
		if (prev)
			vu_argv_addhead(&v, 0, prev); /* the interpreter of the level before */
		else if (!at || msg->path[0][0] == '/' || (int)msg->args[0] == AT_FDCWD)
			/* the path as the member named it */
			vu_argv_addhead(&v, msg->args[at ? 1 : 0], NULL);
		else
			vu_argv_addhead(&v, 0, t->path);
		if (*arg)
			vu_argv_addhead(&v, 0, arg);
		vu_argv_addhead(&v, 0, interp);
		if (req.flags & BINFMT_FIX_BINARY)
			/* binfmt_misc's F: the view's own file, whatever the member's root */
			ret = interp[0] == '/' ? vu_resolve_abs(interp, VU_RES_FOLLOW, &it) :
						 -ENOENT;
		else
			ret = vu_resolve_str(call, interp, VU_RES_FOLLOW, &it);
		if (ret < 0)
			break;
		prev = interp;
		if (vu_binfmt_claimed(&it, &req) <= 0) {
			ret = 0;
			break; /* an interpreter nobody claims runs as it is */
		}
		ret = vu_binfmt_line(&req, lines[depth + 1], &interp, &arg);
		if (ret == 0)
			break;
		vu_target_put(&it);
	}
	if (ret >= 0) {
		exe = vu_call_alloc(call, PATH_MAX);
		if (!exe)
			ret = -ENOMEM;
		else if (it.ht)
			ret = vu_exec_real_copy(call, &it, strrchr(it.path, '/') + 1, exe,
						PATH_MAX);
		else
			snprintf(exe, PATH_MAX, "%s", it.path);
	}
	vu_target_put(&it);
	if (ret >= 0)
		ret = vu_argv_write(call, &v, &argv_addr);
	free(v.a);
	if (ret < 0) {
		vu_call_return(call, ret);
		return true;
	}
	vu_debug('a', "tid %d: exec of %s runs %s (%zu arguments)", msg->tid, t->path, exe, v.n);
	call->reply.kind = VU_REPLY_REWRITE;
	call->reply.path = exe;
	call->reply.path_arg = at ? 1 : 0;
	call->reply.args[argv_arg] = argv_addr;
	call->reply.argmask = 1U << argv_arg;
	if (at) {
		/* an absolute path: the dirfd does not matter; "" no longer names it */
		call->reply.args[4] = msg->args[4] & ~(uint64_t)AT_EMPTY_PATH;
		call->reply.argmask |= 1U << 4;
	}
	return true;
}
