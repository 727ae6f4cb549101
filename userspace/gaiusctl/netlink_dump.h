/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* One netlink dump, request to NLMSG_DONE, for the sock_diag and conntrack readers. */
#ifndef GAIUSCTL_NETLINK_DUMP_H
#define GAIUSCTL_NETLINK_DUMP_H

#include <libmnl/libmnl.h>

#include "gaiusctl_status.h"

/* Room for one request, and for each batch of replies the kernel sends. */
#define GAIUSCTL_NETLINK_BUFFER 32768

/*
 * Opens a socket on netlink @bus (NETLINK_SOCK_DIAG, ...), sends @request
 * (built in a buffer of GAIUSCTL_NETLINK_BUFFER bytes, with NLM_F_DUMP),
 * and runs @cb on every reply until the dump ends. Returns 0, or -1 with
 * errno set: the socket's, the kernel's NLMSG_ERROR, or the callback's.
 */
int gaiusctl_netlink_dump(int bus, struct nlmsghdr *request, mnl_cb_t cb,
			  void *data);

/*
 * After a failed dump of @what: prints why, and returns the status for
 * errno (GAIUSCTL_PERMISSION for EPERM, else GAIUSCTL_ERROR).
 */
enum gaiusctl_status gaiusctl_netlink_failed(const char *what);

#endif /* GAIUSCTL_NETLINK_DUMP_H */
