// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vustack_args.c - parse vustack's options (VUOS's: -h, -v, -s, -f) and
 * its family names: the C library's PF_ names in lower case, VUOS's
 * aliases, and kmview's "all" and "unix".
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "vustack_args.h"

#ifndef PF_MCTP
#define PF_MCTP 45 /* a C library older than the kernel's MCTP */
#endif

static const char *const vustack_names[] = {
	[PF_LOCAL] = "local",	    [PF_INET] = "inet",		[PF_AX25] = "ax25",
	[PF_IPX] = "ipx",	    [PF_APPLETALK] = "appletalk", [PF_NETROM] = "netrom",
	[PF_BRIDGE] = "bridge",	    [PF_ATMPVC] = "atmpvc",	[PF_X25] = "x25",
	[PF_INET6] = "inet6",	    [PF_ROSE] = "rose",		[PF_DECnet] = "decnet",
	[PF_NETBEUI] = "netbeui",   [PF_SECURITY] = "security", [PF_KEY] = "key",
	[PF_NETLINK] = "netlink",   [PF_PACKET] = "packet",	[PF_ASH] = "ash",
	[PF_ECONET] = "econet",	    [PF_ATMSVC] = "atmsvc",	[PF_RDS] = "rds",
	[PF_SNA] = "sna",	    [PF_IRDA] = "irda",		[PF_PPPOX] = "pppox",
	[PF_WANPIPE] = "wanpipe",   [PF_LLC] = "llc",		[PF_IB] = "ib",
	[PF_MPLS] = "mpls",	    [PF_CAN] = "can",		[PF_TIPC] = "tipc",
	[PF_BLUETOOTH] = "bluetooth", [PF_IUCV] = "iucv",	[PF_RXRPC] = "rxrpc",
	[PF_ISDN] = "isdn",	    [PF_PHONET] = "phonet",	[PF_IEEE802154] = "ieee802154",
	[PF_CAIF] = "caif",	    [PF_ALG] = "alg",		[PF_NFC] = "nfc",
	[PF_VSOCK] = "vsock",	    [PF_KCM] = "kcm",		[PF_QIPCRTR] = "qipcrtr",
	[PF_SMC] = "smc",	    [PF_XDP] = "xdp",		[PF_MCTP] = "mctp",
};
#define VUSTACK_NNAMES ((int)(sizeof(vustack_names) / sizeof(vustack_names[0])))

/* Aliases: a name for one or more families. */
static const struct {
	const char *name;
	int families[4]; /* 0-terminated */
} vustack_aliases[] = {
	{ "ip", { PF_INET, PF_INET6, PF_NETLINK, PF_PACKET } },
	{ "ipv4", { PF_INET } },
	{ "ip4", { PF_INET } },
	{ "ipv6", { PF_INET6 } },
	{ "ip6", { PF_INET6 } },
	{ "bt", { PF_BLUETOOTH } },
	{ "ir", { PF_IRDA } },
	{ "unix", { PF_LOCAL } },
};

const char *vustack_family_name(int family)
{
	if (family <= 0 || family >= VUSTACK_NNAMES)
		return NULL;
	return vustack_names[family];
}

int vustack_family_number(const char *name)
{
	for (int n = 1; n < VUSTACK_NNAMES; n++)
		if (vustack_names[n] && strcasecmp(name, vustack_names[n]) == 0)
			return n;
	return -1;
}

/* One word of -f's list. */
static int vustack_add_family(struct vustack_args *a, const char *word, FILE *err)
{
	int family;

	if (strcasecmp(word, "all") == 0) {
		a->all_named = true;
		return 0;
	}
	for (size_t i = 0; i < sizeof(vustack_aliases) / sizeof(vustack_aliases[0]); i++) {
		if (strcasecmp(word, vustack_aliases[i].name) == 0) {
			for (int j = 0; j < 4 && vustack_aliases[i].families[j]; j++)
				a->family[vustack_aliases[i].families[j]] = true;
			return 0;
		}
	}
	if (isdigit((unsigned char)word[0])) {
		char *end;

		errno = 0;
		long n = strtol(word, &end, 0);

		family = (*end || errno || n <= 0 || n > VUSTACK_MAX_FAMILY) ? -1 : (int)n;
	} else {
		family = vustack_family_number(word);
	}
	if (family <= 0) {
		fprintf(err, "vustack: unknown protocol family '%s'\n", word);
		return -1;
	}
	a->family[family] = true;
	return 0;
}

