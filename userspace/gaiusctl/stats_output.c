// SPDX-License-Identifier: GPL-2.0 OR MIT
/* gaiusctl stats's output: see stats_output.h. JSON through jansson. */
#include "stats_output.h"

#include <jansson.h>
#include <string.h>

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
	int err = !doc;

	for (size_t i = 0; !err && i < counters->count; i++)
		err = json_object_set_new(doc, counters->items[i].name,
					  json_integer(counters->items[i].value));
	if (err) {
		json_decref(doc);
		fputs("gaiusctl: out of memory\n", stderr);
		return GAIUSCTL_ERROR;
	}
	err = json_dumpf(doc, out, JSON_COMPACT);
	json_decref(doc);
	if (err || fputc('\n', out) == EOF) {
		perror("gaiusctl: writing the output");
		return GAIUSCTL_ERROR;
	}
	return GAIUSCTL_OK;
}
