// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Reading a caesar key from text: see gaius_key.h. */
#include "gaius_key.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

int gaius_parse_key(const char *text, int *key)
{
	int base = text[0] == '0' && (text[1] == 'x' || text[1] == 'X') ? 16 : 10;
	const char *digits = base == 16 ? text + 2 : text;
	const char *first = base == 10 && *digits == '-' ? digits + 1 : digits;
	char *end;
	long value;

	/* strtol() would also take blanks, a '+' and, for hex, a sign. */
	if (!(base == 16 ? isxdigit((unsigned char)*first) : isdigit((unsigned char)*first)))
		return -1;
	errno = 0;
	value = strtol(digits, &end, base);
	if (errno || *end || value < INT_MIN || value > INT_MAX)
		return -1;
	*key = (int)value;
	return 0;
}
