/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The memory a fuzzing thread hands to system calls: a buffer with an
 * unmapped page right after it and a read-only page, and the good and bad
 * pointers, lengths and integers drawn from them.
 */
#ifndef SOCKFUZZ_MEM_H
#define SOCKFUZZ_MEM_H

#include <stdbool.h>
#include <stddef.h>

#include "sockfuzz_rng.h"

#define SF_BUF_SIZE (256 * 1024)

struct sf_mem {
	unsigned char *buf;	/* SF_BUF_SIZE bytes, then the guard page */
	unsigned char *guard;	/* PROT_NONE */
	unsigned char *ro;	/* one read-only page */
	size_t page;
};

int sf_mem_init(struct sf_mem *m, struct rng *r);

/*
 * A pointer for @len bytes: mostly inside buf at a random alignment, else
 * NULL, a low address, the guard page, a range running into the guard
 * page, the read-only page, a kernel address or a non-canonical one. *bad
 * is set when it is not entirely valid (for @writable memory: the
 * read-only page is bad too).
 */
void *sf_ptr(struct sf_mem *m, struct rng *r, size_t len, bool writable,
	     bool *bad);

/* A length up to @max, with the edges (0, 1, 3, 4, 5, 8, huge) favoured. */
size_t sf_len(struct rng *r, size_t max, bool *bad);

/* An int, with 0, 1, -1, the limits and multiples of 256 favoured. */
int sf_int(struct rng *r);

#endif /* SOCKFUZZ_MEM_H */
