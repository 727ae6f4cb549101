/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* gaiusctl stats's output: NAME VALUE lines, or one JSON object. */
#ifndef GAIUSCTL_STATS_OUTPUT_H
#define GAIUSCTL_STATS_OUTPUT_H

#include <stdio.h>

#include "caesar_stat.h"
#include "gaiusctl_status.h"

/* One "NAME  VALUE" line per counter, in the file's order, values aligned. */
void gaiusctl_stats_text(FILE *out, const struct gaiusctl_counters *counters);

/* {"NAME": VALUE, ...} on one line, in the file's order. */
enum gaiusctl_status gaiusctl_stats_json(FILE *out,
					 const struct gaiusctl_counters *counters);

#endif /* GAIUSCTL_STATS_OUTPUT_H */
