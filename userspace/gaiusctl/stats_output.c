// SPDX-License-Identifier: GPL-2.0 OR MIT
/* gaiusctl stats's output: see stats_output.h. */
#include "stats_output.h"

#include <string.h>

#include "json.h"

void gaiusctl_stats_text(FILE *out, const struct gaiusctl_counters *counters)
{
	int width = 0;

	for (size_t i = 0; i < counters->count; i++) {
		int len = (int)strlen(counters->items[i].name);

		if (len > width)
			width = len;
	}
	for (size_t i = 0; i < counters->count; i++)
		fprintf(out, "%-*s  %lld\n", width, counters->items[i].name,
			counters->items[i].value);
}

void gaiusctl_stats_json(FILE *out, const struct gaiusctl_counters *counters)
{
	fputc('{', out);
	for (size_t i = 0; i < counters->count; i++) {
		fputs(i ? ",\n  " : "\n  ", out);
		gaiusctl_json_string(out, counters->items[i].name);
		fprintf(out, ": %lld", counters->items[i].value);
	}
	fputs(counters->count ? "\n}\n" : "}\n", out);
}
