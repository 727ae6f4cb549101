// SPDX-License-Identifier: GPL-2.0 OR MIT
/* A caesar key as text: see gaius_key.h. */
#include "gaius_key.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

/*
 * Our own digit test: isdigit() and isxdigit() follow the locale, and
 * strtoul() would take blanks and a sign. -1 when @c is no digit of @base.
 */
static int digit_value(char c, unsigned int base)
{
	int value = -1;

	if (c >= '0' && c <= '9')
		value = c - '0';
	else if (c >= 'a' && c <= 'f')
		value = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		value = c - 'A' + 10;
	return value >= 0 && (unsigned int)value < base ? value : -1;
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

/* The number without a sign; strtoul()'s base 0 picks the base. */
static enum gaius_key_status parse_unsigned(const char *text, uint32_t *key)
{
	bool hex = text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
	unsigned int base = hex ? 16 : text[0] == '0' ? 8 : 10;
	const char *digits = hex ? text + 2 : text;
	uint64_t value = 0;

	if (*text == '\0')
		return GAIUS_KEY_EMPTY;
	if (digit_value(*text, 10) < 0)
		return GAIUS_KEY_NOT_NUMBER;	/* a blank, a sign, a letter */
	if (base == 8 && !all_digits(digits, 8) && all_digits(digits, 10))
		return GAIUS_KEY_NOT_OCTAL;
	if (!all_digits(digits, base))
		return GAIUS_KEY_NOT_NUMBER;
	/* Checked at every digit, so that any number of digits is safe. */
	for (; *digits != '\0'; digits++) {
		value = value * base + (unsigned int)digit_value(*digits, base);
		if (value > UINT32_MAX)
			return GAIUS_KEY_TOO_LARGE;
	}
	*key = (uint32_t)value;
	return GAIUS_KEY_OK;
}

enum gaius_key_status gaius_key_parse(const char *text, uint32_t *key)
{
	uint32_t ignored;

	if (text[0] == '-') {
		enum gaius_key_status rest = parse_unsigned(text + 1, &ignored);

		return rest == GAIUS_KEY_OK || rest == GAIUS_KEY_TOO_LARGE ?
		       GAIUS_KEY_NEGATIVE : GAIUS_KEY_NOT_NUMBER;
	}
	return parse_unsigned(text, key);
}

enum gaius_key_status gaius_key_check_shift(uint32_t key)
{
	return gaius_key_shift(key) == 0 ? GAIUS_KEY_PLAINTEXT : GAIUS_KEY_OK;
}

const char *gaius_key_problem(enum gaius_key_status status)
{
	switch (status) {
	case GAIUS_KEY_OK:
		break;
	case GAIUS_KEY_EMPTY:
		return "no number given";
	case GAIUS_KEY_NEGATIVE:
		return "a key is unsigned, from 0 to 4294967295";
	case GAIUS_KEY_NOT_NUMBER:
		return "not a number: write decimal digits, 0x and hex digits, or 0 and octal digits, with no sign or blanks";
	case GAIUS_KEY_NOT_OCTAL:
		return "a leading 0 makes it octal, whose digits are 0 to 7 (as in iptables)";
	case GAIUS_KEY_TOO_LARGE:
		return "larger than 4294967295: a key is 32 bits";
	case GAIUS_KEY_PLAINTEXT:
		return "its shift (key mod 256) is 0, which would send plaintext";
	}
	return "no problem";
}

const char *gaius_key_format(uint32_t key, char text[GAIUS_KEY_TEXT_SIZE])
{
	snprintf(text, GAIUS_KEY_TEXT_SIZE, "%" PRIu32, key);
	return text;
}
