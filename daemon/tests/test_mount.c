// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_mount.c - mount(2) and umount2(2) through the module layer, with
 * the real vufs.so: the type chooses the module, the mount is served and
 * pushed to the kernel filter, the errors of mount and umount, EBUSY
 * while a file is open.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fake_backend.h"
#include "filter.h"
#include "host/modmgmt.h"
#include "tap.h"
#include "core/vfd.h"
#include "core/vuht.h"

#define A_SRC 0x1000
#define A_DST 0x2000
#define A_TYPE 0x3000
#define A_DATA 0x4000
#define A_BUF 0x5000

static char m_src[256], m_dst[256], m_type[64], m_data[64];
static char m_buf[4096];

static long do_mount(struct fake_backend *f, const char *src, const char *dst, const char *type,
		     const char *data)
{
	struct vu_msg m = { .type = VU_MSG_SYSCALL, .tid = 1, .tgid = 1, .nr = __NR_mount };
	uint64_t u;

	m.fd_arg[0] = m.fd_arg[1] = m.path_arg[0] = m.path_arg[1] = VU_NO_ARG;
	snprintf(m_src, sizeof(m_src), "%s", src);
	snprintf(m_dst, sizeof(m_dst), "%s", dst);
	snprintf(m_type, sizeof(m_type), "%s", type);
	snprintf(m_data, sizeof(m_data), "%s", data ? data : "");
	m.args[0] = A_SRC;
	m.args[1] = A_DST;
	m.args[2] = A_TYPE;
	m.args[4] = data ? A_DATA : 0;
	u = fake_push(f, m);
	fake_run(f);
	return fake_result(f, u);
}

static long do_umount(struct fake_backend *f, const char *dst, int flags)
{
	snprintf(m_dst, sizeof(m_dst), "%s", dst);
	return fake_call(f, 1, __NR_umount2, A_DST, (uint64_t)flags, 0, 0);
}

static bool bit(const struct fake_backend *f, long nr)
{
	return f->bitmap[nr / 64] & (1ULL << (nr % 64));
}

