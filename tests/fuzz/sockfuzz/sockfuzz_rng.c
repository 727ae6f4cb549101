// SPDX-License-Identifier: GPL-2.0 OR MIT
/* gaius-sockfuzz's random numbers: see sockfuzz_rng.h. */
#include "sockfuzz_rng.h"

#include "payload.h"

void rng_init(struct rng *r, uint64_t seed)
{
	r->seed = seed;
	r->n = 0;
}

uint64_t rng_next(struct rng *r)
{
	unsigned char b[8];
	uint64_t w = 0;

	payload_fill(r->seed, r->n * 8, b, sizeof(b));
	r->n++;
	for (int i = 7; i >= 0; i--)
		w = (w << 8) | b[i];
	return w;
}

uint64_t rng_derive(uint64_t seed, uint64_t a, uint64_t b)
{
	struct rng r = { .seed = seed ^ 0x6761697573ULL, .n = (a << 32) ^ b };

	return rng_next(&r);
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
	return rng_next(r) % n;
}

bool rng_percent(struct rng *r, unsigned int percent)
{
	return rng_below(r, 100) < percent;
}

size_t rng_size(struct rng *r, size_t max)
{
	unsigned int bits = 0;
	size_t top;

	while (bits < 63 && ((size_t)1 << (bits + 1)) <= max)
		bits++;
	top = (size_t)1 << rng_below(r, bits + 1);
	return 1 + (size_t)rng_below(r, top < max ? top : max);
}

void rng_fill(struct rng *r, void *buf, size_t len)
{
	payload_fill(r->seed, r->n * 8, buf, len);
	r->n += (len + 7) / 8;
}
