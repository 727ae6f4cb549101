/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* gaiusctl list's output: a table, or one JSON object. */
#ifndef GAIUSCTL_LIST_OUTPUT_H
#define GAIUSCTL_LIST_OUTPUT_H

#include <stdio.h>

#include "conn.h"

/*
 * A header line, then one line per connection, columns separated by
 * blanks, "-" where there is no value (docs/man/gaiusctl.8).
 */
void gaiusctl_list_text(FILE *out, const struct gaiusctl_conns *conns);

/* {"connections": [...]}: see docs/man/gaiusctl.8 for the fields. */
void gaiusctl_list_json(FILE *out, const struct gaiusctl_conns *conns);

#endif /* GAIUSCTL_LIST_OUTPUT_H */
