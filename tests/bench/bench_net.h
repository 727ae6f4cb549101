/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* gaius-bench's sockets: IPv4 TCP, and the two ULPs it attaches itself. */
#ifndef GAIUS_BENCH_NET_H
#define GAIUS_BENCH_NET_H

#include <stddef.h>

#include "bench.h"

/* A listening socket on every address, port @port; -1 after a message. */
int bench_listen(int port);
/* A connection to @address:@port, retried while nothing listens yet. */
int bench_connect(const char *address, int port);
/* Attach @how to a connected socket; 0, or -1 after a message. */
int bench_attach(int fd, enum bench_attach how, int key);
/* The socket's TCP_ULP name, "none" when it has none, into @name. */
void bench_ulp_name(int fd, char *name, size_t size);
/* TCP_NODELAY on. */
void bench_nodelay(int fd);

#endif /* GAIUS_BENCH_NET_H */
