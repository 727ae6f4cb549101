/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The one piece of JSON that needs care: strings. */
#ifndef GAIUSCTL_JSON_H
#define GAIUSCTL_JSON_H

#include <stdio.h>

/*
 * Writes @s as a JSON string, quotes included: '"' and '\\' escaped, and
 * every byte outside printable ASCII as \u00XX, so the output is valid
 * JSON (and ASCII) whatever @s holds.
 */
void gaiusctl_json_string(FILE *out, const char *s);

#endif /* GAIUSCTL_JSON_H */
