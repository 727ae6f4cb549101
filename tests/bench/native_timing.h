/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * native-cost's clock and cache state (native_timing.c). The clock is the
 * TSC, read with RDTSC after LFENCE and RDTSCP before it, so that the
 * instructions timed neither start before the first read nor end after the
 * second; its rate is calibrated against CLOCK_MONOTONIC. The host has no
 * PMU to count core cycles: TSC cycles are not core cycles where the clock
 * moves, and both ends of a comparison are counted alike.
 */
#ifndef GAIUS_NATIVE_TIMING_H
#define GAIUS_NATIVE_TIMING_H

#include <stddef.h>
#include <stdint.h>
#include <x86intrin.h>

static inline uint64_t timing_begin(void)
{
	uint64_t t;

	_mm_lfence();
	t = __rdtsc();
	_mm_lfence();
	return t;
}

static inline uint64_t timing_end(void)
{
	unsigned int aux;
	uint64_t t = __rdtscp(&aux);

	_mm_lfence();
	return t;
}

/* TSC ticks per nanosecond, over @ms milliseconds of CLOCK_MONOTONIC. */
double timing_tsc_ghz(unsigned int ms);

/* What timing_begin() and timing_end() alone read, the median of many. */
uint64_t timing_overhead(void);

/* Out of every cache: [@p, @p + @len). timing_flushed() waits for it. */
void timing_flush(const void *p, size_t len);
void timing_flushed(void);

/* The median of @n values, which it sorts; and the value at @q (0 to 1) of sorted ones. */
double timing_median(double *v, size_t n);
double timing_quantile(const double *sorted, size_t n, double q);

#endif /* GAIUS_NATIVE_TIMING_H */
