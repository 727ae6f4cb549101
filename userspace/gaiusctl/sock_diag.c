// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The sock_diag reader: an inet_diag_req_v2 dump of TCP sockets, once per
 * family, asking for INET_DIAG_INFO so that the kernel adds
 * INET_DIAG_ULP_INFO: INET_ULP_INFO_NAME "caesar" and the nest
 * INET_ULP_INFO_CAESAR with the keys and byte counts
 * (include/uapi/linux/caesar.h).
 */
#include "sock_diag.h"

#include <errno.h>
#include <linux/caesar.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#include "netlink.h"

/*
 * Every state of a full socket but LISTEN: TIME_WAIT and NEW_SYN_RECV
 * sockets are not full sockets and carry no ULP.
 */
#define CONNECTION_STATES ((1U << TCP_ESTABLISHED) | (1U << TCP_SYN_SENT) | \
			   (1U << TCP_SYN_RECV) | (1U << TCP_FIN_WAIT1) | \
			   (1U << TCP_FIN_WAIT2) | (1U << TCP_CLOSE) | \
			   (1U << TCP_CLOSE_WAIT) | (1U << TCP_LAST_ACK) | \
			   (1U << TCP_CLOSING))

/* The keys' 32 bits as the kernel has them, read as gaius writes keys. */
struct caesar_info {
	uint32_t tx_key;
	uint32_t rx_key;
	uint64_t tx_bytes;
	uint64_t rx_bytes;
};

static int put_diag_attr(const struct nlattr *attr, void *data)
{
	return gaiusctl_netlink_table(attr, data, INET_DIAG_MAX);
}

static int put_caesar_attr(const struct nlattr *attr, void *data)
{
	return gaiusctl_netlink_table(attr, data, CAESAR_INFO_MAX);
}

/* The ULP nest holds a name and one protocol's nest: keep ours only. */
static int put_ulp_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type == INET_ULP_INFO_NAME)
		tb[0] = attr;
	else if (type == INET_ULP_INFO_CAESAR)
		tb[1] = attr;
	return MNL_CB_OK;
}

static bool valid(const struct nlattr *attr, enum mnl_attr_data_type type)
{
	return attr && mnl_attr_validate(attr, type) == 0;
}

/* Reads the caesar nest of a socket's ULP info; false if it has none. */
static bool caesar_info_of(const struct nlattr *ulp, struct caesar_info *info)
{
	const struct nlattr *ulp_tb[2] = { NULL };
	const struct nlattr *tb[CAESAR_INFO_MAX + 1] = { NULL };

	if (mnl_attr_parse_nested(ulp, put_ulp_attr, ulp_tb) < 0 ||
	    !valid(ulp_tb[0], MNL_TYPE_NUL_STRING) ||
	    strcmp(mnl_attr_get_str(ulp_tb[0]), CAESAR_ULP_NAME) || !ulp_tb[1] ||
	    mnl_attr_parse_nested(ulp_tb[1], put_caesar_attr, tb) < 0)
		return false;
	/* A plain child of a listener the rules use has an empty nest. */
	if (!valid(tb[CAESAR_INFO_TX_KEY], MNL_TYPE_U32) ||
	    !valid(tb[CAESAR_INFO_RX_KEY], MNL_TYPE_U32) ||
	    !valid(tb[CAESAR_INFO_TX_BYTES], MNL_TYPE_U64) ||
	    !valid(tb[CAESAR_INFO_RX_BYTES], MNL_TYPE_U64))
		return false;
	info->tx_key = mnl_attr_get_u32(tb[CAESAR_INFO_TX_KEY]);
	info->rx_key = mnl_attr_get_u32(tb[CAESAR_INFO_RX_KEY]);
	info->tx_bytes = mnl_attr_get_u64(tb[CAESAR_INFO_TX_BYTES]);
	info->rx_bytes = mnl_attr_get_u64(tb[CAESAR_INFO_RX_BYTES]);
	return true;
}

static void endpoint_of(struct gaiusctl_endpoint *ep, int family,
			const __be32 addr[4], __be16 port)
{
	if (family == AF_INET)
		gaiusctl_endpoint_set_v4(ep, addr, ntohs(port));
	else {
		memcpy(ep->addr, addr, sizeof(ep->addr));
		ep->port = ntohs(port);
	}
}

static int add_socket(const struct nlmsghdr *nlh, void *data)
{
	const struct inet_diag_msg *msg = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[INET_DIAG_MAX + 1] = { NULL };
	struct gaiusctl_conn conn = { .ct_state = GAIUSCTL_NO_CT_STATE };
	struct caesar_info info;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*msg)) ||
	    mnl_attr_parse(nlh, sizeof(*msg), put_diag_attr, tb) < 0) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	if (!tb[INET_DIAG_ULP_INFO] ||
	    !caesar_info_of(tb[INET_DIAG_ULP_INFO], &info) ||
	    (!info.tx_key && !info.rx_key))
		return MNL_CB_OK;

	endpoint_of(&conn.local, msg->idiag_family, msg->id.idiag_src,
		    msg->id.idiag_sport);
	endpoint_of(&conn.remote, msg->idiag_family, msg->id.idiag_dst,
		    msg->id.idiag_dport);
	conn.tcp_state = msg->idiag_state;
	conn.tx_key = info.tx_key;
	conn.rx_key = info.rx_key;
	conn.tx_bytes = info.tx_bytes;
	conn.rx_bytes = info.rx_bytes;
	conn.uid = msg->idiag_uid;
	conn.inode = msg->idiag_inode;
	if (!gaiusctl_conns_add(data, &conn)) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int dump_family(struct gaiusctl_conns *conns, uint8_t family)
{
	static char buf[GAIUSCTL_NETLINK_BUFFER];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct inet_diag_req_v2 *req;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = family;
	req->sdiag_protocol = IPPROTO_TCP;
	req->idiag_ext = 1U << (INET_DIAG_INFO - 1);
	req->idiag_states = CONNECTION_STATES;
	return gaiusctl_netlink_dump(NETLINK_SOCK_DIAG, nlh, add_socket, conns);
}

enum gaiusctl_status gaiusctl_sock_diag_read(struct gaiusctl_conns *conns)
{
	if (dump_family(conns, AF_INET) || dump_family(conns, AF_INET6))
		return gaiusctl_netlink_failed("sock_diag dump of TCP sockets");
	return GAIUSCTL_OK;
}
