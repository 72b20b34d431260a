// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuse_opt.c - libfuse's option parser (<fuse3/fuse_opt.h>), written for
 * vufuse: a submodule parses its -o options with it, as it would with
 * libfuse. Behaviour as the header documents it: every matching template
 * acts; a template's "=" or " " parameter is scanned into the variable at
 * its offset ("%s" is strdup'd, the old value freed); unmatched options
 * and non-options go to the processing function; options kept from -o
 * lists are gathered into one "-o a,b" right after argv[0].
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fuse3/fuse_opt.h>

#include "vufuse.h"

struct vufuse_optctx {
	void *data;
	const struct fuse_opt *opts;
	fuse_opt_proc_t proc;
	struct fuse_args out;
	char *oopts; /* kept -o options */
	bool nonopt_only; /* after "--" */
};

VUFUSE_EXPORT int fuse_opt_add_arg(struct fuse_args *args, const char *arg)
{
	char *copy = strdup(arg);
	char **v;

	if (!copy)
		return -1;
	v = realloc(args->allocated ? args->argv : NULL, (args->argc + 2) * sizeof(char *));
	if (!v) {
		free(copy);
		return -1;
	}
	if (!args->allocated && args->argc > 0)
		memcpy(v, args->argv, args->argc * sizeof(char *));
	args->argv = v;
	args->allocated = 1;
	args->argv[args->argc++] = copy;
	args->argv[args->argc] = NULL;
	return 0;
}

VUFUSE_EXPORT int fuse_opt_insert_arg(struct fuse_args *args, int pos, const char *arg)
{
	if (pos < 0 || pos > args->argc)
		return -1;
	if (fuse_opt_add_arg(args, arg) < 0)
		return -1;
	char *last = args->argv[args->argc - 1];

	memmove(&args->argv[pos + 1], &args->argv[pos],
		(args->argc - 1 - pos) * sizeof(char *));
	args->argv[pos] = last;
	return 0;
}

VUFUSE_EXPORT void fuse_opt_free_args(struct fuse_args *args)
{
	if (!args)
		return;
	if (args->allocated && args->argv) {
		for (int i = 0; i < args->argc; i++)
			free(args->argv[i]);
		free(args->argv);
	}
	args->argc = 0;
	args->argv = NULL;
	args->allocated = 0;
}

static int vufuse_add_opt(char **opts, const char *opt, bool escape)
{
	size_t old = *opts ? strlen(*opts) : 0, n = strlen(opt);
	char *s = realloc(*opts, old + 1 + 2 * n + 1), *p;

	if (!s)
		return -1;
	p = s + old;
	if (old)
		*p++ = ',';
	for (const char *o = opt; *o; o++) {
		if (escape && (*o == ',' || *o == '\\'))
			*p++ = '\\';
		*p++ = *o;
	}
	*p = '\0';
	*opts = s;
	return 0;
}

VUFUSE_EXPORT int fuse_opt_add_opt(char **opts, const char *opt)
{
	return vufuse_add_opt(opts, opt, false);
}

VUFUSE_EXPORT int fuse_opt_add_opt_escaped(char **opts, const char *opt)
{
	return vufuse_add_opt(opts, opt, true);
}

/*
 * Does template @t match @arg? *@sep is where the template's parameter
 * starts (the "=" or " "), 0 if it has none. For "-x " templates, *@sep is
 * the blank and the value may follow in @arg or be the next argument.
 */
static bool vufuse_match(const char *t, const char *arg, size_t *sep)
{
	const char *eq = strchr(t, '=');
	const char *sp = strchr(t, ' ');
	size_t n;

	*sep = 0;
	if (sp && (!eq || sp < eq)) {
		n = sp - t;
		if (strncmp(t, arg, n) != 0)
			return false;
		*sep = n;
		return true;
	}
	if (eq && (eq[1] == '\0' || eq[1] == '%')) {
		n = eq - t + 1;
		if (strncmp(t, arg, n) != 0)
			return false;
		*sep = n - 1;
		return true;
	}
	return strcmp(t, arg) == 0;
}

VUFUSE_EXPORT int fuse_opt_match(const struct fuse_opt opts[], const char *opt)
{
	size_t sep;

	for (; opts && opts->templ; opts++)
		if (vufuse_match(opts->templ, opt, &sep))
			return 1;
	return 0;
}

/* Store @param into the variable of @o, as its template's format says. */
static int vufuse_store(struct vufuse_optctx *c, const struct fuse_opt *o, size_t sep,
			const char *param, const char *arg)
{
	const char *format = o->templ + sep + 1;
	void *var = (char *)c->data + o->offset;

	if (format[0] == '%' && format[1] == 's' && format[2] == '\0') {
		char **s = var, *copy = strdup(param);

		if (!copy)
			return -1;
		free(*s);
		*s = copy;
		return 0;
	}
	if (sscanf(param, format, var) != 1) {
		fprintf(stderr, "fuse: invalid parameter in option `%s'\n", arg);
		return -1;
	}
	return 0;
}

/* Hand @arg to the processing function (with @key) and keep it if it says so. */
static int vufuse_call_proc(struct vufuse_optctx *c, const char *arg, int key, bool inopt)
{
	int r = 1;

	if (key == FUSE_OPT_KEY_DISCARD)
		return 0;
	if (key != FUSE_OPT_KEY_KEEP && c->proc) {
		r = c->proc(c->data, arg, key, &c->out);
		if (r == -1 || r == 0)
			return r;
	}
	if (inopt)
		return fuse_opt_add_opt_escaped(&c->oopts, arg);
	return fuse_opt_add_arg(&c->out, arg);
}

/*
 * One option (@arg, whole: "-xvalue" for a two-argument one), from the
 * command line or (@inopt) an -o list.
 */
static int vufuse_opt1(struct vufuse_optctx *c, const char *arg, bool inopt)
{
	bool matched = false;

	for (const struct fuse_opt *o = c->opts; o && o->templ; o++) {
		size_t sep;

		if (!vufuse_match(o->templ, arg, &sep))
			continue;
		matched = true;
		if (sep && o->templ[sep + 1] == '%') {
			const char *param = arg + sep + (o->templ[sep] == '=' ? 1 : 0);

			if (vufuse_store(c, o, sep, param, arg) < 0)
				return -1;
		} else if (o->offset == -1UL || o->offset == -1U) {
			if (vufuse_call_proc(c, arg, o->value, inopt) < 0)
				return -1;
		} else {
			*(int *)((char *)c->data + o->offset) = o->value;
		}
	}
	if (!matched)
		return vufuse_call_proc(c, arg, FUSE_OPT_KEY_OPT, inopt);
	return 0;
}

/* An -o list: options separated by commas, "\," and "\\" escaped. */
static int vufuse_optlist(struct vufuse_optctx *c, const char *list)
{
	size_t n = strlen(list);
	char buf[n + 1];

	for (size_t i = 0; i <= n;) {
		size_t k = 0;

		for (; i < n && list[i] != ','; i++) {
			if (list[i] == '\\' && i + 1 < n)
				i++;
			buf[k++] = list[i];
		}
		buf[k] = '\0';
		i++;
		if (k > 0 && vufuse_opt1(c, buf, true) < 0)
			return -1;
	}
	return 0;
}

/* Does some template want its parameter as the next argument ("-x %s" for "-x")? */
static bool vufuse_wants_next(const struct fuse_opt *opts, const char *arg)
{
	for (; opts && opts->templ; opts++) {
		const char *sp = strchr(opts->templ, ' ');

		if (sp && (size_t)(sp - opts->templ) == strlen(arg) &&
		    strncmp(opts->templ, arg, sp - opts->templ) == 0)
			return true;
	}
	return false;
}

static int vufuse_parse(struct vufuse_optctx *c, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];

	if (c->nonopt_only || arg[0] != '-' || arg[1] == '\0')
		return vufuse_call_proc(c, arg, FUSE_OPT_KEY_NONOPT, false);
	if (strcmp(arg, "--") == 0) {
		c->nonopt_only = true;
		return fuse_opt_add_arg(&c->out, arg);
	}
	if (arg[1] == 'o') {
		const char *list = arg + 2;

		if (!*list) {
			if (*i + 1 >= argc) {
				fprintf(stderr, "fuse: missing argument after `-o'\n");
				return -1;
			}
			list = argv[++*i];
		}
		return vufuse_optlist(c, list);
	}
	if (vufuse_wants_next(c->opts, arg)) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "fuse: missing argument after `%s'\n", arg);
			return -1;
		}
		size_t n = strlen(arg) + strlen(argv[*i + 1]) + 1;
		char joined[n];

		snprintf(joined, n, "%s%s", arg, argv[++*i]);
		return vufuse_opt1(c, joined, false);
	}
	return vufuse_opt1(c, arg, false);
}

VUFUSE_EXPORT int fuse_opt_parse(struct fuse_args *args, void *data, const struct fuse_opt opts[],
				 fuse_opt_proc_t proc)
{
	struct vufuse_optctx c = { .data = data, .opts = opts, .proc = proc };
	int ret = -1;

	if (!args || !args->argv || args->argc == 0)
		return 0;
	if (fuse_opt_add_arg(&c.out, args->argv[0]) < 0)
		goto out;
	for (int i = 1; i < args->argc; i++)
		if (vufuse_parse(&c, args->argc, args->argv, &i) < 0)
			goto out;
	if (c.oopts && (fuse_opt_insert_arg(&c.out, 1, "-o") < 0 ||
			fuse_opt_insert_arg(&c.out, 2, c.oopts) < 0))
		goto out;
	fuse_opt_free_args(args);
	*args = c.out;
	c.out.argv = NULL;
	ret = 0;
out:
	free(c.oopts);
	fuse_opt_free_args(&c.out);
	return ret;
}
