// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * native-cost: the native cost model of the data path. Each path of each
 * direction, the ULP's and plain TCP's, runs the kernel's own loops
 * (native_paths.c) on memory shaped as the kernel's (native_shapes.h), for
 * writes and reads of 1 KiB, 64 KiB and 1 MiB, on this CPU, with the
 * memory in three states (states[] below); it prints cycles per byte in
 * markdown tables, then how long the kernel-FPU sections last, the
 * receive candidate's and the transmit path's.
 *
 *   taskset -c 1 native-cost [ROUNDS]      (make native-bench)
 *
 * Every sample first runs the call once untimed. Hot: then the same call
 * is timed on the same memory, as many times as make 64 KiB (1 KiB calls:
 * 64 a sample). Otherwise what is to be cold is flushed from every cache
 * (CLFLUSHOPT) and one call is timed. A round takes SAMPLES samples of
 * each path, size and state, the paths one after the other, and keeps
 * their median; the tables give the median of the rounds and their range.
 * A busy host moves single samples, seldom the medians. Exits 1 if a path
 * gave a wrong byte.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "native_paths.h"
#include "native_shapes.h"
#include "native_timing.h"

#define SAMPLES		9
#define MAX_ROUNDS	101
#define HOT_BYTES	(64u << 10)
#define SECTION_SAMPLES	2001
#define SHIFT		100

static const size_t sizes[] = { 1u << 10, 64u << 10, 1u << 20 };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))
/*
 * hot: all of it in cache, as the last call left it; cold: none of it;
 * kmem cold: the kernel's memory flushed (skbs, page cache, frag), the
 * program's buffer hot, as where a NIC wrote the skbs to memory and the
 * program reads into the same buffer each time.
 */
enum { HOT, COLD, KMEM_COLD, NSTATES };
static const char *const states[] = { "hot", "cold", "kmem cold" };

/* Bits of sizes[] where the kernel takes a path. */
#define AT_1K	1u
#define AT_BULK	6u
#define AT_ALL	7u

static const struct path {
	const char *dir;
	const char *name;
	native_path_fn *run;
	size_t chunk;
	unsigned int kernel;	/* where the kernel takes this path */
	int plain;		/* its direction's plain TCP path, in paths[] */
} paths[] = {
	{ "tx", "plain: copy_from_user (rep movsb)", native_tx_plain, 0, 0, 0 },
	{ "tx", "ULP: SWAR shift fused with the user read", native_tx_fused, 0, AT_1K, 0 },
	{ "tx", "ULP: copy_from_user, then vector shift in place", native_tx_copy_shift, 0, AT_BULK, 0 },
	{ "tx", "ULP: sendfile, page cache shifted into the frag", native_tx_sendfile, 0, AT_ALL, 0 },
	{ "rx", "plain: copy_to_user (rep movsb)", native_rx_plain, 0, 0, 4 },
	{ "rx", "ULP: SWAR shift fused with the user store", native_rx_fused, 0, AT_ALL, 4 },
	{ "rx", "candidate: vector into a 512 B bounce, rep movsb out", native_rx_bounce, 512, 0, 4 },
	{ "rx", "candidate: vector into a 1 KiB bounce, rep movsb out", native_rx_bounce, 1024, 0, 4 },
	{ "rx", "candidate: vector into a 4 KiB bounce, rep movsb out", native_rx_bounce, 4096, 0, 4 },
};
#define NPATHS (sizeof(paths) / sizeof(paths[0]))

static struct native_shapes shapes;
static uint64_t overhead;
static double tsc_ghz;
static unsigned int rounds;
/* Each round's median, cycles per byte: [round][path][size][state]. */
static double (*result)[NPATHS][NSIZES][NSTATES];

static double sample(const struct path *p, size_t size, int state)
{
	unsigned int reps = state != HOT || size >= HOT_BYTES ? 1 : HOT_BYTES / size;
	uint64_t t0, t;

	shapes.io.chunk = p->chunk;
	p->run(&shapes.io, size);
	if (state != HOT)
		native_shapes_flush(&shapes, size, state == COLD);
	t0 = timing_begin();
	for (unsigned int i = 0; i < reps; i++)
		p->run(&shapes.io, size);
	t = timing_end() - t0;
	t = t > overhead ? t - overhead : 0;
	return (double)t / ((double)reps * (double)size);
}

