// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The reference model of the key parser: see key_reference.h. */
#include "key_reference.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

static bool starts_with_digit(const char *text)
{
	return text[0] >= '0' && text[0] <= '9';
}

enum gaius_key_status key_reference_parse(const char *text, uint32_t *key)
{
	char *end;
	uintmax_t value;

	if (text[0] == '\0')
		return GAIUS_KEY_EMPTY;
	if (text[0] == '-') {
		uint32_t ignored;
		enum gaius_key_status rest = key_reference_parse(text + 1, &ignored);

		return rest == GAIUS_KEY_OK || rest == GAIUS_KEY_TOO_LARGE ?
		       GAIUS_KEY_NEGATIVE : GAIUS_KEY_NOT_NUMBER;
	}
	/* strtoumax() skips blanks and takes a sign; iptables' numbers too. */
	if (!starts_with_digit(text))
		return GAIUS_KEY_NOT_NUMBER;
	/* C23's 0b (glibc 2.38 on): C11's strtoumax(), as iptables, stops at b. */
	if (text[0] == '0' && (text[1] == 'b' || text[1] == 'B'))
		return GAIUS_KEY_NOT_NUMBER;
	errno = 0;
	value = strtoumax(text, &end, 0);
	if (*end != '\0') {
		/* "08": strtoumax() read the octal "0" and left "8". */
		bool decimal_digits = strspn(text, "0123456789") == strlen(text);

		return text[0] == '0' && decimal_digits ? GAIUS_KEY_NOT_OCTAL :
							  GAIUS_KEY_NOT_NUMBER;
	}
	if (errno == ERANGE || value > UINT32_MAX)
		return GAIUS_KEY_TOO_LARGE;
	*key = (uint32_t)value;
	return GAIUS_KEY_OK;
}
