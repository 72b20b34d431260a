// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_pseudofile.c - libvumod's pseudofiles: each function of
 * <libvumod.h>, as a module's methods would be called by the hypervisor.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <libvumod.h>

#include "tap.h"

/* What the test module's upcall saw, and what it serves. */
static struct {
	const char *contents; /* written at LOAD_CONTENTS */
	size_t contents_len;
	int loads, dirloads, stores;
	int store_flags;
	int store_had_f;
	char stored[256]; /* what f held at STORE_CLOSE */
	size_t stored_len;
	void *seen_private;
} u;

static void reset(const char *contents)
{
	memset(&u, 0, sizeof(u));
	u.contents = contents;
	u.contents_len = contents ? strlen(contents) : 0;
}

static int upcall(int tag, FILE *f, int openflags, void *pseudoprivate)
{
	u.seen_private = pseudoprivate;
	switch (tag) {
	case PSEUDOFILE_LOAD_CONTENTS:
		u.loads++;
		fwrite(u.contents, 1, u.contents_len, f);
		break;
	case PSEUDOFILE_LOAD_DIRENTS:
		u.dirloads++;
		pseudofile_filldir(f, ".", 2, DT_DIR);
		pseudofile_filldir(f, "..", 2, DT_DIR);
		pseudofile_filldir(f, "frequency", 100, DT_REG);
		pseudofile_filldir(f, "a", 101, DT_LNK);
		pseudofile_filldir(f, "four", 102, DT_REG); /* 19 + 4 + 1: a record of exactly 24 */
		break;
	case PSEUDOFILE_STORE_CLOSE:
		u.stores++;
		u.store_flags = openflags;
		u.store_had_f = f != NULL;
		if (f)
			u.stored_len = fread(u.stored, 1, sizeof(u.stored) - 1, f);
		break;
	}
	return 0;
}

static void *open_pf(int flags)
{
	void *priv = NULL;

	if (pseudofile_open(upcall, "tag", flags, &priv) != 0 || priv == NULL)
		return NULL;
	return priv;
}

static void test_mode2type(void)
{
	is_long(pseudofile_mode2type(S_IFREG | 0644), DT_REG, "mode2type: regular file");
	is_long(pseudofile_mode2type(S_IFDIR | 0755), DT_DIR, "mode2type: directory");
	is_long(pseudofile_mode2type(S_IFLNK | 0777), DT_LNK, "mode2type: symlink");
	is_long(pseudofile_mode2type(S_IFCHR), DT_CHR, "mode2type: char device");
	is_long(pseudofile_mode2type(S_IFBLK), DT_BLK, "mode2type: block device");
	is_long(pseudofile_mode2type(S_IFSOCK), DT_SOCK, "mode2type: socket");
	is_long(pseudofile_mode2type(S_IFIFO), DT_FIFO, "mode2type: fifo");
	is_long(pseudofile_mode2type(0644), DT_UNKNOWN, "mode2type: no type is DT_UNKNOWN");
	is_long(pseudofile_mode2type(0160000), DT_UNKNOWN, "mode2type: S_IFSTACK is DT_UNKNOWN");
}

static void test_readlink_fill(void)
{
	char buf[16];

	errno = 0;
	is_long(pseudofile_readlink_fill(NULL, buf, sizeof(buf)), -1, "readlink_fill(NULL): -1");
	is_long(errno, EINVAL, "... EINVAL: not a symlink");
	memset(buf, 'x', sizeof(buf));
	is_long(pseudofile_readlink_fill("/a/b", buf, sizeof(buf)), 4, "readlink_fill: the length");
	ok(memcmp(buf, "/a/b", 5) == 0, "... the target, NUL-terminated when it fits");
	memset(buf, 'x', sizeof(buf));
	is_long(pseudofile_readlink_fill("/abc", buf, 4), 4, "readlink_fill, bufsiz == length");
	ok(memcmp(buf, "/abcx", 5) == 0, "... no NUL past bufsiz");
	is_long(pseudofile_readlink_fill("/long/target", buf, 5), 5, "readlink_fill, short buffer");
	ok(memcmp(buf, "/long", 5) == 0, "... cut at bufsiz");
}

static void test_open_close_untouched(void)
{
	void *p;

	reset("never read");
	p = open_pf(O_RDONLY);
	ok(p != NULL, "pseudofile_open: 0 and a private pointer");
	is_long(u.loads, 0, "open alone does not load the contents");
	is_long(pseudofile_close(3, p), 0, "close: 0");
	is_long(u.loads, 0, "a file never read is never loaded");
	is_long(u.stores, 1, "close runs STORE_CLOSE once");
	is_long(u.store_had_f, 0, "... with f NULL: nothing was read or written");
	is_str(u.seen_private, "tag", "the upcall gets the module's pseudoprivate");
	is_long(pseudofile_close(3, NULL), 0, "close(NULL private): 0, nothing to do");
}

