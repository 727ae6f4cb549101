// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer harness for gaius_xt_parse_key() (userspace/xtables/gaius_xt_key.c),
 * the --key parser of both iptables plugins, checked against a reference
 * written from its contract (gaius_xt_key.h) in another way: digits are
 * compared as strings, never accumulated, so an overflow in one does not
 * hide in the other.
 *
 * The input, up to its first NUL, is the --key text, in a buffer of exactly
 * its size so that AddressSanitizer sees any read past the terminator. Any
 * disagreement (status, key, *key written on a refusal, a missing message)
 * aborts, which libFuzzer reports with the input that caused it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaius_xt_key.h"

#define UNTOUCHED 0x5eedf00dU

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool is_digit_in(char c, bool hex)
{
	if (c >= '0' && c <= '9')
		return true;
	return hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
}

static bool digits_only(const char *s, bool hex)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!is_digit_in(*s, hex))
			return false;
	return true;
}

static unsigned int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned int)(c - 'a' + 10);
	return (unsigned int)(c - 'A' + 10);
}

/*
 * The number written by @digits (all valid), if it fits in 32 bits: leading
 * zeros dropped, then at most 8 hex digits, or at most 10 decimal digits
 * that compare as a string no greater than "4294967295".
 */
static bool fits_u32(const char *digits, bool hex, uint32_t *value)
{
	size_t n;

	while (*digits == '0' && digits[1] != '\0')
		digits++;
	n = strlen(digits);
	if (hex ? n > 8 : (n > 10 || (n == 10 && strcmp(digits, "4294967295") > 0)))
		return false;
	*value = 0;
	for (; *digits != '\0'; digits++)
		*value = *value * (hex ? 16 : 10) + hex_value(*digits);
	return true;
}

static enum gaius_xt_key_status reference_parse(const char *text, uint32_t *key)
{
	bool hex = text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
	uint32_t value;

	if (*text == '\0')
		return GAIUS_XT_KEY_EMPTY;
	if (text[0] == '-' && digits_only(text + 1, false))
		return GAIUS_XT_KEY_NEGATIVE;
	if (!digits_only(hex ? text + 2 : text, hex))
		return GAIUS_XT_KEY_NOT_NUMBER;
	if (!fits_u32(hex ? text + 2 : text, hex, &value))
		return GAIUS_XT_KEY_TOO_LARGE;
	if ((value & 0xff) == 0)
		return GAIUS_XT_KEY_PLAINTEXT;
	*key = value;
	return GAIUS_XT_KEY_OK;
}

static void disagree(const char *text, const char *what, unsigned long got,
		     unsigned long want)
{
	fprintf(stderr, "fuzz_xt_key: \"%s\": %s is %lu, the reference says %lu\n",
		text, what, got, want);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = strnlen((const char *)data, size);
	char *text = malloc(len + 1);
	uint32_t key = UNTOUCHED, want_key = UNTOUCHED;
	enum gaius_xt_key_status status, want;
	const char *problem;

	if (!text)
		return 0;
	memcpy(text, data, len);
	text[len] = '\0';
	status = gaius_xt_parse_key(text, &key);
	want = reference_parse(text, &want_key);
	if (status != want)
		disagree(text, "the status", status, want);
	if (key != want_key)
		disagree(text, "*key", key, want_key);
	problem = gaius_xt_key_problem(status);
	if (!problem || (status != GAIUS_XT_KEY_OK && problem[0] == '\0'))
		disagree(text, "the message's presence", 0, 1);
	free(text);
	return 0;
}
