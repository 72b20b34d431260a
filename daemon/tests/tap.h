/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tap.h - the smallest TAP producer, for the host unit tests of daemon/
 * and tools/. Each check prints "ok N - what" or "not ok N - what" with
 * where it failed; tap_done() prints the plan and gives main's exit status.
 */
#ifndef KMVIEW_TESTS_TAP_H
#define KMVIEW_TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failed;

static inline __attribute__((format(printf, 4, 5))) int
tap_check(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", pass ? "" : "not ", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		printf("#   failed at %s:%d\n", file, line);
		tap_failed++;
	}
	fflush(stdout);
	return pass;
}

#define ok(cond, ...) tap_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_long(got, want, ...)                                                   \
	do {                                                                      \
		long long tap_g_ = (long long)(got), tap_w_ = (long long)(want); \
		if (!ok(tap_g_ == tap_w_, __VA_ARGS__))                           \
			printf("#   got %lld, want %lld\n", tap_g_, tap_w_);      \
	} while (0)

#define is_str(got, want, ...)                                                    \
	do {                                                                      \
		const char *tap_g_ = (got), *tap_w_ = (want);                     \
		if (!ok(tap_g_ && strcmp(tap_g_, tap_w_) == 0, __VA_ARGS__))      \
			printf("#   got \"%s\", want \"%s\"\n",                     \
			       tap_g_ ? tap_g_ : "(null)", tap_w_);               \
	} while (0)

/*
 * The argv a parser under test sees: @prog, then @first and the words of
 * @ap up to a NULL; NULL-terminated. Returns argc. @argv has TAP_ARGV_MAX
 * slots and should be static: a parser may keep pointers into it.
 */
#define TAP_ARGV_MAX 32
static inline int tap_argv(char **argv, const char *prog, const char *first, va_list ap)
{
	int argc = 0;

	argv[argc++] = (char *)prog;
	for (const char *w = first; w && argc < TAP_ARGV_MAX - 1; w = va_arg(ap, const char *))
		argv[argc++] = (char *)w;
	argv[argc] = NULL;
	return argc;
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	if (tap_failed)
		printf("# %d of %d checks failed\n", tap_failed, tap_count);
	return tap_failed ? 1 : 0;
}

#endif /* KMVIEW_TESTS_TAP_H */
