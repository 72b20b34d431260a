// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * children.c - SIGCHLD reaping for the daemon.
 *
 * Reaping happens in the handler itself (waitpid is async-signal-safe), so
 * a zombie never waits for the next message of the view. The backend
 * retries the reads the signal interrupts.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "startup/children.h"

static volatile sig_atomic_t kmv_command_pid;
static volatile sig_atomic_t kmv_command_done;
static volatile sig_atomic_t kmv_command_status;

static void kmv_reap(void)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == kmv_command_pid) {
			kmv_command_status = status;
			kmv_command_done = 1;
		}
	}
}

static void kmv_on_sigchld(int sig)
{
	int saved = errno;

	(void)sig;
	kmv_reap();
	errno = saved;
}

int kmv_children_start(pid_t command)
{
	struct sigaction sa;

	kmv_command_pid = command;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kmv_on_sigchld;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NOCLDSTOP;
	if (sigaction(SIGCHLD, &sa, NULL) < 0)
		return -errno;
	return 0;
}

int kmv_children_wait(void)
{
	sigset_t block, old;
	int status;

	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	while (!kmv_command_done) {
		pid_t pid = waitpid(kmv_command_pid, &status, 0);

		if (pid == kmv_command_pid) {
			kmv_command_status = status;
			kmv_command_done = 1;
		} else if (pid < 0 && errno != EINTR) {
			break; /* not our child: nothing to report */
		}
	}
	kmv_reap();
	sigprocmask(SIG_SETMASK, &old, NULL);
	return kmv_command_done ? kmv_exit_code(kmv_command_status) : 1;
}

int kmv_exit_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 1;
}
