// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Namespaces, listeners and connected pairs: see sockfuzz_net.h. */
#include "sockfuzz_net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/caesar.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

const char *sf_transport_name(enum sf_transport t)
{
	static const char *const names[] = {
		[SF_LO4] = "lo-v4", [SF_LO6] = "lo-v6", [SF_LO_MAPPED] = "lo-v4-mapped",
		[SF_VETH4] = "veth-v4", [SF_VETH6] = "veth-v6",
	};

	return names[t];
}

bool sf_transport_is_veth(enum sf_transport t)
{
	return t == SF_VETH4 || t == SF_VETH6;
}

static int set_addr(struct sockaddr_storage *ss, int family, const char *text)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		return inet_pton(AF_INET, text, &sin->sin_addr) == 1 ? 0 : -1;
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	sin6->sin6_family = AF_INET6;
	return inet_pton(AF_INET6, text, &sin6->sin6_addr) == 1 ? 0 : -1;
}

int sf_net_init(struct sf_net *net, const char *server_netns,
		const char *server4, const char *server6)
{
	memset(net, 0, sizeof(*net));
	net->server_ns = -1;
	net->own_ns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (net->own_ns < 0)
		return -1;
	if (set_addr(&net->server[SF_LO4], AF_INET, "127.0.0.1") ||
	    set_addr(&net->server[SF_LO6], AF_INET6, "::1") ||
	    set_addr(&net->server[SF_LO_MAPPED], AF_INET, "127.0.0.1"))
		return -1;
	if (!server_netns)
		return 0;
	net->server_ns = open(server_netns, O_RDONLY | O_CLOEXEC);
	if (net->server_ns < 0)
		return -1;
	if (set_addr(&net->server[SF_VETH4], AF_INET, server4) ||
	    set_addr(&net->server[SF_VETH6], AF_INET6, server6)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static void set_port(struct sockaddr_storage *ss, unsigned int port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
}

static unsigned int get_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

static socklen_t addr_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) :
					  sizeof(struct sockaddr_in6);
}

int sf_listen(const struct sf_net *net, enum sf_transport t, unsigned int port,
	      struct sockaddr_storage *addr)
{
	int one = 1, fd, saved;
	bool veth = sf_transport_is_veth(t);

	*addr = net->server[t];
	set_port(addr, port);
	/* setns() of a network namespace changes this thread only. */
	if (veth && setns(net->server_ns, CLONE_NEWNET))
		return -1;
	fd = socket(addr->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 &&
	    (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	     bind(fd, (struct sockaddr *)addr, addr_len(addr)) ||
	     listen(fd, 64) || sf_set_timeouts(fd, 2000))) {
		saved = errno;
		close(fd);
		errno = saved;
		fd = -1;
	}
	saved = errno;
	if (veth && setns(net->own_ns, CLONE_NEWNET))
		return -1;
	errno = saved;
	return fd;
}

int sf_set_timeouts(int fd, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };

	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)))
		return -1;
	return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

int sf_attach_ulp(int fd)
{
	return setsockopt(fd, SOL_TCP, TCP_ULP, CAESAR_ULP_NAME,
			  sizeof(CAESAR_ULP_NAME) - 1);
}

/* Where the client connects: the listener, or its IPv4 address mapped. */
static void client_target(enum sf_transport t, const struct sockaddr_storage *addr,
			  struct sockaddr_storage *to)
{
	*to = *addr;
	if (t == SF_LO_MAPPED) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)addr;
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)to;

		memset(to, 0, sizeof(*to));
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = sin->sin_port;
		sin6->sin6_addr.s6_addr[10] = 0xff;
		sin6->sin6_addr.s6_addr[11] = 0xff;
		memcpy(&sin6->sin6_addr.s6_addr[12], &sin->sin_addr, 4);
	}
}

static int setup_socket(int fd, const struct sf_pair_setup *setup)
{
	if (sf_set_timeouts(fd, setup->timeout_ms))
		return -1;
	if (setup->sndbuf &&
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &setup->sndbuf, sizeof(int)))
		return -1;
	if (setup->rcvbuf &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &setup->rcvbuf, sizeof(int)))
		return -1;
	return 0;
}

/* Accepts until it finds the connection from @client's port. */
static int accept_peer(int listen_fd, int client)
{
	struct sockaddr_storage local, peer;
	socklen_t len = sizeof(local);

	memset(&local, 0, sizeof(local));
	memset(&peer, 0, sizeof(peer));
	if (getsockname(client, (struct sockaddr *)&local, &len))
		return -1;
	for (int tries = 0; tries < 64; tries++) {
		int fd;

		len = sizeof(peer);
		fd = accept4(listen_fd, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
		if (fd < 0)
			return -1;
		if (get_port(&peer) == get_port(&local))
			return fd;
		/* Left by an earlier connect() whose accept() timed out. */
		close(fd);
	}
	errno = EAGAIN;
	return -1;
}

int sf_connect_pair(int listen_fd, enum sf_transport t,
		    const struct sockaddr_storage *addr,
		    const struct sf_pair_setup *setup, int fds[2])
{
	struct sockaddr_storage to;
	int saved;

	client_target(t, addr, &to);
	fds[0] = socket(to.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	fds[1] = -1;
	if (fds[0] < 0)
		return -1;
	if (setup_socket(fds[0], setup) ||
	    (setup->ulp_before_connect && sf_attach_ulp(fds[0])) ||
	    connect(fds[0], (struct sockaddr *)&to, addr_len(&to)))
		goto err;
	fds[1] = accept_peer(listen_fd, fds[0]);
	if (fds[1] < 0 || setup_socket(fds[1], setup))
		goto err;
	return 0;
err:
	saved = errno;
	close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	errno = saved;
	return -1;
}
