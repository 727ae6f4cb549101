/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Where gaius-sockfuzz's connections run: loopback in its own network
 * namespace (IPv4, IPv6, and IPv4-mapped IPv6 clients), and, given the
 * namespace of a veth peer, to listeners in that namespace (IPv4, IPv6).
 */
#ifndef SOCKFUZZ_NET_H
#define SOCKFUZZ_NET_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/socket.h>

enum sf_transport {
	SF_LO4,
	SF_LO6,
	SF_LO_MAPPED,	/* an AF_INET6 client to an IPv4 listener */
	SF_VETH4,
	SF_VETH6,
	SF_NTRANSPORTS,
};

struct sf_net {
	int own_ns;			/* this process's network namespace */
	int server_ns;			/* the veth peer's, or -1 */
	struct sockaddr_storage server[SF_NTRANSPORTS];	/* port 0 */
};

/* A listener for fuzzed pairs; lock makes connect + accept one step. */
struct sf_listener {
	int fd;
	enum sf_transport transport;
	struct sockaddr_storage addr;
	pthread_mutex_t lock;
};

/* How a new pair is set up: options that go on before connect(). */
struct sf_pair_setup {
	bool ulp_before_connect;
	int sndbuf, rcvbuf;		/* 0: leave alone */
	int timeout_ms;			/* SO_SNDTIMEO and SO_RCVTIMEO of both ends */
};

const char *sf_transport_name(enum sf_transport t);
bool sf_transport_is_veth(enum sf_transport t);

int sf_net_init(struct sf_net *net, const char *server_netns,
		const char *server4, const char *server6);

/* A listening socket for transport @t on @port, in the right namespace. */
int sf_listen(const struct sf_net *net, enum sf_transport t, unsigned int port,
	      struct sockaddr_storage *addr);

/*
 * A connected pair through @listen_fd (the listener of @t at @addr):
 * fds[0] the client, fds[1] the accepted end. The caller serialises calls
 * on one listener. Returns 0, or -1 with errno set.
 */
int sf_connect_pair(int listen_fd, enum sf_transport t,
		    const struct sockaddr_storage *addr,
		    const struct sf_pair_setup *setup, int fds[2]);

int sf_set_timeouts(int fd, int ms);
int sf_attach_ulp(int fd);

#endif /* SOCKFUZZ_NET_H */
