// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Decimal numbers on a command line: see gaius_decimal.h. */
#include "gaius_decimal.h"

bool gaius_decimal(const char *text, unsigned long max, unsigned long *value)
{
	unsigned long n = 0;

	if (!*text)
		return false;
	for (; *text; text++) {
		unsigned int digit = (unsigned int)(*text - '0');

		if (digit > 9 || n > (max - digit) / 10)
			return false;
		n = n * 10 + digit;
	}
	*value = n;
	return true;
}
