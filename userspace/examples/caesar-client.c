// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * caesar-client: the caesar demo's client.
 *
 *   caesar-client ADDR PORT KEY [MESSAGE]
 *
 * Connects to ADDR (IPv4, IPv6 or a host name) port PORT, attaches the
 * caesar ULP, sets CAESAR_KEY to KEY (0 to 4294967295, written as
 * iptables' --key: gaius_key.h), sends MESSAGE (default "ABCDEFG") and
 * closes. Each byte goes out as (byte + KEY) mod 256.
 */
#include <errno.h>
#include <linux/caesar.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gaius_key.h"

#define DEFAULT_MESSAGE "ABCDEFG"

static int usage(void)
{
	fputs("usage: caesar-client ADDR PORT KEY [MESSAGE]\n"
	      "Connects to ADDR:PORT, attaches the caesar ULP with KEY (0 to 4294967295,\n"
	      "decimal, 0x-hex or 0-octal; KEY mod 256 must not be 0), sends MESSAGE\n"
	      "(default "
	      DEFAULT_MESSAGE ") and closes.\n", stderr);
	return 2;
}

static int fail(const char *what)
{
	fprintf(stderr, "caesar-client: %s: %s\n", what, strerror(errno));
	return -1;
}

/* A socket connected to host:port, or -1 after a message. */
static int connect_to(const char *host, const char *port)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM };
	struct addrinfo *list;
	int err = getaddrinfo(host, port, &hints, &list);
	int fd = -1;

	if (err) {
		fprintf(stderr, "caesar-client: %s port %s: %s\n", host, port,
			gai_strerror(err));
		return -1;
	}
	for (const struct addrinfo *ai = list; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen)) {
			err = errno;
			close(fd);
			fd = -1;
			errno = err;
		}
	}
	freeaddrinfo(list);
	if (fd < 0)
		fail("connect");
	return fd;
}

/* CAESAR_KEY takes an int: the key's 32 bits are given as it. */
static int attach_caesar(int fd, uint32_t key)
{
	if (setsockopt(fd, SOL_TCP, TCP_ULP, CAESAR_ULP_NAME,
		       sizeof(CAESAR_ULP_NAME) - 1))
		return fail("setsockopt(TCP_ULP, \"caesar\") (is the caesar module available?)");
	if (setsockopt(fd, SOL_TCP, CAESAR_KEY, &key, sizeof(key)))
		return fail("setsockopt(CAESAR_KEY)");
	return 0;
}

static int send_all(int fd, const char *message)
{
	size_t len = strlen(message), sent = 0;

	while (sent < len) {
		ssize_t n = send(fd, message + sent, len - sent, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail("send");
		sent += (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *message = argc == 5 ? argv[4] : DEFAULT_MESSAGE;
	enum gaius_key_status key_status;
	uint32_t key = 0;
	int fd, status;

	if (argc != 4 && argc != 5)
		return usage();
	/* A key whose shift is 0 is the kernel's to refuse, in attach_caesar(). */
	key_status = gaius_key_parse(argv[3], &key);
	if (key_status != GAIUS_KEY_OK) {
		fprintf(stderr, "caesar-client: bad KEY \"%s\": %s\n", argv[3],
			gaius_key_problem(key_status));
		return 2;
	}
	fd = connect_to(argv[1], argv[2]);
	if (fd < 0)
		return 1;
	status = attach_caesar(fd, key) || send_all(fd, message) ? 1 : 0;
	if (close(fd) && !status)
		status = -fail("close");
	return status;
}
