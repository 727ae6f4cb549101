// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host unit test of gaius_xt_parse_key() (userspace/xtables/gaius_xt_key.c),
 * the --key parser both iptables plugins use: what it takes, what it
 * refuses and why, and that a refused key leaves the output alone.
 * Prints `PASS: xt_key("TEXT")` or `FAIL: xt_key("TEXT"): <reason>` per input.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gaius_xt_key.h"
#include "unit_report.h"

#define UNTOUCHED 0xdeadbeefU

struct key_case {
	const char *text;
	enum gaius_xt_key_status status;
	uint32_t key;		/* when status is GAIUS_XT_KEY_OK */
};

static const struct key_case cases[] = {
	{ "12354", GAIUS_XT_KEY_OK, 12354 },
	{ "0x3042", GAIUS_XT_KEY_OK, 12354 },
	{ "1", GAIUS_XT_KEY_OK, 1 },
	{ "255", GAIUS_XT_KEY_OK, 255 },
	{ "257", GAIUS_XT_KEY_OK, 257 },
	{ "4294967295", GAIUS_XT_KEY_OK, 4294967295U },
	{ "0x1ff", GAIUS_XT_KEY_OK, 0x1ff },
	{ "0XFF", GAIUS_XT_KEY_OK, 0xff },
	{ "0xFfFfFfFf", GAIUS_XT_KEY_OK, 0xffffffffU },
	{ "0x00000000000000000001", GAIUS_XT_KEY_OK, 1 },
	{ "010", GAIUS_XT_KEY_OK, 10 },			/* not octal */
	{ "00000000000000000000000012", GAIUS_XT_KEY_OK, 12 },

	{ "", GAIUS_XT_KEY_EMPTY, 0 },
	{ "-1", GAIUS_XT_KEY_NEGATIVE, 0 },
	{ "-0", GAIUS_XT_KEY_NEGATIVE, 0 },
	{ "abc", GAIUS_XT_KEY_NOT_NUMBER, 0 },
	{ "0x", GAIUS_XT_KEY_NOT_NUMBER, 0 },
	{ "0X", GAIUS_XT_KEY_NOT_NUMBER, 0 },
	{ " 12", GAIUS_XT_KEY_NOT_NUMBER, 0 },
	{ "12 ", GAIUS_XT_KEY_NOT_NUMBER, 0 },
	{ "12\n", GAIUS_XT_KEY_NOT_NUMBER, 0 },
	{ "1e3", GAIUS_XT_KEY_NOT_NUMBER, 0 },
	{ "+5", GAIUS_XT_KEY_NOT_NUMBER, 0 },
	{ "-", GAIUS_XT_KEY_NOT_NUMBER, 0 },
	{ "-0x5", GAIUS_XT_KEY_NOT_NUMBER, 0 },
	{ "0x-5", GAIUS_XT_KEY_NOT_NUMBER, 0 },
	{ "0x1g", GAIUS_XT_KEY_NOT_NUMBER, 0 },
	{ "ff", GAIUS_XT_KEY_NOT_NUMBER, 0 },		/* hex needs 0x */
	{ "12abc", GAIUS_XT_KEY_NOT_NUMBER, 0 },
	{ "4294967296x", GAIUS_XT_KEY_NOT_NUMBER, 0 },	/* malformed before large */
	{ "4294967296", GAIUS_XT_KEY_TOO_LARGE, 0 },
	{ "0x100000001", GAIUS_XT_KEY_TOO_LARGE, 0 },
	{ "18446744073709551617", GAIUS_XT_KEY_TOO_LARGE, 0 },	/* 2^64 + 1 */
	{ "99999999999999999999999999999999", GAIUS_XT_KEY_TOO_LARGE, 0 },
	{ "256", GAIUS_XT_KEY_PLAINTEXT, 0 },
	{ "0", GAIUS_XT_KEY_PLAINTEXT, 0 },
	{ "0x0", GAIUS_XT_KEY_PLAINTEXT, 0 },
	{ "0x100", GAIUS_XT_KEY_PLAINTEXT, 0 },
	{ "4294967040", GAIUS_XT_KEY_PLAINTEXT, 0 },	/* 0xffffff00 */
};

static const char *const status_names[] = {
	[GAIUS_XT_KEY_OK] = "OK",
	[GAIUS_XT_KEY_EMPTY] = "EMPTY",
	[GAIUS_XT_KEY_NEGATIVE] = "NEGATIVE",
	[GAIUS_XT_KEY_NOT_NUMBER] = "NOT_NUMBER",
	[GAIUS_XT_KEY_TOO_LARGE] = "TOO_LARGE",
	[GAIUS_XT_KEY_PLAINTEXT] = "PLAINTEXT",
};

static char reason[200];

static bool check_case(const struct key_case *c)
{
	uint32_t key = UNTOUCHED;
	enum gaius_xt_key_status status = gaius_xt_parse_key(c->text, &key);
	uint32_t expected = c->status == GAIUS_XT_KEY_OK ? c->key : UNTOUCHED;

	if (status != c->status) {
		snprintf(reason, sizeof(reason), "got %s (%s), expected %s",
			 status_names[status], gaius_xt_key_problem(status),
			 status_names[c->status]);
		return false;
	}
	if (key != expected) {
		snprintf(reason, sizeof(reason), "key is %u, expected %u", key, expected);
		return false;
	}
	return true;
}

/* Every refusal has its own message, and the shift-0 one says why. */
static bool check_problems(void)
{
	for (int s = GAIUS_XT_KEY_EMPTY; s <= GAIUS_XT_KEY_PLAINTEXT; s++) {
		const char *problem = gaius_xt_key_problem((enum gaius_xt_key_status)s);

		for (int t = GAIUS_XT_KEY_EMPTY; t < s; t++) {
			if (!strcmp(problem, gaius_xt_key_problem((enum gaius_xt_key_status)t))) {
				snprintf(reason, sizeof(reason), "%s and %s say the same: %s",
					 status_names[t], status_names[s], problem);
				return false;
			}
		}
	}
	if (!strstr(gaius_xt_key_problem(GAIUS_XT_KEY_PLAINTEXT), "plaintext")) {
		snprintf(reason, sizeof(reason), "the shift-0 refusal does not say plaintext");
		return false;
	}
	return true;
}

/* xt_key("TEXT"), with a newline in TEXT written \n: one line per check. */
static void case_name(char *name, size_t size, const char *text)
{
	size_t n = (size_t)snprintf(name, size, "xt_key(\"");

	for (; *text != '\0' && n + 6 < size; text++) {
		if (*text == '\n') {
			name[n++] = '\\';
			name[n++] = 'n';
		} else {
			name[n++] = *text;
		}
	}
	snprintf(name + n, size - n, "\")");
}

int main(void)
{
	char name[80];
	int failed = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		case_name(name, sizeof(name), cases[i].text);
		failed += unit_report(name, check_case(&cases[i]), reason);
	}
	failed += unit_report("xt_key_problems_differ", check_problems(), reason);
	return failed ? 1 : 0;
}
