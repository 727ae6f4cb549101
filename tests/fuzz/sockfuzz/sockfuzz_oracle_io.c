// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * An oracle connection's two halves. The sender writes the payload stream
 * in chunks of random size, each by a random method: send, sendto, write,
 * writev, sendmsg, sendmmsg, sendfile, splice from a pipe, vmsplice into
 * the pipe then splice, MSG_ZEROCOPY (after which it scribbles over its
 * buffer: the ULP must have copied it), MSG_OOB (the receiver has
 * SO_OOBINLINE, so the stream stays whole), MSG_MORE, MSG_DONTWAIT. The
 * receiver reads by read, recv, recv with MSG_WAITALL, recvfrom, readv,
 * recvmsg, recvmmsg, MSG_PEEK then a read of the same bytes, MSG_TRUNC
 * (skipped bytes, counted), splice into a pipe, and MSG_DONTWAIT; it
 * compares every byte it gets with the stream, and wants EOF exactly at
 * the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "payload.h"
#include "sockfuzz.h"
#include "sockfuzz_oracle.h"

/* No byte moving for this long is a failure. */
#define STALL_SECONDS 60
#define PIPE_CAPACITY 65536
#define MAX_PIECES 8

enum {
	S_SEND, S_SENDTO, S_WRITE, S_WRITEV, S_SENDMSG, S_SENDMMSG, S_SENDFILE,
	S_SPLICE, S_VMSPLICE, S_ZEROCOPY, S_OOB, S_MORE, S_DONTWAIT, S_METHODS,
};

const char *const sf_oracle_send_names[] = {
	"send", "sendto", "write", "writev", "sendmsg", "sendmmsg", "sendfile",
	"splice", "vmsplice", "MSG_ZEROCOPY", "MSG_OOB", "MSG_MORE", "MSG_DONTWAIT", NULL,
};

enum {
	R_READ, R_RECV, R_WAITALL, R_RECVFROM, R_READV, R_RECVMSG, R_RECVMMSG,
	R_PEEK, R_TRUNC, R_SPLICE, R_DONTWAIT, R_METHODS,
};

const char *const sf_oracle_recv_names[] = {
	"read", "recv", "MSG_WAITALL", "recvfrom", "readv", "recvmsg", "recvmmsg",
	"MSG_PEEK", "MSG_TRUNC", "splice", "MSG_DONTWAIT", NULL,
};

/* Splits [buf, buf + len) into iovecs of random sizes; returns how many. */
static int split(struct rng *r, unsigned char *buf, size_t len, struct iovec *iov)
{
	int n = 1 + (int)rng_below(r, MAX_PIECES);
	int i;

	for (i = 0; i < n - 1 && len; i++) {
		size_t piece = (size_t)rng_below(r, len + 1);

		iov[i].iov_base = buf;
		iov[i].iov_len = piece;
		buf += piece;
		len -= piece;
	}
	iov[i].iov_base = buf;
	iov[i].iov_len = len;
	return i + 1;
}

