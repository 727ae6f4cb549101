// SPDX-License-Identifier: GPL-2.0 OR MIT
/* gaius-bench's sockets: see bench_net.h. */
#include "bench_net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/caesar.h>
#include <linux/tls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef SOL_TLS
#define SOL_TLS 282
#endif

/* How long bench_connect() waits for a server that is still starting. */
#define CONNECT_TRIES 200
#define CONNECT_PAUSE_NS 50000000L

static int fail(const char *what)
{
	fprintf(stderr, "gaius-bench: %s: %s\n", what, strerror(errno));
	return -1;
}

int bench_listen(int port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons((uint16_t)port),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return fail("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(fd, 4096)) {
		fail("listen");
		close(fd);
		return -1;
	}
	return fd;
}

int bench_connect(const char *address, int port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons((uint16_t)port),
	};
	const struct timespec pause = { .tv_nsec = CONNECT_PAUSE_NS };

	if (inet_pton(AF_INET, address, &sin.sin_addr) != 1) {
		fprintf(stderr, "gaius-bench: not an IPv4 address: %s\n", address);
		return -1;
	}
	for (int i = 0; i < CONNECT_TRIES; i++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0)
			return fail("socket");
		if (!connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
			return fd;
		close(fd);
		if (errno != ECONNREFUSED)
			break;
		nanosleep(&pause, NULL);
	}
	return fail("connect");
}

/* Static keys: a benchmark, not a secure channel. */
static int attach_ktls(int fd)
{
	struct tls12_crypto_info_aes_gcm_128 ci = {
		.info.version = TLS_1_2_VERSION,
		.info.cipher_type = TLS_CIPHER_AES_GCM_128,
	};

	memset(ci.key, 0x5a, sizeof(ci.key));
	memset(ci.iv, 0x3c, sizeof(ci.iv));
	memset(ci.salt, 0xa5, sizeof(ci.salt));
	if (setsockopt(fd, SOL_TCP, TCP_ULP, "tls", 3))
		return fail("TCP_ULP tls");
	if (setsockopt(fd, SOL_TLS, TLS_TX, &ci, sizeof(ci)) ||
	    setsockopt(fd, SOL_TLS, TLS_RX, &ci, sizeof(ci)))
		return fail("TLS_TX/TLS_RX");
	return 0;
}

int bench_attach(int fd, enum bench_attach how, int key)
{
	switch (how) {
	case ATTACH_NONE:
		return 0;
	case ATTACH_CAESAR:
		if (setsockopt(fd, SOL_TCP, TCP_ULP, CAESAR_ULP_NAME,
			       sizeof(CAESAR_ULP_NAME) - 1))
			return fail("TCP_ULP caesar");
		if (setsockopt(fd, SOL_TCP, CAESAR_KEY, &key, sizeof(key)))
			return fail("CAESAR_KEY");
		return 0;
	case ATTACH_KTLS:
		return attach_ktls(fd);
	}
	return -1;
}

void bench_ulp_name(int fd, char *name, size_t size)
{
	socklen_t len = (socklen_t)size - 1;

	memset(name, 0, size);
	if (getsockopt(fd, SOL_TCP, TCP_ULP, name, &len) || !name[0])
		snprintf(name, size, "none");
}

void bench_nodelay(int fd)
{
	int one = 1;

	if (setsockopt(fd, SOL_TCP, TCP_NODELAY, &one, sizeof(one)))
		fail("TCP_NODELAY");
}
