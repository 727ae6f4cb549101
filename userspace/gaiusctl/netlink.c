// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Netlink requests: see netlink.h. */
#include "netlink.h"

#include <errno.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <stdio.h>
#include <string.h>

/* Sequence numbers of this process's requests, in turn. */
static unsigned int next_seq = 1;

/* Sends @request, then reads and runs @cb until the answer (@dump: the dump) ends. */
static int run(struct mnl_socket *nl, struct nlmsghdr *request, mnl_cb_t cb,
	       void *data, bool dump)
{
	static char buf[GAIUSCTL_NETLINK_BUFFER];
	unsigned int portid = mnl_socket_get_portid(nl);
	unsigned int seq = next_seq++;
	int ret;

	request->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl, request, request->nlmsg_len) < 0)
		return -1;
	do {
		ssize_t len = mnl_socket_recvfrom(nl, buf, sizeof(buf));

		if (len < 0)
			return -1;
		ret = mnl_cb_run(buf, (size_t)len, seq, portid, cb, data);
	} while (dump && ret > MNL_CB_STOP);
	return ret < 0 ? -1 : 0;
}

struct mnl_socket *gaiusctl_netlink_open(int bus)
{
	struct mnl_socket *nl = mnl_socket_open(bus);

	if (nl && mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = errno;

		mnl_socket_close(nl);
		errno = err;
		return NULL;
	}
	return nl;
}

int gaiusctl_netlink_dump(int bus, struct nlmsghdr *request, mnl_cb_t cb,
			  void *data)
{
	struct mnl_socket *nl = gaiusctl_netlink_open(bus);
	int ret, err;

	if (!nl)
		return -1;
	ret = run(nl, request, cb, data, true);
	err = errno;
	mnl_socket_close(nl);
	errno = err;
	return ret;
}

int gaiusctl_netlink_ask(struct mnl_socket *nl, struct nlmsghdr *request,
			 mnl_cb_t cb, void *data)
{
	return run(nl, request, cb, data, false);
}

struct nlmsghdr *gaiusctl_ctnetlink_request(char *buf, uint16_t type,
					    uint16_t flags, uint8_t family)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfh;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | type;
	nlh->nlmsg_flags = flags;
	nfh = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfh));
	nfh->nfgen_family = family;
	nfh->version = NFNETLINK_V0;
	nfh->res_id = 0;
	return nlh;
}

int gaiusctl_netlink_table(const struct nlattr *attr, void *data, int max)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type <= max)
		tb[type] = attr;
	return MNL_CB_OK;
}

enum gaiusctl_status gaiusctl_netlink_failed(const char *what)
{
	if (errno == EPERM) {
		fprintf(stderr, "gaiusctl: %s: %s: needs CAP_NET_ADMIN\n", what,
			strerror(errno));
		return GAIUSCTL_PERMISSION;
	}
	fprintf(stderr, "gaiusctl: %s: %s\n", what, strerror(errno));
	return GAIUSCTL_ERROR;
}
