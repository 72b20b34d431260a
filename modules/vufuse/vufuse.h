/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vufuse.h - vufuse's own state: one struct fuse per mount, one struct
 * vufuse_file per open file.
 *
 * A submodule is a FUSE 3 program built as a shared object: vufuse runs
 * its main() at mount, on a stack of its own (vufuse_run.c), until main
 * reaches fuse_loop; from then on the file system's operations are called
 * by vufuse's methods (vufuse_ops.c, vufuse_file.c), and at umount the
 * loop returns and main ends. The fuse_* functions the program calls are
 * vufuse's (vufuse_api.c, fuse_opt.c), never libfuse's.
 */
#ifndef KMVIEW_VUFUSE_H
#define KMVIEW_VUFUSE_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>
#include <ucontext.h>

#include <fuse3/fuse.h>

/* Symbols a submodule or the hypervisor may look up; everything else is hidden. */
#define VUFUSE_EXPORT __attribute__((visibility("default")))

enum vufuse_state {
	VUFUSE_STARTING, /* main runs, has not reached fuse_loop */
	VUFUSE_LOOPING,  /* main waits in fuse_loop: the mount serves */
	VUFUSE_ENDED,    /* main returned */
};

struct vufuse_file;

struct fuse {
	struct fuse_operations ops;
	void *user_data; /* fuse_new's private_data, then what init returned */
	pthread_mutex_t lock; /* one operation at a time, as fuse_loop serves */
	unsigned long mountflags;
	bool have_new;  /* fuse_new was called */
	bool exited;    /* fuse_exit was called */
	bool inited;    /* ops.init ran: destroy runs at umount */
	/* fuse_new's options that change what vufuse answers */
	bool set_uid, set_gid, set_mode;
	uid_t uid;
	gid_t gid;
	mode_t umask;
	/* main, on its own stack */
	int (*main)(int, char **);
	int argc;
	char **argv; /* kept for the mount's life: main may keep pointers into it */
	ucontext_t fsctx, caller;
	void *stack;
	size_t stacksize;
	enum vufuse_state state;
	int mainret;
	void *dlhandle;
	struct vufuse_file *files; /* open files (syncfs, umount) */
	struct fuse_session *session;
};

/* An entry of a directory, as readdir's filler gave it. */
struct vufuse_dirent {
	ino_t ino;
	unsigned char type;
	char *name;
};

struct vufuse_file {
	struct fuse *fuse;
	char *path;
	struct fuse_file_info fi;
	int flags; /* of the open, O_APPEND updated by fcntl */
	off_t pos; /* a file's offset, a directory's entry index */
	bool dir;
	struct vufuse_dirent *ents; /* loaded at the first getdents64 */
	size_t nents;
	bool loaded;
	struct vufuse_file *next, *prev;
};

/* vufuse_run.c: main on its own stack. */
/* Start @f->main; 0 once it waits in fuse_loop, else -1 (it ended). */
int vufuse_run_start(struct fuse *f);
/* From fuse_loop: give the stack back to the mount, until the umount. */
void vufuse_run_yield(struct fuse *f);
/* At umount: let fuse_loop return and main end. */
void vufuse_run_finish(struct fuse *f);
/* The mount whose main runs on this thread now (fuse_new, fuse_loop...). */
struct fuse *vufuse_run_current(void);

/* vufuse_api.c: the context of an operation. */
void vufuse_ctx_push(struct fuse *f, struct fuse_context *c, struct fuse_context **old);
void vufuse_ctx_pop(struct fuse_context *old);
/* Call ops.init (at mount) and ops.destroy (at umount) in a context. */
void vufuse_fs_init(struct fuse *f);
void vufuse_fs_destroy(struct fuse *f);

/* vufuse_file.c: flush and fsync every open file (syncfs, umount). */
int vufuse_sync_all(struct fuse *f);

#endif /* KMVIEW_VUFUSE_H */
