/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* gaiusctl's JSON: one document a line, built with jansson. */
#ifndef GAIUSCTL_JSON_OUTPUT_H
#define GAIUSCTL_JSON_OUTPUT_H

#include <jansson.h>
#include <stdio.h>

#include "gaiusctl_status.h"

/*
 * Writes @doc compact on one line, as nft -j does, and releases it. A NULL
 * @doc is a document that could not be built: memory ran out. Says why on
 * failure.
 */
enum gaiusctl_status gaiusctl_json_print(FILE *out, json_t *doc);

#endif /* GAIUSCTL_JSON_OUTPUT_H */
