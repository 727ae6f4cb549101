/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * /proc/net/caesar_stat (kernel/caesar_stats.c): one counter a line, its
 * name, blanks, and its value in decimal, for the caller's network
 * namespace. The file exists while caesar.ko is loaded.
 */
#ifndef GAIUSCTL_CAESAR_STAT_H
#define GAIUSCTL_CAESAR_STAT_H

#include <stddef.h>

#include "gaiusctl_status.h"

#define GAIUSCTL_CAESAR_STAT "/proc/net/caesar_stat"
#define GAIUSCTL_STAT_NAME_MAX 64

struct gaiusctl_counter {
	char name[GAIUSCTL_STAT_NAME_MAX];
	long long value;
};

struct gaiusctl_counters {
	struct gaiusctl_counter *items;
	size_t count;
};

/*
 * Parses the file's text (@len bytes) into @out (freed with
 * gaiusctl_counters_free, also on failure). Names are letters, digits and
 * '_', shorter than GAIUSCTL_STAT_NAME_MAX; values fit a long long; every
 * line ends in '\n'. Returns 0, or the number of the first line that does
 * not parse (1-based), or -1 when memory runs out.
 */
long gaiusctl_caesar_stat_parse(const char *text, size_t len,
				struct gaiusctl_counters *out);

void gaiusctl_counters_free(struct gaiusctl_counters *counters);

/*
 * Whether @path exists: GAIUSCTL_OK, or GAIUSCTL_NOT_LOADED with a message
 * naming the module, or GAIUSCTL_ERROR when it cannot be checked.
 */
enum gaiusctl_status gaiusctl_caesar_stat_check(const char *path);

/*
 * Reads and parses @path. GAIUSCTL_NOT_LOADED (with a message naming the
 * module) when it does not exist, GAIUSCTL_ERROR on any other failure.
 */
enum gaiusctl_status gaiusctl_caesar_stat_read(const char *path,
					       struct gaiusctl_counters *out);

#endif /* GAIUSCTL_CAESAR_STAT_H */
