// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * gaius-bench server: one connection at a time, each attached the server's
 * way (--attach) before its hello is read; see bench.h for the tests.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench_net.h"
#include "bench_roles.h"
#include "bench_trace.h"

#define MAX_HELD 8192

static int held[MAX_HELD];
static unsigned int n_held;

static void release_held(void)
{
	while (n_held)
		close(held[--n_held]);
}

static int serve_stream(int fd, const struct bench_hello *h)
{
	unsigned char *buf = malloc(BENCH_MAX_SIZE);
	struct bench_report r = { 0 };
	size_t size = h->size && h->size <= BENCH_MAX_SIZE ? h->size : BENCH_MAX_SIZE;
	uint64_t warmup = bench_calls_per_mib((uint32_t)size, 8);
	uint64_t start = bench_now_ns();
	bool tracing = false;
	int ret = 0;

	if (!buf)
		return -1;
	for (;;) {
		ssize_t n;

		if (h->trace_calls && r.reads == warmup)
			tracing = !bench_trace_begin();
		if (tracing && r.reads == warmup + h->trace_calls) {
			tracing = false;
			r.allocs.calls = h->trace_calls;
			bench_trace_end(&r.allocs);
		}
		n = read(fd, buf, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n ? -1 : 0;
			break;
		}
		if (!bench_pattern_is(buf, r.bytes, (size_t)n))
			r.bad += (uint64_t)n;
		r.bytes += (uint64_t)n;
		r.reads++;
	}
	r.nsec = bench_now_ns() - start;
	if (tracing) {
		r.allocs.calls = r.reads - warmup;
		bench_trace_end(&r.allocs);
	}
	free(buf);
	bench_ulp_name(fd, r.ulp, sizeof(r.ulp));
	if (ret || bench_write_full(fd, &r, sizeof(r)))
		return -1;
	return r.bad ? -1 : 0;
}

/* Echo 64-byte messages, each checked, until EOF. */
static int serve_rr(int fd)
{
	unsigned char msg[BENCH_MSG], want[BENCH_MSG];
	int bad = 0;

	bench_nodelay(fd);
	for (uint64_t seq = 0; !bench_read_full(fd, msg, sizeof(msg)); seq++) {
		bench_message(seq, want, sizeof(want));
		bad |= memcmp(msg, want, sizeof(msg));
		if (bench_write_full(fd, msg, sizeof(msg)))
			return -1;
	}
	return errno || bad ? -1 : 0;
}

static int serve_crr(int fd, const struct bench_hello *h)
{
	unsigned char want[sizeof(h->fill)];
	char c;

	bench_message(h->seq, want, sizeof(want));
	if (memcmp(h->fill, want, sizeof(want)) ||
	    bench_write_full(fd, h, sizeof(*h)))
		return -1;
	/* The client closes first: its end keeps the TIME_WAIT. */
	return read(fd, &c, 1) == 0 ? 0 : -1;
}

/* Returns 1 when told to quit, -1 when the connection failed, else 0. */
static int serve_one(int fd, const struct bench_options *o)
{
	struct bench_hello h;

	if (bench_attach(fd, o->attach, o->key) ||
	    bench_read_full(fd, &h, sizeof(h)) || h.magic != BENCH_MAGIC) {
		fprintf(stderr, "gaius-bench: server: no valid hello\n");
		return -1;
	}
	if (h.test != BENCH_HOLD)
		release_held();
	switch (h.test) {
	case BENCH_STREAM: return serve_stream(fd, &h);
	case BENCH_RR: return serve_rr(fd);
	case BENCH_CRR: return serve_crr(fd, &h);
	case BENCH_QUIT: return 1;
	case BENCH_HOLD:
		if (n_held == MAX_HELD)
			return -1;
		held[n_held++] = fd;
		return 2;
	default:
		return -1;
	}
}

int bench_server(const struct bench_options *o)
{
	int lfd = bench_listen(o->port);
	unsigned int failed = 0;

	if (lfd < 0)
		return 1;
	bench_pattern();
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		int ret;

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			perror("gaius-bench: accept");
			return 1;
		}
		ret = serve_one(fd, o);
		if (ret != 2)
			close(fd);
		if (ret < 0)
			fprintf(stderr, "gaius-bench: server: connection %u failed\n",
				++failed);
		if (ret == 1)
			break;
	}
	release_held();
	close(lfd);
	fprintf(stderr, "gaius-bench: server: %u failed connection(s)\n", failed);
	return failed ? 1 : 0;
}
