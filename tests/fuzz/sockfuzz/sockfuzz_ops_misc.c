// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The rest of a socket's life: shutdown, disconnect (connect AF_UNSPEC)
 * and reconnect, listen and accept, the socket ioctls, poll, and the
 * readers that look at every socket at once (sock_diag with the ULP's
 * info, /proc/net/caesar_stat) while the others change them.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sockfuzz_ops.h"

long sf_op_shutdown(struct sf_thread *t, int fd, bool *bad)
{
	int how = RNG_PICK(&t->rng, ((const int[]){ SHUT_RD, SHUT_WR, SHUT_RDWR, SHUT_WR, -1, 3 }));

	if (how < 0 || how > SHUT_RDWR)
		*bad = true;
	return shutdown(fd, how);
}

/* connect(AF_UNSPEC), then now and then a connect() to a fuzz listener
 * that nobody accepts: sf_connect_pair() clears those out. */
long sf_op_disconnect(struct sf_thread *t, int fd, bool *bad)
{
	struct sockaddr_storage ss = { .ss_family = AF_UNSPEC };
	bool again = rng_percent(&t->rng, 30);
	const struct sf_listener *l = &sf.listeners[rng_below(&t->rng, sf.nlisteners)];
	long ret;

	(void)bad;
	ret = connect(fd, (struct sockaddr *)&ss, sizeof(ss));
	if (ret || !again)
		return ret;
	return connect(fd, (const struct sockaddr *)&l->addr,
		       l->addr.ss_family == AF_INET ? sizeof(struct sockaddr_in) :
						      sizeof(struct sockaddr_in6));
}

long sf_op_listen(struct sf_thread *t, int fd, bool *bad)
{
	long ret;
	int child;

	(void)bad;
	if (rng_percent(&t->rng, 50))
		return listen(fd, (int)rng_below(&t->rng, 8));
	ret = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	child = (int)ret;
	if (child >= 0)
		close(child);
	return ret;
}

long sf_op_ioctl(struct sf_thread *t, int fd, bool *bad)
{
	static const unsigned long cmds[] = {
		SIOCINQ, SIOCOUTQ, SIOCOUTQNSD, SIOCATMARK, FIONBIO, FIONREAD,
	};
	struct rng *r = &t->rng;
	unsigned long cmd = RNG_PICK(r, cmds);
	int value = (int)rng_below(r, 2);
	void *arg = &value;

	if (rng_percent(r, 5))
		arg = sf_ptr(&t->mem, r, sizeof(int), true, bad);
	return ioctl(fd, cmd, arg);
}

long sf_op_poll(struct sf_thread *t, int fd, bool *bad)
{
	struct pollfd p = { .fd = fd, .events = (short)rng_next(&t->rng) };

	(void)bad;
	return poll(&p, 1, 0);
}

/* Whether a batch of a dump's replies holds its end. */
static bool dump_done(const void *buf, long len)
{
	const struct nlmsghdr *h = buf;

	for (; NLMSG_OK(h, (unsigned long)len); h = NLMSG_NEXT(h, len))
		if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
			return true;
	return false;
}

/* One dump of every TCP socket of a family with INET_DIAG_INFO (which
 * carries the ULP's nest), read to the end. */
long sf_op_sock_diag(struct sf_thread *t, int fd, bool *bad)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msg;
	long ret, total = 0;
	int nl;

	(void)fd;
	(void)bad;
	nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (nl < 0)
		return -1;
	memset(&msg, 0, sizeof(msg));
	msg.nlh.nlmsg_len = sizeof(msg);
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.req.sdiag_family = rng_percent(&t->rng, 50) ? AF_INET : AF_INET6;
	msg.req.sdiag_protocol = IPPROTO_TCP;
	msg.req.idiag_states = ~0U;
	msg.req.idiag_ext = (uint8_t)(1 << (INET_DIAG_INFO - 1) | rng_next(&t->rng));
	ret = sf_set_timeouts(nl, 2000) ? -1 : send(nl, &msg, sizeof(msg), 0);
	while (ret > 0) {
		ret = recv(nl, t->mem.buf, SF_BUF_SIZE, 0);
		if (ret <= 0)
			break;
		total += ret;
		if (dump_done(t->mem.buf, ret))
			break;
	}
	close(nl);
	return ret < 0 ? ret : total;
}

long sf_op_proc_stat(struct sf_thread *t, int fd, bool *bad)
{
	long ret, total = 0;
	int f;

	(void)fd;
	(void)bad;
	f = open("/proc/net/caesar_stat", O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return -1;
	while ((ret = read(f, t->mem.buf, SF_BUF_SIZE)) > 0)
		total += ret;
	close(f);
	return ret < 0 ? ret : total;
}
