/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * gaius-bench: what its files share.
 *
 * A server (one per path: plain, caesar, ktls; the rules and the preload
 * shim need no help from it) accepts connections one at a time. Every
 * connection starts with a 64-byte hello from the client, sent through the
 * path like everything else, that says what the connection is for:
 *
 *   stream  the client writes for a while, the server reads and checks
 *           every byte, then answers with a struct bench_report
 *   rr      64-byte messages echoed back, one at a time
 *   crr     the hello itself is echoed, then the client closes
 *   hold    the server keeps the socket open until the next hello
 *   quit    the server exits (status 1 if any connection failed)
 *
 * The stream is gaius-xfer's payload (tests/tools/payload.c) for
 * BENCH_SEED, repeated every BENCH_PERIOD bytes.
 */
#ifndef GAIUS_BENCH_H
#define GAIUS_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_MAGIC	0x67616975u	/* "gaiu" */
#define BENCH_MSG	64		/* hello, rr and crr messages */
#define BENCH_SEED	2024
#define BENCH_PERIOD	(4u << 20)
#define BENCH_MAX_SIZE	(1u << 20)	/* largest write or read */

enum bench_test {
	BENCH_STREAM = 1,
	BENCH_RR,
	BENCH_CRR,
	BENCH_HOLD,
	BENCH_QUIT,
};

enum bench_attach {
	ATTACH_NONE,
	ATTACH_CAESAR,	/* TCP_ULP "caesar", CAESAR_KEY */
	ATTACH_KTLS,	/* TCP_ULP "tls", TLS_TX and TLS_RX, AES-128-GCM */
};

struct bench_hello {
	uint32_t magic;
	uint32_t test;		/* enum bench_test */
	uint32_t size;		/* stream: bytes per read */
	uint32_t trace_calls;	/* stream: the server traces this many reads */
	uint64_t seq;		/* crr: connection number */
	unsigned char fill[40];	/* message bytes for seq, checked */
};

/* What the kmem trace events of one task showed (bench_trace.c). */
struct bench_allocs {
	uint64_t calls;		/* send or receive calls in the window */
	uint64_t kmalloc;
	uint64_t cache_alloc;	/* kmem_cache_alloc */
	uint64_t pages;		/* mm_page_alloc, in pages */
	uint64_t bytes;		/* bytes_alloc of the first two */
	uint64_t ours;		/* events with a call site in caesar or xt_GAIUS */
	uint64_t ours_bytes;	/* their bytes_alloc */
	uint64_t lost;		/* 1 if the trace buffer overflowed */
};

/* The stream receiver's answer, once it has read the sender's EOF. */
struct bench_report {
	uint64_t bytes;		/* received and verified */
	uint64_t nsec;		/* from the hello to EOF */
	uint64_t reads;
	uint64_t bad;		/* bytes that were not the payload */
	struct bench_allocs allocs;
	char ulp[16];		/* the server socket's TCP_ULP */
};

/*
 * The calls of @size bytes that make up 1 MiB, at least @least: a trace
 * window opens after 8 or more (past slow start) and spans 16 or more.
 */
static inline uint64_t bench_calls_per_mib(uint32_t size, uint64_t least)
{
	uint64_t calls = (1u << 20) / (size ? size : 1);

	return calls > least ? calls : least;
}

/* bench_pattern.c: the stream, BENCH_PERIOD + BENCH_MAX_SIZE bytes long. */
const unsigned char *bench_pattern(void);
/* Whether the @len bytes at stream offset @off are the payload. */
bool bench_pattern_is(const unsigned char *buf, uint64_t off, size_t len);
/* The message for connection or round trip @seq. */
void bench_message(uint64_t seq, unsigned char *buf, size_t len);

/* bench_io.c: whole reads and writes; 0, or -1 with errno (0 at EOF). */
int bench_read_full(int fd, void *buf, size_t len);
int bench_write_full(int fd, const void *buf, size_t len);
uint64_t bench_now_ns(void);
void bench_pin_cpu(int cpu);

#endif /* GAIUS_BENCH_H */
