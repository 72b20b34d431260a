// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_bigio.c - a read or write longer than the daemon's chunk
 * (VU_IO_MAX): on a regular file or a block device it moves the whole
 * count, chunk after chunk, as the kernel's would (mke2fs takes a short
 * write on a device for an error); on a character device one chunk is
 * a short count, and the module is not asked again (a message device
 * must not be read twice for one read).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "fake_backend.h"
#include "core/service.h"
#include "host/modmgmt.h"
#include "sc/fd.h"
#include "tap.h"
#include "core/vuht.h"

#define A_SRC 0x1000
#define A_DST 0x2000
#define A_TYPE 0x3000
#define A_PATH 0x4000
#define A_BUF 0x100000
#define BUF_SIZE (1 << 20)

static char m_src[16] = "none", m_dst[16] = "/d", m_type[16] = "bigio", m_path[16];
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

static void *sym(const char *name)
{
	struct vuht_entry_t *ht = vuht_pick(CHECKMODULE, "bigio", 0, VU_EPOCH_NOW);
	void *p = ht ? dlsym(ht->service->dlhandle, name) : NULL;

	vuht_drop(ht);
	return p;
}

int main(void)
{
	unsigned char *mem = calloc(1, BUF_SIZE), *data;
	uint64_t file, blk, chr;
	int *calls;

	fake_init(&f, 0);
	fake_map(&f, A_SRC, m_src, sizeof(m_src));
	fake_map(&f, A_DST, m_dst, sizeof(m_dst));
	fake_map(&f, A_TYPE, m_type, sizeof(m_type));
	fake_map(&f, A_PATH, m_path, sizeof(m_path));
	fake_map(&f, A_BUF, mem, BUF_SIZE);
	is_long(vu_module_insert(TEST_BIGIO, 0), 0, "bigio loads");
	is_long(fake_mount(&f, 1, A_SRC, A_DST, A_TYPE, 0), 0, "mounted at /d");
	data = sym("bigio_data");
	calls = sym("bigio_calls");
	if (!ok(data && calls, "its data is there"))
		return tap_done();
	for (int i = 0; i < BUF_SIZE; i++)
		data[i] = (unsigned char)(i * 7 + i / 4096);

	file = vopen("/d/file", O_RDWR);
	blk = vopen("/d/blk", O_RDWR);
	chr = vopen("/d/chr", O_RDWR);
	ok(file && blk && chr, "three files open");

	*calls = 0;
	is_long(fdcall(__NR_read, file, A_BUF, BUF_SIZE, 0), BUF_SIZE,
		"a 1 MiB read of a regular file reads it all");
	ok(memcmp(mem, data, BUF_SIZE) == 0, "  every byte, in its place");
	is_long(*calls, BUF_SIZE / VU_IO_MAX, "  in chunks");
	is_long(fdcall(__NR_lseek, file, 0, SEEK_CUR, 0), BUF_SIZE,
		"  and the offset moved by all");

	memset(mem, 0, BUF_SIZE);
	is_long(fdcall(__NR_pread64, blk, A_BUF, 600000, 1000), 600000,
		"a pread64 of 600000 bytes of a block device: all of them");
	ok(memcmp(mem, data + 1000, 600000) == 0, "  from its offset");
	is_long(fdcall(__NR_pread64, blk, A_BUF, BUF_SIZE, BUF_SIZE - 300000), 300000,
		"  one across the end is short at the end");

	for (int i = 0; i < BUF_SIZE; i++)
		mem[i] = (unsigned char)(255 - i % 251);
	is_long(fdcall(__NR_pwrite64, blk, A_BUF, 700000, 4096), 700000,
		"a pwrite64 of 700000 bytes: all of them");
	ok(memcmp(data + 4096, mem, 700000) == 0, "  land at the offset");
	is_long(fdcall(__NR_pwrite64, blk, A_BUF, BUF_SIZE, BUF_SIZE - 1000), 1000,
		"  one across the end is short");

	*calls = 0;
	is_long(fdcall(__NR_read, chr, A_BUF, BUF_SIZE, 0), VU_IO_MAX,
		"a 1 MiB read of a character device is one chunk");
	is_long(*calls, 1, "  the module is asked once");
	*calls = 0;
	is_long(fdcall(__NR_write, chr, A_BUF, BUF_SIZE, 0), VU_IO_MAX,
		"a 1 MiB write of a character device is one chunk");
	is_long(*calls, 1, "  the module is asked once");
	is_long(fdcall(__NR_read, chr, A_BUF, 100, 0), 100, "a short read is one call");
	is_long(f.protocol_errors, 0, "no protocol error");
	free(mem);
	return tap_done();
}
