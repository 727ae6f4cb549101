/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * gaius-sockfuzz's random numbers: word n of a generator is word n of the
 * test payload stream for its seed (tests/tools/payload.h, splitmix64), so
 * a seed and a count say exactly which numbers come next, and any
 * generator can be split into independent ones deterministically.
 */
#ifndef SOCKFUZZ_RNG_H
#define SOCKFUZZ_RNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rng {
	uint64_t seed;
	uint64_t n;	/* words drawn so far */
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define RNG_PICK(r, a) ((a)[rng_below((r), ARRAY_SIZE(a))])

void rng_init(struct rng *r, uint64_t seed);

/* The seed of an independent generator, named by two numbers. */
uint64_t rng_derive(uint64_t seed, uint64_t a, uint64_t b);

uint64_t rng_next(struct rng *r);

/* Uniform in [0, n); n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);

/* True with probability percent / 100. */
bool rng_percent(struct rng *r, unsigned int percent);

/* From 1 to max, every power of two as likely as the next: small sizes
 * come up as often as large ones. */
size_t rng_size(struct rng *r, size_t max);

void rng_fill(struct rng *r, void *buf, size_t len);

#endif /* SOCKFUZZ_RNG_H */
