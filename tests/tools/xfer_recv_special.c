// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Receive methods with more to them than one call: epoll, peek, trunc and
 * splice. Every byte read is checked against the payload stream.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xfer_methods.h"

/*
 * Read what is there until EAGAIN, with MSG_DONTWAIT rather than O_NONBLOCK:
 * the sending thread shares the socket. 1 at EOF or the limit, 0 on EAGAIN.
 */
static int epoll_drain(struct xfer_stream *s, unsigned char *buf)
{
	size_t want;

	while ((want = stream_recv_want(s, s->chunk)) > 0) {
		ssize_t n = recv(s->fd, buf, want, MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n < 0)
			return stream_fail(s, "recv(MSG_DONTWAIT)");
		if (n == 0)
			return 1;
		if (stream_verify(s, buf, (size_t)n))
			return -1;
	}
	return 1;
}

int recv_by_epoll(struct xfer_stream *s)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP };
	unsigned char *buf = malloc(s->chunk);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	int ret = -1;

	if (!buf || ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &ev)) {
		stream_fail(s, "epoll setup");
		goto out;
	}
	while ((ret = epoll_drain(s, buf)) == 0) {
		if (epoll_wait(ep, &ev, 1, -1) < 0 && errno != EINTR) {
			ret = stream_fail(s, "epoll_wait");
			break;
		}
	}
out:
	if (ep >= 0)
		close(ep);
	free(buf);
	return ret < 0 ? -1 : 0;
}

/* Peek at the next bytes twice, then read them: all three must agree. */
static ssize_t peek_twice_then_read(struct xfer_stream *s, unsigned char *first,
				    unsigned char *again, size_t want)
{
	ssize_t n = recv(s->fd, first, want, MSG_PEEK);
	ssize_t m;

	if (n <= 0)
		return n < 0 ? stream_fail(s, "recv(MSG_PEEK)") : 0;
	m = recv(s->fd, again, (size_t)n, MSG_PEEK);
	if (m != n || memcmp(first, again, (size_t)n))
		return stream_error(s, "two MSG_PEEKs of %zd bytes at offset %llu differ (second returned %zd)",
				    n, (unsigned long long)s->done, m);
	m = recv(s->fd, again, (size_t)n, 0);
	if (m != n || memcmp(first, again, (size_t)n))
		return stream_error(s, "reading %zd peeked bytes at offset %llu returned %zd different bytes",
				    n, (unsigned long long)s->done, m);
	return stream_verify(s, again, (size_t)n) ? -1 : n;
}

int recv_by_peek(struct xfer_stream *s)
{
	unsigned char *first = malloc(s->chunk);
	unsigned char *again = malloc(s->chunk);
	size_t want;
	ssize_t n = 0;

	if (!first || !again) {
		free(first);
		free(again);
		return stream_fail(s, "malloc");
	}
	while (n >= 0 && (want = stream_recv_want(s, s->chunk)) > 0) {
		n = peek_twice_then_read(s, first, again, want);
		if (n == 0)
			break;
	}
	free(first);
	free(again);
	return n < 0 ? -1 : 0;
}

/* Every other call discards with MSG_TRUNC; the next read must go on from there. */
int recv_by_trunc(struct xfer_stream *s)
{
	unsigned char *buf = malloc(s->chunk);
	unsigned long calls = 0;
	size_t want;
	int ret = 0;

	if (!buf)
		return stream_fail(s, "malloc");
	while (!ret && (want = stream_recv_want(s, s->chunk)) > 0) {
		int discard = calls++ % 2;
		ssize_t n = recv(s->fd, discard ? NULL : buf, want,
				 discard ? MSG_TRUNC : 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n ? stream_fail(s, discard ? "recv(MSG_TRUNC)" : "recv") : 0;
			break;
		}
		if ((size_t)n > want)
			ret = stream_error(s, "recv(MSG_TRUNC) of %zu bytes returned %zd",
					   want, n);
		else
			ret = discard ? stream_skip(s, (size_t)n) :
					stream_verify(s, buf, (size_t)n);
	}
	free(buf);
	return ret;
}

/* Read exactly n bytes from the pipe and check them. */
static int drain_pipe(struct xfer_stream *s, int from, unsigned char *buf,
		      size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(from, buf + got, n - got);

		if (r <= 0)
			return stream_fail(s, "read from pipe");
		got += (size_t)r;
	}
	return stream_verify(s, buf, n);
}

int recv_by_splice(struct xfer_stream *s)
{
	unsigned char *buf = malloc(s->chunk);
	int pipefd[2] = { -1, -1 };
	size_t want;
	int ret = 0;

	if (!buf || pipe2(pipefd, O_CLOEXEC)) {
		free(buf);
		return stream_fail(s, "pipe2");
	}
	while (!ret && (want = stream_recv_want(s, s->chunk)) > 0) {
		long pipe_size = fcntl(pipefd[1], F_GETPIPE_SZ);
		ssize_t n;

		if (pipe_size > 0 && want > (size_t)pipe_size)
			want = (size_t)pipe_size;
		n = splice(s->fd, NULL, pipefd[1], NULL, want, SPLICE_F_MOVE);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n ? stream_fail(s, "splice socket to pipe") : 0;
			break;
		}
		ret = drain_pipe(s, pipefd[0], buf, (size_t)n);
	}
	close(pipefd[0]);
	close(pipefd[1]);
	free(buf);
	return ret;
}
