// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * caesar-server: a plain TCP server for the caesar demo.
 *
 *   caesar-server [-6] PORT
 *
 * Listens on PORT (IPv4, or IPv6 with -6), accepts one connection, copies
 * what it reads to stdout and exits at EOF. It knows nothing of the ULP:
 * run it as it is to see the ciphertext, or under
 * GAIUS_KEY=KEY LD_PRELOAD=libgaius_preload.so to see the plaintext.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "caesar-server: %s: %s\n", what, strerror(errno));
	return 1;
}

static int usage(void)
{
	fputs("usage: caesar-server [-6] PORT\n"
	      "Accepts one TCP connection on PORT (IPv4; IPv6 with -6), prints what it\n"
	      "reads to stdout, exits at EOF.\n", stderr);
	return 2;
}

static int parse_port(const char *text)
{
	char *end;
	long port = strtol(text, &end, 10);

	return *text && !*end && port > 0 && port < 65536 ? (int)port : -1;
}

static int listen_on(int family, int port)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_port = htons((uint16_t)port),
				     .sin6_addr = IN6ADDR_ANY_INIT };
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons((uint16_t)port),
				   .sin_addr.s_addr = htonl(INADDR_ANY) };
	const struct sockaddr *addr = family == AF_INET6 ?
		(const struct sockaddr *)&sin6 : (const struct sockaddr *)&sin;
	socklen_t len = family == AF_INET6 ? sizeof(sin6) : sizeof(sin);
	int one = 1;
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd < 0)
		return fail("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, addr, len) || listen(fd, 1)) {
		close(fd);
		return -fail("bind and listen");
	}
	return fd;
}

/* Copy the connection to stdout until EOF. */
static int print_connection(int fd)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail("read");
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			return fail("write to stdout");
	}
	return fflush(stdout) ? fail("write to stdout") : 0;
}

int main(int argc, char **argv)
{
	int family = AF_INET;
	int port, lfd, fd, status;

	if (argc == 3 && !strcmp(argv[1], "-6")) {
		family = AF_INET6;
		argv++;
		argc--;
	}
	if (argc != 2 || (port = parse_port(argv[1])) < 0)
		return usage();
	lfd = listen_on(family, port);
	if (lfd < 0)
		return 1;
	fd = accept(lfd, NULL, NULL);
	if (fd < 0) {
		status = fail("accept");
	} else {
		status = print_connection(fd);
		close(fd);
	}
	close(lfd);
	return status;
}