static void measure_round(unsigned int r)
{
	double v[SAMPLES];

	for (size_t s = 0; s < NSIZES; s++)
		for (size_t st = 0; st < NSTATES; st++)
			for (size_t p = 0; p < NPATHS; p++) {
				for (size_t i = 0; i < SAMPLES; i++)
					v[i] = sample(&paths[p], sizes[s], (int)st);
				result[r][p][s][st] = timing_median(v, SAMPLES);
			}
}

/* What a path left in the destination, against the bytes it read. */
static bool path_is_right(const struct path *p, size_t len)
{
	bool rx = p->dir[0] == 'r';
	const struct native_span *span = rx ? shapes.io.skb : shapes.io.pages;
	const unsigned char *out = rx ? shapes.io.user : shapes.io.frag;
	unsigned char shift = p->run == native_tx_plain || p->run == native_rx_plain ? 0 : SHIFT;
	size_t off = 0;

	memset(shapes.io.frag, 0, len);
	if (rx)
		memset(shapes.io.user, 0, len);
	shapes.io.chunk = p->chunk;
	p->run(&shapes.io, len);
	for (size_t i = 0; i < len; i++, off++) {
		unsigned char in;

		if (!rx && p->run != native_tx_sendfile) {
			in = shapes.io.user[i];
		} else {
			if (off == span->len) {
				span++;
				off = 0;
			}
			in = span->data[off];
		}
		if (out[i] != (unsigned char)(in + shift)) {
			fprintf(stderr, "native-cost: %s %s: byte %zu of %zu is wrong\n",
				p->dir, p->name, i, len);
			return false;
		}
	}
	return true;
}

/* The median of each round's @f(r) and its range. */
struct spread {
	double median, min, max;
};

static struct spread across_rounds(double (*f)(unsigned int r, size_t p, size_t s, size_t st),
				   size_t p, size_t s, size_t st)
{
	double v[MAX_ROUNDS];
	struct spread out;

	for (unsigned int r = 0; r < rounds; r++)
		v[r] = f(r, p, s, st);
	out.median = timing_median(v, rounds);
	out.min = v[0];
	out.max = v[rounds - 1];
	return out;
}

static double cycles(unsigned int r, size_t p, size_t s, size_t st)
{
	return result[r][p][s][st];
}

static double ratio(unsigned int r, size_t p, size_t s, size_t st)
{
	return result[r][p][s][st] / result[r][paths[p].plain][s][st];
}

static double extra(unsigned int r, size_t p, size_t s, size_t st)
{
	return result[r][p][s][st] - result[r][paths[p].plain][s][st];
}

static const char *size_name(size_t s)
{
	static const char *const names[] = { "1 KiB", "64 KiB", "1 MiB" };

	return names[s];
}

static void print_header_row(const char *first)
{
	printf("| %s | path | kernel takes it |", first);
	for (size_t s = 0; s < NSIZES; s++)
		for (size_t st = 0; st < NSTATES; st++)
			printf(" %s %s |", size_name(s), states[st]);
	printf("\n| --- | --- | --- |");
	for (size_t i = 0; i < NSIZES * NSTATES; i++)
		printf(" --- |");
	printf("\n");
}

static const char *kernel_takes(unsigned int at)
{
	switch (at) {
	case AT_ALL:
		return "every size";
	case AT_1K:
		return "1 KiB";
	case AT_BULK:
		return "64 KiB, 1 MiB";
	default:
		return "-";
	}
}

static void print_value(double v, bool sign)
{
	printf(sign ? "%+.3f" : "%.3f", v);
}

