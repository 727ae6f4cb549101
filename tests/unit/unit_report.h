/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The unit tests' output contract: `PASS: <name>` or `FAIL: <name>: <reason>`. */
#ifndef GAIUS_UNIT_REPORT_H
#define GAIUS_UNIT_REPORT_H

#include <stdbool.h>

/* Print the check's line; returns 1 when it failed, for counting. */
int unit_report(const char *name, bool ok, const char *reason);

#endif /* GAIUS_UNIT_REPORT_H */
