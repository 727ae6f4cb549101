// SPDX-License-Identifier: GPL-2.0 OR MIT
/* One line per check: see unit_report.h. */
#include "unit_report.h"

#include <stdio.h>

int unit_report(const char *name, bool ok, const char *reason)
{
	if (ok)
		printf("PASS: %s\n", name);
	else
		printf("FAIL: %s: %s\n", name, reason);
	return ok ? 0 : 1;
}
