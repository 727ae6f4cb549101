/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Counting a task's kernel allocations with the kmem trace events.
 *
 * The scenario mounts tracefs (at BENCH_TRACEFS unless --tracefs says
 * elsewhere: `ip netns exec` mounts a /sys of its own) and enables kmem:kmalloc,
 * kmem:kmem_cache_alloc and kmem:mm_page_alloc, with tracing off. The
 * measured task clears the buffer and turns tracing on around the calls it
 * measures, then counts the events recorded for its own pid: those include
 * the softirq work the kernel did while the task was running.
 */
#ifndef GAIUS_BENCH_TRACE_H
#define GAIUS_BENCH_TRACE_H

#include "bench.h"

#define BENCH_TRACEFS "/sys/kernel/tracing"

/* Where tracefs is mounted. */
void bench_trace_dir(const char *dir);
/* 0, or -1 after a message. */
int bench_trace_begin(void);
int bench_trace_end(struct bench_allocs *a);

#endif /* GAIUS_BENCH_TRACE_H */
