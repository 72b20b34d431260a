// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nest_bind.c - rebind a module's calls of C library file and id
 * functions to the nesting layer, and only a module's.
 *
 * After the dlopen of a module (or a submodule), every object that dlopen
 * brought in (the module and libraries it needs that the daemon had not
 * loaded) has its relocations against the functions of the nest tables
 * rewritten: the GOT slot that the dynamic linker filled with the C
 * library's open64 gets the nesting layer's. The daemon's own calls, and
 * the C library's, are never touched, so they are the C library's (no
 * LD_PRELOAD, and nothing in the daemon has a C library name). A slot is
 * rewritten only if it holds the very function the daemon would call by
 * that name, so a module that brings its own open keeps it. RELRO pages
 * are made writable for the write and read-only again.
 */
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "base/log.h"
#include "host/nest.h"
#include "host/nest_impl.h"

static const struct vu_nest_sym *const vu_nest_tables[] = {
	vu_nest_path_syms,
	vu_nest_fd_syms,
	vu_nest_stdio_syms,
	vu_nest_ids_syms,
};

static pthread_mutex_t vu_bind_lock = PTHREAD_MUTEX_INITIALIZER;

/* The objects loaded before a dlopen, by their program headers. */
struct vu_objs {
	const void **phdr;
	size_t n, size;
};

static int vu_objs_add(struct dl_phdr_info *info, size_t size, void *data)
{
	struct vu_objs *o = data;

	if (o->n == o->size) {
		size_t ns = o->size ? o->size * 2 : 64;
		const void **p = realloc(o->phdr, ns * sizeof(*p));

		if (!p)
			return 1;
		o->phdr = p;
		o->size = ns;
	}
	o->phdr[o->n++] = info->dlpi_phdr;
	return 0;
}

static bool vu_objs_has(const struct vu_objs *o, const void *phdr)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->phdr[i] == phdr)
			return true;
	return false;
}

/* The function the daemon calls by @s's name: what a module's slot must hold to be rebound. */
static void *vu_nest_real(const struct vu_nest_sym *s)
{
	return s->version ? dlvsym(RTLD_DEFAULT, s->name, s->version)
			  : dlsym(RTLD_DEFAULT, s->name);
}

static const struct vu_nest_sym *vu_nest_find(const char *name)
{
	for (size_t t = 0; t < sizeof(vu_nest_tables) / sizeof(vu_nest_tables[0]); t++)
		for (const struct vu_nest_sym *s = vu_nest_tables[t]; s->name; s++)
			if (strcmp(s->name, name) == 0)
				return s;
	return NULL;
}

struct vu_obj {
	ElfW(Addr) base;
	const ElfW(Sym) *symtab;
	const char *strtab;
	uintptr_t relro_start, relro_end; /* page aligned, as the dynamic linker protects it */
	int rebound;
};

/* Write @val into @slot, through a RELRO page's protection if it has one. */
static void vu_slot_write(struct vu_obj *o, uintptr_t *slot, uintptr_t val)
{
	uintptr_t a = (uintptr_t)slot;
	uintptr_t page = a & ~((uintptr_t)sysconf(_SC_PAGESIZE) - 1);
	size_t psize = (size_t)sysconf(_SC_PAGESIZE);
	bool ro = a >= o->relro_start && a < o->relro_end;

	if (ro && mprotect((void *)page, psize, PROT_READ | PROT_WRITE) < 0) {
		vu_log(LOG_ERR, "nesting: cannot unprotect a GOT page: %m");
		return;
	}
	*slot = val;
	if (ro)
		mprotect((void *)page, psize, PROT_READ);
	o->rebound++;
}

