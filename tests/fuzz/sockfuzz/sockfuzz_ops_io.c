// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Bytes in and out of a fuzzed socket, by every system call that moves
 * them: send, sendto, sendmsg, sendmmsg, write, writev, sendfile, splice
 * (from a pipe filled by write or vmsplice, and into a pipe), recv,
 * recvfrom, recvmsg, recvmmsg, read, readv; with random flags (MSG_PEEK,
 * MSG_OOB, MSG_WAITALL, MSG_DONTWAIT, MSG_TRUNC, MSG_ERRQUEUE,
 * MSG_ZEROCOPY, MSG_MORE, ...), iovec counts up to past IOV_MAX, and good
 * and bad buffers. The pipe is non-blocking and drained after each use.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "sockfuzz_ops.h"

#define MAX_IOV (IOV_MAX + 1)
#define PIPE_CHUNK 65536

static const int send_flags[] = {
	MSG_DONTWAIT, MSG_OOB, MSG_MORE, MSG_ZEROCOPY, MSG_EOR, MSG_CONFIRM,
	MSG_FASTOPEN, MSG_DONTROUTE, MSG_NOSIGNAL, MSG_ZEROCOPY,
};

static const int recv_flags[] = {
	MSG_PEEK, MSG_OOB, MSG_WAITALL, MSG_DONTWAIT, MSG_TRUNC, MSG_ERRQUEUE,
	MSG_CMSG_CLOEXEC, MSG_DONTWAIT, MSG_PEEK, MSG_WAITALL,
};

static const int splice_flags[] = {
	SPLICE_F_NONBLOCK, SPLICE_F_MORE, SPLICE_F_MOVE, SPLICE_F_GIFT,
};

/* A few flags of @table, now and then a random bit too. */
static int pick_flags(struct rng *r, const int *table, size_t n, bool *bad)
{
	int flags = 0;

	for (unsigned int k = (unsigned int)rng_below(r, 4); k; k--)
		flags |= table[rng_below(r, n)];
	if (rng_percent(r, 5)) {
		flags |= 1 << rng_below(r, 31);
		*bad = true;
	}
	return flags;
}

/* Up to MAX_IOV iovecs over the scratch buffer, some bad; returns the count. */
static int fill_iov(struct sf_thread *t, struct iovec *iov, bool writable, bool *bad)
{
	struct rng *r = &t->rng;
	int n = RNG_PICK(r, ((const int[]){ 0, 1, 1, 2, 3, 4, 8, 16, 64, IOV_MAX, MAX_IOV }));

	if (n > IOV_MAX)
		*bad = true;
	for (int i = 0; i < n; i++) {
		size_t len = n > 16 ? rng_below(r, 64) : rng_size(r, SF_BUF_SIZE / 4);

		if (rng_percent(r, 3))
			len = sf_len(r, SF_BUF_SIZE, bad);
		iov[i].iov_len = len;
		iov[i].iov_base = sf_ptr(&t->mem, r, len, writable, bad);
	}
	return n;
}

static void fill_msghdr(struct sf_thread *t, struct msghdr *msg, struct iovec *iov,
			bool writable, bool *bad)
{
	struct rng *r = &t->rng;

	msg->msg_name = NULL;
	msg->msg_namelen = 0;
	msg->msg_iov = iov;
	msg->msg_iovlen = (size_t)fill_iov(t, iov, writable, bad);
	msg->msg_control = NULL;
	msg->msg_controllen = 0;
	msg->msg_flags = 0;
	if (rng_percent(r, 10)) {
		msg->msg_namelen = (socklen_t)rng_below(r, 130);
		msg->msg_name = sf_ptr(&t->mem, r, msg->msg_namelen, writable, bad);
	}
	if (rng_percent(r, 15)) {
		msg->msg_controllen = rng_below(r, 4) ? rng_below(r, 512) : sf_len(r, 4096, bad);
		msg->msg_control = sf_ptr(&t->mem, r, msg->msg_controllen, writable, bad);
	}
}

long sf_op_send(struct sf_thread *t, int fd, bool *bad)
{
	struct iovec iov[2][MAX_IOV];
	struct rng *r = &t->rng;
	int flags = pick_flags(r, send_flags, ARRAY_SIZE(send_flags), bad);
	size_t len = rng_size(r, SF_BUF_SIZE);
	const void *buf = sf_ptr(&t->mem, r, len, false, bad);
	struct mmsghdr mm[2];

	switch (rng_below(r, 6)) {
	case 0:
		return send(fd, buf, len, flags);
	case 1:
		/* A connected socket ignores the address, or refuses it. */
		return sendto(fd, buf, len, flags, (const struct sockaddr *)t->mem.buf,
			      (socklen_t)rng_below(r, 130));
	case 2:
		return write(fd, buf, len);
	case 3:
		return writev(fd, iov[0], fill_iov(t, iov[0], false, bad));
	case 4:
		fill_msghdr(t, &mm[0].msg_hdr, iov[0], false, bad);
		return sendmsg(fd, &mm[0].msg_hdr, flags);
	default:
		fill_msghdr(t, &mm[0].msg_hdr, iov[0], false, bad);
		fill_msghdr(t, &mm[1].msg_hdr, iov[1], false, bad);
		return sendmmsg(fd, mm, (unsigned int)rng_below(r, 3), flags);
	}
}

