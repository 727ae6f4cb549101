// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Counting a task's kernel allocations: see bench_trace.h. */
#include "bench_trace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *trace_dir = BENCH_TRACEFS;

void bench_trace_dir(const char *dir)
{
	trace_dir = dir;
}

static int write_file(const char *name, const char *text, int flags)
{
	char path[128];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", trace_dir, name);
	fd = open(path, O_WRONLY | O_CLOEXEC | flags);
	if (fd < 0) {
		fprintf(stderr, "gaius-bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = write(fd, text, strlen(text));
	close(fd);
	return n < 0 ? -1 : 0;
}

int bench_trace_begin(void)
{
	if (write_file("tracing_on", "0", 0) || write_file("trace", "", O_TRUNC))
		return -1;
	return write_file("tracing_on", "1", 0);
}

/* The number after "@key=" in @line, 0 if there is none. */
static uint64_t field(const char *line, const char *key)
{
	const char *p = strstr(line, key);

	return p ? strtoull(p + strlen(key), NULL, 0) : 0;
}

/* Whether the task field before the CPU ("comm-PID  [001]") is @pid's. */
static bool is_task(const char *line, const char *pid_tag)
{
	const char *cpu = strstr(line, " [");
	size_t n = strlen(pid_tag);
	const char *end = cpu;

	if (!cpu)
		return false;
	while (end > line && end[-1] == ' ')
		end--;
	return (size_t)(end - line) >= n && !memcmp(end - n, pid_tag, n);
}

static void count_line(const char *line, const char *pid_tag,
		       struct bench_allocs *a)
{
	uint64_t bytes = 0;
	bool counted = true;

	if (strstr(line, "LOST") && strstr(line, "EVENTS"))
		a->lost = 1;
	if (!is_task(line, pid_tag))
		return;
	if (strstr(line, " kmalloc: ")) {
		a->kmalloc++;
		bytes = field(line, "bytes_alloc=");
	} else if (strstr(line, " kmem_cache_alloc: ")) {
		a->cache_alloc++;
		bytes = field(line, "bytes_alloc=");
	} else if (strstr(line, " mm_page_alloc: ")) {
		a->pages += 1u << field(line, "order=");
	} else {
		counted = false;
	}
	a->bytes += bytes;
	if (counted && (strstr(line, "[caesar]") || strstr(line, "[xt_GAIUS]"))) {
		a->ours++;
		a->ours_bytes += bytes;
	}
}

int bench_trace_end(struct bench_allocs *a)
{
	char path[128], pid_tag[32], *line = NULL;
	size_t cap = 0;
	FILE *f;

	if (write_file("tracing_on", "0", 0))
		return -1;
	snprintf(path, sizeof(path), "%s/trace", trace_dir);
	snprintf(pid_tag, sizeof(pid_tag), "-%d", (int)getpid());
	f = fopen(path, "re");
	if (!f) {
		fprintf(stderr, "gaius-bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) > 0)
		count_line(line, pid_tag, a);
	free(line);
	fclose(f);
	return 0;
}
