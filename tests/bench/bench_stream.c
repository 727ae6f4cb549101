// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The stream test's sender: writes of one size, by write() or by sendfile()
 * from a memfd holding the stream, for --seconds (or until the trace window
 * is done), then the receiver's report.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench_client.h"
#include "bench_net.h"
#include "bench_trace.h"

/* The stream in a file of its own, for sendfile(). */
static int pattern_file(void)
{
	static int fd = -1;

	if (fd < 0) {
		fd = memfd_create("gaius-bench-stream", MFD_CLOEXEC);
		if (fd >= 0 && bench_write_full(fd, bench_pattern(),
						BENCH_PERIOD + BENCH_MAX_SIZE)) {
			close(fd);
			fd = -1;
		}
	}
	return fd;
}

static ssize_t send_chunk(int fd, enum bench_method method, uint64_t sent,
			  uint32_t size)
{
	off_t off = (off_t)(sent % BENCH_PERIOD);

	if (method == METHOD_WRITE)
		return write(fd, bench_pattern() + off, size);
	return sendfile(fd, pattern_file(), &off, size);
}

struct sender {
	uint64_t warmup;	/* calls before the trace window */
	uint64_t window;	/* calls in it */
	uint64_t start, end;	/* CLOCK_MONOTONIC, ns */
	uint64_t sent;
	uint64_t calls;
	bool tracing;
	struct bench_allocs allocs;
};

static void trace_window(const struct bench_options *o, struct sender *s)
{
	if (o->trace != TRACE_SEND)
		return;
	if (s->calls == s->warmup)
		s->tracing = !bench_trace_begin();
	else if (s->tracing && s->calls == s->warmup + s->window)
		s->tracing = false;
	else
		return;
	if (!s->tracing) {
		s->allocs.calls = s->window;
		bench_trace_end(&s->allocs);
	}
}

static int send_for(const struct bench_options *o, int fd, uint32_t size,
		    enum bench_method method, struct sender *s)
{
	uint64_t deadline;

	s->warmup = bench_calls_per_mib(size, 8);
	s->window = bench_calls_per_mib(size, 16);
	s->start = bench_now_ns();
	deadline = s->start + (uint64_t)(o->seconds * 1e9);
	while ((s->calls & 7) || bench_now_ns() < deadline) {
		ssize_t n;

		trace_window(o, s);
		n = send_chunk(fd, method, s->sent, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			perror("gaius-bench: client: send");
			return -1;
		}
		s->sent += (uint64_t)n;
		s->calls++;
	}
	s->end = bench_now_ns();
	if (s->tracing) {
		s->allocs.calls = s->calls - s->warmup;
		bench_trace_end(&s->allocs);
	}
	return 0;
}

int client_stream(const struct bench_options *o, uint32_t size,
		  enum bench_method method)
{
	struct bench_hello h = {
		.test = BENCH_STREAM,
		.size = size,
		.trace_calls = o->trace == TRACE_RECV ? (uint32_t)bench_calls_per_mib(size, 16) : 0,
	};
	struct bench_report r = { 0 };
	struct sender s = { 0 };
	char ulp[16];
	bool ok;
	int fd = client_open(o, &h);

	if (fd < 0)
		return -1;
	if (send_for(o, fd, size, method, &s) || shutdown(fd, SHUT_WR) ||
	    bench_read_full(fd, &r, sizeof(r))) {
		perror("gaius-bench: client: stream");
		close(fd);
		return -1;
	}
	bench_ulp_name(fd, ulp, sizeof(ulp));
	close(fd);
	r.ulp[sizeof(r.ulp) - 1] = '\0';
	ok = r.bytes == s.sent && !r.bad && client_ulp_ok(o, ulp) &&
	     client_ulp_ok(o, r.ulp);
	if (r.bytes != s.sent || r.bad)
		fprintf(stderr, "gaius-bench: %s: sent %llu, the server got %llu, %llu wrong\n",
			o->label, (unsigned long long)s.sent,
			(unsigned long long)r.bytes, (unsigned long long)r.bad);
	record_begin(o, "stream");
	printf(", \"size\": %u, \"method\": \"%s\", \"bytes\": %llu, \"seconds\": %.4f"
	       ", \"mbps\": %.2f, \"writes\": %llu, \"reads\": %llu"
	       ", \"ulp_client\": \"%s\", \"ulp_server\": \"%s\", \"t0\": %.6f, \"t1\": %.6f",
	       size, bench_method_name(method), (unsigned long long)r.bytes,
	       (double)r.nsec / 1e9, r.nsec ? (double)r.bytes * 1e3 / (double)r.nsec : 0.0,
	       (unsigned long long)s.calls, (unsigned long long)r.reads, ulp, r.ulp,
	       (double)s.start / 1e9, (double)s.end / 1e9);
	if (o->trace != TRACE_NONE) {
		printf(", \"trace\": \"%s\"", o->trace == TRACE_SEND ? "send" : "recv");
		record_allocs(o->trace == TRACE_SEND ? &s.allocs : &r.allocs);
	}
	record_end(ok);
	return ok ? 0 : -1;
}