long sf_op_recv(struct sf_thread *t, int fd, bool *bad)
{
	struct iovec iov[2][MAX_IOV];
	struct rng *r = &t->rng;
	int flags = pick_flags(r, recv_flags, ARRAY_SIZE(recv_flags), bad);
	size_t len = rng_size(r, SF_BUF_SIZE);
	void *buf = sf_ptr(&t->mem, r, len, true, bad);
	struct timespec timeout = { .tv_nsec = 1000000 };
	struct mmsghdr mm[2];
	socklen_t alen = (socklen_t)rng_below(r, 130);

	switch (rng_below(r, 6)) {
	case 0:
		return recv(fd, buf, len, flags);
	case 1:
		return recvfrom(fd, buf, len, flags, (struct sockaddr *)t->mem.buf, &alen);
	case 2:
		return read(fd, buf, len);
	case 3:
		return readv(fd, iov[0], fill_iov(t, iov[0], true, bad));
	case 4:
		fill_msghdr(t, &mm[0].msg_hdr, iov[0], true, bad);
		return recvmsg(fd, &mm[0].msg_hdr, flags);
	default:
		fill_msghdr(t, &mm[0].msg_hdr, iov[0], true, bad);
		fill_msghdr(t, &mm[1].msg_hdr, iov[1], true, bad);
		return recvmmsg(fd, mm, (unsigned int)rng_below(r, 3),
				flags | (rng_percent(r, 30) ? MSG_WAITFORONE : 0),
				rng_percent(r, 50) ? &timeout : NULL);
	}
}

/* Empties the thread's pipe, so that the next operation finds it so. */
static void drain_pipe(struct sf_thread *t)
{
	while (read(t->pipe[0], t->mem.buf, SF_BUF_SIZE) > 0)
		;
}

long sf_op_sendfile(struct sf_thread *t, int fd, bool *bad)
{
	struct rng *r = &t->rng;
	off_t off = (off_t)rng_below(r, SF_FILE_SIZE + 4096);
	size_t count = rng_percent(r, 90) ? rng_size(r, SF_FILE_SIZE) : sf_len(r, SF_FILE_SIZE, bad);
	off_t *offp = &off;

	if (rng_percent(r, 10))
		offp = NULL;	/* from the file's own position */
	else if (rng_percent(r, 5))
		offp = sf_ptr(&t->mem, r, sizeof(off), true, bad);
	return sendfile(fd, t->memfd, offp, count);
}

static int pick_splice_flags(struct rng *r, bool *bad)
{
	return pick_flags(r, splice_flags, ARRAY_SIZE(splice_flags), bad);
}

long sf_op_splice_to(struct sf_thread *t, int fd, bool *bad)
{
	struct rng *r = &t->rng;
	size_t fill = rng_size(r, PIPE_CHUNK);
	size_t len = rng_size(r, 2 * PIPE_CHUNK);
	int flags = pick_splice_flags(r, bad);
	long ret = -1;

	if (write(t->pipe[1], t->mem.buf, fill) >= 0)
		ret = splice(t->pipe[0], NULL, fd, NULL, len, (unsigned int)flags);
	drain_pipe(t);
	return ret;
}

long sf_op_vmsplice(struct sf_thread *t, int fd, bool *bad)
{
	struct iovec iov[MAX_IOV];
	struct rng *r = &t->rng;
	int n = fill_iov(t, iov, false, bad);
	int in_flags = pick_splice_flags(r, bad) | SPLICE_F_NONBLOCK;
	int out_flags = pick_splice_flags(r, bad);
	long ret;

	ret = vmsplice(t->pipe[1], iov, (unsigned long)n, (unsigned int)in_flags);
	if (ret > 0)
		ret = splice(t->pipe[0], NULL, fd, NULL, (size_t)ret, (unsigned int)out_flags);
	drain_pipe(t);
	return ret;
}

long sf_op_splice_from(struct sf_thread *t, int fd, bool *bad)
{
	struct rng *r = &t->rng;
	long ret;

	ret = splice(fd, NULL, t->pipe[1], NULL, rng_size(r, 2 * PIPE_CHUNK),
		     (unsigned int)pick_splice_flags(r, bad));
	drain_pipe(t);
	return ret;
}