static bool would_block(void)
{
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

/* MSG_ZEROCOPY completions; each must say the bytes were copied. */
static int drain_zerocopy(struct sf_stream *s)
{
	char control[256];
	struct msghdr msg = { 0 };
	struct cmsghdr *c;

	for (;;) {
		msg.msg_control = control;
		msg.msg_controllen = sizeof(control);
		if (recvmsg(s->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			return 0;
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			struct sock_extended_err ee;

			if (!((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
			      (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)))
				continue;
			memcpy(&ee, CMSG_DATA(c), sizeof(ee));
			if (ee.ee_origin != SO_EE_ORIGIN_ZEROCOPY)
				continue;
			atomic_fetch_add(&s->o->zerocopy_done, ee.ee_data - ee.ee_info + 1);
			if (!(ee.ee_code & SO_EE_CODE_ZEROCOPY_COPIED)) {
				sf_fail("%s: a MSG_ZEROCOPY completion without SO_EE_CODE_ZEROCOPY_COPIED: the caller's pages went to TCP",
					s->where);
				return -1;
			}
		}
	}
}

/* Moves everything in the pipe to the socket; -1 on a hard error. */
static long splice_all(struct sf_stream *s, size_t len)
{
	double last = sf_now();
	size_t left = len;

	while (left) {
		ssize_t k = splice(s->pipe[0], NULL, s->fd, NULL, left, SPLICE_F_MORE);

		if (k > 0) {
			left -= (size_t)k;
			last = sf_now();
		} else if (k == 0 || !would_block() || sf_now() - last > STALL_SECONDS) {
			return -1;
		}
	}
	return (long)len;
}

static long send_file(struct sf_stream *s, const unsigned char *buf, size_t len)
{
	double last = sf_now();
	off_t off = 0;

	if (pwrite(s->memfd, buf, len, 0) != (ssize_t)len)
		return -1;
	while ((size_t)off < len) {
		ssize_t k = sendfile(s->fd, s->memfd, &off, len - (size_t)off);

		if (k > 0)
			last = sf_now();
		else if (k == 0 || !would_block() || sf_now() - last > STALL_SECONDS)
			return off ? (long)off : -1;
	}
	return (long)len;
}

/* One chunk by @method; returns the bytes the socket took, or -1. */
static long send_chunk(struct sf_stream *s, int method, unsigned char *buf, size_t len)
{
	struct iovec iov[MAX_PIECES];
	struct msghdr msg = { .msg_iov = iov };
	struct mmsghdr mm = { 0 };
	struct pollfd p = { .fd = s->fd, .events = POLLOUT };
	long ret;

	switch (method) {
	case S_SEND:
		return send(s->fd, buf, len, MSG_NOSIGNAL);
	case S_SENDTO:
		return sendto(s->fd, buf, len, MSG_NOSIGNAL, NULL, 0);
	case S_WRITE:
		return write(s->fd, buf, len);
	case S_WRITEV:
		return writev(s->fd, iov, split(&s->rng, buf, len, iov));
	case S_SENDMSG:
		msg.msg_iovlen = (size_t)split(&s->rng, buf, len, iov);
		return sendmsg(s->fd, &msg, MSG_NOSIGNAL);
	case S_SENDMMSG:
		/* One message: a short first one would leave a hole before the next. */
		mm.msg_hdr.msg_iov = iov;
		mm.msg_hdr.msg_iovlen = (size_t)split(&s->rng, buf, len, iov);
		ret = sendmmsg(s->fd, &mm, 1, MSG_NOSIGNAL);
		return ret == 1 ? (long)mm.msg_len : ret;
	case S_SENDFILE:
		return send_file(s, buf, len);
	case S_SPLICE:
		len = len < PIPE_CAPACITY ? len : PIPE_CAPACITY;
		ret = write(s->pipe[1], buf, len);
		return ret > 0 ? splice_all(s, (size_t)ret) : -1;
	case S_VMSPLICE:
		iov[0].iov_base = buf;
		iov[0].iov_len = len < PIPE_CAPACITY ? len : PIPE_CAPACITY;
		ret = vmsplice(s->pipe[1], iov, 1, 0);
		return ret > 0 ? splice_all(s, (size_t)ret) : -1;
	case S_ZEROCOPY:
		ret = send(s->fd, buf, len, MSG_NOSIGNAL | MSG_ZEROCOPY);
		if (ret > 0)
			memset(buf, 0xa5, (size_t)ret);	/* no longer the bytes sent */
		return drain_zerocopy(s) ? -1 : ret;
	case S_OOB:
		return send(s->fd, buf, len, MSG_NOSIGNAL | MSG_OOB);
	case S_MORE:
		return send(s->fd, buf, len, MSG_NOSIGNAL | MSG_MORE);
	default:
		if (poll(&p, 1, 1000) < 0)
			return -1;
		return send(s->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	}
}

int sf_oracle_send(struct sf_stream *s)
{
	double last = sf_now();

	while (s->done < s->size && !atomic_load(s->abort)) {
		int method = (int)rng_below(&s->rng, S_METHODS);
		size_t len = rng_size(&s->rng, SF_ORACLE_CHUNK);
		unsigned char *buf = s->buf + rng_below(&s->rng, 64);
		long ret;

		if (method == S_OOB && !s->oob)
			method = S_SEND;
		if (len > s->size - s->done)
			len = (size_t)(s->size - s->done);
		payload_fill(s->seed, s->done, buf, len);
		atomic_store(&s->o->op, sf_oracle_send_names[method]);
		ret = send_chunk(s, method, buf, len);
		if (ret > 0) {
			s->done += (uint64_t)ret;
			atomic_fetch_add(&s->o->sends[method], 1);
			last = sf_now();
		} else if (ret == 0 || !would_block() || sf_now() - last > STALL_SECONDS) {
			sf_fail("%s: %s of %zu bytes at %llu of %llu: %s", s->where,
				sf_oracle_send_names[method], len, (unsigned long long)s->done,
				(unsigned long long)s->size, ret ? strerror(errno) : "returned 0");
			atomic_store(s->abort, true);
			shutdown(s->fd, SHUT_RDWR);
			return -1;
		}
	}
	if (shutdown(s->fd, SHUT_WR) || drain_zerocopy(s))
		return -1;
	return 0;
}

/* Compares @len bytes at s->done with the stream; reports the first wrong one. */
static bool verify(struct sf_stream *s, const unsigned char *got, size_t len, const char *how)
{
	size_t i;

	payload_fill(s->seed, s->done, s->expect, len);
	if (!memcmp(got, s->expect, len))
		return true;
	for (i = 0; got[i] == s->expect[i]; i++)
		;
	sf_fail("%s: %s: byte %llu of %llu is 0x%02x, expected 0x%02x (off by %d; key %d, shift %d)",
		s->where, how, (unsigned long long)(s->done + i), (unsigned long long)s->size,
		got[i], s->expect[i], (got[i] - s->expect[i]) & 0xff, s->key, s->key & 0xff);
	return false;
}

/* Reads exactly @len bytes (already peeked) into @buf. */
static long read_exactly(struct sf_stream *s, unsigned char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t k = read(s->fd, buf + got, len - got);

		if (k <= 0)
			return -1;
		got += (size_t)k;
	}
	return (long)len;
}

/*
 * One read by @method into @buf. Returns the bytes consumed (0 at EOF) or
 * -1; *checked says they were compared already (MSG_PEEK) or skipped
 * (MSG_TRUNC, counted in *skipped).
 */
static long receive_chunk(struct sf_stream *s, int method, unsigned char *buf, size_t len,
			  bool *checked, uint64_t *skipped)
{
	struct iovec iov[MAX_PIECES];
	struct msghdr msg = { .msg_iov = iov };
	struct mmsghdr mm = { 0 };
	struct pollfd p = { .fd = s->fd, .events = POLLIN };
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof(from);
	long ret;

	switch (method) {
	case R_READ:
		return read(s->fd, buf, len);
	case R_RECV:
		return recv(s->fd, buf, len, 0);
	case R_WAITALL:
		return recv(s->fd, buf, len, MSG_WAITALL);
	case R_RECVFROM:
		return recvfrom(s->fd, buf, len, 0, (struct sockaddr *)&from, &fromlen);
	case R_READV:
		return readv(s->fd, iov, split(&s->rng, buf, len, iov));
	case R_RECVMSG:
		msg.msg_iovlen = (size_t)split(&s->rng, buf, len, iov);
		return recvmsg(s->fd, &msg, 0);
	case R_RECVMMSG:
		mm.msg_hdr.msg_iov = iov;
		mm.msg_hdr.msg_iovlen = (size_t)split(&s->rng, buf, len, iov);
		ret = recvmmsg(s->fd, &mm, 1, 0, NULL);
		return ret == 1 ? (long)mm.msg_len : ret;
	case R_PEEK:
		ret = recv(s->fd, buf, len, MSG_PEEK);
		if (ret <= 0 || !verify(s, buf, (size_t)ret, "MSG_PEEK"))
			return ret > 0 ? -2 : ret;
		memset(buf, 0, (size_t)ret);
		ret = read_exactly(s, buf, (size_t)ret);
		if (ret > 0 && !verify(s, buf, (size_t)ret, "a read after MSG_PEEK"))
			return -2;
		*checked = true;
		return ret;
	case R_TRUNC:
		ret = recv(s->fd, NULL, len < 4096 ? len : 4096, MSG_TRUNC);
		if (ret > 0)
			*skipped += (uint64_t)ret;
		*checked = true;
		return ret;
	case R_SPLICE:
		len = len < PIPE_CAPACITY ? len : PIPE_CAPACITY;
		ret = splice(s->fd, NULL, s->pipe[1], NULL, len, 0);
		if (ret > 0 && read(s->pipe[0], buf, (size_t)ret) != ret)
			return -1;
		return ret;
	default:
		if (poll(&p, 1, 1000) < 0)
			return -1;
		return recv(s->fd, buf, len, MSG_DONTWAIT);
	}
}

/* Waits for bytes to be queued, then sets the receive key. */
static int set_key_late(struct sf_stream *s)
{
	struct pollfd p = { .fd = s->fd, .events = POLLIN };

	if (poll(&p, 1, STALL_SECONDS * 1000) != 1 ||
	    setsockopt(s->fd, SOL_TCP, s->rx_opt, &s->key, sizeof(s->key))) {
		sf_fail("%s: setting the RX key once bytes were queued: %s", s->where,
			strerror(errno));
		return -1;
	}
	atomic_store(&s->o->rx_key_set, true);
	return 0;
}

int sf_oracle_receive(struct sf_stream *s)
{
	double last = sf_now();
	uint64_t skipped = 0;

	if (s->late_key && set_key_late(s))
		goto failed;
	for (;;) {
		int method = (int)rng_below(&s->rng, R_METHODS);
		size_t len = rng_size(&s->rng, SF_ORACLE_CHUNK);
		unsigned char *buf = s->buf + rng_below(&s->rng, 64);
		bool checked = false;
		long ret;

		atomic_store(&s->o->op, sf_oracle_recv_names[method]);
		ret = receive_chunk(s, method, buf, len, &checked, &skipped);
		if (ret == 0)
			break;
		if (ret == -2 || (ret > 0 && !checked && !verify(s, buf, (size_t)ret,
							      sf_oracle_recv_names[method])))
			goto failed;
		if (ret > 0) {
			s->done += (uint64_t)ret;
			atomic_fetch_add(&s->o->recvs[method], 1);
			last = sf_now();
			if (s->done > s->size) {
				sf_fail("%s: %llu bytes arrived, %llu were sent", s->where,
					(unsigned long long)s->done, (unsigned long long)s->size);
				goto failed;
			}
		} else if (atomic_load(s->abort)) {
			return -1;
		} else if (!would_block() || sf_now() - last > STALL_SECONDS) {
			sf_fail("%s: %s at %llu of %llu: %s", s->where, sf_oracle_recv_names[method],
				(unsigned long long)s->done, (unsigned long long)s->size,
				strerror(errno));
			goto failed;
		}
	}
	if (s->done != s->size && !atomic_load(s->abort)) {
		sf_fail("%s: EOF after %llu of %llu bytes", s->where,
			(unsigned long long)s->done, (unsigned long long)s->size);
		goto failed;
	}
	atomic_fetch_add(&s->o->skipped, skipped);
	atomic_fetch_add(&s->o->bytes, s->done - skipped);
	return atomic_load(s->abort) ? -1 : 0;
failed:
	atomic_store(s->abort, true);
	shutdown(s->fd, SHUT_RDWR);
	return -1;
}
