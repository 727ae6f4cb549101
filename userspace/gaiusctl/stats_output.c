// SPDX-License-Identifier: GPL-2.0 OR MIT
/* gaiusctl stats's output: see stats_output.h. JSON through jansson. */
#include "stats_output.h"

#include <string.h>

#include "json_output.h"

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

enum gaiusctl_status gaiusctl_stats_json(FILE *out,
					 const struct gaiusctl_counters *counters)
{
	json_t *doc = json_object();

	for (size_t i = 0; doc && i < counters->count; i++) {
		if (json_object_set_new(doc, counters->items[i].name,
					json_integer(counters->items[i].value))) {
			json_decref(doc);
			doc = NULL;
		}
	}
	return gaiusctl_json_print(out, doc);
}
