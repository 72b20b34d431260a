// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vdestack_watch.c - libvdestack's process forwards frames between vde0
 * and the switch's data socket, a datagram socket that says nothing when
 * the switch dies. A second connection to the same network has the
 * switch's control channel, a stream that ends with it: a thread of the
 * module waits on it (dropping the frames the switch floods to it) and
 * then takes vde0 down.
 */
#include <errno.h>
#include <fcntl.h>
#include <libvdeplug.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vumodule.h>

#include "vdestack_conf.h"
#include "vdestack_watch.h"

#define VDS_FRAME_MAX (9216 + 18)

struct vds_watch {
	VDECONN *conn;
	int nlfd;
	int stop[2]; /* a pipe: fini writes, the thread wakes */
	pthread_t thread;
	char *url;
	char ifname[16];
};

static void *vds_watch_run(void *arg)
{
	struct vds_watch *w = arg;
	struct pollfd p[3] = {
		{ .fd = w->stop[0], .events = POLLIN },
		{ .fd = vde_ctlfd(w->conn), .events = POLLIN },
		{ .fd = vde_datafd(w->conn), .events = POLLIN },
	};
	char buf[VDS_FRAME_MAX];
	char err[160];

	for (;;) {
		if (poll(p, 3, -1) < 0 && errno != EINTR)
			return NULL;
		if (p[0].revents)
			return NULL;
		if (p[2].revents & POLLIN)
			(void)vde_recv(w->conn, buf, sizeof(buf), 0);
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR) &&
		    (read(p[1].fd, buf, sizeof(buf)) <= 0))
			break;
	}
	if (vds_link_down(w->nlfd, w->ifname, err, sizeof(err)) == 0)
		printk(KERN_WARNING "vunetvdestack: %s: the VDE switch is gone: %s is down\n",
		       w->url, w->ifname);
	else
		printk(KERN_WARNING "vunetvdestack: %s: the VDE switch is gone: %s\n", w->url, err);
	return NULL;
}

struct vds_watch *vds_watch_start(const char *url, int nlfd, const char *ifname)
{
	struct vds_watch *w = calloc(1, sizeof(*w));

	if (!w)
		goto fail;
	w->nlfd = nlfd;
	w->stop[0] = w->stop[1] = -1;
	snprintf(w->ifname, sizeof(w->ifname), "%s", ifname);
	w->url = strdup(url);
	w->conn = w->url ? vde_open(w->url, "vunetvdestack watch", NULL) : NULL;
	if (!w->conn || vde_ctlfd(w->conn) < 0 || pipe2(w->stop, O_CLOEXEC) < 0 ||
	    pthread_create(&w->thread, NULL, vds_watch_run, w) != 0)
		goto fail;
	return w;
fail:
	if (w) {
		if (w->stop[0] >= 0) {
			close(w->stop[0]);
			close(w->stop[1]);
		}
		if (w->conn)
			vde_close(w->conn);
		free(w->url);
		free(w);
	}
	close(nlfd);
	return NULL;
}

void vds_watch_stop(struct vds_watch *w)
{
	if (!w)
		return;
	if (write(w->stop[1], "x", 1) < 0)
		pthread_cancel(w->thread);
	pthread_join(w->thread, NULL);
	close(w->stop[0]);
	close(w->stop[1]);
	vde_close(w->conn);
	close(w->nlfd);
	free(w->url);
	free(w);
}
