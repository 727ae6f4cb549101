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
 *
 * The forwarded connections have no socket to start from: they are found
 * by one dump of the table (IPCTNL_MSG_CT_GET with NLM_F_DUMP, both
 * families), only in a namespace where a rule keyed one. Each entry's
 * CTA_HELP is read first, with libmnl: most entries have no gaius helper,
 * or an idle one, and are passed over without building a struct
 * nf_conntrack; and libnetfilter_conntrack (1.0.9) gives ATTR_HELPER_INFO
 * without its length, which must be checked before it is read.
 */
#include "conntrack.h"

#include <errno.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <linux/netfilter/xt_GAIUS.h>
#include <string.h>
#include <unistd.h>

#include "caesar_stat.h"
#include "netlink.h"

/* /proc/net/caesar_stat's count of forwarded directions keyed by a rule. */
#define FWD_KEYS_COUNTER "CaesarFwdKeys"

/* Per network namespace, there as soon as nf_conntrack is loaded. */
#define CONNTRACK_LOADED "/proc/sys/net/netfilter/nf_conntrack_count"

/* The entry of @nlh, parsed; NULL and errno when it cannot be. */
static struct nf_conntrack *parsed(const struct nlmsghdr *nlh)
{
	struct nf_conntrack *ct = nfct_new();

	if (!ct) {
		errno = ENOMEM;
	} else if (nfct_nlmsg_parse(nlh, ct) < 0) {
		nfct_destroy(ct);
		ct = NULL;
		errno = EPROTO;
	}
	return ct;
}

static int read_state(const struct nlmsghdr *nlh, void *data)
{
	struct nf_conntrack *ct = parsed(nlh);
	int *state = data;

	if (!ct)
		return MNL_CB_ERROR;
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

	nlh = gaiusctl_ctnetlink_request(buf, IPCTNL_MSG_CT_GET, NLM_F_REQUEST,
					 v4 ? AF_INET : AF_INET6);
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
		struct nlmsghdr *nlh;

		if (conn->forwarded)
			continue;
		nlh = query(buf, conn);
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

static int put_ct_attr(const struct nlattr *attr, void *data)
{
	return gaiusctl_netlink_table(attr, data, CTA_MAX);
}

static int put_help_attr(const struct nlattr *attr, void *data)
{
	return gaiusctl_netlink_table(attr, data, CTA_HELP_MAX);
}

/*
 * Whether the entry of @nlh has the helper gaius with a keyed direction:
 * if so, @conn->fwd has its keys.
 */
static bool gaius_keyed(const struct nlmsghdr *nlh, struct gaiusctl_conn *conn)
{
	const struct nlattr *tb[CTA_MAX + 1] = { NULL };
	const struct nlattr *help[CTA_HELP_MAX + 1] = { NULL };

	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), put_ct_attr, tb) < 0 ||
	    !tb[CTA_HELP] ||
	    mnl_attr_parse_nested(tb[CTA_HELP], put_help_attr, help) < 0 ||
	    !help[CTA_HELP_NAME] || !help[CTA_HELP_INFO] ||
	    mnl_attr_validate(help[CTA_HELP_NAME], MNL_TYPE_NUL_STRING) ||
	    strcmp(mnl_attr_get_str(help[CTA_HELP_NAME]), GAIUS_CT_HELPER_NAME))
		return false;
	return gaiusctl_fwd_info_read(conn, mnl_attr_get_payload(help[CTA_HELP_INFO]),
				      mnl_attr_get_payload_len(help[CTA_HELP_INFO]));
}

/* One direction's tuple and counters, @repl: the reply direction's. */
static void read_direction(const struct nf_conntrack *ct, bool repl,
			   struct gaiusctl_fwd_dir *dir)
{
	uint16_t sport = ntohs(nfct_get_attr_u16(ct, repl ? ATTR_REPL_PORT_SRC : ATTR_ORIG_PORT_SRC));
	uint16_t dport = ntohs(nfct_get_attr_u16(ct, repl ? ATTR_REPL_PORT_DST : ATTR_ORIG_PORT_DST));
	enum nf_conntrack_attr packets = repl ? ATTR_REPL_COUNTER_PACKETS : ATTR_ORIG_COUNTER_PACKETS;
	enum nf_conntrack_attr bytes = repl ? ATTR_REPL_COUNTER_BYTES : ATTR_ORIG_COUNTER_BYTES;

