// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer harness for gaius_key_parse() (userspace/common/gaius_key.c),
 * the one key parser of every gaius tool (the iptables plugins' --key, the
 * preload's GAIUS_KEY, caesar-client, gaius-xfer), against its reference
 * model (tests/unit/key_reference.c: iptables' strtoumax() with base 0,
 * less blanks and sign), which the unit test tests/unit/test_key.c uses
 * too. For a key taken, the printer's text (gaius_key_format()) must read
 * back as the same key, and the shift check must say what key mod 256 says.
 *
 * The input, up to its first NUL, is the key text, in a buffer of exactly
 * its size so that AddressSanitizer sees any read past the terminator. Any
 * disagreement (status, key, *key written on a refusal, a missing message,
 * a printed key read back otherwise) aborts, which libFuzzer reports with
 * the input that caused it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaius_key.h"
#include "key_reference.h"

#define UNTOUCHED 0x5eedf00dU

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void disagree(const char *text, const char *what, unsigned long got,
		     unsigned long want)
{
	fprintf(stderr, "fuzz_xt_key: \"%s\": %s is %lu, the reference says %lu\n",
		text, what, got, want);
	abort();
}

/* A key taken is printed in decimal, which reads back as the same key. */
static void check_printed(const char *text, uint32_t key)
{
	char printed[GAIUS_KEY_TEXT_SIZE];
	uint32_t again = UNTOUCHED;
	enum gaius_key_status status;

	gaius_key_format(key, printed);
	if (printed[0] == '0' && printed[1] != '\0')
		disagree(text, "a leading 0 in the printed key", 1, 0);
	status = gaius_key_parse(printed, &again);
	if (status != GAIUS_KEY_OK)
		disagree(text, "the printed key's status", status, GAIUS_KEY_OK);
	if (again != key)
		disagree(text, "the printed key read back", again, key);
	if ((gaius_key_check_shift(key) == GAIUS_KEY_PLAINTEXT) != (key % 256 == 0))
		disagree(text, "the shift check's refusal", key % 256 == 0 ? 0 : 1,
			 key % 256 == 0 ? 1 : 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = strnlen((const char *)data, size);
	char *text = malloc(len + 1);
	uint32_t key = UNTOUCHED, want_key = UNTOUCHED;
	enum gaius_key_status status, want;
	const char *problem;

	if (!text)
		return 0;
	memcpy(text, data, len);
	text[len] = '\0';
	status = gaius_key_parse(text, &key);
	want = key_reference_parse(text, &want_key);
	if (status != want)
		disagree(text, "the status", status, want);
	if (key != want_key)
		disagree(text, "*key", key, want_key);
	problem = gaius_key_problem(status);
	if (!problem || (status != GAIUS_KEY_OK && problem[0] == '\0'))
		disagree(text, "the message's presence", 0, 1);
	if (status == GAIUS_KEY_OK)
		check_printed(text, key);
	free(text);
	return 0;
}
