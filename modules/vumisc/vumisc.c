// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vumisc.c - the vumisc module: system calls served by a submodule, set
 * up through a few control files (VUOS's vumisc, <vumisc.h>).
 *
 *   vu_insmod vumisc
 *   vumount -t vumisctime none /mnt      (the clocks: base, frequency, offset)
 *   vumount -t vumiscuname none /mnt     (uname and the host names)
 *
 * A mount dlopens the submodule its type names (vumisctime.so), takes its
 * vumisc_ops (the files) and the functions NAME_clock_gettime, ...,
 * NAME_uname it has, and claims the mount point (CHECKPATH) and, for each
 * of those functions, the system calls it serves (CHECKSC, keyed by the
 * method: VUOS claims every call with one wildcard entry; a keyed entry
 * forwards only the calls the submodule serves, so that a view with
 * vumiscuname keeps its vDSO, see Documentation/module-api.md). A clock
 * call is confirmed by asking the submodule about its clock first (NULL
 * timespec): a clock it leaves, such as a CPU-time clock, runs natively.
 * The newest mount wins, as in VUOS.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "vumisc_priv.h"

VU_PROTOTYPES(vumisc)
VU_KMVIEW_PROTOTYPES(vumisc)

struct vu_module_t vu_module = {
	.name = "vumisc",
	.description = "vumisc: time and system names of the view (vumisctime, vumiscuname)",
};

static const char *const vumisc_sc_names[VUMISC_NSC] = {
#define VUMISC_SC_NAME(c) #c,
	VUMISC_SC_LIST(VUMISC_SC_NAME)
#undef VUMISC_SC_NAME
};

/* The system call of each, whose vu_arch_table entry is its CHECKSC key. */
static const int vumisc_sc_nr[VUMISC_NSC] = {
	__NR_clock_gettime, __NR_clock_settime, __NR_clock_getres, __NR_clock_nanosleep,
	__NR_poll,	    __NR_uname,		__NR_sethostname,  __NR_setdomainname,
};

/* vumisc itself, global while loaded, so that submodules find vumisc_get_private_data. */
static void *vumisc_self;
static pthread_mutex_t vumisc_self_lock = PTHREAD_MUTEX_INITIALIZER;

void *vumisc_get_private_data(void)
{
	struct vumisc_t *m = vu_get_ht_private_data();

	return m ? m->private_data : NULL;
}

/*
 * The hypervisor loads modules RTLD_LOCAL (VUOS: RTLD_GLOBAL): a submodule
 * would not find vumisc_get_private_data(). vumisc makes itself global
 * once, before its first submodule.
 */
static int vumisc_export(void)
{
	Dl_info info;
	int ret = 0;

	pthread_mutex_lock(&vumisc_self_lock);
	if (!vumisc_self) {
		if (dladdr((void *)vumisc_get_private_data, &info) && info.dli_fname)
			vumisc_self = dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);
		if (!vumisc_self) {
			printk(KERN_ERR "vumisc: cannot export the submodule API: %s\n", dlerror());
			errno = ELIBACC;
			ret = -1;
		}
	}
	pthread_mutex_unlock(&vumisc_self_lock);
	return ret;
}

static struct vumisc_t *vumisc_cur(void)
{
	return vu_get_ht_private_data();
}

