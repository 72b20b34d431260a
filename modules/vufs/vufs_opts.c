// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufs_opts.c - the mount options of vufs.
 */
#include <stdlib.h>
#include <string.h>

#include "vufs.h"

/* "except=tmp" and "except=/tmp/" both mean "/tmp" inside the mount. */
static char *vufs_except_path(const char *arg)
{
	size_t n = strlen(arg);
	char *p = malloc(n + 2);

	if (!p)
		return NULL;
	p[0] = '/';
	strcpy(p + (arg[0] == '/' ? 0 : 1), arg);
	n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	return p;
}

int vufs_parse_opts(const char *opts, struct vufs *v)
{
	int modes = 0;

	v->nexcept = 0;
	while (opts && *opts) {
		size_t n = strcspn(opts, ",");
		char word[PATH_MAX];

		if (n >= sizeof(word)) {
			printk(KERN_ERR "vufs: an option is too long\n");
			goto fail;
		}
		memcpy(word, opts, n);
		word[n] = '\0';
		opts += n + (opts[n] == ',');
		if (n == 0)
			continue;
		if (strcmp(word, "bind") == 0 || strcmp(word, "move") == 0) {
			if (++modes > 1) {
				printk(KERN_ERR "vufs: bind and move exclude each other\n");
				goto fail;
			}
		} else if (strncmp(word, "except=", 7) == 0 && word[7]) {
			if (v->nexcept == VUFS_MAX_EXCEPT) {
				printk(KERN_ERR "vufs: more than %d except options\n",
				       VUFS_MAX_EXCEPT);
				goto fail;
			}
			v->except[v->nexcept] = vufs_except_path(word + 7);
			if (!v->except[v->nexcept])
				goto fail;
			v->nexcept++;
		} else if (strcmp(word, "nopassthrough") == 0) {
			/* the hypervisor's: open files stay virtual */
		} else if (strcmp(word, "except") == 0 || strcmp(word, "except=") == 0) {
			printk(KERN_ERR "vufs: except needs a path (except=PATH)\n");
			goto fail;
		} else {
			printk(KERN_ERR "vufs: unknown option \"%s\"\n", word);
			goto fail;
		}
	}
	return 0;
fail:
	vufs_free_opts(v);
	return -1;
}

void vufs_free_opts(struct vufs *v)
{
	while (v->nexcept > 0)
		free(v->except[--v->nexcept]);
}
