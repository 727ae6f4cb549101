// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Reading a target's --key: see gaius_xt_key.h. */
#include "gaius_xt_key.h"

#include <stdbool.h>

/*
 * Our own digit test: isdigit() and isxdigit() follow the locale, and
 * strtoul() would take blanks, a sign and, in base 0, octal.
 */
static int digit_value(char c, unsigned int base)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (base == 16 && c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (base == 16 && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool all_digits(const char *digits, unsigned int base)
{
	if (*digits == '\0')
		return false;
	for (; *digits != '\0'; digits++)
		if (digit_value(*digits, base) < 0)
			return false;
	return true;
}

enum gaius_xt_key_status gaius_xt_parse_key(const char *text, uint32_t *key)
{
	bool hex = text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
	unsigned int base = hex ? 16 : 10;
	const char *digits = hex ? text + 2 : text;
	uint64_t value = 0;

	if (*text == '\0')
		return GAIUS_XT_KEY_EMPTY;
	if (text[0] == '-' && all_digits(text + 1, 10))
		return GAIUS_XT_KEY_NEGATIVE;
	if (!all_digits(digits, base))
		return GAIUS_XT_KEY_NOT_NUMBER;
	/* Checked at every digit, so that any number of digits is safe. */
	for (; *digits != '\0'; digits++) {
		value = value * base + (unsigned int)digit_value(*digits, base);
		if (value > UINT32_MAX)
			return GAIUS_XT_KEY_TOO_LARGE;
	}
	if ((value & 0xff) == 0)
		return GAIUS_XT_KEY_PLAINTEXT;
	*key = (uint32_t)value;
	return GAIUS_XT_KEY_OK;
}

const char *gaius_xt_key_problem(enum gaius_xt_key_status status)
{
	switch (status) {
	case GAIUS_XT_KEY_OK:
		break;
	case GAIUS_XT_KEY_EMPTY:
		return "no number given";
	case GAIUS_XT_KEY_NEGATIVE:
		return "a key is unsigned, from 0 to 4294967295";
	case GAIUS_XT_KEY_NOT_NUMBER:
		return "not a number: write decimal digits, or 0x and hex digits, with no sign or blanks";
	case GAIUS_XT_KEY_TOO_LARGE:
		return "larger than 4294967295: a key is 32 bits";
	case GAIUS_XT_KEY_PLAINTEXT:
		return "its shift (key mod 256) is 0, which would send plaintext";
	}
	return "no problem";
}
