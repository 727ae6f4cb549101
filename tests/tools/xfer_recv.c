// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Receive methods that read into a user buffer: read, recv, recvmsg,
 * recvmmsg, readv, waitall, dontwait and rcvlowat; and the table of all
 * receive methods. Every byte is checked against the payload stream.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xfer_iov.h"
#include "xfer_methods.h"

#define RECV_MISALIGN 5

/* Read at most len bytes; returns what read(2) would. */
typedef ssize_t (*xfer_absorb_fn)(int fd, unsigned char *buf, size_t len);

/*
 * Read until EOF or the limit with absorb, polling when it would block.
 * With whole, a read shorter than asked must be the last before EOF.
 */
static int recv_loop(struct xfer_stream *s, const char *what,
		     xfer_absorb_fn absorb, bool whole)
{
	unsigned char *alloc = malloc(s->chunk + RECV_MISALIGN);
	unsigned char *buf;
	bool short_read = false;
	size_t want;
	int ret = 0;

	if (!alloc)
		return stream_fail(s, "malloc");
	buf = alloc + RECV_MISALIGN;
	while (!ret && (want = stream_recv_want(s, s->chunk)) > 0) {
		ssize_t n = absorb(s->fd, buf, want);

		if (n < 0 && errno == EAGAIN) {
			ret = stream_poll(s, POLLIN);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			ret = stream_fail(s, what);
		else if (n == 0)
			break;
		else if (short_read)
			ret = stream_error(s, "%s returned less than asked before offset %llu, not at EOF",
					   what, (unsigned long long)s->done);
		else
			ret = stream_verify(s, buf, (size_t)n);
		short_read = whole && (size_t)n < want;
	}
	free(alloc);
	return ret;
}

static ssize_t absorb_read(int fd, unsigned char *buf, size_t len)
{
	return read(fd, buf, len);
}

static ssize_t absorb_recv(int fd, unsigned char *buf, size_t len)
{
	return recv(fd, buf, len, 0);
}

static ssize_t absorb_waitall(int fd, unsigned char *buf, size_t len)
{
	return recv(fd, buf, len, MSG_WAITALL);
}

static ssize_t absorb_dontwait(int fd, unsigned char *buf, size_t len)
{
	return recv(fd, buf, len, MSG_DONTWAIT);
}

static ssize_t absorb_recvmsg(int fd, unsigned char *buf, size_t len)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	return recvmsg(fd, &msg, 0);
}

static ssize_t absorb_readv(int fd, unsigned char *buf, size_t len)
{
	struct iovec iov[XFER_IOV_MAX];

	return readv(fd, iov, xfer_iov_split(iov, buf, len));
}

/*
 * Up to four messages per call (MSG_WAITFORONE: the first blocks, the rest
 * take what is there). A message may come back short with the next one
 * filled, so the data is moved together before it is returned.
 */
static ssize_t absorb_recvmmsg(int fd, unsigned char *buf, size_t len)
{
	struct mmsghdr msgs[XFER_MMSG_MAX] = { 0 };
	struct iovec iov[XFER_MMSG_MAX];
	unsigned int count = xfer_mmsg_split(msgs, iov, buf, len);
	int got = recvmmsg(fd, msgs, count, MSG_WAITFORONE, NULL);
	size_t total = 0;

	if (got < 0)
		return -1;
	for (int i = 0; i < got && msgs[i].msg_len; i++) {
		memmove(buf + total, iov[i].iov_base, msgs[i].msg_len);
		total += msgs[i].msg_len;
	}
	return (ssize_t)total;
}

static int recv_by_read(struct xfer_stream *s)
{
	return recv_loop(s, "read", absorb_read, false);
}

static int recv_by_recv(struct xfer_stream *s)
{
	return recv_loop(s, "recv", absorb_recv, false);
}

static int recv_by_recvmsg(struct xfer_stream *s)
{
	return recv_loop(s, "recvmsg", absorb_recvmsg, false);
}

static int recv_by_recvmmsg(struct xfer_stream *s)
{
	return recv_loop(s, "recvmmsg", absorb_recvmmsg, false);
}

static int recv_by_readv(struct xfer_stream *s)
{
	return recv_loop(s, "readv", absorb_readv, false);
}

static int recv_by_waitall(struct xfer_stream *s)
{
	return recv_loop(s, "recv(MSG_WAITALL)", absorb_waitall, true);
}

static int recv_by_dontwait(struct xfer_stream *s)
{
	return recv_loop(s, "recv(MSG_DONTWAIT)", absorb_dontwait, false);
}

/* SO_RCVLOWAT at the chunk size; poll() then wakes for a chunk at a time. */
static int recv_by_rcvlowat(struct xfer_stream *s)
{
	int lowat = s->chunk > 1 << 20 ? 1 << 20 : (int)s->chunk;

	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof(lowat)))
		return stream_fail(s, "setsockopt(SO_RCVLOWAT)");
	return recv_loop(s, "recv(MSG_DONTWAIT) after poll", absorb_dontwait,
			 false);
}

const struct xfer_method xfer_recv_methods[] = {
	{ "read", recv_by_read, "read(2)" },
	{ "recv", recv_by_recv, "recv(2)" },
	{ "recvmsg", recv_by_recvmsg, "recvmsg(2), one iovec" },
	{ "recvmmsg", recv_by_recvmmsg, "recvmmsg(2) with MSG_WAITFORONE, 4 messages" },
	{ "readv", recv_by_readv, "readv(2), odd-length iovecs at odd addresses" },
	{ "peek", recv_by_peek, "MSG_PEEK the same range twice, then read it; all must agree" },
	{ "waitall", recv_by_waitall, "MSG_WAITALL: only the last read may be short (reads stop at an urgent mark: not with --send oob)" },
	{ "dontwait", recv_by_dontwait, "recv(2) with MSG_DONTWAIT, poll(2) on EAGAIN" },
	{ "epoll", recv_by_epoll, "epoll_wait(2), then recv(MSG_DONTWAIT) until EAGAIN" },
	{ "trunc", recv_by_trunc, "every other read is recv(MSG_TRUNC), discarding; the count must add up" },
	{ "splice", recv_by_splice, "splice(2) the socket into a pipe, read the pipe" },
	{ "rcvlowat", recv_by_rcvlowat, "SO_RCVLOWAT, poll(2), then recv(MSG_DONTWAIT)" },
	{ NULL, NULL, NULL },
};
