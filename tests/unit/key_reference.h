/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The reference model of gaius_key_parse() (userspace/common/gaius_key.h),
 * for the unit test (test_key.c) and the libFuzzer harness
 * (tests/fuzz/libfuzzer/fuzz_xt_key.c): iptables' own reading of numbers,
 * libxtables' xtables_strtoui() with base 0, which is strtoumax(), less
 * the blanks and the sign it lets through. Written with the C library's
 * strtoumax(), never with gaius_key.c's digit loop, so that the two are
 * compared, not copied.
 */
#ifndef GAIUS_KEY_REFERENCE_H
#define GAIUS_KEY_REFERENCE_H

#include <stdint.h>

#include "gaius_key.h"

/*
 * The status gaius_key_parse() must give @text, and in *key the key when
 * that is GAIUS_KEY_OK (*key is left alone otherwise). Never
 * GAIUS_KEY_PLAINTEXT: the parser does not look at the shift.
 */
enum gaius_key_status key_reference_parse(const char *text, uint32_t *key);

#endif /* GAIUS_KEY_REFERENCE_H */