	if (nfct_get_attr_u8(ct, ATTR_L3PROTO) == AF_INET) {
		gaiusctl_endpoint_set_v4(&dir->src, nfct_get_attr(ct, repl ? ATTR_REPL_IPV4_SRC : ATTR_ORIG_IPV4_SRC), sport);
		gaiusctl_endpoint_set_v4(&dir->dst, nfct_get_attr(ct, repl ? ATTR_REPL_IPV4_DST : ATTR_ORIG_IPV4_DST), dport);
	} else {
		memcpy(dir->src.addr, nfct_get_attr(ct, repl ? ATTR_REPL_IPV6_SRC : ATTR_ORIG_IPV6_SRC), 16);
		memcpy(dir->dst.addr, nfct_get_attr(ct, repl ? ATTR_REPL_IPV6_DST : ATTR_ORIG_IPV6_DST), 16);
		dir->src.port = sport;
		dir->dst.port = dport;
	}
	dir->counted = nfct_attr_is_set(ct, packets) > 0 && nfct_attr_is_set(ct, bytes) > 0;
	if (dir->counted) {
		dir->packets = nfct_get_attr_u64(ct, packets);
		dir->bytes = nfct_get_attr_u64(ct, bytes);
	}
}

/* An entry of the dump: added to the list (@data) if it is keyed. */
static int add_forwarded(const struct nlmsghdr *nlh, void *data)
{
	struct gaiusctl_conn conn = { .ct_state = GAIUSCTL_NO_CT_STATE, .forwarded = true };
	struct nf_conntrack *ct;
	bool tcp;

	if (!gaius_keyed(nlh, &conn))
		return MNL_CB_OK;
	ct = parsed(nlh);
	if (!ct)
		return MNL_CB_ERROR;
	tcp = nfct_get_attr_u8(ct, ATTR_L4PROTO) == IPPROTO_TCP;
	if (tcp) {
		read_direction(ct, false, &conn.fwd[GAIUSCTL_FWD_ORIGINAL]);
		read_direction(ct, true, &conn.fwd[GAIUSCTL_FWD_REPLY]);
		conn.local = conn.fwd[GAIUSCTL_FWD_ORIGINAL].src;
		conn.remote = conn.fwd[GAIUSCTL_FWD_ORIGINAL].dst;
		if (nfct_attr_is_set(ct, ATTR_ZONE) > 0)
			conn.zone = nfct_get_attr_u16(ct, ATTR_ZONE);
		if (nfct_attr_is_set(ct, ATTR_TCP_STATE) > 0)
			conn.ct_state = nfct_get_attr_u8(ct, ATTR_TCP_STATE);
	}
	nfct_destroy(ct);
	if (tcp && !gaiusctl_conns_add(data, &conn)) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/*
 * Sets *@keyed: whether a rule ever keyed a forwarded direction in this
 * namespace (a caesar module without the counter forwards nothing).
 */
static enum gaiusctl_status forwarded_keyed(bool *keyed)
{
	struct gaiusctl_counters counters;
	enum gaiusctl_status status;

	*keyed = false;
	status = gaiusctl_caesar_stat_read(GAIUSCTL_CAESAR_STAT, &counters);
	for (size_t i = 0; status == GAIUSCTL_OK && i < counters.count; i++)
		if (!strcmp(counters.items[i].name, FWD_KEYS_COUNTER))
			*keyed = counters.items[i].value != 0;
	gaiusctl_counters_free(&counters);
	return status;
}

enum gaiusctl_status gaiusctl_conntrack_forwarded(struct gaiusctl_conns *conns)
{
	static char buf[GAIUSCTL_NETLINK_BUFFER];
	enum gaiusctl_status status;
	bool keyed;

	if (access(CONNTRACK_LOADED, F_OK))
		return GAIUSCTL_OK;
	status = forwarded_keyed(&keyed);
	if (status != GAIUSCTL_OK || !keyed)
		return status;
	if (gaiusctl_netlink_dump(NETLINK_NETFILTER,
				  gaiusctl_ctnetlink_request(buf, IPCTNL_MSG_CT_GET,
							     NLM_F_REQUEST | NLM_F_DUMP,
							     AF_UNSPEC),
				  add_forwarded, conns))
		return gaiusctl_netlink_failed("conntrack dump");
	return GAIUSCTL_OK;
}
