// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufuse_api.c - the libfuse3 high-level functions a FUSE program calls,
 * as vufuse serves them (libfuse3 3.14's <fuse3/fuse.h>, FUSE_USE_VERSION
 * 30 to 314, and the symbols each version's macros name: fuse_new_30,
 * fuse_new_31, fuse_loop_mt_31/_32/_312, fuse_parse_cmdline_30/_312).
 *
 * There is no kernel channel: fuse_mount succeeds (vufuse has mounted),
 * fuse_loop gives control back to the mount until the umount, and the
 * operations are called by vufuse's methods, one at a time.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fuse3/fuse_lowlevel.h>
#include <vumodule.h>

#include "vufuse.h"

struct fuse_session {
	struct fuse *f;
};

static __thread struct fuse_context *vufuse_ctx;

void vufuse_ctx_push(struct fuse *f, struct fuse_context *c, struct fuse_context **old)
{
	memset(c, 0, sizeof(*c));
	c->fuse = f;
	/* members run with the hypervisor's ids (no_new_privs: no set-id exec) */
	c->uid = geteuid();
	c->gid = getegid();
	c->pid = vu_mod_gettid();
	c->private_data = f->user_data;
	*old = vufuse_ctx;
	vufuse_ctx = c;
}

void vufuse_ctx_pop(struct fuse_context *old)
{
	vufuse_ctx = old;
}

VUFUSE_EXPORT struct fuse_context *fuse_get_context(void)
{
	return vufuse_ctx;
}

VUFUSE_EXPORT int fuse_version(void)
{
	return FUSE_VERSION;
}

VUFUSE_EXPORT const char *fuse_pkgversion(void)
{
	return "3.14 (kmview vufuse)";
}

void vufuse_fs_init(struct fuse *f)
{
	struct fuse_conn_info conn = {
		.proto_major = 7,
		.proto_minor = 31,
		.max_write = 128 * 1024,
		.max_read = 128 * 1024,
		.max_readahead = 128 * 1024,
		.max_background = 12,
		.congestion_threshold = 9,
	};
	struct fuse_config cfg = {
		.set_gid = f->set_gid, .gid = f->gid,
		.set_uid = f->set_uid, .uid = f->uid,
		.set_mode = f->set_mode, .umask = f->umask,
		.entry_timeout = 1.0, .attr_timeout = 1.0,
		.intr_signal = 10,
	};
	struct fuse_context c, *old;

	if (f->ops.init) {
		vufuse_ctx_push(f, &c, &old);
		f->user_data = f->ops.init(&conn, &cfg);
		vufuse_ctx_pop(old);
	}
	f->inited = true;
}

void vufuse_fs_destroy(struct fuse *f)
{
	struct fuse_context c, *old;

	if (!f->inited)
		return;
	f->inited = false;
	if (f->ops.destroy) {
		vufuse_ctx_push(f, &c, &old);
		f->ops.destroy(f->user_data);
		vufuse_ctx_pop(old);
	}
}

/* fuse_new's options: those that change vufuse's answers, and those that mean nothing here. */
struct vufuse_libopts {
	int help;
	int set_uid, set_gid, set_umask;
	unsigned int uid, gid, umask;
};

