// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * gaius-ct-fill: a conntrack table as large as a NAT box's, for measuring
 * gaiusctl list against it (tests/netns/86-gaiusctl.sh).
 *
 *   gaius-ct-fill create COUNT   adds COUNT established TCP entries to the
 *                                namespace's table, from 203.0.113.0/24 to
 *                                198.51.100.200 port 9, timeout 600 s;
 *                                ctnetlink requests in batches, each acked
 *   gaius-ct-fill dump           reads the whole table as one ctnetlink
 *                                dump through gaiusctl's own netlink code,
 *                                each entry parsed by libnetfilter_conntrack
 *                                (what gaiusctl list did before it asked per
 *                                connection), and prints how many
 *
 * Both print the seconds they took. Exit 0, or 1 with the reason.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "netlink.h"

/*
 * Requests a batch: their acks, a socket buffer each (about 1 KiB of
 * receive buffer), fit the default receive buffer.
 */
#define BATCH 64
#define BUFFER (1 << 16)
#define TIMEOUT_S 600

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct nlmsghdr *put_request(char *at, uint16_t type, uint16_t flags,
				    uint32_t seq)
{
	struct nlmsghdr *nlh = gaiusctl_ctnetlink_request(at, type, flags, AF_INET);

	nlh->nlmsg_seq = seq;
	return nlh;
}

/* Entry @i: 203.0.113.(1 + i % 250) port (1024 + i / 250) -> 198.51.100.200 port 9. */
static void entry(struct nf_conntrack *ct, unsigned long i)
{
	uint32_t src = htonl(0xcb007100U | (uint32_t)(1 + i % 250));
	uint32_t dst = htonl(0xc63364c8U);
	uint16_t sport = htons((uint16_t)(1024 + i / 250)), dport = htons(9);

	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, src);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, dst);
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, dst);
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, src);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, sport);
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, dport);
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, dport);
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, sport);
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, TCP_CONNTRACK_ESTABLISHED);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, TIMEOUT_S);
	nfct_set_attr_u32(ct, ATTR_STATUS, IPS_CONFIRMED | IPS_SEEN_REPLY |
			  IPS_ASSURED);
}

/* Reads acks until the one of @last; 0, or -1 with errno (the first error). */
static int read_acks(struct mnl_socket *nl, char *buf, uint32_t first,
		     uint32_t last)
{
	unsigned int portid = mnl_socket_get_portid(nl);

	for (uint32_t seq = first; seq <= last;) {
		ssize_t len = mnl_socket_recvfrom(nl, buf, BUFFER);
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
		int left = (int)len;

		if (len < 0)
			return -1;
		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_pid != portid || nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			if (err->error) {
				errno = -err->error;
				return -1;
			}
			seq = nlh->nlmsg_seq + 1;
		}
	}
	return 0;
}

static int create(struct mnl_socket *nl, unsigned long count)
{
	static char batch[BUFFER], buf[BUFFER];
	struct nf_conntrack *ct = nfct_new();
	uint32_t seq = 1;

	if (!ct)
		return -1;
	for (unsigned long i = 0; i < count;) {
		uint32_t first = seq;
		size_t used = 0;

		for (int n = 0; n < BATCH && i < count; n++, i++) {
			struct nlmsghdr *nlh;

			nlh = put_request(batch + used, IPCTNL_MSG_CT_NEW,
					  NLM_F_REQUEST | NLM_F_CREATE |
					  NLM_F_EXCL | NLM_F_ACK, seq++);
			entry(ct, i);
			nfct_nlmsg_build(nlh, ct);
			used += NLMSG_ALIGN(nlh->nlmsg_len);
		}
		if (mnl_socket_sendto(nl, batch, used) < 0 ||
		    read_acks(nl, buf, first, seq - 1)) {
			nfct_destroy(ct);
			return -1;
		}
	}
	nfct_destroy(ct);
	return 0;
}

static int count_entry(const struct nlmsghdr *nlh, void *data)
{
	struct nf_conntrack *ct = nfct_new();
	unsigned long *count = data;

	if (!ct || nfct_nlmsg_parse(nlh, ct) < 0) {
		nfct_destroy(ct);
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	nfct_destroy(ct);
	++*count;
	return MNL_CB_OK;
}

/* gaiusctl's own dump (userspace/gaiusctl/netlink.c), on a socket of its own. */
static int dump(unsigned long *count)
{
	static char buf[GAIUSCTL_NETLINK_BUFFER];
	struct nlmsghdr *nlh;

	nlh = put_request(buf, IPCTNL_MSG_CT_GET, NLM_F_REQUEST | NLM_F_DUMP, 0);
	((struct nfgenmsg *)mnl_nlmsg_get_payload(nlh))->nfgen_family = AF_UNSPEC;
	return gaiusctl_netlink_dump(NETLINK_NETFILTER, nlh, count_entry, count);
}

int main(int argc, char **argv)
{
	unsigned long count = 0;
	struct mnl_socket *nl;
	double start;
	char *end;
	int ret;

	if (argc == 3 && !strcmp(argv[1], "create")) {
		count = strtoul(argv[2], &end, 10);
		if (*end || !count || count > 250UL * 60000) {
			fprintf(stderr, "gaius-ct-fill: COUNT from 1 to 15000000, not %s\n", argv[2]);
			return 1;
		}
	} else if (argc != 2 || strcmp(argv[1], "dump")) {
		fputs("usage: gaius-ct-fill create COUNT | dump\n", stderr);
		return 1;
	}
	start = now();
	if (count) {
		nl = gaiusctl_netlink_open(NETLINK_NETFILTER);
		ret = nl ? create(nl, count) : -1;
		if (nl)
			mnl_socket_close(nl);
	} else {
		ret = dump(&count);
	}
	if (ret) {
		perror(argc == 3 ? "gaius-ct-fill: create" : "gaius-ct-fill: dump");
		return 1;
	}
	printf("%s %lu entries in %.3f s\n", argc == 3 ? "created" : "dumped",
	       count, now() - start);
	return 0;
}
