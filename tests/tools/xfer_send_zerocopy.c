// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The zerocopy send method: SO_ZEROCOPY and send(MSG_ZEROCOPY).
 *
 * Each send is numbered by the kernel (0, 1, 2, ...) and reported complete
 * on the socket's error queue, as ranges of numbers. The payload goes out of
 * a ring of buffers; a buffer is scribbled over as soon as its sends are
 * complete, before it is refilled, so a kernel that still read it after the
 * completion would send the scribble and the receiver would see it.
 */
#include <errno.h>
#include <time.h>
/* linux/errqueue.h needs struct timespec first. */
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "xfer_methods.h"

#define ZC_SLOTS 8
#define ZC_EARLY_RANGES 64
#define ZC_WAIT_MS 10000
#define ZC_SCRIBBLE 0xa5

struct zc_range {
	uint32_t lo, hi;
};

struct zc_state {
	unsigned char *buf[ZC_SLOTS];
	uint32_t last_id[ZC_SLOTS];	/* the last send out of each buffer */
	bool busy[ZC_SLOTS];
	uint32_t next_id;		/* the number of the next send */
	uint32_t completed;		/* sends [0, completed) are complete */
	struct zc_range early[ZC_EARLY_RANGES];	/* completions past it */
	unsigned int early_count;
	unsigned long notifications, copied;
};

/* Record sends [lo, hi] complete, in whatever order they come. */
static int zc_complete(const struct xfer_stream *s, struct zc_state *zc,
		       uint32_t lo, uint32_t hi)
{
	bool merged = true;

	if (zc->early_count == ZC_EARLY_RANGES)
		return stream_error(s, "too many out-of-order zerocopy completions");
	zc->early[zc->early_count++] = (struct zc_range){ lo, hi };
	while (merged) {
		merged = false;
		for (unsigned int i = 0; i < zc->early_count; i++) {
			if (zc->early[i].lo > zc->completed)
				continue;
			if (zc->early[i].hi + 1 > zc->completed)
				zc->completed = zc->early[i].hi + 1;
			zc->early[i] = zc->early[--zc->early_count];
			merged = true;
		}
	}
	return 0;
}

static int zc_read_notification(const struct xfer_stream *s,
				struct zc_state *zc, const struct msghdr *msg)
{
	for (const struct cmsghdr *cm = CMSG_FIRSTHDR(msg); cm;
	     cm = CMSG_NXTHDR((struct msghdr *)msg, (struct cmsghdr *)cm)) {
		struct sock_extended_err ee;

		if (!((cm->cmsg_level == SOL_IP && cm->cmsg_type == IP_RECVERR) ||
		      (cm->cmsg_level == SOL_IPV6 && cm->cmsg_type == IPV6_RECVERR)))
			continue;
		memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
		if (ee.ee_origin != SO_EE_ORIGIN_ZEROCOPY || ee.ee_errno)
			return stream_error(s, "unexpected error queue entry: origin %u errno %u",
					    ee.ee_origin, ee.ee_errno);
		zc->notifications++;
		if (ee.ee_code & SO_EE_CODE_ZEROCOPY_COPIED)
			zc->copied++;
		return zc_complete(s, zc, ee.ee_info, ee.ee_data);
	}
	return stream_error(s, "error queue entry without IP_RECVERR data");
}

/* Read every completion queued now. */
static int zc_reap(const struct xfer_stream *s, struct zc_state *zc)
{
	char control[128];
	struct msghdr msg;

	for (;;) {
		memset(&msg, 0, sizeof(msg));
		msg.msg_control = control;
		msg.msg_controllen = sizeof(control);
		if (recvmsg(s->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			break;
		if (zc_read_notification(s, zc, &msg))
			return -1;
	}
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	return stream_fail(s, "recvmsg(MSG_ERRQUEUE)");
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Wait until sends [0, sends) are complete, ZC_WAIT_MS at most. */
static int zc_wait_for(const struct xfer_stream *s, struct zc_state *zc,
		       uint32_t sends)
{
	long long deadline = now_ms() + ZC_WAIT_MS;
	struct pollfd pfd = { .fd = s->fd, .events = 0 };

	for (;;) {
		long long left;

		if (zc_reap(s, zc))
			return -1;
		if (zc->completed >= sends)
			return 0;
		left = deadline - now_ms();
		if (left <= 0)
			return stream_error(s, "zerocopy sends %u..%u not complete after %d ms",
					    zc->completed, sends - 1, ZC_WAIT_MS);
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			return stream_fail(s, "poll for zerocopy completions");
	}
}

/* Make buffer i free to refill: wait for its sends, then scribble on it. */
static int zc_release(const struct xfer_stream *s, struct zc_state *zc,
		      unsigned int i)
{
	if (!zc->busy[i])
		return 0;
	if (zc_wait_for(s, zc, zc->last_id[i] + 1))
		return -1;
	memset(zc->buf[i], ZC_SCRIBBLE, s->chunk);
	zc->busy[i] = false;
	return 0;
}

static int zc_send_slot(struct xfer_stream *s, struct zc_state *zc,
			unsigned int i)
{
	size_t want = stream_send_want(s);
	size_t off = 0;

	stream_fill(s, s->done, zc->buf[i], want);
	while (off < want) {
		ssize_t n = send(s->fd, zc->buf[i] + off, want - off,
				 MSG_ZEROCOPY | MSG_NOSIGNAL);

		if (n < 0 && errno == ENOBUFS) {
			/* Too many sends in flight: wait for one more. */
			if (zc_wait_for(s, zc, zc->completed + 1))
				return -1;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return stream_fail(s, "send(MSG_ZEROCOPY)");
		zc->last_id[i] = zc->next_id++;
		zc->busy[i] = true;
		off += (size_t)n;
		s->done += (uint64_t)n;
	}
	return 0;
}

static int zc_run(struct xfer_stream *s, struct zc_state *zc)
{
	unsigned int i = 0;

	while (s->done < s->size) {
		if (zc_release(s, zc, i) || zc_send_slot(s, zc, i) ||
		    zc_reap(s, zc))
			return -1;
		i = (i + 1) % ZC_SLOTS;
	}
	for (i = 0; i < ZC_SLOTS; i++)
		if (zc_release(s, zc, i))
			return -1;
	fprintf(stderr, "gaius-xfer: %s: zerocopy: %u sends, %lu notifications, %lu of them copied\n",
		s->label, zc->next_id, zc->notifications, zc->copied);
	return 0;
}

int send_by_zerocopy(struct xfer_stream *s)
{
	struct zc_state *zc;
	int one = 1;
	int ret = -1;

	if (!s->size)
		return 0;
	zc = calloc(1, sizeof(*zc));
	if (!zc)
		return stream_fail(s, "calloc");
	if (setsockopt(s->fd, SOL_SOCKET, SO_ZEROCOPY, &one, sizeof(one))) {
		stream_fail(s, "setsockopt(SO_ZEROCOPY)");
		goto out;
	}
	for (unsigned int i = 0; i < ZC_SLOTS; i++) {
		zc->buf[i] = malloc(s->chunk);
		if (!zc->buf[i]) {
			stream_fail(s, "malloc");
			goto out;
		}
	}
	ret = zc_run(s, zc);
out:
	for (unsigned int i = 0; i < ZC_SLOTS; i++)
		free(zc->buf[i]);
	free(zc);
	return ret;
}
