/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Netlink requests, for the sock_diag and conntrack readers: a dump (request
 * to NLMSG_DONE), or one request and its one answer.
 */
#ifndef GAIUSCTL_NETLINK_H
#define GAIUSCTL_NETLINK_H

#include <libmnl/libmnl.h>

#include "gaiusctl_status.h"

/* Room for one request, and for each batch of replies the kernel sends. */
#define GAIUSCTL_NETLINK_BUFFER 32768

/* A socket on netlink @bus (NETLINK_SOCK_DIAG, ...), bound; NULL and errno. */
struct mnl_socket *gaiusctl_netlink_open(int bus);

/*
 * Sends @request (built in a buffer of GAIUSCTL_NETLINK_BUFFER bytes, with
 * NLM_F_DUMP) on a socket of its own, and runs @cb on every reply until
 * the dump ends. Returns 0, or -1 with errno set: the socket's, the
 * kernel's NLMSG_ERROR, or the callback's.
 */
int gaiusctl_netlink_dump(int bus, struct nlmsghdr *request, mnl_cb_t cb,
			  void *data);

/*
 * Sends @request (no NLM_F_DUMP, no NLM_F_ACK) on @nl and runs @cb on its
 * answer. Returns 0, or -1 with errno set as for a dump (ENOENT: the
 * kernel has nothing of that name).
 */
int gaiusctl_netlink_ask(struct mnl_socket *nl, struct nlmsghdr *request,
			 mnl_cb_t cb, void *data);

/*
 * The header of a ctnetlink request @type (IPCTNL_MSG_CT_GET, ...) with
 * @flags for @family (AF_UNSPEC: both), in @buf; its attributes follow.
 */
struct nlmsghdr *gaiusctl_ctnetlink_request(char *buf, uint16_t type,
					    uint16_t flags, uint8_t family);

/*
 * For mnl_attr_parse() and mnl_attr_parse_nested(), through a callback
 * that names @max: keeps each attribute of a type up to @max in the array
 * @data (const struct nlattr *[@max + 1]), the others passed over.
 */
int gaiusctl_netlink_table(const struct nlattr *attr, void *data, int max);

/*
 * After a failed request about @what: prints why, and returns the status
 * for errno (GAIUSCTL_PERMISSION for EPERM, else GAIUSCTL_ERROR).
 */
enum gaiusctl_status gaiusctl_netlink_failed(const char *what);

#endif /* GAIUSCTL_NETLINK_H */
