// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vunet_ioctl.c - the helpers <vunet.h> gives submodules for the ioctl
 * requests of netdevice(7), which predate the _IOC encoding: which they
 * are, and an encoding of their argument's direction and size (the
 * direction in the module's sense: _IOC_READ it reads the argument,
 * _IOC_WRITE it writes it, as the hypervisor's ioctl probe expects).
 */
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/time.h>

#include <vunet.h>

/* The argument of the requests that read an ifreq, set something, and return nothing. */
static int vunet_ifreq_set(unsigned long r)
{
	switch (r) {
	case SIOCSIFNAME:
	case SIOCSIFFLAGS:
	case SIOCSIFADDR:
	case SIOCSIFDSTADDR:
	case SIOCSIFBRDADDR:
	case SIOCSIFNETMASK:
	case SIOCSIFMETRIC:
	case SIOCSIFMEM:
	case SIOCSIFMTU:
	case SIOCSIFHWADDR:
	case SIOCSIFTXQLEN:
	case SIOCSIFHWBROADCAST:
		return 1;
	}
	return 0;
}

/* The requests that read an ifreq (its name) and fill it in. */
static int vunet_ifreq_get(unsigned long r)
{
	switch (r) {
	case SIOCGIFNAME:
	case SIOCGIFFLAGS:
	case SIOCGIFADDR:
	case SIOCGIFDSTADDR:
	case SIOCGIFBRDADDR:
	case SIOCGIFNETMASK:
	case SIOCGIFMETRIC:
	case SIOCGIFMEM:
	case SIOCGIFMTU:
	case SIOCGIFHWADDR:
	case SIOCGIFINDEX:
	case SIOCGIFTXQLEN:
		return 1;
	}
	return 0;
}

long vunet_ioctl_parms(unsigned long request)
{
	if (vunet_ifreq_get(request))
		return _IOWR(' ', 0, struct ifreq);
	if (vunet_ifreq_set(request))
		return _IOR(' ', 0, struct ifreq);
	switch (request) {
	case FIONREAD:
		return _IOW(' ', 0, int);
	case FIONBIO:
		return _IOR(' ', 0, int);
	case SIOCGIFCONF:
		return _IOWR(' ', 0, struct ifconf);
	case SIOCGSTAMP:
		return _IOW(' ', 0, struct timeval);
	/* an ifreq holding an ifmap: the kernel copies the whole ifreq (VUOS says ifmap) */
	case SIOCGIFMAP:
		return _IOWR(' ', 0, struct ifreq);
	case SIOCSIFMAP:
		return _IOR(' ', 0, struct ifreq);
	}
	return 0;
}

int vunet_is_netdev_ioctl(unsigned long request)
{
	return vunet_ifreq_get(request) || vunet_ifreq_set(request) || request == SIOCGIFCONF ||
	       request == SIOCGSTAMP || request == SIOCGIFMAP || request == SIOCSIFMAP;
}
