// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vusu_env.c - the new user's environment (su(1)'s rules) and the PATH of
 * login.defs.
 */
#include <stdlib.h>
#include <string.h>

#include "vusu_env.h"

char *vusu_logindefs(FILE *f, const char *tag)
{
	size_t len = strlen(tag), cap = 0;
	char *line = NULL, *ret = NULL;

	while (!ret && getline(&line, &cap, f) > 0) {
		char *s = line + strspn(line, " \t"), *e;

		if (*s == '#' || strncmp(s, tag, len) != 0 || (s[len] != ' ' && s[len] != '\t'))
			continue;
		s += len;
		s += strspn(s, " \t");
		e = s + strcspn(s, "\r\n");
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		*e = '\0';
		ret = strdup(s);
	}
	free(line);
	return ret;
}

static const char *const kept[] = { "TERM", "COLORTERM", "DISPLAY", "XAUTHORITY" };
#define N_KEPT (sizeof(kept) / sizeof(kept[0]))

int vusu_setenv(int login, uid_t uid, const char *name, const char *home, const char *shell,
		FILE *defs)
{
	char *save[N_KEPT] = { NULL };
	int ret = 0;

	if (login) {
		char *path = defs ? vusu_logindefs(defs, uid == 0 ? "ENV_SUPATH" : "ENV_PATH") : NULL;
		const char *p = path;

		for (size_t i = 0; i < N_KEPT; i++)
			if (getenv(kept[i]))
				save[i] = strdup(getenv(kept[i]));
		clearenv();
		for (size_t i = 0; i < N_KEPT; i++) {
			if (save[i])
				ret |= setenv(kept[i], save[i], 1);
			free(save[i]);
		}
		if (p && strncmp(p, "PATH=", 5) == 0)
			p += 5;
		if (!p)
			p = uid == 0 ? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
				     : "/usr/local/bin:/usr/bin:/bin";
		ret |= setenv("PATH", p, 1);
		free(path);
	}
	ret |= setenv("HOME", home, 1);
	ret |= setenv("SHELL", shell, 1);
	if (login || uid != 0) {
		ret |= setenv("USER", name, 1);
		ret |= setenv("LOGNAME", name, 1);
	}
	return ret ? -1 : 0;
}