int main(void)
{
	struct fake_backend f;
	char src[] = "/tmp/kmview-test-mount.XXXXXX";
	char file[300];
	struct vu_msg m = { .type = VU_MSG_SYSCALL, .tid = 1, .tgid = 1 };
	uint64_t u;

	setenv("KMVIEW_MODULE_PATH", TEST_MODULE_DIR, 1);
	if (!mkdtemp(src))
		return 1;
	snprintf(file, sizeof(file), "%s/file", src);
	close(open(file, O_CREAT | O_WRONLY, 0644));
	fake_init(&f, 0);
	fake_map(&f, A_SRC, m_src, sizeof(m_src));
	fake_map(&f, A_DST, m_dst, sizeof(m_dst));
	fake_map(&f, A_TYPE, m_type, sizeof(m_type));
	fake_map(&f, A_DATA, m_data, sizeof(m_data));
	fake_map(&f, A_BUF, m_buf, sizeof(m_buf));

	is_long(vu_module_insert("vufs", 0), 0, "vufs loads");
	is_long(vu_filter_sync(&f.be), 0, "the filter follows");
	ok(bit(&f, __NR_mount) && bit(&f, __NR_umount2), "mount and umount2 now reach the daemon");
	ok(!bit(&f, __NR_open), "nothing else yet: nothing is mounted");

	is_long(do_mount(&f, src, "/mnt/v", "vufs", NULL), 0, "vufs mounts a directory");
	is_long(f.nprefixes, 1, "its prefix is pushed to the kernel");
	is_str(f.prefixes[0].path, "/mnt/v", "at the mount point");
	is_long(f.nmtab_prefixes, VUHT_RESERVED_PREFIXES,
		"and the mount table files (/proc/mounts...) and fd links (/proc/self/fd) with it");
	ok(bit(&f, __NR_open), "and the path calls reach the daemon");

	m.fd_arg[0] = m.fd_arg[1] = m.path_arg[1] = VU_NO_ARG;
	m.path_arg[0] = 0;
	m.nr = __NR_lstat;
	m.path[0] = "/mnt/v/file";
	m.args[1] = A_BUF;
	u = fake_push(&f, m);
	fake_run(&f);
	is_long(fake_result(&f, u), 0, "lstat of a file under it: served");
	m.path[0] = "/mnt/v/missing";
	u = fake_push(&f, m);
	fake_run(&f);
	is_long(fake_result(&f, u), -ENOENT, "a missing one: ENOENT from the source");

	is_long(do_mount(&f, src, "/mnt/w", "vufsxyz", "bind"), 0,
		"type vufsxyz reaches vufs (a submodule's type)");
	is_long(do_mount(&f, src, "/mnt/x", "nosuchfs", NULL), FAKE_NATIVE,
		"an unknown type on a real target runs natively");

	/* a type alias (CHECKFSALIAS) reaches the module that registered it */
	struct vuht_entry_t *vufs_ht = vuht_pick(CHECKMODULE, "vufs", 0, VU_EPOCH_NOW);
	struct vuht_entry_t *alias = vuht_add(CHECKFSALIAS, "bindfs", 6, vufs_ht->service, 0,
					      NULL, NULL);

	vuht_drop(vufs_ht);
	is_long(do_mount(&f, src, "/mnt/a", "bindfs", NULL), 0,
		"a type alias of vufs (CHECKFSALIAS) mounts with vufs");
	is_long(do_umount(&f, "/mnt/a", 0), 0, "and unmounts");
	is_long(do_mount(&f, src, "/mnt/a", "bindfsx", NULL), FAKE_NATIVE,
		"an alias is the whole type, not a prefix");
	is_long(vuht_del(alias, 0), 0, "the alias removed");
	is_long(do_mount(&f, src, "/mnt/a", "bindfs", NULL), FAKE_NATIVE,
		"its type is unknown again");
	is_long(do_mount(&f, src, "/mnt/v/sub", "nosuchfs", NULL), -ENODEV,
		"an unknown type on a virtual target: ENODEV");
	is_long(do_mount(&f, "/no/such/dir", "/mnt/y", "vufs", NULL), -ENOENT,
		"a missing source: ENOENT");
	is_long(do_mount(&f, file, "/tmp", "vufs", NULL), -ENOTDIR,
		"a file on a directory: ENOTDIR");
	is_long(do_mount(&f, src, "/etc/hostname", "vufs", NULL), -ENOTDIR,
		"a directory on a file: ENOTDIR");
	is_long(do_mount(&f, src, "/mnt/y", "vufs", "bogus"), -EINVAL, "a bad option: EINVAL");
	is_long(do_mount(&f, src, "/mnt/y", "vufs", "bind,move"), -EINVAL,
		"bind and move together: EINVAL");
	is_long(f.nprefixes, 2, "failed mounts leave nothing behind");

	is_long(do_mount(&f, file, "/mnt/file", "vufs", NULL), 0,
		"a file on a mount point that does not exist: a file mount");
	m.path[0] = "/mnt/file";
	u = fake_push(&f, m);
	fake_run(&f);
	is_long(fake_result(&f, u), 0, "lstat of it: served");
	is_long(do_umount(&f, "/mnt/file", 0), 0, "and it goes");

	is_long(do_umount(&f, "/mnt/w/", 0), 0, "umount2 of the second mount");
	is_long(f.nprefixes, 1, "its prefix is withdrawn");
	is_long(do_umount(&f, "/mnt/w", 0), FAKE_NATIVE, "twice: not virtual any more, native");
	is_long(do_umount(&f, "/mnt/v/sub", 0), -EINVAL, "inside a mount, no mount point: EINVAL");

	/* a directory: a regular file would be passed through, holding nothing */
	m.nr = __NR_open;
	m.path[0] = "/mnt/v";
	m.args[1] = O_RDONLY | O_DIRECTORY;
	u = fake_push(&f, m);
	fake_run(&f);
	ok(f.nreplies == 1 && f.replies[0].rep.kind == VU_REPLY_VFD, "a directory is opened in it");
	is_long(do_umount(&f, "/mnt/v", 0), -EBUSY, "umount2 while it is open: EBUSY");
	is_long(vu_module_remove("vufs"), -EBUSY, "vu_rmmod while mounted: EBUSY");
	is_long(do_umount(&f, "/mnt/v", MNT_DETACH | 0x100), -EINVAL, "unknown umount flags: EINVAL");
	is_long(do_umount(&f, "/mnt/v", MNT_DETACH), 0, "MNT_DETACH: it goes while open");
	is_long(f.nprefixes, 0, "and is no longer in the kernel filter");
	is_long(f.nmtab_prefixes, 0, "nor are the mount table files");
	is_long(vu_vfd_release(1), 0, "the open file closes afterwards");
	is_long(vu_module_remove("vufs"), 0, "then vufs can be removed");
	is_long(vuht_count(), 0, "nothing is left in the table");
	is_long(f.protocol_errors, 0, "one reply per request");

	/* a module without umount2: the hypervisor's vuht_del, not busy with the request's own use */
	is_long(vu_module_insert(TEST_PLAINMOUNT, 0), 0, "plainmount (no umount2) loads");
	is_long(do_mount(&f, "none", "/mnt/p", "plainmount", NULL), 0, "its mount");
	is_long(do_umount(&f, "/mnt/p", 0), 0, "umount2 of a module without the method: done");
	is_long(do_umount(&f, "/mnt/p", 0), FAKE_NATIVE, "and it is gone: the next umount2 is the kernel's");
	is_long(vu_module_remove("plainmount"), 0, "plainmount goes");
	vu_filter_sync(&f.be);
	ok(!bit(&f, __NR_mount), "mount no longer reaches the daemon");
	vu_filter_reset();
	unlink(file);
	rmdir(src);
	return tap_done();
}
