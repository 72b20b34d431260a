// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - kmview: start a view, run a command in it, serve it until it
 * is empty, exit with the command's status.
 *
 *   parent (the daemon)                 child (the first member)
 *   open /dev/kmview: a new view
 *   non-dumpable, child subreaper
 *   open files: soft limit = hard limit
 *   fork ------------------------------ join the view (ATTACH)
 *   serve the view's requests           the original soft limit of open files
 *                                       run /etc/vurc, ~/.vurc
 *     ...                               exec the command
 *   the view is empty: exit with the command's status
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>

#include "backend/backend.h"
#include "startup/children.h"
#include "base/debug_color.h"
#include "base/debug_tags.h"
#include "base/log.h"
#include "host/modmgmt.h"
#include "host/nest.h"
#include "startup/nofile.h"
#include "startup/options.h"
#include "startup/rc.h"
#include "filter.h"
#include "serve.h"
#include "core/view.h"

struct kmv_member_args {
	const struct kmv_options *opt;
	const sigset_t *sigmask; /* the mask kmview started with */
	const struct rlimit *nofile; /* the open files limit kmview started with */
};

/* Runs in the first member: never returns unless exec fails. */
static int kmv_member_main(void *arg)
{
	const struct kmv_member_args *a = arg;
	char **cmd = a->opt->command;
	struct kmv_rc_list rc;

	sigprocmask(SIG_SETMASK, a->sigmask, NULL);
	int r = vu_nofile_restore(a->nofile);

	if (r < 0)
		fprintf(stderr, "kmview: cannot restore the limit of open files: %s\n",
			strerror(-r));
	kmv_rc_list(&rc, a->opt->rcfile, a->opt->norc, kmv_rc_home());
	kmv_rc_run(&rc);
	execvp(cmd[0], cmd);
	int e = errno;

	fprintf(stderr, "kmview: cannot run %s: %s\n", cmd[0], strerror(e));
	return e == ENOENT ? 127 : 126;
}

static int kmv_setup_logging(const struct kmv_options *opt)
{
	vu_debug_tags_init();
	vu_log_set_level(opt->loglevel);
	vu_log_set_syslog(opt->sysloglevel);
	if (opt->logfile) {
		int ret = vu_log_set_file(opt->logfile);

		if (ret < 0) {
			fprintf(stderr, "kmview: cannot open log file %s: %s\n", opt->logfile,
				strerror(-ret));
			return -1;
		}
	}
	vu_debug_add(opt->debugtags);
	for (int i = 0; i < opt->ncolorspecs; i++)
		vu_color_set_string(opt->colorspecs[i]);
	return 0;
}

/* Why ATTACH may fail although kmview set everything up itself. */
static const char *kmv_join_hint(int err)
{
	switch (err) {
	case EBUSY:
		return " (kmview runs in a view already: nested views are not supported yet)";
	case ENODEV:
		return " (the view is gone)";
	default:
		return "";
	}
}

/*
 * Keyboard interrupts reach the whole foreground job, the daemon too: let
 * the command decide, the daemon goes when the view is empty. The stop
 * signals keep their default: the daemon stops and continues with its job.
 */
static void kmv_daemon_signals(void)
{
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
	struct kmv_options opt;
	struct vu_backend *be;
	char err[512];
	sigset_t sigchld, oldmask;
	struct rlimit nofile;
	int ret;

	if (kmv_options_parse(&opt, argc, argv, stderr) < 0) {
		fprintf(stderr, "Try 'kmview --help' for more information.\n");
		return 1;
	}
	if (opt.help) {
		kmv_options_usage(stdout);
		return 0;
	}
	if (kmv_setup_logging(&opt) < 0)
		return 1;
	if (opt.vu_name)
		vu_view_set_name(opt.vu_name);
	if (opt.nonesting)
		vu_nest_disable();
	if (opt.noredirect)
		vu_filter_no_redirects();

	/* every virtual directory and unpassed file of the view holds a daemon fd */
	ret = vu_nofile_raise(&nofile);
	if (ret < 0)
		vu_log(LOG_WARNING, "cannot raise the limit of open files: %s", strerror(-ret));
	else
		vu_log(LOG_DEBUG, "open files: at most %llu (was %llu)",
		       (unsigned long long)nofile.rlim_max, (unsigned long long)nofile.rlim_cur);

	ret = vu_backend_kmview_ops.open(&be, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "kmview: %s\n", err);
		return 1;
	}
	if (!(be->features & VU_BE_NOTIFY_FORK))
		vu_log(LOG_DEBUG, "no fork notifications: local debug tags are not inherited");

	/* Members must not be able to ptrace or core-dump the daemon. */
	if (prctl(PR_SET_DUMPABLE, 0) < 0 || prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		fprintf(stderr, "kmview: prctl: %s\n", strerror(errno));
		be->ops->close(be);
		return 1;
	}

	/* SIGCHLD waits until the command's pid is known to the reaper. */
	sigemptyset(&sigchld);
	sigaddset(&sigchld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &sigchld, &oldmask);
	fflush(NULL);
	struct kmv_member_args margs = { .opt = &opt, .sigmask = &oldmask, .nofile = &nofile };
	pid_t pid = be->ops->spawn(be, kmv_member_main, &margs);

	if (pid < 0) {
		fprintf(stderr, "kmview: cannot join the view: %s%s\n", strerror((int)-pid),
			kmv_join_hint((int)-pid));
		be->ops->close(be);
		return 1;
	}
	ret = kmv_children_start(pid);
	if (ret < 0)
		vu_log(LOG_WARNING, "cannot reap children: %s", strerror(-ret));
	kmv_daemon_signals();
	sigprocmask(SIG_SETMASK, &oldmask, NULL);

	ret = vu_serve(be);
	if (ret < 0)
		vu_log(LOG_ERR, "lost the view: %s; its members are killed", strerror(-ret));
	/* Closing the view kills whatever is left in it, so the wait ends. */
	be->ops->close(be);
	int status = kmv_children_wait();

	/* the view is empty: file systems flush (their cleanup), modules' fini run */
	vu_modules_shutdown();
	return ret < 0 ? 1 : status;
}
