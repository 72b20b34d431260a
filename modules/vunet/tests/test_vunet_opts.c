// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vunet_opts.c - vunet's own mount options come out of what the
 * submodule's init gets, the others stay in order.
 */
#include <string.h>

#include "tap.h"
#include "vunet_opts.h"

int main(void)
{
	struct vunet_opts o;
	char rest[64];

	is_long(vunet_opts_parse(NULL, &o, rest, sizeof(rest)), 0, "no options");
	ok(!o.view_default && !o.nopassthrough, "none of vunet's");
	is_str(rest, "", "nothing for the submodule");

	is_long(vunet_opts_parse("ip=10.0.0.1/24,default,up", &o, rest, sizeof(rest)), 0,
		"default among the submodule's");
	ok(o.view_default && !o.nopassthrough, "default is vunet's");
	is_str(rest, "ip=10.0.0.1/24,up", "the others, in order");

	is_long(vunet_opts_parse("nopassthrough,permanent,mtu=1400", &o, rest, sizeof(rest)), 0,
		"the hypervisor's options");
	ok(o.nopassthrough && !o.view_default, "nopassthrough is seen");
	is_str(rest, "mtu=1400", "neither goes to the submodule");

	is_long(vunet_opts_parse(",,up,,", &o, rest, sizeof(rest)), 0, "empty options");
	is_str(rest, "up", "are dropped");
	is_long(vunet_opts_parse("defaults,default=1", &o, rest, sizeof(rest)), 0,
		"names that only begin like vunet's");
	ok(!o.view_default, "are not vunet's");
	is_str(rest, "defaults,default=1", "and go to the submodule");

	is_long(vunet_opts_parse("ip=10.0.0.1/24", &o, rest, 8), -1, "a rest too short: -1");
	is_long(vunet_opts_parse("up", &o, rest, 3), 0, "a rest just long enough");
	is_str(rest, "up", "fits");
	return tap_done();
}
