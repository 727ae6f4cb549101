// SPDX-License-Identifier: GPL-2.0 OR MIT
/* One netlink dump: see netlink_dump.h. */
#include "netlink_dump.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int run_dump(struct mnl_socket *nl, struct nlmsghdr *request,
		    mnl_cb_t cb, void *data)
{
	static char buf[GAIUSCTL_NETLINK_BUFFER];
	unsigned int portid = mnl_socket_get_portid(nl);
	unsigned int seq = (unsigned int)time(NULL);
	int ret;

	request->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl, request, request->nlmsg_len) < 0)
		return -1;
	do {
		ssize_t len = mnl_socket_recvfrom(nl, buf, sizeof(buf));

		if (len < 0)
			return -1;
		ret = mnl_cb_run(buf, (size_t)len, seq, portid, cb, data);
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? -1 : 0;
}

int gaiusctl_netlink_dump(int bus, struct nlmsghdr *request, mnl_cb_t cb,
			  void *data)
{
	struct mnl_socket *nl = mnl_socket_open(bus);
	int ret, err;

	if (!nl)
		return -1;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		ret = -1;
	else
		ret = run_dump(nl, request, cb, data);
	err = errno;
	mnl_socket_close(nl);
	errno = err;
	return ret;
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
