// SPDX-License-Identifier: GPL-2.0 OR MIT
/* native-cost's clock and cache state: see native_timing.h. */
#include <cpuid.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "native_timing.h"

#define CACHE_LINE	64
#define OVERHEAD_SAMPLES 1001

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

double timing_tsc_ghz(unsigned int ms)
{
	double ns0 = now_ns(), ns;
	uint64_t t0 = timing_begin();

	do
		ns = now_ns();
	while (ns - ns0 < ms * 1e6);
	return (double)(timing_end() - t0) / (ns - ns0);
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double timing_quantile(const double *sorted, size_t n, double q)
{
	size_t i = (size_t)(q * (double)(n - 1) + 0.5);

	return n ? sorted[i < n ? i : n - 1] : 0.0;
}

double timing_median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), compare_double);
	return timing_quantile(v, n, 0.5);
}

uint64_t timing_overhead(void)
{
	static double t[OVERHEAD_SAMPLES];

	for (size_t i = 0; i < OVERHEAD_SAMPLES; i++) {
		uint64_t t0 = timing_begin();

		t[i] = (double)(timing_end() - t0);
	}
	return (uint64_t)timing_median(t, OVERHEAD_SAMPLES);
}

/* CLFLUSHOPT where the CPU has it (CPUID 7, EBX bit 23), else CLFLUSH. */
static bool have_clflushopt(void)
{
	static int have = -1;

	if (have < 0) {
		unsigned int eax, ebx, ecx, edx;

		have = __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) &&
		       (ebx & (1u << 23));
	}
	return have;
}

void timing_flush(const void *p, size_t len)
{
	const char *c = (const char *)((uintptr_t)p & ~(uintptr_t)(CACHE_LINE - 1));
	const char *end = (const char *)p + len;
	bool opt = have_clflushopt();

	for (; c < end; c += CACHE_LINE) {
		if (opt)
			__asm__ volatile("clflushopt %0" : : "m"(*c));
		else
			__asm__ volatile("clflush %0" : : "m"(*c));
	}
}

void timing_flushed(void)
{
	_mm_mfence();
}
