// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The conntrack reader: one ctnetlink dump of the namespace's table
 * (IPCTNL_MSG_CT_GET with NLM_F_DUMP, all families), each entry parsed by
 * libnetfilter_conntrack and matched against the connections.
 */
#include "conntrack.h"

#include <errno.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <string.h>
#include <unistd.h>

#include "netlink_dump.h"

/* Per network namespace, there as soon as nf_conntrack is loaded. */
#define CONNTRACK_LOADED "/proc/sys/net/netfilter/nf_conntrack_count"

struct ct_tuple {
	struct gaiusctl_endpoint src;
	struct gaiusctl_endpoint dst;
};

struct tuple_attrs {
	enum nf_conntrack_attr src4, dst4, src6, dst6, sport, dport;
};

static const struct tuple_attrs orig_attrs = {
	ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV4_DST, ATTR_ORIG_IPV6_SRC,
	ATTR_ORIG_IPV6_DST, ATTR_ORIG_PORT_SRC, ATTR_ORIG_PORT_DST,
};

static const struct tuple_attrs reply_attrs = {
	ATTR_REPL_IPV4_SRC, ATTR_REPL_IPV4_DST, ATTR_REPL_IPV6_SRC,
	ATTR_REPL_IPV6_DST, ATTR_REPL_PORT_SRC, ATTR_REPL_PORT_DST,
};

static void tuple_of(const struct nf_conntrack *ct, const struct tuple_attrs *a,
		     struct ct_tuple *t)
{
	uint16_t sport = ntohs(nfct_get_attr_u16(ct, a->sport));
	uint16_t dport = ntohs(nfct_get_attr_u16(ct, a->dport));

	if (nfct_get_attr_u8(ct, ATTR_L3PROTO) == AF_INET) {
		gaiusctl_endpoint_set_v4(&t->src, nfct_get_attr(ct, a->src4), sport);
		gaiusctl_endpoint_set_v4(&t->dst, nfct_get_attr(ct, a->dst4), dport);
	} else {
		memcpy(t->src.addr, nfct_get_attr(ct, a->src6), sizeof(t->src.addr));
		memcpy(t->dst.addr, nfct_get_attr(ct, a->dst6), sizeof(t->dst.addr));
		t->src.port = sport;
		t->dst.port = dport;
	}
}

/* The socket's end sent this direction: local is its source. */
static bool tuple_is(const struct ct_tuple *t, const struct gaiusctl_conn *conn)
{
	return gaiusctl_endpoint_equal(&t->src, &conn->local) &&
	       gaiusctl_endpoint_equal(&t->dst, &conn->remote);
}

static void match_entry(const struct nf_conntrack *ct,
			struct gaiusctl_conns *conns)
{
	struct ct_tuple orig, reply;
	int state;

	if (nfct_get_attr_u8(ct, ATTR_L4PROTO) != IPPROTO_TCP ||
	    !nfct_attr_is_set(ct, ATTR_TCP_STATE))
		return;
	state = nfct_get_attr_u8(ct, ATTR_TCP_STATE);
	tuple_of(ct, &orig_attrs, &orig);
	tuple_of(ct, &reply_attrs, &reply);
	for (size_t i = 0; i < conns->count; i++) {
		struct gaiusctl_conn *conn = &conns->items[i];

		if (tuple_is(&orig, conn) || tuple_is(&reply, conn))
			conn->ct_state = state;
	}
}

static int add_entry(const struct nlmsghdr *nlh, void *data)
{
	struct nf_conntrack *ct = nfct_new();

	if (!ct) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	if (nfct_nlmsg_parse(nlh, ct) < 0) {
		nfct_destroy(ct);
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	match_entry(ct, data);
	nfct_destroy(ct);
	return MNL_CB_OK;
}

enum gaiusctl_status gaiusctl_conntrack_fill(struct gaiusctl_conns *conns)
{
	static char buf[GAIUSCTL_NETLINK_BUFFER];
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfh;

	if (!conns->count || access(CONNTRACK_LOADED, F_OK))
		return GAIUSCTL_OK;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nfh = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfh));
	nfh->nfgen_family = AF_UNSPEC;
	nfh->version = NFNETLINK_V0;
	nfh->res_id = 0;
	if (gaiusctl_netlink_dump(NETLINK_NETFILTER, nlh, add_entry, conns))
		return gaiusctl_netlink_failed("conntrack dump");
	return GAIUSCTL_OK;
}
