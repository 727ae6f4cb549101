// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libgaius_preload.so: puts an unmodified program's TCP connections through
 * the caesar ULP.
 *
 *   GAIUS_KEY=12354 LD_PRELOAD=libgaius_preload.so program ...
 *
 * connect(), accept() and accept4() are wrapped. When one succeeds (or, for
 * connect(), starts: EINPROGRESS) on an AF_INET or AF_INET6 TCP stream
 * socket, the ULP is attached and CAESAR_KEY set to GAIUS_KEY (0 to
 * 4294967295, written as iptables' --key: gaius_key.h). GAIUS_KEY unset:
 * every call passes through untouched. GAIUS_KEY invalid (-1 too: write
 * 4294967295) or the kernel refusing the ULP or the key (shift 0): the
 * call fails closed, with one message on stderr. connect() then returns -1
 * with errno, without connecting when the key is invalid, and with the
 * socket shut down when the attach failed; accept() closes the new socket
 * and returns -1 with errno. A socket that already has the caesar ULP is
 * left as it is.
 *
 * No state is shared between calls but the real functions, looked up once
 * (pthread_once), so the wrappers are thread safe; nothing blocks, so they
 * work on non-blocking sockets.
 */
#include <dlfcn.h>
#include <errno.h>
#include <linux/caesar.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gaius_key.h"

#define PRELOAD_NAME "libgaius_preload"
/* The library is built with hidden visibility; these are its exports. */
#define PRELOAD_EXPORT __attribute__((visibility("default")))

typedef int (*connect_fn)(int, const struct sockaddr *, socklen_t);
typedef int (*accept_fn)(int, struct sockaddr *, socklen_t *);
typedef int (*accept4_fn)(int, struct sockaddr *, socklen_t *, int);

static connect_fn real_connect;
static accept_fn real_accept;
static accept4_fn real_accept4;
static pthread_once_t real_once = PTHREAD_ONCE_INIT;

static void find_real_functions(void)
{
	real_connect = (connect_fn)dlsym(RTLD_NEXT, "connect");
	real_accept = (accept_fn)dlsym(RTLD_NEXT, "accept");
	real_accept4 = (accept4_fn)dlsym(RTLD_NEXT, "accept4");
}

/* What a wrapper returns when the real function is missing. */
static int no_real_function(void)
{
	errno = ENOSYS;
	return -1;
}

static int socket_int(int fd, int name)
{
	int value = -1;
	socklen_t len = sizeof(value);

	if (getsockopt(fd, SOL_SOCKET, name, &value, &len))
		return -1;
	return value;
}

static int is_inet_tcp_stream(int fd)
{
	int domain = socket_int(fd, SO_DOMAIN);

	return (domain == AF_INET || domain == AF_INET6) &&
	       socket_int(fd, SO_TYPE) == SOCK_STREAM &&
	       socket_int(fd, SO_PROTOCOL) == IPPROTO_TCP;
}

/*
 * 1 with *key set, 0 when GAIUS_KEY is unset, -1 (EINVAL) when it is bad.
 * A key whose shift is 0 is the kernel's to refuse, in attach().
 */
static int wanted_key(const char *call, uint32_t *key)
{
	const char *text = getenv("GAIUS_KEY");
	enum gaius_key_status status;

	if (!text)
		return 0;
	status = gaius_key_parse(text, key);
	if (status == GAIUS_KEY_OK)
		return 1;
	fprintf(stderr, PRELOAD_NAME ": %s refused: GAIUS_KEY=\"%s\": %s\n",
		call, text, gaius_key_problem(status));
	errno = EINVAL;
	return -1;
}

static int has_caesar(int fd)
{
	char name[16] = "";
	socklen_t len = sizeof(name) - 1;

	return getsockopt(fd, SOL_TCP, TCP_ULP, name, &len) == 0 &&
	       strcmp(name, CAESAR_ULP_NAME) == 0;
}

/*
 * Attach the ULP and set the key, its 32 bits as CAESAR_KEY's int; 0, or
 * -1 with errno after a message.
 */
static int attach(int fd, uint32_t key, const char *call)
{
	const char *what = "setsockopt(TCP_ULP, \"" CAESAR_ULP_NAME "\")";
	char text[GAIUS_KEY_TEXT_SIZE];
	int err;

	if (setsockopt(fd, SOL_TCP, TCP_ULP, CAESAR_ULP_NAME,
		       sizeof(CAESAR_ULP_NAME) - 1) == 0) {
		what = "setsockopt(CAESAR_KEY)";
		if (setsockopt(fd, SOL_TCP, CAESAR_KEY, &key, sizeof(key)) == 0)
			return 0;
	} else if (errno == EEXIST && has_caesar(fd)) {
		return 0;
	}
	err = errno;
	fprintf(stderr, PRELOAD_NAME ": %s refused: %s with GAIUS_KEY %s: %s\n",
		call, what, gaius_key_format(key, text), strerror(err));
	errno = err;
	return -1;
}

PRELOAD_EXPORT int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	uint32_t key = 0;
	int wanted = 0, ret, err;

	pthread_once(&real_once, find_real_functions);
	if (!real_connect)
		return no_real_function();
	if (addr && (addr->sa_family == AF_INET || addr->sa_family == AF_INET6) &&
	    is_inet_tcp_stream(fd))
		wanted = wanted_key("connect", &key);
	if (wanted < 0)
		return -1;
	ret = real_connect(fd, addr, len);
	if (!wanted || (ret && errno != EINPROGRESS))
		return ret;
	err = errno;
	if (attach(fd, key, "connect")) {
		err = errno;
		shutdown(fd, SHUT_RDWR);
		errno = err;
		return -1;
	}
	errno = err;
	return ret;
}

/* The new socket of accept() or accept4(), with the ULP, or -1 closed. */
static int after_accept(int fd, const char *call)
{
	uint32_t key = 0;
	int wanted, err;

	if (fd < 0 || !is_inet_tcp_stream(fd))
		return fd;
	err = errno;
	wanted = wanted_key(call, &key);
	if (wanted == 0 || (wanted > 0 && attach(fd, key, call) == 0)) {
		errno = err;
		return fd;
	}
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

PRELOAD_EXPORT int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	pthread_once(&real_once, find_real_functions);
	if (!real_accept)
		return no_real_function();
	return after_accept(real_accept(fd, addr, len), "accept");
}

PRELOAD_EXPORT int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	pthread_once(&real_once, find_real_functions);
	if (!real_accept4)
		return no_real_function();
	return after_accept(real_accept4(fd, addr, len, flags), "accept4");
}
