/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The send and receive methods, by file; the tables are in xfer_send.c and xfer_recv.c. */
#ifndef GAIUS_XFER_METHODS_H
#define GAIUS_XFER_METHODS_H

#include <sys/types.h>

#include "xfer_stream.h"

/* Write at most len bytes; returns what write(2) would. */
typedef ssize_t (*xfer_emit_fn)(int fd, const unsigned char *buf, size_t len);

/* xfer_send.c: send stream bytes up to offset end, chunk by chunk, with emit. */
int send_range(struct xfer_stream *s, const char *what, xfer_emit_fn emit,
	       uint64_t end);

/* xfer_send_pages.c */
int send_by_sendfile(struct xfer_stream *s);
int send_by_splice(struct xfer_stream *s);

/* xfer_send_zerocopy.c */
int send_by_zerocopy(struct xfer_stream *s);

/* xfer_recv_special.c */
int recv_by_epoll(struct xfer_stream *s);
int recv_by_peek(struct xfer_stream *s);
int recv_by_trunc(struct xfer_stream *s);
int recv_by_splice(struct xfer_stream *s);

#endif /* GAIUS_XFER_METHODS_H */
