// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The conntrack reader: for each connection one ctnetlink query
 * (IPCTNL_MSG_CT_GET, no dump) for the tuple local -> remote, built and its
 * answer parsed by libnetfilter_conntrack. Conntrack's table holds both
 * directions' tuples, so the query finds the entry of a client (whose
 * original direction it is) and of a server (the reply direction), also
 * after NAT on this host, since the socket's addresses are those of the
 * packets it sees. The cost is one round trip per listed connection,
 * whatever the size of the table: a NAT box's hundreds of thousands of
 * entries are not read.
 */
#include "conntrack.h"

#include <errno.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <string.h>
#include <unistd.h>

#include "netlink.h"

/* Per network namespace, there as soon as nf_conntrack is loaded. */
#define CONNTRACK_LOADED "/proc/sys/net/netfilter/nf_conntrack_count"

static int read_state(const struct nlmsghdr *nlh, void *data)
{
	struct nf_conntrack *ct = nfct_new();
	int *state = data;

	if (!ct) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	if (nfct_nlmsg_parse(nlh, ct) < 0) {
		nfct_destroy(ct);
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	if (nfct_attr_is_set(ct, ATTR_TCP_STATE))
		*state = nfct_get_attr_u8(ct, ATTR_TCP_STATE);
	nfct_destroy(ct);
	return MNL_CB_OK;
}

/* The query for @conn's tuple, in @buf; NULL when memory runs out. */
static struct nlmsghdr *query(char *buf, const struct gaiusctl_conn *conn)
{
	bool v4 = gaiusctl_endpoint_is_v4(&conn->local);
	struct nf_conntrack *ct = nfct_new();
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfh;

	if (!ct)
		return NULL;
	nfct_set_attr_u8(ct, ATTR_L3PROTO, v4 ? AF_INET : AF_INET6);
	if (v4) {
		nfct_set_attr(ct, ATTR_ORIG_IPV4_SRC, conn->local.addr + 12);
		nfct_set_attr(ct, ATTR_ORIG_IPV4_DST, conn->remote.addr + 12);
	} else {
		nfct_set_attr(ct, ATTR_ORIG_IPV6_SRC, conn->local.addr);
		nfct_set_attr(ct, ATTR_ORIG_IPV6_DST, conn->remote.addr);
	}
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(conn->local.port));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(conn->remote.port));

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nfh = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfh));
	nfh->nfgen_family = v4 ? AF_INET : AF_INET6;
	nfh->version = NFNETLINK_V0;
	nfh->res_id = 0;
	nfct_nlmsg_build(nlh, ct);
	nfct_destroy(ct);
	return nlh;
}

enum gaiusctl_status gaiusctl_conntrack_fill(struct gaiusctl_conns *conns)
{
	static char buf[GAIUSCTL_NETLINK_BUFFER];
	enum gaiusctl_status status = GAIUSCTL_OK;
	struct mnl_socket *nl;

	if (!conns->count || access(CONNTRACK_LOADED, F_OK))
		return GAIUSCTL_OK;
	nl = gaiusctl_netlink_open(NETLINK_NETFILTER);
	if (!nl)
		return gaiusctl_netlink_failed("conntrack query");
	for (size_t i = 0; i < conns->count; i++) {
		struct gaiusctl_conn *conn = &conns->items[i];
		struct nlmsghdr *nlh = query(buf, conn);

		if (!nlh) {
			errno = ENOMEM;
		} else if (!gaiusctl_netlink_ask(nl, nlh, read_state,
						 &conn->ct_state) ||
			   errno == ENOENT) {
			continue;
		}
		status = gaiusctl_netlink_failed("conntrack query");
		break;
	}
	mnl_socket_close(nl);
	return status;
}