static void test_read_pieces(void)
{
	char buf[32];
	void *p;

	reset("hello world\n");
	p = open_pf(O_RDONLY);
	memset(buf, 0, sizeof(buf));
	is_long(pseudofile_read(3, buf, 4, p), 4, "read 4 bytes");
	is_long(u.loads, 1, "the first read loads the contents");
	ok(memcmp(buf, "hell", 4) == 0, "... the first 4");
	is_long(pseudofile_read(3, buf, 4, p), 4, "read 4 more");
	ok(memcmp(buf, "o wo", 4) == 0, "... the next 4: the position moves");
	is_long(pseudofile_read(3, buf, sizeof(buf), p), 4, "read the rest: a short read");
	ok(memcmp(buf, "rld\n", 4) == 0, "... the last 4");
	is_long(pseudofile_read(3, buf, sizeof(buf), p), 0, "read at the end: 0 (EOF)");
	is_long(pseudofile_read(3, buf, sizeof(buf), p), 0, "and again 0");
	is_long(u.loads, 1, "the contents are loaded once");
	errno = 0;
	is_long(pseudofile_write(3, "x", 1, p), -1, "write on O_RDONLY: -1");
	is_long(errno, EBADF, "... EBADF");
	pseudofile_close(3, p);
	is_long(u.store_had_f, 1, "close after a read: STORE_CLOSE gets the stream");
	is_long(u.stored_len, 12, "... rewound, with the whole contents");
}

static void test_lseek(void)
{
	char buf[32];
	void *p;

	reset("hello world\n");
	p = open_pf(O_RDONLY);
	is_long(pseudofile_lseek(3, 6, SEEK_SET, p), 6, "lseek SEEK_SET 6: returns 6");
	is_long(u.loads, 1, "lseek first loads the contents");
	memset(buf, 0, sizeof(buf));
	is_long(pseudofile_read(3, buf, 5, p), 5, "read 5 there");
	is_str(buf, "world", "... \"world\"");
	is_long(pseudofile_lseek(3, -5, SEEK_CUR, p), 6, "lseek SEEK_CUR -5: back to 6");
	is_long(pseudofile_lseek(3, 0, SEEK_END, p), 12, "lseek SEEK_END 0: the size, 12");
	is_long(pseudofile_read(3, buf, 5, p), 0, "read at the end: 0");
	is_long(pseudofile_lseek(3, -1, SEEK_END, p), 11, "lseek SEEK_END -1: 11");
	memset(buf, 0, sizeof(buf));
	is_long(pseudofile_read(3, buf, 5, p), 1, "read there: the last byte");
	is_str(buf, "\n", "... the newline");
	is_long(pseudofile_lseek(3, 0, SEEK_SET, p), 0, "lseek 0 after EOF: 0");
	is_long(pseudofile_read(3, buf, 5, p), 5, "and the file reads again from the start");
	errno = 0;
	is_long(pseudofile_lseek(3, -1, SEEK_SET, p), -1, "lseek to -1: -1");
	is_long(errno, EINVAL, "... EINVAL");
	errno = 0;
	is_long(pseudofile_lseek(3, 0, 42, p), -1, "lseek with a bad whence: -1");
	is_long(errno, EINVAL, "... EINVAL");
	is_long(pseudofile_lseek(3, 0, SEEK_CUR, p), 5, "the position is unchanged by the failures");
	pseudofile_close(3, p);
}

static void test_write_reread(void)
{
	char buf[64];
	void *p;

	reset("hello world\n");
	p = open_pf(O_RDWR);
	memset(buf, 0, sizeof(buf));
	is_long(pseudofile_read(3, buf, 5, p), 5, "O_RDWR: read 5");
	is_long(pseudofile_write(3, "XY", 2, p), 2, "write 2 at position 5");
	is_long(pseudofile_read(3, buf, 2, p), 2, "read after the write goes on after it");
	ok(memcmp(buf, "or", 2) == 0, "... \"or\"");
	is_long(pseudofile_lseek(3, 0, SEEK_SET, p), 0, "lseek 0");
	memset(buf, 0, sizeof(buf));
	is_long(pseudofile_read(3, buf, sizeof(buf), p), 12, "reread everything: the same size");
	is_str(buf, "helloXYorld\n", "... with the write in it");
	is_long(pseudofile_write(3, "!!", 2, p), 2, "write at the end extends the file");
	is_long(pseudofile_lseek(3, 0, SEEK_END, p), 14, "... to 14");
	pseudofile_close(3, p);
	u.stored[u.stored_len] = '\0';
	is_str(u.stored, "helloXYorld\n!!", "STORE_CLOSE reads the new contents from the start");
	is_long(u.store_flags, O_RDWR, "... with the open flags");
}

