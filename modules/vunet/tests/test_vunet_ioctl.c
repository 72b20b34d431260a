// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vunet_ioctl.c - the argument vunet_ioctl_parms gives each old
 * netdevice request is as large as what the kernel copies for it (an
 * smaller buffer would be overrun by the real ioctl), in the direction
 * the request moves it.
 */
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/time.h>

#include <vunet.h>

#include "tap.h"

struct req {
	unsigned long r;
	const char *name;
	size_t size;
	int dir; /* the module's sense: _IOC_READ reads the argument, _IOC_WRITE writes it */
};

#define GET(r)                                                      \
	{                                                           \
		r, #r, sizeof(struct ifreq), _IOC_READ | _IOC_WRITE \
	}
#define SET(r)                                         \
	{                                              \
		r, #r, sizeof(struct ifreq), _IOC_READ \
	}

static const struct req reqs[] = {
	GET(SIOCGIFNAME),
	GET(SIOCGIFFLAGS),
	GET(SIOCGIFADDR),
	GET(SIOCGIFDSTADDR),
	GET(SIOCGIFBRDADDR),
	GET(SIOCGIFNETMASK),
	GET(SIOCGIFMETRIC),
	GET(SIOCGIFMEM),
	GET(SIOCGIFMTU),
	GET(SIOCGIFHWADDR),
	GET(SIOCGIFINDEX),
	GET(SIOCGIFTXQLEN),
	GET(SIOCGIFMAP),
	SET(SIOCSIFNAME),
	SET(SIOCSIFFLAGS),
	SET(SIOCSIFADDR),
	SET(SIOCSIFDSTADDR),
	SET(SIOCSIFBRDADDR),
	SET(SIOCSIFNETMASK),
	SET(SIOCSIFMETRIC),
	SET(SIOCSIFMEM),
	SET(SIOCSIFMTU),
	SET(SIOCSIFHWADDR),
	SET(SIOCSIFTXQLEN),
	SET(SIOCSIFHWBROADCAST),
	SET(SIOCSIFMAP),
	{ SIOCGIFCONF, "SIOCGIFCONF", sizeof(struct ifconf), _IOC_READ | _IOC_WRITE },
	{ SIOCGSTAMP, "SIOCGSTAMP", sizeof(struct timeval), _IOC_WRITE },
};

int main(void)
{
	for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		long p = vunet_ioctl_parms(reqs[i].r);

		ok(vunet_is_netdev_ioctl(reqs[i].r), "%s is a netdevice request", reqs[i].name);
		is_long(_IOC_SIZE(p), (long)reqs[i].size, "%s: its argument's size", reqs[i].name);
		is_long(_IOC_DIR(p), reqs[i].dir, "%s: its direction", reqs[i].name);
	}
	is_long(_IOC_SIZE(vunet_ioctl_parms(FIONREAD)), (long)sizeof(int), "FIONREAD: an int");
	is_long(_IOC_DIR(vunet_ioctl_parms(FIONREAD)), _IOC_WRITE, "written");
	is_long(_IOC_DIR(vunet_ioctl_parms(FIONBIO)), _IOC_READ, "FIONBIO: read");
	ok(!vunet_is_netdev_ioctl(FIONREAD), "FIONREAD is no netdevice request");
	is_long(vunet_ioctl_parms(0x5401), 0, "TCGETS: not one of them, 0");
	ok(!vunet_is_netdev_ioctl(0x5401), "nor a netdevice request");
	return tap_done();
}
