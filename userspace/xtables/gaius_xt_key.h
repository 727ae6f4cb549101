/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Reading the --key of -j GAIUSENCRYPT and -j GAIUSDECRYPT. Both plugins
 * use it through gaius_xt.c; it needs nothing from libxtables, so the host
 * unit test (tests/unit/test_xt_key.c) links it alone.
 */
#ifndef GAIUS_XT_KEY_H
#define GAIUS_XT_KEY_H

#include <stdint.h>

enum gaius_xt_key_status {
	GAIUS_XT_KEY_OK,
	GAIUS_XT_KEY_EMPTY,		/* "" */
	GAIUS_XT_KEY_NEGATIVE,		/* "-1" */
	GAIUS_XT_KEY_NOT_NUMBER,	/* "abc", "0x", " 12", "+5", "1e3" */
	GAIUS_XT_KEY_TOO_LARGE,		/* "4294967296" */
	GAIUS_XT_KEY_PLAINTEXT,		/* "256": shift 0 */
};

/*
 * A key is decimal digits, or 0x (or 0X) and hex digits, with nothing
 * around them: no blanks, no sign. A leading 0 does not make it octal.
 * It fits in 32 bits (at most 4294967295), and its shift, key mod 256, is
 * not 0: a key with shift 0 would send plaintext while claiming to
 * encipher, which the caesar ULP refuses too.
 * Returns GAIUS_XT_KEY_OK and sets *key, or the reason it is refused and
 * leaves *key alone.
 */
enum gaius_xt_key_status gaius_xt_parse_key(const char *text, uint32_t *key);

/* What is wrong with a refused key, to follow `bad --key "TEXT": `. */
const char *gaius_xt_key_problem(enum gaius_xt_key_status status);

#endif /* GAIUS_XT_KEY_H */
