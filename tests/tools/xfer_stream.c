// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Bookkeeping shared by every send and receive method: see xfer_stream.h. */
#include "xfer_stream.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "payload.h"

const struct xfer_method *xfer_method_find(const struct xfer_method *table,
					   const char *name)
{
	for (; table->name; table++)
		if (!strcmp(table->name, name))
			return table;
	return NULL;
}

int label_fail(const char *label, const char *what)
{
	fprintf(stderr, "gaius-xfer: %s: %s: %s\n", label, what, strerror(errno));
	return -1;
}

int stream_fail(const struct xfer_stream *s, const char *what)
{
	return label_fail(s->label, what);
}

int stream_error(const struct xfer_stream *s, const char *fmt, ...)
{
	va_list ap;

	flockfile(stderr);
	fprintf(stderr, "gaius-xfer: %s: ", s->label);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	funlockfile(stderr);
	return -1;
}

void stream_fill(const struct xfer_stream *s, uint64_t offset,
		 unsigned char *buf, size_t n)
{
	payload_fill(s->seed, offset, buf, n);
}

size_t stream_send_want(const struct xfer_stream *s)
{
	uint64_t left = s->size - s->done;

	return left < s->chunk ? (size_t)left : s->chunk;
}

size_t stream_recv_want(const struct xfer_stream *s, size_t max)
{
	uint64_t left = s->limit - s->done;

	return left < max ? (size_t)left : max;
}

bool stream_recv_complete(const struct xfer_stream *s)
{
	return s->done >= s->limit;
}

int stream_verify(struct xfer_stream *s, const unsigned char *buf, size_t n)
{
	size_t at = 0;

	if (n > s->size - s->done)
		return stream_error(s, "received %zu bytes at offset %llu, past the %llu bytes sent",
				    n, (unsigned long long)s->done,
				    (unsigned long long)s->size);
	while (at < n) {
		size_t piece = n - at < s->chunk ? n - at : s->chunk;

		payload_fill(s->seed, s->done, s->scratch, piece);
		for (size_t i = 0; i < piece; i++)
			if (buf[at + i] != s->scratch[i])
				return stream_error(s, "first mismatch at offset %llu: got 0x%02x, expected 0x%02x",
						    (unsigned long long)(s->done + i),
						    buf[at + i], s->scratch[i]);
		s->done += piece;
		at += piece;
	}
	return 0;
}

int stream_skip(struct xfer_stream *s, size_t n)
{
	if (n > s->size - s->done)
		return stream_error(s, "discarded %zu bytes at offset %llu, past the %llu bytes sent",
				    n, (unsigned long long)s->done,
				    (unsigned long long)s->size);
	s->done += n;
	return 0;
}

int stream_poll(const struct xfer_stream *s, short events)
{
	struct pollfd pfd = { .fd = s->fd, .events = events };

	while (poll(&pfd, 1, -1) < 0)
		if (errno != EINTR)
			return stream_fail(s, "poll");
	return 0;
}