/* A row a path, a column a size and state: @f's median over the rounds, and with @ranges its range. */
static void print_table(const char *title,
			double (*f)(unsigned int r, size_t p, size_t s, size_t st),
			bool plain_rows, bool sign, bool ranges)
{
	printf("\n%s\n\n", title);
	print_header_row("dir");
	for (size_t p = 0; p < NPATHS; p++) {
		if (!plain_rows && (int)p == paths[p].plain)
			continue;
		printf("| %s | %s | %s |", paths[p].dir, paths[p].name,
		       kernel_takes(paths[p].kernel));
		for (size_t s = 0; s < NSIZES; s++)
			for (size_t st = 0; st < NSTATES; st++) {
				struct spread v = across_rounds(f, p, s, st);

				printf(" ");
				print_value(v.median, sign);
				if (ranges) {
					printf(" (");
					print_value(v.min, sign);
					printf(sign ? ".." : "-");
					print_value(v.max, sign);
					printf(")");
				}
				printf(" |");
			}
		printf("\n");
	}
}

static double cycles_to_us(double c)
{
	return c / tsc_ghz / 1e3;
}

/* Timed @n times: the vector shift of @len bytes into @dst, from @src flushed first if @cold. */
static void time_sections(double *t, size_t n, unsigned char *dst,
			  const unsigned char *src, size_t len, bool cold)
{
	native_vector_section(dst, src, len, SHIFT);
	for (size_t i = 0; i < n; i++) {
		uint64_t t0, d;

		if (cold) {
			timing_flush(src, len);
			timing_flushed();
		}
		t0 = timing_begin();
		native_vector_section(dst, src, len, SHIFT);
		d = timing_end() - t0;
		t[i] = d > overhead ? (double)(d - overhead) : 0;
	}
}

static void print_section(const char *what, const char *state, double *t,
			  size_t n)
{
	double med = timing_median(t, n);

	printf("| %s | %s | %.0f (%.2f µs) | %.0f (%.2f µs) | %.0f (%.2f µs) |\n",
	       what, state, med, cycles_to_us(med),
	       timing_quantile(t, n, 0.99), cycles_to_us(timing_quantile(t, n, 0.99)),
	       t[n - 1], cycles_to_us(t[n - 1]));
}

/*
 * The kernel-FPU sections, which keep preemption off: the candidate's
 * chunk from an skb page into the bounce buffer, and the transmit path's
 * 32 KiB chunk shifted in place in the frag, as caesar_shift_buf() runs it
 * now. The first section of a call also saves the registers.
 */
static double measure_sections(void)
{
	static const size_t chunk[] = { 512, 1024, 4096 };
	static double t[SECTION_SAMPLES];
	unsigned char buf[NATIVE_RX_CHUNK_MAX] __attribute__((aligned(64)));
	const unsigned char *page = shapes.io.skb[1].data;
	char what[80];
	double save;

	printf("\nKernel-FPU sections (preemption off): TSC cycles and µs, %d samples\n\n",
	       SECTION_SAMPLES);
	printf("| section | source | median | p99 | max |\n| --- | --- | --- | --- | --- |\n");
	for (size_t i = 0; i < SECTION_SAMPLES; i++) {
		uint64_t t0 = timing_begin(), d;

		native_fpu_save();
		d = timing_end() - t0;
		t[i] = d > overhead ? (double)(d - overhead) : 0;
	}
	print_section("the registers' save (XSAVEC + XRSTOR), once a call", "-", t,
		      SECTION_SAMPLES);
	save = timing_quantile(t, SECTION_SAMPLES, 0.5);
	for (size_t c = 0; c < sizeof(chunk) / sizeof(chunk[0]); c++)
		for (int st = HOT; st <= COLD; st++) {
			snprintf(what, sizeof(what), "rx candidate: %zu B skb page to the bounce",
				 chunk[c]);
			time_sections(t, SECTION_SAMPLES, buf, page, chunk[c], st == COLD);
			print_section(what, states[st], t, SECTION_SAMPLES);
		}
	for (int st = HOT; st <= COLD; st++) {
		time_sections(t, SECTION_SAMPLES, shapes.io.frag, shapes.io.frag,
			      NATIVE_FRAG_SIZE, st == COLD);
		print_section("tx now: 32 KiB in place in the frag", states[st], t,
			      SECTION_SAMPLES);
	}
	return save;
}