static void test_wronly_trunc_append(void)
{
	char buf[64];
	void *p;

	reset("old contents");
	p = open_pf(O_WRONLY);
	errno = 0;
	is_long(pseudofile_read(3, buf, 4, p), -1, "read on O_WRONLY: -1");
	is_long(errno, EBADF, "... EBADF");
	is_long(pseudofile_write(3, "abc", 3, p), 3, "O_WRONLY: write 3");
	is_long(u.loads, 0, "O_WRONLY never loads the old contents");
	pseudofile_close(3, p);
	u.stored[u.stored_len] = '\0';
	is_str(u.stored, "abc", "STORE_CLOSE gets only what was written");

	reset("old contents");
	p = open_pf(O_RDWR | O_TRUNC);
	is_long(pseudofile_read(3, buf, sizeof(buf), p), 0, "O_TRUNC: the file starts empty");
	is_long(u.loads, 0, "... the contents are not loaded");
	pseudofile_close(3, p);

	reset("12345");
	p = open_pf(O_RDWR | O_APPEND);
	is_long(pseudofile_read(3, buf, 2, p), 2, "O_APPEND: read 2");
	is_long(pseudofile_write(3, "67", 2, p), 2, "write 2");
	pseudofile_close(3, p);
	u.stored[u.stored_len] = '\0';
	is_str(u.stored, "1234567", "O_APPEND: the write went to the end");

	reset("ab");
	p = open_pf(O_RDWR);
	is_long(pseudofile_lseek(3, 5, SEEK_SET, p), 5, "lseek past the end: allowed");
	is_long(pseudofile_write(3, "z", 1, p), 1, "write there");
	pseudofile_close(3, p);
	is_long(u.stored_len, 6, "the file grew to 6");
	ok(memcmp(u.stored, "ab\0\0\0z", 6) == 0, "... the gap reads as zeros");
}

static void test_big(void)
{
	size_t size = 200000, got = 0;
	char *data = malloc(size + 1), buf[4096];
	int same = 1;
	void *p;

	for (size_t i = 0; i < size; i++)
		data[i] = 'a' + i % 23;
	data[size] = '\0';
	reset(data);
	p = open_pf(O_RDONLY);
	for (;;) {
		int n = pseudofile_read(3, buf, sizeof(buf), p);

		if (n <= 0)
			break;
		if (memcmp(buf, data + got, n) != 0)
			same = 0;
		got += n;
	}
	is_long(got, size, "a 200000-byte pseudofile reads whole in 4096-byte pieces");
	ok(same, "... byte for byte");
	pseudofile_close(3, p);
	free(data);
}

static void test_null_private(void)
{
	char buf[8];
	struct dirent64 d;

	errno = 0;
	is_long(pseudofile_read(3, buf, 1, NULL), -1, "read, NULL private: -1");
	is_long(errno, EINVAL, "... EINVAL");
	errno = 0;
	is_long(pseudofile_write(3, buf, 1, NULL), -1, "write, NULL private: -1");
	is_long(errno, EINVAL, "... EINVAL");
	errno = 0;
	is_long(pseudofile_lseek(3, 0, SEEK_SET, NULL), -1, "lseek, NULL private: -1");
	is_long(errno, EINVAL, "... EINVAL");
	errno = 0;
	is_long(pseudofile_getdents64(3, &d, sizeof(d), NULL), -1, "getdents64, NULL private: -1");
	is_long(errno, EINVAL, "... EINVAL");
}

/* The names of the records in buf[0..len), space-separated, with checks. */
static const char *names(const char *buf, int len, int *aligned)
{
	static char out[256];
	int pos = 0;

	out[0] = '\0';
	*aligned = 1;
	while (pos < len) {
		const struct dirent64 *d = (const struct dirent64 *)(buf + pos);

		if (d->d_reclen % 8 || d->d_reclen < offsetof(struct dirent64, d_name) + 2)
			*aligned = 0;
		if (out[0])
			strcat(out, " ");
		strcat(out, d->d_name);
		pos += d->d_reclen;
	}
	return out;
}

