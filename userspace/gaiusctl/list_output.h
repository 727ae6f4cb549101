/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* gaiusctl list's output: a table, or one JSON object. */
#ifndef GAIUSCTL_LIST_OUTPUT_H
#define GAIUSCTL_LIST_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "conn.h"
#include "gaiusctl_status.h"

/* What is shown beside the connection, its keys and its bytes. */
struct gaiusctl_list_columns {
	bool extended;		/* -e: the socket's uid and inode (JSON: always) */
	bool processes;		/* -p: the processes that hold it */
};

/*
 * A header line, then one line per connection, columns separated by
 * blanks, "-" where there is no value (docs/man/gaiusctl.8).
 */
enum gaiusctl_status gaiusctl_list_text(FILE *out,
					const struct gaiusctl_conns *conns,
					const struct gaiusctl_list_columns *columns);

/*
 * {"connections": [...]} on one line: see docs/man/gaiusctl.8 for the
 * fields.
 */
enum gaiusctl_status gaiusctl_list_json(FILE *out,
					const struct gaiusctl_conns *conns,
					const struct gaiusctl_list_columns *columns);

#endif /* GAIUSCTL_LIST_OUTPUT_H */