static void vu_rebind_relocs(struct vu_obj *o, const ElfW(Rela) *rel, size_t size)
{
	for (size_t i = 0; i < size / sizeof(*rel); i++) {
		unsigned long type = ELF64_R_TYPE(rel[i].r_info);
		unsigned long symi = ELF64_R_SYM(rel[i].r_info);
		const struct vu_nest_sym *s;
		uintptr_t *slot, addend = 0;
		void *real;

		if (type == R_X86_64_64)
			addend = (uintptr_t)rel[i].r_addend;
		else if (type != R_X86_64_JUMP_SLOT && type != R_X86_64_GLOB_DAT)
			continue;
		if (symi == 0 || o->symtab[symi].st_shndx != SHN_UNDEF)
			continue; /* the object's own definition */
		s = vu_nest_find(o->strtab + o->symtab[symi].st_name);
		if (!s || !(real = vu_nest_real(s)))
			continue;
		slot = (uintptr_t *)(o->base + rel[i].r_offset);
		if (*slot == (uintptr_t)real + addend)
			vu_slot_write(o, slot, (uintptr_t)s->fn + addend);
	}
}

/* A d_ptr of the dynamic section: the dynamic linker has relocated most already. */
static uintptr_t vu_dyn_ptr(ElfW(Addr) base, ElfW(Addr) p)
{
	return p < base ? base + p : p;
}

static void vu_rebind_obj(struct dl_phdr_info *info)
{
	struct vu_obj o = { .base = info->dlpi_addr };
	const ElfW(Dyn) *dyn = NULL;
	const ElfW(Rela) *rela = NULL, *jmprel = NULL;
	size_t relasz = 0, jmprelsz = 0;
	uintptr_t psize = (uintptr_t)sysconf(_SC_PAGESIZE);

	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_DYNAMIC)
			dyn = (const ElfW(Dyn) *)(o.base + ph->p_vaddr);
		if (ph->p_type == PT_GNU_RELRO) {
			o.relro_start = (o.base + ph->p_vaddr) & ~(psize - 1);
			o.relro_end = (o.base + ph->p_vaddr + ph->p_memsz) & ~(psize - 1);
		}
	}
	if (!dyn)
		return;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		switch (dyn->d_tag) {
		case DT_SYMTAB:
			o.symtab = (const ElfW(Sym) *)vu_dyn_ptr(o.base, dyn->d_un.d_ptr);
			break;
		case DT_STRTAB:
			o.strtab = (const char *)vu_dyn_ptr(o.base, dyn->d_un.d_ptr);
			break;
		case DT_RELA:
			rela = (const ElfW(Rela) *)vu_dyn_ptr(o.base, dyn->d_un.d_ptr);
			break;
		case DT_RELASZ:
			relasz = dyn->d_un.d_val;
			break;
		case DT_JMPREL:
			jmprel = (const ElfW(Rela) *)vu_dyn_ptr(o.base, dyn->d_un.d_ptr);
			break;
		case DT_PLTRELSZ:
			jmprelsz = dyn->d_un.d_val;
			break;
		}
	}
	if (!o.symtab || !o.strtab)
		return;
	if (rela)
		vu_rebind_relocs(&o, rela, relasz);
	if (jmprel)
		vu_rebind_relocs(&o, jmprel, jmprelsz);
	vu_log(LOG_DEBUG, "nesting: %d calls of %s rebound", o.rebound, info->dlpi_name);
}

static int vu_rebind_new(struct dl_phdr_info *info, size_t size, void *data)
{
	if (!vu_objs_has(data, info->dlpi_phdr))
		vu_rebind_obj(info);
	return 0;
}

void *vu_nest_dlopen(const char *file, int flags)
{
	struct vu_objs before = { 0 };
	void *h;

	pthread_mutex_lock(&vu_bind_lock);
	dl_iterate_phdr(vu_objs_add, &before);
	h = dlopen(file, flags);
	/* lazy binding would fill the slots again at the first call */
	if (h && (flags & RTLD_NOW))
		dl_iterate_phdr(vu_rebind_new, &before);
	else if (h)
		vu_log(LOG_WARNING, "nesting: %s not loaded RTLD_NOW: its calls are not rebound",
		       file);
	pthread_mutex_unlock(&vu_bind_lock);
	free(before.phdr);
	return h;
}