/* Call the submodule's function @c with the mount of the request. */
#define VUMISC_CALL(c, rtype, params, ...)                                             \
	({                                                                              \
		struct vumisc_t *m_ = vumisc_cur();                                     \
		rtype(*f_) params = NULL;                                               \
		int r_;                                                                 \
		if (m_ && m_->fn[VUMISC_##c])                                           \
			memcpy(&f_, &m_->fn[VUMISC_##c], sizeof(f_));                    \
		if (f_)                                                                 \
			r_ = f_(__VA_ARGS__);                                           \
		else                                                                    \
			r_ = (errno = ENOSYS, -1);                                      \
		r_;                                                                     \
	})

int vu_vumisc_clock_gettime(clockid_t clk_id, struct timespec *tp)
{
	if (!tp)
		return errno = EFAULT, -1;
	return VUMISC_CALL(clock_gettime, int, (clockid_t, struct timespec *), clk_id, tp);
}

int vu_vumisc_clock_settime(clockid_t clk_id, const struct timespec *tp)
{
	if (!tp)
		return errno = EFAULT, -1;
	return VUMISC_CALL(clock_settime, int, (clockid_t, const struct timespec *), clk_id, tp);
}

int vu_vumisc_clock_getres(clockid_t clk_id, struct timespec *res)
{
	if (!res)
		return errno = EFAULT, -1;
	return VUMISC_CALL(clock_getres, int, (clockid_t, struct timespec *), clk_id, res);
}

int vu_vumisc_clock_nanosleep(clockid_t clk_id, int flags, const struct timespec *req,
			      struct timespec *rem)
{
	if (!req)
		return errno = EFAULT, -1;
	return VUMISC_CALL(clock_nanosleep, int,
			   (clockid_t, int, const struct timespec *, struct timespec *), clk_id,
			   flags, req, rem);
}

int vu_vumisc_clock_timeout(clockid_t clk_id, struct timespec *timeout)
{
	if (!timeout)
		return errno = EFAULT, -1;
	return VUMISC_CALL(clock_timeout, int, (clockid_t, struct timespec *), clk_id, timeout);
}

int vu_vumisc_uname(struct utsname *buf)
{
	return VUMISC_CALL(uname, int, (struct utsname *), buf);
}

int vu_vumisc_sethostname(const char *name, size_t len)
{
	return VUMISC_CALL(sethostname, int, (const char *, size_t), name, len);
}

int vu_vumisc_setdomainname(const char *name, size_t len)
{
	return VUMISC_CALL(setdomainname, int, (const char *, size_t), name, len);
}

/*
 * Does the submodule of @ht serve this call? A clock call (clock_gettime,
 * clock_settime, clock_getres, clock_nanosleep, nanosleep) is asked about
 * its clock: the submodule's function with a NULL timespec says 0 (mine)
 * or -1 (not mine). gettimeofday, time and settimeofday are CLOCK_REALTIME.
 */
static int vumisc_confirm(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	struct vumisc_t *m = vuht_get_private_data(ht);
	int key, nr = vu_mod_getsyscall_number();
	clockid_t clk = CLOCK_REALTIME;
	struct vuht_entry_t *old;
	int i, ret;

	if (!m || type != CHECKSC || arglen != sizeof(int))
		return 0;
	memcpy(&key, arg, sizeof(key));
	for (i = 0; i < VUMISC_NSC; i++)
		if (m->fn[i] && vu_arch_table[vumisc_sc_nr[i]] == key)
			break;
	if (i == VUMISC_NSC)
		return 0;
	if (i > VUMISC_clock_timeout)
		return 1; /* the names */
	if (nr == __NR_clock_gettime || nr == __NR_clock_settime || nr == __NR_clock_getres ||
	    nr == __NR_clock_nanosleep)
		clk = (clockid_t)vu_mod_getsyscall_arg(0);
	else if (nr == __NR_nanosleep || i == VUMISC_clock_timeout)
		clk = CLOCK_MONOTONIC;
	old = vu_mod_setht(ht);
	switch (i) {
	case VUMISC_clock_nanosleep:
		ret = VUMISC_CALL(clock_nanosleep, int,
				  (clockid_t, int, const struct timespec *, struct timespec *), clk,
				  0, NULL, NULL);
		break;
	case VUMISC_clock_timeout:
		ret = VUMISC_CALL(clock_timeout, int, (clockid_t, struct timespec *), clk, NULL);
		break;
	case VUMISC_clock_settime:
		ret = VUMISC_CALL(clock_settime, int, (clockid_t, const struct timespec *), clk,
				  NULL);
		break;
	case VUMISC_clock_getres:
		ret = VUMISC_CALL(clock_getres, int, (clockid_t, struct timespec *), clk, NULL);
		break;
	default:
		ret = VUMISC_CALL(clock_gettime, int, (clockid_t, struct timespec *), clk, NULL);
	}
	vu_mod_setht(old);
	return ret == 0;
}

static syscall_t vumisc_sym(void *h, const char *type, const char *name)
{
	char sym[256];
	void *p;
	syscall_t f = NULL;

	snprintf(sym, sizeof(sym), "%s_%s", type, name);
	p = dlsym(h, sym);
	if (p)
		memcpy(&f, &p, sizeof(f));
	return f;
}

static void vumisc_free(struct vumisc_t *m)
{
	pthread_mutex_destroy(&m->lock);
	if (m->dlhandle)
		dlclose(m->dlhandle);
	free(m);
}

/* The submodule's vumisc_aliases: each path a mount of its own (lock held). */
static void vumisc_add_aliases(struct vumisc_t *m, void *h, const char *source, const char *type,
			       unsigned long mountflags, const void *data)
{
	const struct vumisc_alias *a = dlsym(h, "vumisc_aliases");

	for (int k = 0; a && a[k].path && k < VUMISC_MAX_ALIASES; k++) {
		struct vumisc_info *i = vumisc_info_find(m, a[k].file);

		if (!i || !S_ISREG(i->stat.st_mode)) {
			printk(KERN_ERR "vumisc: %s: alias %s: no file %s\n", type, a[k].path,
			       a[k].file);
			continue;
		}
		m->alias_ht[k] = vuht_pathadd(CHECKPATH, source, a[k].path, type, mountflags, data,
					      vu_mod_getservice(), 0, NULL, m);
		if (m->alias_ht[k]) {
			m->alias_file[k] = a[k].file;
			m->live++;
		} else {
			printk(KERN_ERR "vumisc: %s: cannot show %s at %s: %s\n", type, a[k].file,
			       a[k].path, strerror(errno));
		}
	}
}

int vu_vumisc_mount(const char *source, const char *target, const char *filesystemtype,
		    unsigned long mountflags, const void *data)
{
	struct vu_service_t *s = vu_mod_getservice();
	struct vumisc_operations_t *ops;
	struct vumisc_t *m;
	void *h;
	int e;

	if (vumisc_export() < 0)
		return -1;
	h = vu_mod_dlopen(filesystemtype, RTLD_NOW);
	if (!h) {
		printk(KERN_ERR "vumisc: no submodule %s (%s.so in the module path)\n",
		       filesystemtype, filesystemtype);
		errno = ENODEV;
		return -1;
	}
	ops = dlsym(h, "vumisc_ops");
	if (!ops || !ops->infotree) {
		printk(KERN_ERR "vumisc: %s is not a vumisc submodule (no vumisc_ops)\n",
		       filesystemtype);
		dlclose(h);
		errno = ENODEV;
		return -1;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		dlclose(h);
		errno = ENOMEM;
		return -1;
	}
	m->dlhandle = h;
	m->ops = ops;
	pthread_mutex_init(&m->lock, NULL);
	clock_gettime(CLOCK_REALTIME, &m->mounted);
	for (int i = 0; i < VUMISC_NSC; i++)
		m->fn[i] = vumisc_sym(h, filesystemtype, vumisc_sc_names[i]);
	if (ops->init) {
		errno = 0;
		m->private_data = ops->init(source ? source : "none");
		if (!m->private_data) {
			e = errno ? errno : EINVAL;
			printk(KERN_ERR "vumisc: %s: cannot mount on %s: %s\n", filesystemtype,
			       target, strerror(e));
			vumisc_free(m);
			errno = e;
			return -1;
		}
	}
	pthread_mutex_lock(&m->lock);
	m->path_ht = vuht_pathadd(CHECKPATH, source, target, filesystemtype, mountflags, data, s,
				  0, NULL, m);
	e = errno;
	if (m->path_ht) {
		m->live = 1;
		for (int i = 0; i < VUMISC_NSC; i++) {
			int key = vu_arch_table[vumisc_sc_nr[i]];

			if (!m->fn[i])
				continue;
			m->sc_ht[i] = vuht_add(CHECKSC, &key, sizeof(key), s, 0, vumisc_confirm, m);
			if (m->sc_ht[i])
				m->live++;
			else
				printk(KERN_ERR "vumisc: %s: cannot claim %s: %s\n", filesystemtype,
				       vumisc_sc_names[i], strerror(errno));
		}
	}
	if (m->path_ht)
		vumisc_add_aliases(m, h, source, filesystemtype, mountflags, data);
	pthread_mutex_unlock(&m->lock);
	if (!m->path_ht) {
		if (ops->fini)
			ops->fini(m->private_data);
		vumisc_free(m);
		errno = e;
		return -1;
	}
	printkdebug(M, "mount %s on %s type %s", source, target, filesystemtype);
	return 0;
}

int vu_vumisc_umount2(const char *target, int flags)
{
	struct vumisc_t *m = vumisc_cur();
	struct vuht_entry_t *p, *sc[VUMISC_NSC], *al[VUMISC_MAX_ALIASES];
	int ret;

	if (!m) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&m->lock);
	p = m->path_ht;
	memcpy(sc, m->sc_ht, sizeof(sc));
	memcpy(al, m->alias_ht, sizeof(al));
	pthread_mutex_unlock(&m->lock);
	/* the mount point first: an open control file makes it busy (an alias's: it goes as is) */
	ret = p ? vuht_del(p, flags) : 0;
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	for (int k = 0; k < VUMISC_MAX_ALIASES; k++)
		if (al[k])
			vuht_del(al[k], flags | MNT_DETACH);
	for (int i = 0; i < VUMISC_NSC; i++)
		if (sc[i])
			vuht_del(sc[i], flags | MNT_DETACH);
	printkdebug(M, "umount %s", target);
	return 0;
}

/* An entry went away; with the last one the mount goes (fini, dlclose). */
void vu_vumisc_cleanup(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	struct vumisc_t *m = vuht_get_private_data(ht);
	bool last;

	if (!m || (type != CHECKPATH && type != CHECKSC))
		return;
	pthread_mutex_lock(&m->lock);
	if (type == CHECKPATH && m->path_ht == ht)
		m->path_ht = NULL;
	for (int i = 0; i < VUMISC_NSC; i++)
		if (m->sc_ht[i] == ht)
			m->sc_ht[i] = NULL;
	for (int k = 0; k < VUMISC_MAX_ALIASES; k++)
		if (m->alias_ht[k] == ht)
			m->alias_ht[k] = NULL;
	last = --m->live == 0;
	if (last && m->ops->fini)
		m->ops->fini(m->private_data);
	pthread_mutex_unlock(&m->lock);
	if (last)
		vumisc_free(m);
}

void *vu_vumisc_init(void)
{
	debug_set_name(M, "VUMISC");
	return NULL;
}

int vu_vumisc_fini(void *private)
{
	pthread_mutex_lock(&vumisc_self_lock);
	if (vumisc_self)
		dlclose(vumisc_self);
	vumisc_self = NULL;
	pthread_mutex_unlock(&vumisc_self_lock);
	return 0;
}