/*
 * From how long a read the candidate pays back the registers' save: the
 * save over what it gains a byte on the fused loop, cache-hot at 64 KiB.
 */
static void print_payback(double save)
{
	size_t fused = 0, bounce = 0;
	double d;

	for (size_t p = 0; p < NPATHS; p++) {
		if (paths[p].run == native_rx_fused)
			fused = p;
		if (paths[p].run == native_rx_bounce && paths[p].chunk == NATIVE_RX_CHUNK)
			bounce = p;
	}
	d = across_rounds(extra, fused, 1, HOT).median -
	    across_rounds(extra, bounce, 1, HOT).median;

	printf("\nEstimate: the 1 KiB-bounce candidate gains %.3f cycles a byte on the fused loop"
	       " (hot, 64 KiB reads), so the save (%.0f cycles) is paid back from reads of"
	       " about %.0f bytes on.\n", d, save, d > 0 ? save / d : 0.0);
}

static void print_context(const char *when)
{
	char load[128] = "?";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (!fgets(load, sizeof(load), f))
			snprintf(load, sizeof(load), "?");
		fclose(f);
		load[strcspn(load, "\n")] = 0;
	}
	printf("load average %s: %s\n", when, load);
}

static void print_cpu(void)
{
	char line[256], model[256] = "?";
	FILE *f = fopen("/proc/cpuinfo", "r");
	cpu_set_t set;

	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
			snprintf(model, sizeof(model), "%s", strchr(line, ':') + 2);
			model[strcspn(model, "\n")] = 0;
			break;
		}
	}
	if (f)
		fclose(f);
	CPU_ZERO(&set);
	sched_getaffinity(0, sizeof(set), &set);
	printf("cpu: %s; running on CPU %d of %d allowed (pin with taskset -c N)\n",
	       model, sched_getcpu(), CPU_COUNT(&set));
}

int main(int argc, char **argv)
{
	bool avx2 = __builtin_cpu_supports("avx2");
	bool xsavec = native_paths_init(avx2);
	time_t now = time(NULL);
	char date[64];
	int status = 0;

	rounds = argc > 1 ? (unsigned int)atoi(argv[1]) : 11;
	if (rounds < 1 || rounds > MAX_ROUNDS)
		rounds = rounds < 1 ? 1 : MAX_ROUNDS;
	result = calloc(rounds, sizeof(*result));
	if (!result || !native_shapes_init(&shapes, sizes[NSIZES - 1]))
		return 2;
	shapes.io.shift = SHIFT;
	for (size_t p = 0; p < NPATHS; p++)
		for (size_t s = 0; s < NSIZES; s++)
			if (!path_is_right(&paths[p], sizes[s]))
				status = 1;
	if (status)
		return status;

	strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	tsc_ghz = timing_tsc_ghz(200);
	overhead = timing_overhead();
	printf("native-cost, %s\n", date);
	print_cpu();
	printf("clock: TSC (RDTSC/RDTSCP), %.3f GHz against CLOCK_MONOTONIC; %llu cycles a reading, subtracted\n",
	       tsc_ghz, (unsigned long long)overhead);
	printf("vector loop: %s; registers' save: %s\n", avx2 ? "AVX2" : "SSE2",
	       xsavec ? "XSAVEC + XRSTOR stand-in, once a call where the kernel pays it" :
			"not paid (no XSAVEC)");
	printf("%u rounds of %d samples a path, size and state; every path checked byte by byte first\n",
	       rounds, SAMPLES);
	print_context("before");
	for (unsigned int r = 0; r < rounds; r++)
		measure_round(r);
	print_context("after the paths");

	print_table("Cycles per byte (TSC), median of the rounds (min-max). Plain sendfile() copies nothing: 0.",
		    cycles, true, false, true);
	print_table("Against plain TCP in the same direction, median of the per-round ratios (sendfile: against plain write())",
		    ratio, false, false, false);
	print_table("Extra cycles per byte over plain TCP in the same direction, median of the per-round differences",
		    extra, false, true, false);
	print_payback(measure_sections());
	print_context("at the end");
	native_shapes_free(&shapes);
	free(result);
	return 0;
}