#define VUFUSE_LIBOPT(t, m) { t, offsetof(struct vufuse_libopts, m), 1 }
static const struct fuse_opt vufuse_libopts[] = {
	VUFUSE_LIBOPT("-h", help), VUFUSE_LIBOPT("--help", help),
	VUFUSE_LIBOPT("uid=%u", uid), VUFUSE_LIBOPT("uid=", set_uid),
	VUFUSE_LIBOPT("gid=%u", gid), VUFUSE_LIBOPT("gid=", set_gid),
	VUFUSE_LIBOPT("umask=%o", umask), VUFUSE_LIBOPT("umask=", set_umask),
	/* caches, timeouts, the kernel's mount options: nothing to do in a view */
	FUSE_OPT_KEY("debug", FUSE_OPT_KEY_DISCARD), FUSE_OPT_KEY("-d", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("hard_remove", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("use_ino", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("readdir_ino", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("direct_io", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("kernel_cache", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("auto_cache", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("noauto_cache", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("no_rofd_flush", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("entry_timeout=", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("negative_timeout=", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("attr_timeout=", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("ac_attr_timeout=", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("noforget", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("remember=", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("intr", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("intr_signal=", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("nopath", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("allow_other", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("allow_root", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("auto_unmount", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("default_permissions", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("fsname=", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("subtype=", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("max_read=", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("blkdev", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("blksize=", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("context=", FUSE_OPT_KEY_DISCARD),
	/* the mount flags' options vufuse added to %O (the flags themselves are vufuse's) */
	FUSE_OPT_KEY("ro", FUSE_OPT_KEY_DISCARD), FUSE_OPT_KEY("rw", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("nosuid", FUSE_OPT_KEY_DISCARD), FUSE_OPT_KEY("suid", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("nodev", FUSE_OPT_KEY_DISCARD), FUSE_OPT_KEY("dev", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("noexec", FUSE_OPT_KEY_DISCARD), FUSE_OPT_KEY("exec", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("sync", FUSE_OPT_KEY_DISCARD), FUSE_OPT_KEY("async", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("dirsync", FUSE_OPT_KEY_DISCARD), FUSE_OPT_KEY("mand", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("noatime", FUSE_OPT_KEY_DISCARD), FUSE_OPT_KEY("atime", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("nodiratime", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("relatime", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("strictatime", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("lazytime", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("nosymfollow", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("remount", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_END
};

/* Anything fuse_new does not know is an error, as in libfuse. */
static int vufuse_libopt_proc(void *data, const char *arg, int key, struct fuse_args *outargs)
{
	(void)data;
	(void)outargs;
	fprintf(stderr, "fuse: unknown option(s): `%s%s'\n", key == FUSE_OPT_KEY_OPT &&
		arg[0] != '-' ? "-o " : "", arg);
	return -1;
}

static struct fuse *vufuse_new(struct fuse_args *args, const struct fuse_operations *op,
			       size_t op_size, void *user_data)
{
	struct fuse *f = vufuse_run_current();
	struct vufuse_libopts lo = { 0 };

	if (!f || f->state != VUFUSE_STARTING) {
		fprintf(stderr, "fuse: fuse_new outside a vufuse mount\n");
		return NULL;
	}
	if (args && fuse_opt_parse(args, &lo, vufuse_libopts, vufuse_libopt_proc) < 0)
		return NULL;
	if (lo.help) {
		printf("vufuse: options of fuse_new: uid=N gid=N umask=M; the caching, timeout,\n"
		       "and kernel mount options of libfuse are accepted and mean nothing here\n");
		return NULL;
	}
	if (op_size > sizeof(f->ops)) {
		fprintf(stderr, "fuse: warning: library too old, some operations may not work\n");
		op_size = sizeof(f->ops);
	}
	memset(&f->ops, 0, sizeof(f->ops));
	memcpy(&f->ops, op, op_size);
	f->user_data = user_data;
	f->set_uid = lo.set_uid;
	f->uid = lo.uid;
	f->set_gid = lo.set_gid;
	f->gid = lo.gid;
	f->set_mode = lo.set_umask;
	f->umask = lo.umask;
	if (!f->session) {
		f->session = calloc(1, sizeof(*f->session));
		if (!f->session)
			return NULL;
		f->session->f = f;
	}
	f->have_new = true;
	return f;
}

VUFUSE_EXPORT struct fuse *fuse_new(struct fuse_args *args, const struct fuse_operations *op,
				    size_t op_size, void *user_data)
{
	return vufuse_new(args, op, op_size, user_data);
}

VUFUSE_EXPORT struct fuse *fuse_new_31(struct fuse_args *args, const struct fuse_operations *op,
				       size_t op_size, void *user_data);
struct fuse *fuse_new_31(struct fuse_args *args, const struct fuse_operations *op, size_t op_size,
			 void *user_data)
{
	return vufuse_new(args, op, op_size, user_data);
}

VUFUSE_EXPORT struct fuse *fuse_new_30(struct fuse_args *args, const struct fuse_operations *op,
				       size_t op_size, void *user_data);
struct fuse *fuse_new_30(struct fuse_args *args, const struct fuse_operations *op, size_t op_size,
			 void *user_data)
{
	return vufuse_new(args, op, op_size, user_data);
}

VUFUSE_EXPORT int fuse_mount(struct fuse *f, const char *mountpoint)
{
	(void)mountpoint;
	return f ? 0 : -1; /* vufuse mounts; the target is its mount point */
}

VUFUSE_EXPORT void fuse_unmount(struct fuse *f)
{
	(void)f; /* vufuse unmounts (the umount that ended the loop) */
}

VUFUSE_EXPORT void fuse_destroy(struct fuse *f)
{
	if (f)
		vufuse_fs_destroy(f);
}

VUFUSE_EXPORT int fuse_loop(struct fuse *f)
{
	if (!f || f != vufuse_run_current() || f->state != VUFUSE_STARTING || !f->have_new) {
		fprintf(stderr, "fuse: fuse_loop without fuse_new, or twice\n");
		return -1;
	}
	vufuse_run_yield(f);
	return 0;
}

VUFUSE_EXPORT int fuse_loop_mt(struct fuse *f, struct fuse_loop_config *config)
{
	(void)config; /* vufuse serializes operations whatever the loop */
	return fuse_loop(f);
}

VUFUSE_EXPORT int fuse_loop_mt_312(struct fuse *f, struct fuse_loop_config *config);
int fuse_loop_mt_312(struct fuse *f, struct fuse_loop_config *config)
{
	return fuse_loop_mt(f, config);
}

VUFUSE_EXPORT int fuse_loop_mt_32(struct fuse *f, void *config);
int fuse_loop_mt_32(struct fuse *f, void *config)
{
	(void)config;
	return fuse_loop(f);
}

VUFUSE_EXPORT int fuse_loop_mt_31(struct fuse *f, int clone_fd);
int fuse_loop_mt_31(struct fuse *f, int clone_fd)
{
	(void)clone_fd;
	return fuse_loop(f);
}

VUFUSE_EXPORT struct fuse_loop_config *fuse_loop_cfg_create(void)
{
	return calloc(1, 64); /* opaque to programs; nothing is read from it */
}

VUFUSE_EXPORT void fuse_loop_cfg_destroy(struct fuse_loop_config *config)
{
	free(config);
}

VUFUSE_EXPORT void fuse_loop_cfg_set_idle_threads(struct fuse_loop_config *config,
						  unsigned int value)
{
	(void)config;
	(void)value;
}

VUFUSE_EXPORT void fuse_loop_cfg_set_max_threads(struct fuse_loop_config *config,
						 unsigned int value)
{
	(void)config;
	(void)value;
}

VUFUSE_EXPORT void fuse_loop_cfg_set_clone_fd(struct fuse_loop_config *config, unsigned int value)
{
	(void)config;
	(void)value;
}

/* After fuse_exit every operation fails with ENOTCONN, as a dead server's mount does. */
VUFUSE_EXPORT void fuse_exit(struct fuse *f)
{
	if (f)
		f->exited = true;
}

VUFUSE_EXPORT struct fuse_session *fuse_get_session(struct fuse *f)
{
	return f ? f->session : NULL;
}

VUFUSE_EXPORT void fuse_session_exit(struct fuse_session *se)
{
	if (se)
		fuse_exit(se->f);
}

VUFUSE_EXPORT int fuse_session_exited(struct fuse_session *se)
{
	return se && se->f->exited;
}

VUFUSE_EXPORT int fuse_set_signal_handlers(struct fuse_session *se)
{
	(void)se; /* signals are the hypervisor's */
	return 0;
}

VUFUSE_EXPORT void fuse_remove_signal_handlers(struct fuse_session *se)
{
	(void)se;
}

VUFUSE_EXPORT int fuse_daemonize(int foreground)
{
	(void)foreground; /* main runs inside the hypervisor: never forks */
	return 0;
}

VUFUSE_EXPORT int fuse_interrupted(void)
{
	return 0;
}

VUFUSE_EXPORT int fuse_getgroups(int size, gid_t list[])
{
	(void)size;
	(void)list;
	return -ENOSYS;
}

VUFUSE_EXPORT int fuse_invalidate_path(struct fuse *f, const char *path)
{
	(void)f;
	(void)path;
	return 0; /* vufuse caches nothing */
}

VUFUSE_EXPORT int fuse_start_cleanup_thread(struct fuse *fuse)
{
	(void)fuse;
	return 0;
}

VUFUSE_EXPORT void fuse_stop_cleanup_thread(struct fuse *fuse)
{
	(void)fuse;
}

VUFUSE_EXPORT int fuse_clean_cache(struct fuse *fuse)
{
	(void)fuse;
	return 3600;
}

VUFUSE_EXPORT void fuse_lib_help(struct fuse_args *args)
{
	(void)args;
	printf("    -o uid=N -o gid=N -o umask=M  (vufuse: the attributes every file shows)\n");
}

VUFUSE_EXPORT void fuse_cmdline_help(void)
{
	printf("    -h   --help      print help\n"
	       "    -V   --version   print version\n"
	       "    -d   -o debug    accepted (vufuse has no debug output of its own)\n"
	       "    -f  -s           accepted (main always runs in the hypervisor)\n");
}

VUFUSE_EXPORT void fuse_lowlevel_help(void)
{
	printf("    (vufuse: no low-level options)\n");
}

VUFUSE_EXPORT void fuse_lowlevel_version(void)
{
	printf("vufuse: FUSE library version %s\n", fuse_pkgversion());
}

static fuse_log_func_t vufuse_log_func;

VUFUSE_EXPORT void fuse_set_log_func(fuse_log_func_t func)
{
	vufuse_log_func = func;
}

VUFUSE_EXPORT void fuse_log(enum fuse_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vufuse_log_func)
		vufuse_log_func(level, fmt, ap);
	else
		vfprintf(stderr, fmt, ap);
	va_end(ap);
}

#define VUFUSE_CMDOPT(t, m, v) { t, offsetof(struct fuse_cmdline_opts, m), v }
static const struct fuse_opt vufuse_cmdopts[] = {
	VUFUSE_CMDOPT("-h", show_help, 1), VUFUSE_CMDOPT("--help", show_help, 1),
	VUFUSE_CMDOPT("-V", show_version, 1), VUFUSE_CMDOPT("--version", show_version, 1),
	VUFUSE_CMDOPT("-d", debug, 1), VUFUSE_CMDOPT("debug", debug, 1),
	VUFUSE_CMDOPT("-d", foreground, 1), VUFUSE_CMDOPT("debug", foreground, 1),
	FUSE_OPT_KEY("-d", FUSE_OPT_KEY_KEEP), FUSE_OPT_KEY("debug", FUSE_OPT_KEY_KEEP),
	VUFUSE_CMDOPT("-f", foreground, 1), VUFUSE_CMDOPT("-s", singlethread, 1),
	VUFUSE_CMDOPT("clone_fd", clone_fd, 1),
	VUFUSE_CMDOPT("max_idle_threads=%u", max_idle_threads, 0),
	VUFUSE_CMDOPT("max_threads=%u", max_threads, 0),
	FUSE_OPT_END
};

/* The one non-option is the mount point; a second one is an error, as in libfuse. */
static int vufuse_cmdline_proc(void *data, const char *arg, int key, struct fuse_args *outargs)
{
	struct fuse_cmdline_opts *o = data;

	(void)outargs;
	if (key != FUSE_OPT_KEY_NONOPT)
		return 1;
	if (o->mountpoint) {
		fprintf(stderr, "fuse: invalid argument `%s'\n", arg);
		return -1;
	}
	o->mountpoint = strdup(arg);
	return o->mountpoint ? 0 : -1;
}

static int vufuse_parse_cmdline(struct fuse_args *args, struct fuse_cmdline_opts *opts,
				size_t size)
{
	struct fuse_cmdline_opts o = { .max_idle_threads = 10, .max_threads = 10 };
	int r = fuse_opt_parse(args, &o, vufuse_cmdopts, vufuse_cmdline_proc);

	memcpy(opts, &o, size);
	return r;
}

VUFUSE_EXPORT int fuse_parse_cmdline(struct fuse_args *args, struct fuse_cmdline_opts *opts)
{
	return vufuse_parse_cmdline(args, opts, sizeof(*opts));
}

VUFUSE_EXPORT int fuse_parse_cmdline_312(struct fuse_args *args, struct fuse_cmdline_opts *opts);
int fuse_parse_cmdline_312(struct fuse_args *args, struct fuse_cmdline_opts *opts)
{
	return vufuse_parse_cmdline(args, opts, sizeof(*opts));
}

/* libfuse before 3.12 had no max_threads: its struct ends before it. */
VUFUSE_EXPORT int fuse_parse_cmdline_30(struct fuse_args *args, struct fuse_cmdline_opts *opts);
int fuse_parse_cmdline_30(struct fuse_args *args, struct fuse_cmdline_opts *opts)
{
	return vufuse_parse_cmdline(args, opts, offsetof(struct fuse_cmdline_opts, max_threads));
}

/* fuse_main's exit codes are libfuse's (fuse.h): 1 options, 2 no mount point, 3 fuse_new... */
VUFUSE_EXPORT int fuse_main_real(int argc, char *argv[], const struct fuse_operations *op,
				 size_t op_size, void *user_data)
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts opts;
	struct fuse *f;
	int ret = 0;

	if (fuse_parse_cmdline(&args, &opts) != 0) {
		free(opts.mountpoint);
		fuse_opt_free_args(&args);
		return 1;
	}
	if (opts.show_version) {
		printf("FUSE library version %s\n", fuse_pkgversion());
		goto out;
	}
	if (opts.show_help) {
		if (args.argv[0][0] != '\0')
			printf("usage: %s [options] <mountpoint>\n\n", args.argv[0]);
		fuse_cmdline_help();
		fuse_lib_help(&args);
		goto out;
	}
	if (!opts.mountpoint) {
		fprintf(stderr, "error: no mountpoint specified\n");
		ret = 2;
		goto out;
	}
	f = fuse_new(&args, op, op_size, user_data);
	if (!f) {
		ret = 3;
		goto out;
	}
	if (fuse_mount(f, opts.mountpoint) != 0) {
		ret = 4;
		goto out;
	}
	if (fuse_loop(f) != 0)
		ret = 7;
	fuse_unmount(f);
	fuse_destroy(f);
out:
	free(opts.mountpoint);
	fuse_opt_free_args(&args);
	return ret;
}
