/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A caesar key as text, read and written the one way every gaius tool
 * uses: the iptables plugins' --key (userspace/xtables), the preload's
 * GAIUS_KEY (userspace/preload), caesar-client's KEY (userspace/examples),
 * gaius-xfer's keys (tests/tools) and the keys gaiusctl shows
 * (userspace/gaiusctl). It needs no library, so the host unit test
 * (tests/unit/test_key.c) and the libFuzzer harness
 * (tests/fuzz/libfuzzer/fuzz_xt_key.c) link it alone.
 *
 * A key is an unsigned 32-bit number, as struct xt_gaius_tginfo holds it.
 * The socket option CAESAR_KEY takes an int: the same 32 bits go to the
 * kernel, so 4294967295 is the int -1 there, and shifts by 255 either way.
 */
#ifndef GAIUS_KEY_H
#define GAIUS_KEY_H

#include <stdint.h>

/* setsockopt(CAESAR_KEY) is given a uint32_t's bytes for its int. */
_Static_assert(sizeof(uint32_t) == sizeof(int), "a key is the size of an int");

/* The decimal text of the largest key, "4294967295", and its NUL. */
#define GAIUS_KEY_TEXT_SIZE 11

enum gaius_key_status {
	GAIUS_KEY_OK,
	GAIUS_KEY_EMPTY,	/* "" */
	GAIUS_KEY_NEGATIVE,	/* "-1", "-0x5": a sign before a number */
	GAIUS_KEY_NOT_NUMBER,	/* "abc", "0x", " 12", "12 ", "+5", "1e3" */
	GAIUS_KEY_NOT_OCTAL,	/* "08", "019": a leading 0 means octal */
	GAIUS_KEY_TOO_LARGE,	/* "4294967296", "0x100000000" */
	GAIUS_KEY_PLAINTEXT,	/* gaius_key_check_shift() of 256: shift 0 */
};

/*
 * Reads @text as iptables reads its own numbers (libxtables'
 * xtables_strtoui() with base 0, that is strtoul(): decimal, 0x or 0X and
 * hex digits, or a leading 0 and octal digits, so that 042 is 34), but
 * stricter: the whole text is the number, with no blank and no sign
 * before it and nothing after it, and it fits in 32 bits (0 to
 * 4294967295). The digits are our own, not the locale's.
 * Returns GAIUS_KEY_OK and sets *key, or the reason it is refused and
 * leaves *key alone. Any number of digits is safe.
 */
enum gaius_key_status gaius_key_parse(const char *text, uint32_t *key);

/* The byte shift of a key, as the kernel applies it: key mod 256. */
static inline unsigned int gaius_key_shift(uint32_t key)
{
	return key & 0xffU;
}

/*
 * GAIUS_KEY_PLAINTEXT when @key's shift is 0, which would send plaintext
 * while claiming to encipher (the kernel refuses it too), else GAIUS_KEY_OK.
 */
enum gaius_key_status gaius_key_check_shift(uint32_t key);

/*
 * What is wrong with a refused key, to follow `bad --key "TEXT": `; every
 * status has its own.
 */
const char *gaius_key_problem(enum gaius_key_status status);

/*
 * @key in decimal, as iptables -S and iptables-save write --key and as
 * gaius_key_parse() reads it back: @text, for printing.
 */
const char *gaius_key_format(uint32_t key, char text[GAIUS_KEY_TEXT_SIZE]);

#endif /* GAIUS_KEY_H */
