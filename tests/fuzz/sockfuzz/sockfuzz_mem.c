// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Good and bad memory for system calls: see sockfuzz_mem.h. */
#include "sockfuzz_mem.h"

#include <limits.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

int sf_mem_init(struct sf_mem *m, struct rng *r)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned char *area;

	/* [buf ... ][guard][ro] */
	area = mmap(NULL, SF_BUF_SIZE + 2 * page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return -1;
	m->page = page;
	m->buf = area;
	m->guard = area + SF_BUF_SIZE;
	m->ro = m->guard + page;
	rng_fill(r, m->buf, SF_BUF_SIZE);
	rng_fill(r, m->ro, page);
	if (mprotect(m->guard, page, PROT_NONE) || mprotect(m->ro, page, PROT_READ))
		return -1;
	return 0;
}

void *sf_ptr(struct sf_mem *m, struct rng *r, size_t len, bool writable,
	     bool *bad)
{
	if (rng_percent(r, 80)) {
		if (len > SF_BUF_SIZE - 8) {
			*bad = true;	/* runs into the guard page */
			return m->buf;
		}
		return m->buf + rng_below(r, SF_BUF_SIZE - len + 1);
	}
	*bad = true;
	switch (rng_below(r, 7)) {
	case 0:
		return NULL;
	case 1:
		return (void *)(uintptr_t)(1 + rng_below(r, 4096));
	case 2:
		return m->guard + rng_below(r, m->page);
	case 3:	/* the last bytes of buf, then the guard page */
		return m->guard - 1 - rng_below(r, len < m->page ? len + 1 : m->page);
	case 4:
		*bad = writable;
		return m->ro + rng_below(r, m->page);
	case 5:
		return (void *)(uintptr_t)0xffffffff81000000ULL;
	default:
		return (void *)(uintptr_t)0x0000800000000000ULL;
	}
}

size_t sf_len(struct rng *r, size_t max, bool *bad)
{
	static const size_t edges[] = { 0, 1, 2, 3, 4, 5, 7, 8, 16, 64 };

	switch (rng_below(r, 10)) {
	case 0:
	case 1:
		return RNG_PICK(r, edges);
	case 2:
		*bad = true;
		return RNG_PICK(r, ((const size_t[]){ (size_t)INT_MAX, (size_t)INT_MAX + 1,
						     SIZE_MAX, SIZE_MAX / 2, 1 << 30 }));
	default:
		return rng_size(r, max);
	}
}

int sf_int(struct rng *r)
{
	static const int edges[] = {
		0, 1, -1, 2, 255, 256, 257, 512, 0xff00, 0x7fffff00, INT_MAX, INT_MIN,
		INT_MIN + 1, 4096, 65535, 65536,
	};

	switch (rng_below(r, 4)) {
	case 0:
		return RNG_PICK(r, edges);
	case 1:
		return (int)(rng_below(r, 64) * 256);	/* shift 0 */
	case 2:
		return (int)rng_below(r, 1024) - 16;
	default:
		return (int)(uint32_t)rng_next(r);
	}
}
