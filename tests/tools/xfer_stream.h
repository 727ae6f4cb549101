/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * One direction of one gaius-xfer connection: the payload stream being sent
 * or received on a socket, and the send and receive methods that move it.
 */
#ifndef GAIUS_XFER_STREAM_H
#define GAIUS_XFER_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xfer_stream {
	int fd;
	uint64_t seed;		/* payload stream seed (payload_stream_seed()) */
	uint64_t size;		/* bytes the sender sends / the receiver expects */
	uint64_t limit;		/* receiver: stop after this many bytes */
	size_t chunk;		/* bytes per write or read call */
	uint64_t done;		/* bytes sent, or received and verified */
	const char *label;	/* e.g. "client conn 0 send", for messages */
	unsigned char *scratch;	/* receiver: expected bytes, chunk long */
};

/* A way of moving the whole stream: returns 0 or -1 after a message. */
typedef int (*xfer_method_fn)(struct xfer_stream *s);

struct xfer_method {
	const char *name;
	xfer_method_fn run;
	const char *help;
};

extern const struct xfer_method xfer_send_methods[];
extern const struct xfer_method xfer_recv_methods[];

const struct xfer_method *xfer_method_find(const struct xfer_method *table,
					   const char *name);

/* Print "gaius-xfer: LABEL: WHAT: strerror(errno)" and return -1. */
int label_fail(const char *label, const char *what);
/* The same with s->label. */
int stream_fail(const struct xfer_stream *s, const char *what);
/* Print "gaius-xfer: LABEL: MESSAGE" and return -1. */
int stream_error(const struct xfer_stream *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Fill buf with the n stream bytes that start at offset. */
void stream_fill(const struct xfer_stream *s, uint64_t offset,
		 unsigned char *buf, size_t n);
/* Sender: bytes left to send, capped at the chunk size. */
size_t stream_send_want(const struct xfer_stream *s);

/* Receiver: bytes still wanted, capped at max (0 once the limit is reached). */
size_t stream_recv_want(const struct xfer_stream *s, size_t max);
/* Receiver: check n received bytes against the stream and advance. */
int stream_verify(struct xfer_stream *s, const unsigned char *buf, size_t n);
/* Receiver: account for n bytes discarded unread (MSG_TRUNC). */
int stream_skip(struct xfer_stream *s, size_t n);
/* Receiver: true once the limit is reached; the caller stops reading. */
bool stream_recv_complete(const struct xfer_stream *s);

/* Wait up to the tool's timeout for events on s->fd; 0, or -1 after a message. */
int stream_poll(const struct xfer_stream *s, short events);

#endif /* GAIUS_XFER_STREAM_H */
