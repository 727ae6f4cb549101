// SPDX-License-Identifier: GPL-2.0 OR MIT
/* gaiusctl's JSON: see json_output.h. */
#include "json_output.h"

enum gaiusctl_status gaiusctl_json_print(FILE *out, json_t *doc)
{
	int err;

	if (!doc) {
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