int vustack_parse_families(struct vustack_args *a, const char *list, FILE *err)
{
	char *copy = strdup(list), *save = NULL;
	int ret = 0, words = 0;

	if (copy == NULL) {
		fprintf(err, "vustack: out of memory\n");
		return -1;
	}
	for (char *w = strtok_r(copy, ", \t", &save); w; w = strtok_r(NULL, ", \t", &save)) {
		words++;
		if (vustack_add_family(a, w, err) < 0) {
			ret = -1;
			break;
		}
	}
	if (ret == 0 && words == 0) {
		fprintf(err, "vustack: -f needs a list of protocol families\n");
		ret = -1;
	}
	free(copy);
	return ret;
}

static const struct option vustack_long[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "supported", no_argument, NULL, 's' },
	{ "family", required_argument, NULL, 'f' },
	{ "families", required_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 },
};

void vustack_usage(FILE *f, bool families)
{
	fprintf(f,
		"Usage: vustack [OPTION]... STACK COMMAND [ARG]...\n"
		"Run COMMAND with the network stack mounted at STACK as its default stack\n"
		"(and its children's), for every address family or for those selected.\n"
		"\n"
		"  -f, --family, --families LIST  select the families in LIST: names or\n"
		"                                 numbers separated by commas\n"
		"  -s, --supported                select the families STACK supports\n"
		"  -v, --verbose                  print the families selected\n"
		"  -h, --help                     print this help (with -v: and the\n"
		"                                 family names) and exit\n");
	if (!families)
		return;
	fprintf(f, "\nAddress families:\n");
	for (int n = 1; n < VUSTACK_NNAMES; n++)
		if (vustack_names[n])
			fprintf(f, "%5d: %s\n", n, vustack_names[n]);
	fprintf(f, "\nHighest family number: %d\n", VUSTACK_MAX_FAMILY);
	fprintf(f, "\nAliases:\n"
		   "  all: every family (the default)\n"
		   "  ip: inet,inet6,netlink,packet\n"
		   "  ipv4, ip4: inet   ipv6, ip6: inet6   bt: bluetooth   ir: irda   unix: local\n");
}

int vustack_parse(struct vustack_args *a, int argc, char **argv, FILE *err)
{
	bool named = false;
	int c;

	memset(a, 0, sizeof(*a));
	optind = 0;
	opterr = 0;
	/* "+": the options end at STACK, COMMAND's own are COMMAND's. */
	while ((c = getopt_long(argc, argv, "+:hvsf:", vustack_long, NULL)) != -1) {
		switch (c) {
		case 'h':
			a->help = true;
			break;
		case 'v':
			a->verbose = true;
			break;
		case 's':
			a->supported = true;
			break;
		case 'f':
			named = true;
			if (vustack_parse_families(a, optarg, err) < 0)
				return -1;
			break;
		case ':':
			fprintf(err, "vustack: option %s needs an argument\n", argv[optind - 1]);
			return -1;
		default:
			if (optopt)
				fprintf(err, "vustack: unknown option -%c\n", optopt);
			else
				fprintf(err, "vustack: unknown option %s\n", argv[optind - 1]);
			return -1;
		}
	}
	if (a->help)
		return 0;
	if (argc - optind < 2) {
		fprintf(err, argc - optind == 0 ? "vustack: missing STACK and COMMAND\n"
						: "vustack: missing COMMAND\n");
		return -1;
	}
	a->stack = argv[optind];
	a->cmd = argv + optind + 1;
	a->all = a->all_named || (!named && !a->supported);
	return 0;
}
