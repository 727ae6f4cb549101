// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host unit test of gaiusctl's /proc/net/caesar_stat parser
 * (userspace/gaiusctl/caesar_stat.c): the kernel's own format, the edges of
 * a long long, and every kind of line it must refuse, with the line number
 * it reports. Prints `PASS: stat(NAME)` or `FAIL: stat(NAME): <reason>`.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "caesar_stat.h"
#include "unit_report.h"

struct stat_case {
	const char *name;
	const char *text;
	long bad_line;			/* 0: parses */
	size_t count;			/* when it parses */
	const char *last_name;		/* when count > 0 */
	long long last_value;
};

static const struct stat_case cases[] = {
	{ "empty", "", 0, 0, NULL, 0 },
	{ "one-space", "A 1\n", 0, 1, "A", 1 },
	{ "digits-underscore", "Caesar_2x\t\t 42\n", 0, 1, "Caesar_2x", 42 },
	{ "negative", "CaesarCurrSockets\t-3\n", 0, 1, "CaesarCurrSockets", -3 },
	{ "minus-zero", "A\t-0\n", 0, 1, "A", 0 },
	{ "llong-max", "A\t9223372036854775807\n", 0, 1, "A", LLONG_MAX },
	{ "llong-min", "A\t-9223372036854775808\n", 0, 1, "A", LLONG_MIN },
	{ "name-63", "N23456789012345678901234567890123456789012345678901234567890123 5\n",
	  0, 1, "N23456789012345678901234567890123456789012345678901234567890123", 5 },

	{ "name-64", "N234567890123456789012345678901234567890123456789012345678901234 5\n", 1, 0, NULL, 0 },
	{ "over-llong-max", "A\t9223372036854775808\n", 1, 0, NULL, 0 },
	{ "under-llong-min", "A\t-9223372036854775809\n", 1, 0, NULL, 0 },
	{ "huge", "A\t99999999999999999999999999\n", 1, 0, NULL, 0 },
	{ "no-newline", "A\t1\nB\t2", 2, 0, NULL, 0 },
	{ "empty-line", "A\t1\n\nB\t2\n", 2, 0, NULL, 0 },
	{ "no-value", "A\t\n", 1, 0, NULL, 0 },
	{ "no-blank", "A1\n", 1, 0, NULL, 0 },
	{ "minus-only", "A\t-\n", 1, 0, NULL, 0 },
	{ "plus", "A\t+1\n", 1, 0, NULL, 0 },
	{ "trailing-blank", "A\t1 \n", 1, 0, NULL, 0 },
	{ "not-a-number", "A\t12a\n", 1, 0, NULL, 0 },
	{ "hex", "A\t0x10\n", 1, 0, NULL, 0 },
	{ "dash-in-name", "Caesar-Tx\t1\n", 1, 0, NULL, 0 },
	{ "leading-blank", " A\t1\n", 1, 0, NULL, 0 },
	{ "third-line", "A\t1\nB\t2\nC D\t3\n", 3, 0, NULL, 0 },
	{ "crlf", "A\t1\r\n", 1, 0, NULL, 0 },
};

static char reason[200];

static bool check_case(const struct stat_case *c)
{
	struct gaiusctl_counters counters;
	long bad = gaiusctl_caesar_stat_parse(c->text, strlen(c->text), &counters);
	bool ok = false;

	if (bad != c->bad_line)
		snprintf(reason, sizeof(reason), "returned %ld, expected %ld", bad,
			 c->bad_line);
	else if (!bad && counters.count != c->count)
		snprintf(reason, sizeof(reason), "%zu counters, expected %zu",
			 counters.count, c->count);
	else if (!bad && c->count &&
		 (strcmp(counters.items[c->count - 1].name, c->last_name) ||
		  counters.items[c->count - 1].value != c->last_value))
		snprintf(reason, sizeof(reason), "last counter %s = %lld, expected %s = %lld",
			 counters.items[c->count - 1].name,
			 counters.items[c->count - 1].value, c->last_name,
			 c->last_value);
	else
		ok = true;
	gaiusctl_counters_free(&counters);
	return ok;
}

/*
 * The text as kernel/caesar_stats.c prints it ("%-32s\t%ld\n" a counter):
 * every counter, in order, with its value.
 */
static bool check_kernel_format(void)
{
	static const char *const names[] = {
		"CaesarCurrSockets", "CaesarAttached", "CaesarAttachFail",
		"CaesarTxBytes", "CaesarRxBytes", "CaesarTxErrors",
		"CaesarRxErrors", "CaesarRuleKeys", "CaesarRuleChildren",
		"CaesarRuleRetries", "CaesarRuleFails",
	};
	static const long values[] = { 2, 7, 0, 1000003, 1000003, 0, 0, 4, 8, 1, -1 };
	const size_t n = sizeof(names) / sizeof(names[0]);
	struct gaiusctl_counters counters;
	char text[1024];
	size_t len = 0;
	bool ok = true;

	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%-32s\t%ld\n",
					names[i], values[i]);
	if (gaiusctl_caesar_stat_parse(text, len, &counters) || counters.count != n) {
		snprintf(reason, sizeof(reason), "did not parse into %zu counters", n);
		ok = false;
	}
	for (size_t i = 0; ok && i < n; i++) {
		if (strcmp(counters.items[i].name, names[i]) ||
		    counters.items[i].value != values[i]) {
			snprintf(reason, sizeof(reason), "counter %zu is %s = %lld", i,
				 counters.items[i].name, counters.items[i].value);
			ok = false;
		}
	}
	gaiusctl_counters_free(&counters);
	return ok;
}

/* The reader on a file that is not there: the "not loaded" status. */
static bool check_missing_file(void)
{
	struct gaiusctl_counters counters;
	enum gaiusctl_status status;

	status = gaiusctl_caesar_stat_read("/nonexistent/caesar_stat", &counters);
	if (status != GAIUSCTL_NOT_LOADED) {
		snprintf(reason, sizeof(reason), "status %d, expected %d", status,
			 GAIUSCTL_NOT_LOADED);
		return false;
	}
	if (gaiusctl_caesar_stat_check("/nonexistent/caesar_stat") != GAIUSCTL_NOT_LOADED) {
		snprintf(reason, sizeof(reason), "the check did not say not loaded");
		return false;
	}
	return true;
}

int main(void)
{
	char name[80];
	int failed = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(name, sizeof(name), "stat(%s)", cases[i].name);
		failed += unit_report(name, check_case(&cases[i]), reason);
	}
	failed += unit_report("stat(kernel-format)", check_kernel_format(), reason);
	failed += unit_report("stat(missing-file)", check_missing_file(), reason);
	return failed ? 1 : 0;
}