static void test_getdents(void)
{
	union {
		struct dirent64 d;
		char b[1024];
	} buf;
	const struct dirent64 *d;
	int aligned, n;
	void *p;

	reset(NULL);
	p = open_pf(O_RDONLY | O_DIRECTORY);
	n = pseudofile_getdents64(3, &buf.d, sizeof(buf), p);
	ok(n > 0, "getdents64: the entries (%d bytes)", n);
	is_long(u.dirloads, 1, "... LOAD_DIRENTS once");
	is_long(u.loads, 0, "... no LOAD_CONTENTS for a directory");
	is_str(names(buf.b, n, &aligned), ". .. frequency a four", "... every name, in order");
	ok(aligned, "... each record 8-byte aligned and NUL-terminated");
	d = (const struct dirent64 *)(buf.b + buf.d.d_reclen * 2);
	is_long(d->d_ino, 100, "... the inode given to filldir");
	is_long(d->d_type, DT_REG, "... the type given to filldir");
	is_long(pseudofile_getdents64(3, &buf.d, sizeof(buf), p), 0, "getdents64 again: 0, the end");
	is_long(pseudofile_lseek(3, 0, SEEK_SET, p), 0, "lseek 0 (rewinddir)");
	is_long(pseudofile_getdents64(3, &buf.d, sizeof(buf), p), n, "... the same entries again");
	is_long(u.dirloads, 1, "... without loading them again");
	pseudofile_close(3, p);

	/* A buffer for one record at a time: whole records only, then EINVAL. */
	reset(NULL);
	p = open_pf(O_RDONLY | O_DIRECTORY);
	{
		char all[256] = "";
		int calls = 0, partial = 0;

		while ((n = pseudofile_getdents64(3, &buf.d, 32, p)) > 0 && calls < 20) {
			if (n > 32 || n != buf.d.d_reclen)
				partial = 1;
			if (all[0])
				strcat(all, " ");
			strcat(all, buf.d.d_name);
			calls++;
		}
		is_long(n, 0, "getdents64 with 32 bytes: each call fits one record, then 0");
		is_long(calls, 5, "... five calls");
		ok(!partial, "... never a cut record");
		is_str(all, ". .. frequency a four", "... every name");
	}
	pseudofile_close(3, p);

	reset(NULL);
	p = open_pf(O_RDONLY);
	errno = 0;
	is_long(pseudofile_getdents64(3, &buf.d, 16, p), -1,
		"getdents64 with a buffer smaller than the first record: -1");
	is_long(errno, EINVAL, "... EINVAL");
	is_long(pseudofile_getdents64(3, &buf.d, sizeof(buf), p) > 0, 1,
		"... and nothing was lost: a big buffer then gets the entries");
	pseudofile_close(3, p);

	/* rewinddir's lseek as first call of an O_DIRECTORY file loads the entries. */
	reset("not a directory");
	p = open_pf(O_RDONLY | O_DIRECTORY);
	is_long(pseudofile_lseek(3, 0, SEEK_SET, p), 0, "O_DIRECTORY: lseek first");
	is_long(u.dirloads + 10 * u.loads, 1, "... loads the entries, not the contents");
	is_long(pseudofile_getdents64(3, &buf.d, sizeof(buf), p) > 0, 1, "... getdents64 then lists them");
	pseudofile_close(3, p);
}

static void test_filldir(void)
{
	char name[300];
	char out[512];
	FILE *f = fmemopen(out, sizeof(out), "w+");
	const struct dirent64 *d = (const struct dirent64 *)out;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	is_long(pseudofile_filldir(f, name, 7, DT_REG), 1, "filldir a 299-byte name: 1");
	fflush(f);
	is_long(strlen(d->d_name), 255, "... cut to 255 bytes, NUL-terminated");
	is_long(d->d_reclen, (offsetof(struct dirent64, d_name) + 256 + 7) & ~7, "... the record padded to 8");
	fclose(f);
	f = fmemopen(out, 8, "w");
	setvbuf(f, NULL, _IONBF, 0);
	is_long(pseudofile_filldir(f, "x", 1, DT_REG), 0, "filldir into a full stream: 0");
	fclose(f);
}

int main(void)
{
	test_mode2type();
	test_readlink_fill();
	test_open_close_untouched();
	test_read_pieces();
	test_lseek();
	test_write_reread();
	test_wronly_trunc_append();
	test_big();
	test_null_private();
	test_getdents();
	test_filldir();
	return tap_done();
}
