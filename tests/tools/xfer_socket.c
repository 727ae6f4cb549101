// SPDX-License-Identifier: GPL-2.0 OR MIT
/* gaius-xfer's sockets: see xfer_socket.h. */
#include "xfer_socket.h"

#include <errno.h>
#include <linux/caesar.h>
#include <linux/sockios.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <unistd.h>

#include "xfer_stream.h"

#define LATE_RX_QUEUED 16384

static int resolve(const char *address, const char *port,
		   struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = {
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
		.ai_socktype = SOCK_STREAM,
	};
	struct addrinfo *ai;
	int err = getaddrinfo(address, port, &hints, &ai);

	if (err) {
		fprintf(stderr, "gaius-xfer: address %s port %s: %s\n",
			address ? address : "(any)", port, gai_strerror(err));
		return -1;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

static int set_int(int fd, int level, int name, int value, const char *label,
		   const char *what)
{
	if (setsockopt(fd, level, name, &value, sizeof(value)))
		return label_fail(label, what);
	return 0;
}

static int set_timeout(int fd, unsigned int seconds, const char *label)
{
	struct timeval tv = { .tv_sec = seconds };

	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)))
		return label_fail(label, "setsockopt(SO_SNDTIMEO)");
	return 0;
}

int xfer_listen(const struct xfer_options *o)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1, zero = 0;
	int fd;

	if (resolve(o->address ? o->address : "::", o->port, &ss, &len))
		return -1;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0)
		return label_fail("server", "socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_OOBINLINE, &one, sizeof(one)) ||
	    (ss.ss_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero))) ||
	    bind(fd, (struct sockaddr *)&ss, len) ||
	    listen(fd, (int)o->connections + 16)) {
		label_fail("server", "listen");
		close(fd);
		return -1;
	}
	return fd;
}

int xfer_client_socket(const struct xfer_options *o, const char *label)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	if (resolve(o->address, o->port, &ss, &len))
		return -1;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0)
		return label_fail(label, "socket");
	if (set_int(fd, SOL_SOCKET, SO_OOBINLINE, 1, label, "setsockopt(SO_OOBINLINE)")) {
		close(fd);
		return -1;
	}
	return fd;
}

int xfer_connect(int fd, const struct xfer_options *o, const char *label)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (resolve(o->address, o->port, &ss, &len))
		return -1;
	/* connect() waits SO_SNDTIMEO at most, then says EINPROGRESS; the
	 * timeout is cleared again for the transfer. */
	if (o->connect_timeout &&
	    set_timeout(fd, o->connect_timeout, label))
		return -1;
	while (connect(fd, (struct sockaddr *)&ss, len))
		if (errno != EINTR)
			return label_fail(label, errno == EINPROGRESS ?
					  "connect: timed out" : "connect");
	return o->connect_timeout ? set_timeout(fd, 0, label) : 0;
}

int xfer_disconnect(int fd, const char *label)
{
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };

	if (connect(fd, &unspec, sizeof(unspec)))
		return label_fail(label, "connect(AF_UNSPEC)");
	return 0;
}

int xfer_attach(int fd, const struct xfer_keys *keys, const char *label)
{
	if (!keys->attach)
		return 0;
	if (setsockopt(fd, SOL_TCP, TCP_ULP, CAESAR_ULP_NAME,
		       sizeof(CAESAR_ULP_NAME) - 1))
		return label_fail(label, "setsockopt(TCP_ULP, \"caesar\")");
	if (keys->has_key &&
	    set_int(fd, SOL_TCP, CAESAR_KEY, keys->key, label, "setsockopt(CAESAR_KEY)"))
		return -1;
	if (keys->has_tx &&
	    set_int(fd, SOL_TCP, CAESAR_TX_KEY, keys->tx, label, "setsockopt(CAESAR_TX_KEY)"))
		return -1;
	if (keys->has_rx && !keys->late_rx &&
	    set_int(fd, SOL_TCP, CAESAR_RX_KEY, keys->rx, label, "setsockopt(CAESAR_RX_KEY)"))
		return -1;
	return 0;
}

int xfer_set_late_rx_key(int fd, const struct xfer_keys *keys, uint64_t size,
			 const char *label)
{
	int want = size < LATE_RX_QUEUED ? (int)size : LATE_RX_QUEUED;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int queued = 0;

	if (!keys->late_rx)
		return 0;
	if (want > 0 &&
	    (set_int(fd, SOL_SOCKET, SO_RCVLOWAT, want, label, "setsockopt(SO_RCVLOWAT)") ||
	     poll(&pfd, 1, -1) < 0 || ioctl(fd, SIOCINQ, &queued) ||
	     set_int(fd, SOL_SOCKET, SO_RCVLOWAT, 1, label, "setsockopt(SO_RCVLOWAT)")))
		return label_fail(label, "waiting for queued data");
	fprintf(stderr, "gaius-xfer: %s: %d bytes queued before the RX key was set\n",
		label, queued);
	return set_int(fd, SOL_TCP, CAESAR_RX_KEY, keys->rx, label,
		       "setsockopt(CAESAR_RX_KEY)");
}

int xfer_set_reset_on_close(int fd, const char *label)
{
	struct linger linger = { .l_onoff = 1, .l_linger = 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof(linger)))
		return label_fail(label, "setsockopt(SO_LINGER)");
	return 0;
}
