// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_prw.c - VU_USE_PRW: for a module without file positions the
 * hypervisor keeps each open file's offset, so read, write, readv and
 * lseek work as on a real file, and the module's lseek decides which
 * positions exist.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "fake_backend.h"
#include "core/service.h"
#include "host/modmgmt.h"
#include "tap.h"
#include "core/vuht.h"

#define A_SRC 0x1000
#define A_DST 0x2000
#define A_TYPE 0x3000
#define A_BUF 0x4000
#define A_IOV 0x5000

static char m_src[16] = "none", m_dst[16] = "/d", m_type[16] = "prwdev";
static char m_buf[256];
static struct iovec m_iov[2];
static struct fake_backend f;

static uint64_t vopen(const char *path, int flags)
{
	return fake_open_vfd(&f, 1, path, flags, NULL);
}

static long fdcall(long nr, uint64_t h, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct vu_msg m = fake_msg(1, nr, NULL);

	m.fd_arg[0] = 0;
	m.vfd[0] = h;
	m.args[1] = a1;
	m.args[2] = a2;
	m.args[3] = a3;
	return fake_serve(&f, m);
}

static void *prw_sym(const char *name)
{
	struct vuht_entry_t *ht = vuht_pick(CHECKMODULE, "prwdev", 0, VU_EPOCH_NOW);
	void *p = ht ? dlsym(ht->service->dlhandle, name) : NULL;

	vuht_drop(ht);
	return p;
}

int main(void)
{
	uint64_t a, b, c;
	char *data;

	fake_init(&f, 0);
	fake_map(&f, A_SRC, m_src, sizeof(m_src));
	fake_map(&f, A_DST, m_dst, sizeof(m_dst));
	fake_map(&f, A_TYPE, m_type, sizeof(m_type));
	fake_map(&f, A_BUF, m_buf, sizeof(m_buf));
	fake_map(&f, A_IOV, m_iov, sizeof(m_iov));
	is_long(vu_module_insert(TEST_PRW, 0), 0, "a VU_USE_PRW module loads");
	is_long(fake_mount(&f, 1, A_SRC, A_DST, A_TYPE, 0), 0, "mounted at /d");
	data = prw_sym("prw_data");
	if (!ok(data != NULL, "its data is there"))
		return tap_done();
	memcpy(data, "0123456789abcdef", 16);

	a = vopen("/d/x", O_RDWR);
	b = vopen("/d/x", O_RDONLY);
	ok(a && b, "two opens, two open files");
	is_long(fdcall(__NR_read, a, A_BUF, 4, 0), 4, "read 4 from a module with no read method");
	ok(memcmp(m_buf, "0123", 4) == 0, "the first 4 bytes");
	is_long(fdcall(__NR_read, a, A_BUF, 4, 0), 4, "read 4 more");
	ok(memcmp(m_buf, "4567", 4) == 0, "the offset moved on");
	is_long(fdcall(__NR_read, b, A_BUF, 2, 0), 2, "the other open file");
	ok(memcmp(m_buf, "01", 2) == 0, "has an offset of its own");
	is_long(fdcall(__NR_lseek, a, 0, SEEK_CUR, 0), 8, "lseek SEEK_CUR tells the offset");
	is_long(fdcall(__NR_lseek, a, 2, SEEK_SET, 0), 2, "lseek SEEK_SET");
	is_long(fdcall(__NR_read, a, A_BUF, 2, 0), 2, "a read there");
	ok(memcmp(m_buf, "23", 2) == 0, "reads from the new offset");
	is_long(fdcall(__NR_lseek, a, 0, SEEK_END, 0), 64, "SEEK_END: the module's end");
	is_long(fdcall(__NR_lseek, a, 100, SEEK_SET, 0), -EINVAL,
		"a position the module's lseek refuses: its errno");
	is_long(fdcall(__NR_lseek, a, 0, SEEK_CUR, 0), 64, "and the offset stays");
	is_long(fdcall(__NR_lseek, a, -100, SEEK_CUR, 0), -EINVAL, "a negative offset: EINVAL");
	is_long(fdcall(__NR_lseek, a, 0, SEEK_DATA, 0), -EINVAL, "SEEK_DATA: EINVAL");

	is_long(fdcall(__NR_lseek, a, 16, SEEK_SET, 0), 16, "back to the end of the data");
	memcpy(m_buf, "XY", 2);
	is_long(fdcall(__NR_write, a, A_BUF, 2, 0), 2, "write 2 with no write method");
	ok(memcmp(data + 16, "XY", 2) == 0, "at the offset");
	is_long(fdcall(__NR_lseek, a, 0, SEEK_CUR, 0), 18, "which moved on");

	c = vopen("/d/x", O_WRONLY | O_APPEND);
	memcpy(m_buf, "Z", 1);
	is_long(fdcall(__NR_write, c, A_BUF, 1, 0), 1, "an O_APPEND write");
	ok(data[18] == 'Z', "lands at the end of the file, from its size");

	memset(m_buf, 0, sizeof(m_buf));
	m_iov[0] = (struct iovec){ (void *)(A_BUF), 3 };
	m_iov[1] = (struct iovec){ (void *)(A_BUF + 8), 3 };
	is_long(fdcall(__NR_lseek, b, 0, SEEK_SET, 0), 0, "rewind the other file");
	is_long(fdcall(__NR_readv, b, A_IOV, 2, 0), 6, "readv: through pread64 at the offset");
	ok(memcmp(m_buf, "012", 3) == 0 && memcmp(m_buf + 8, "345", 3) == 0,
	   "both pieces, in order");
	is_long(fdcall(__NR_pread64, b, A_BUF, 2, 10), 2, "pread64 at an offset of its own");
	is_long(fdcall(__NR_lseek, b, 0, SEEK_CUR, 0), 6, "does not move the offset");
	is_long(f.protocol_errors, 0, "no protocol error");
	return tap_done();
}
