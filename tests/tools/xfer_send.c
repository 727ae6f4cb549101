// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Send methods that hand the socket a user buffer: write, send, sendmsg,
 * sendmmsg, writev and oob; and the table of all send methods.
 *
 * The buffer starts at an odd address, so every method also sends from
 * misaligned memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xfer_iov.h"
#include "xfer_methods.h"

#define SEND_MISALIGN 3

int send_range(struct xfer_stream *s, const char *what, xfer_emit_fn emit,
	       uint64_t end)
{
	unsigned char *alloc = malloc(s->chunk + SEND_MISALIGN);
	unsigned char *buf;
	int ret = 0;

	if (!alloc)
		return stream_fail(s, "malloc");
	buf = alloc + SEND_MISALIGN;
	while (s->done < end && !ret) {
		size_t want = stream_send_want(s);
		size_t off = 0;

		if (want > end - s->done)
			want = (size_t)(end - s->done);
		stream_fill(s, s->done, buf, want);
		while (off < want) {
			ssize_t n = emit(s->fd, buf + off, want - off);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				ret = stream_fail(s, what);
				break;
			}
			off += (size_t)n;
			s->done += (uint64_t)n;
		}
	}
	free(alloc);
	return ret;
}

static ssize_t emit_write(int fd, const unsigned char *buf, size_t len)
{
	return write(fd, buf, len);
}

static ssize_t emit_send(int fd, const unsigned char *buf, size_t len)
{
	return send(fd, buf, len, MSG_NOSIGNAL);
}

static ssize_t emit_sendmsg(int fd, const unsigned char *buf, size_t len)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	return sendmsg(fd, &msg, MSG_NOSIGNAL);
}

/* Several messages of uneven sizes in one call; returns the bytes sent. */
static ssize_t emit_sendmmsg(int fd, const unsigned char *buf, size_t len)
{
	struct mmsghdr msgs[XFER_MMSG_MAX] = { 0 };
	struct iovec iov[XFER_MMSG_MAX];
	unsigned int count = xfer_mmsg_split(msgs, iov, (unsigned char *)buf, len);
	int sent = sendmmsg(fd, msgs, count, MSG_NOSIGNAL);
	ssize_t total = 0;

	if (sent < 0)
		return -1;
	for (int i = 0; i < sent; i++)
		total += msgs[i].msg_len;
	return total;
}

/* The buffer cut into odd-length pieces, one iovec each. */
static ssize_t emit_writev(int fd, const unsigned char *buf, size_t len)
{
	struct iovec iov[XFER_IOV_MAX];

	return writev(fd, iov, xfer_iov_split(iov, (unsigned char *)buf, len));
}

static ssize_t emit_oob_byte(int fd, const unsigned char *buf, size_t len)
{
	(void)len;
	return send(fd, buf, 1, MSG_OOB | MSG_NOSIGNAL);
}

static int send_by_write(struct xfer_stream *s)
{
	return send_range(s, "write", emit_write, s->size);
}

static int send_by_send(struct xfer_stream *s)
{
	return send_range(s, "send", emit_send, s->size);
}

static int send_by_sendmsg(struct xfer_stream *s)
{
	return send_range(s, "sendmsg", emit_sendmsg, s->size);
}

static int send_by_sendmmsg(struct xfer_stream *s)
{
	return send_range(s, "sendmmsg", emit_sendmmsg, s->size);
}

static int send_by_writev(struct xfer_stream *s)
{
	return send_range(s, "writev", emit_writev, s->size);
}

/* The byte at the middle of the stream goes alone, as urgent data. */
static int send_by_oob(struct xfer_stream *s)
{
	uint64_t mark = s->size / 2;

	if (!s->size)
		return 0;
	if (send_range(s, "send", emit_send, mark) ||
	    send_range(s, "send(MSG_OOB)", emit_oob_byte, mark + 1))
		return -1;
	return send_range(s, "send", emit_send, s->size);
}

const struct xfer_method xfer_send_methods[] = {
	{ "write", send_by_write, "write(2)" },
	{ "send", send_by_send, "send(2)" },
	{ "sendmsg", send_by_sendmsg, "sendmsg(2), one iovec" },
	{ "sendmmsg", send_by_sendmmsg, "sendmmsg(2), up to 4 messages per call" },
	{ "writev", send_by_writev, "writev(2), odd-length iovecs at odd addresses" },
	{ "sendfile", send_by_sendfile, "sendfile(2) from a memfd holding the payload" },
	{ "splice", send_by_splice, "write to a pipe, splice(2) the pipe to the socket" },
	{ "zerocopy", send_by_zerocopy, "SO_ZEROCOPY + MSG_ZEROCOPY; buffers scribbled once completed" },
	{ "oob", send_by_oob, "send(2) with the middle byte sent alone with MSG_OOB" },
	{ NULL, NULL, NULL },
};
