// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sctest.c - a test module (not installed) that owns system calls by
 * number (CHECKSC), for selftests/kmview/scnum.sh.
 *
 * At vu_insmod it claims, each with an entry of its own (the key from
 * vu_arch_table, as VUOS's unrealuidgid does): the uid and gid calls
 * (every id is 0), uname and sethostname (the nodename is "sctest") and
 * clock_gettime (CLOCK_REALTIME is 1000000000 s; the other clocks are
 * real). A mount ("vumount -t sctest -o nodename=N,uid=U none DIR") adds a
 * wildcard entry, as vumisc does, whose confirm function takes uname and
 * sethostname if the options name a nodename, and the uid calls if they
 * name a uid: the newer entry wins for those, with its own answers.
 *
 * Build: cc -shared -fPIC -o sctest.so sctest.c (against include/vumodule.h)
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include <vumodule.h>

VU_PROTOTYPES(sctest)
VU_KMVIEW_PROTOTYPES(sctest)

struct vu_module_t vu_module = {
	.name = "sctest",
	.description = "test: owns the ids, uname, sethostname, clock_gettime",
};

struct sct {
	pthread_mutex_t lock;
	int has_uid, has_nodename;
	uid_t uid;
	gid_t gid;
	char nodename[65];
	time_t realtime;
	struct vuht_entry_t *path_ht, *sc_ht;
};

static struct sct defaults = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.has_uid = 1,
	.has_nodename = 1,
	.nodename = "sctest",
	.realtime = 1000000000,
};

static const int sc_claimed[] = {
	__NR_getresuid, __NR_getresgid,	  __NR_setresuid,
	__NR_uname,	__NR_sethostname, __NR_clock_gettime,
};
#define NCLAIMED (sizeof(sc_claimed) / sizeof(sc_claimed[0]))
static struct vuht_entry_t *own[NCLAIMED];

int vu_sctest_getresfuid(uid_t *ruid, uid_t *euid, uid_t *suid, uid_t *fsuid, void *private)
{
	struct sct *p = private;

	pthread_mutex_lock(&p->lock);
	*ruid = *euid = *suid = *fsuid = p->uid;
	pthread_mutex_unlock(&p->lock);
	return 0;
}

int vu_sctest_setresfuid(uid_t ruid, uid_t euid, uid_t suid, uid_t fsuid, void *private)
{
	struct sct *p = private;

	pthread_mutex_lock(&p->lock);
	if (euid != (uid_t)-1)
		p->uid = euid;
	pthread_mutex_unlock(&p->lock);
	return 0;
}

int vu_sctest_getresfgid(gid_t *rgid, gid_t *egid, gid_t *sgid, gid_t *fsgid, void *private)
{
	struct sct *p = private;

	*rgid = *egid = *sgid = *fsgid = p->gid;
	return 0;
}

int vu_sctest_uname(struct utsname *buf)
{
	struct sct *p = vu_get_ht_private_data();

	pthread_mutex_lock(&p->lock);
	snprintf(buf->nodename, sizeof(buf->nodename), "%s", p->nodename);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

int vu_sctest_sethostname(const char *name, size_t len)
{
	struct sct *p = vu_get_ht_private_data();

	pthread_mutex_lock(&p->lock);
	snprintf(p->nodename, sizeof(p->nodename), "%.*s", (int)len, name);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

int vu_sctest_clock_gettime(clockid_t clk_id, struct timespec *tp)
{
	struct sct *p = vu_get_ht_private_data();

	if (clk_id != CLOCK_REALTIME)
		return clock_gettime(clk_id, tp);
	tp->tv_sec = p->realtime;
	tp->tv_nsec = 0;
	return 0;
}

/* The mount's wildcard: what its options name. */
static int sct_confirm(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	struct sct *p = vuht_get_private_data(ht);
	int key = *(int *)arg;

	if (p->has_nodename &&
	    (key == vu_arch_table[__NR_uname] || key == vu_arch_table[__NR_sethostname]))
		return 1;
	return p->has_uid &&
	       (key == vu_arch_table[__NR_getuid] || key == vu_arch_table[__NR_setuid]);
}

static void sct_options(struct sct *p, const char *data)
{
	char *opts = strdup(data ? data : ""), *save = NULL;

	for (char *o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (strncmp(o, "nodename=", 9) == 0) {
			snprintf(p->nodename, sizeof(p->nodename), "%s", o + 9);
			p->has_nodename = 1;
		} else if (strncmp(o, "uid=", 4) == 0) {
			p->uid = (uid_t)strtoul(o + 4, NULL, 10);
			p->has_uid = 1;
		}
	}
	free(opts);
}

int vu_sctest_mount(const char *source, const char *target, const char *filesystemtype,
		    unsigned long mountflags, const void *data)
{
	struct vu_service_t *s = vu_mod_getservice();
	struct sct *p = calloc(1, sizeof(*p));

	if (!p)
		return errno = ENOMEM, -1;
	pthread_mutex_init(&p->lock, NULL);
	p->realtime = defaults.realtime;
	sct_options(p, data);
	pthread_mutex_lock(&p->lock);
	p->path_ht = vuht_pathadd(CHECKPATH, source, target, filesystemtype, mountflags, data, s, 0,
				  NULL, p);
	p->sc_ht = vuht_add(CHECKSC, NULL, 0, s, 0, sct_confirm, p);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

int vu_sctest_umount2(const char *target, int flags)
{
	struct sct *p = vu_get_ht_private_data();
	struct vuht_entry_t *sc, *path;
	int ret;

	/* not under the lock: the last cleanup frees p */
	pthread_mutex_lock(&p->lock);
	sc = p->sc_ht;
	path = p->path_ht;
	pthread_mutex_unlock(&p->lock);
	if (sc)
		vuht_del(sc, flags);
	/* this request's own entry: its cleanup comes after this returns */
	ret = vuht_del(path, flags);
	return ret < 0 ? (errno = -ret, -1) : 0;
}

void vu_sctest_cleanup(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	struct sct *p = vuht_get_private_data(ht);

	if (p == &defaults)
		return;
	if (ht == p->sc_ht)
		p->sc_ht = NULL;
	if (ht == p->path_ht)
		p->path_ht = NULL;
	if (!p->sc_ht && !p->path_ht) {
		pthread_mutex_destroy(&p->lock);
		free(p);
	}
}

void *vu_sctest_init(void)
{
	struct vu_service_t *s = vu_mod_getservice();

	for (size_t i = 0; i < NCLAIMED; i++) {
		int key = vu_arch_table[sc_claimed[i]];

		own[i] = vuht_add(CHECKSC, &key, sizeof(int), s, 0, NULL, &defaults);
	}
	return NULL;
}

int vu_sctest_fini(void *private)
{
	for (size_t i = 0; i < NCLAIMED; i++)
		if (own[i] && vuht_del(own[i], MNT_FORCE) == 0)
			own[i] = NULL;
	return 0;
}
