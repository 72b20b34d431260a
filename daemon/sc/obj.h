/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sc/obj.h - the object of a call that acts on a file given either by a
 * path or by an fd (chmod and fchmod, truncate and ftruncate...): the
 * module's methods for these take both, a path inside the mount and the
 * module's fd (-1 for the path form).
 */
#ifndef KMVIEW_DAEMON_SC_OBJ_H
#define KMVIEW_DAEMON_SC_OBJ_H

#include <stdbool.h>

#include "core/call.h"
#include "core/service.h"
#include "core/vpath.h"

struct vu_obj {
	struct vu_target t;     /* the path form: its resolution (holds the use) */
	struct vuht_entry_t *ht;
	const char *mpath;
	int sfd;                /* the fd form (or AT_EMPTY_PATH): the module's fd, else -1 */
	void *fdprivate;
};

/*
 * Find the object: the placeholder of fd slot 0 if @fd_form, else path
 * slot 0 resolved with @res (vpath.h). Returns true if a module serves
 * it; false once the reply is chosen (native for a real object, or an
 * error). Release with vu_obj_put.
 */
bool vu_obj_get(struct vu_call *call, bool fd_form, unsigned int res, struct vu_obj *o);
void vu_obj_put(struct vu_obj *o);

/*
 * Answer @ret, the result of method @m on @o; a module without the
 * method gets ENOSYS, and the log says which call, path and module.
 */
void vu_obj_return(struct vu_call *call, const struct vu_obj *o, enum vu_method m, long ret);

#endif /* KMVIEW_DAEMON_SC_OBJ_H */
