// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host unit test of the one key parser and printer every gaius tool uses
 * (userspace/common/gaius_key.c): the iptables plugins' --key, the
 * preload's GAIUS_KEY, caesar-client's KEY, gaius-xfer's keys and the keys
 * gaiusctl shows.
 *
 *   - a table of texts: what is taken, as which key, what is refused and
 *     why, and that a refused key leaves the output alone;
 *   - the shift-0 check the iptables plugins add;
 *   - every refusal has its own message;
 *   - the printer writes decimal, and the parser reads back every edge key;
 *   - the parser against the reference model (key_reference.c: strtoumax()
 *     with base 0, as iptables reads its numbers, less blanks and sign) on
 *     every short text over the alphabet that matters and on random longer
 *     ones from a fixed seed.
 *
 * Prints `PASS: <name>` or `FAIL: <name>: <reason>` per check, and the
 * number of generated texts as `TALLY: inputs N`.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gaius_key.h"
#include "key_reference.h"
#include "unit_report.h"

#define UNTOUCHED 0xdeadbeefU
#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

struct key_case {
	const char *text;
	enum gaius_key_status status;
	uint32_t key;		/* when status is GAIUS_KEY_OK */
};

static const struct key_case cases[] = {
	{ "12354", GAIUS_KEY_OK, 12354 },
	{ "0x3042", GAIUS_KEY_OK, 12354 },
	{ "030102", GAIUS_KEY_OK, 12354 },		/* octal */
	{ "1", GAIUS_KEY_OK, 1 },
	{ "255", GAIUS_KEY_OK, 255 },
	{ "257", GAIUS_KEY_OK, 257 },
	{ "0", GAIUS_KEY_OK, 0 },			/* the parser's; the shift is checked apart */
	{ "00", GAIUS_KEY_OK, 0 },
	{ "0x0", GAIUS_KEY_OK, 0 },
	{ "256", GAIUS_KEY_OK, 256 },
	{ "4294967295", GAIUS_KEY_OK, 4294967295U },
	{ "0xffffffff", GAIUS_KEY_OK, 0xffffffffU },
	{ "0XFFFFFFFF", GAIUS_KEY_OK, 0xffffffffU },
	{ "0xFfFfFfFf", GAIUS_KEY_OK, 0xffffffffU },
	{ "037777777777", GAIUS_KEY_OK, 0xffffffffU },	/* octal */
	{ "0x1ff", GAIUS_KEY_OK, 0x1ff },
	{ "0XFF", GAIUS_KEY_OK, 0xff },
	{ "0x00000000000000000001", GAIUS_KEY_OK, 1 },
	{ "042", GAIUS_KEY_OK, 34 },			/* as iptables: octal */
	{ "010", GAIUS_KEY_OK, 8 },
	{ "07", GAIUS_KEY_OK, 7 },
	{ "00000000000000000000000012", GAIUS_KEY_OK, 10 },

	{ "", GAIUS_KEY_EMPTY, 0 },
	{ "-1", GAIUS_KEY_NEGATIVE, 0 },
	{ "-0", GAIUS_KEY_NEGATIVE, 0 },
	{ "-0x5", GAIUS_KEY_NEGATIVE, 0 },
	{ "-4294967296", GAIUS_KEY_NEGATIVE, 0 },
	{ "+1", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "+0x5", GAIUS_KEY_NOT_NUMBER, 0 },
	{ " 1", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "\t1", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "1 ", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "12\n", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "abc", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "0x", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "0X", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "0x 1", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "0xx1", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "0b1", GAIUS_KEY_NOT_NUMBER, 0 },		/* C23's binary: not iptables' */
	{ "1e3", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "-", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "--1", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "-+1", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "- 1", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "0x-5", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "0x1g", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "ff", GAIUS_KEY_NOT_NUMBER, 0 },		/* hex needs 0x */
	{ "12abc", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "4294967296x", GAIUS_KEY_NOT_NUMBER, 0 },	/* malformed before large */
	{ "08", GAIUS_KEY_NOT_OCTAL, 0 },		/* strtoul stops at the 8 */
	{ "09", GAIUS_KEY_NOT_OCTAL, 0 },
	{ "0778", GAIUS_KEY_NOT_OCTAL, 0 },
	{ "0099999999999999999999", GAIUS_KEY_NOT_OCTAL, 0 },
	{ "08x", GAIUS_KEY_NOT_NUMBER, 0 },
	{ "4294967296", GAIUS_KEY_TOO_LARGE, 0 },
	{ "0x100000000", GAIUS_KEY_TOO_LARGE, 0 },
	{ "0x100000001", GAIUS_KEY_TOO_LARGE, 0 },
	{ "040000000000", GAIUS_KEY_TOO_LARGE, 0 },	/* 2^32 in octal */
	{ "18446744073709551617", GAIUS_KEY_TOO_LARGE, 0 },	/* 2^64 + 1 */
	{ "99999999999999999999999999999999", GAIUS_KEY_TOO_LARGE, 0 },
};

static const char *const status_names[] = {
	[GAIUS_KEY_OK] = "OK",
	[GAIUS_KEY_EMPTY] = "EMPTY",
	[GAIUS_KEY_NEGATIVE] = "NEGATIVE",
	[GAIUS_KEY_NOT_NUMBER] = "NOT_NUMBER",
	[GAIUS_KEY_NOT_OCTAL] = "NOT_OCTAL",
	[GAIUS_KEY_TOO_LARGE] = "TOO_LARGE",
	[GAIUS_KEY_PLAINTEXT] = "PLAINTEXT",
};

static char reason[300];

/* The text as a C string would write it, for the check names and reasons. */
static const char *quoted(const char *text)
{
	static char out[2][160];
	static int which;
	char *q = out[which ^= 1];
	size_t n = 0;

	q[n++] = '"';
	for (; *text != '\0' && n + 6 < sizeof(out[0]); text++) {
		unsigned char c = (unsigned char)*text;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			q[n++] = (char)c;
		else
			n += (size_t)snprintf(q + n, sizeof(out[0]) - n, "\\x%02x", c);
	}
	q[n++] = '"';
	q[n] = '\0';
	return q;
}

/* gaius_key_parse(@text) gives @status, and @key when that is OK. */
static bool parses_as(const char *text, enum gaius_key_status status, uint32_t key)
{
	uint32_t got = UNTOUCHED;
	enum gaius_key_status got_status = gaius_key_parse(text, &got);
	uint32_t expected = status == GAIUS_KEY_OK ? key : UNTOUCHED;

	if (got_status != status) {
		snprintf(reason, sizeof(reason), "%s: got %s (%s), expected %s",
			 quoted(text), status_names[got_status],
			 gaius_key_problem(got_status), status_names[status]);
		return false;
	}
	if (got != expected) {
		snprintf(reason, sizeof(reason), "%s: key is %" PRIu32 ", expected %" PRIu32,
			 quoted(text), got, expected);
		return false;
	}
	return true;
}

static bool check_case(const struct key_case *c)
{
	return parses_as(c->text, c->status, c->key);
}

/* The iptables plugins' second check: shift 0, key mod 256, is refused. */
static bool check_shifts(void)
{
	static const uint32_t plaintext[] = { 0, 256, 0x100, 0xffffff00U, 0x80000000U };
	static const uint32_t keyed[] = { 1, 255, 257, 12354, 0xffffffffU, 0x80000001U };

	for (size_t i = 0; i < COUNT(plaintext); i++) {
		if (gaius_key_check_shift(plaintext[i]) != GAIUS_KEY_PLAINTEXT) {
			snprintf(reason, sizeof(reason), "key %" PRIu32 " (shift 0) is not refused",
				 plaintext[i]);
			return false;
		}
	}
	for (size_t i = 0; i < COUNT(keyed); i++) {
		if (gaius_key_check_shift(keyed[i]) != GAIUS_KEY_OK ||
		    gaius_key_shift(keyed[i]) != keyed[i] % 256) {
			snprintf(reason, sizeof(reason), "key %" PRIu32 ": shift %u, or refused",
				 keyed[i], gaius_key_shift(keyed[i]));
			return false;
		}
	}
	return true;
}

/* Every refusal has its own message, and the shift-0 one says why. */
static bool check_problems(void)
{
	for (int s = GAIUS_KEY_EMPTY; s <= GAIUS_KEY_PLAINTEXT; s++) {
		const char *problem = gaius_key_problem((enum gaius_key_status)s);

		for (int t = GAIUS_KEY_EMPTY; t < s; t++) {
			if (!strcmp(problem, gaius_key_problem((enum gaius_key_status)t))) {
				snprintf(reason, sizeof(reason), "%s and %s say the same: %s",
					 status_names[t], status_names[s], problem);
				return false;
			}
		}
	}
	if (!strstr(gaius_key_problem(GAIUS_KEY_PLAINTEXT), "plaintext")) {
		snprintf(reason, sizeof(reason), "the shift-0 refusal does not say plaintext");
		return false;
	}
	return true;
}

/*
 * The printer writes plain decimal, as iptables -S writes --key, and the
 * parser reads back what it wrote, for every edge key.
 */
static bool check_round_trip(void)
{
	static const uint32_t edges[] = {
		0, 1, 7, 8, 9, 10, 34, 42, 255, 256, 257, 0x7fffffffU,
		0x80000000U, 0x80000001U, 0xffffff00U, 4294967294U, 4294967295U,
	};
	char text[GAIUS_KEY_TEXT_SIZE], want[32];

	for (size_t i = 0; i < COUNT(edges); i++) {
		const char *printed = gaius_key_format(edges[i], text);

		snprintf(want, sizeof(want), "%" PRIu32, edges[i]);
		if (printed != text || strcmp(text, want)) {
			snprintf(reason, sizeof(reason), "key %s printed as %s", want,
				 quoted(printed));
			return false;
		}
		if (!parses_as(text, GAIUS_KEY_OK, edges[i]))
			return false;
	}
	if (strlen(gaius_key_format(UINT32_MAX, text)) + 1 != GAIUS_KEY_TEXT_SIZE) {
		snprintf(reason, sizeof(reason), "GAIUS_KEY_TEXT_SIZE is not the largest key's");
		return false;
	}
	return true;
}

/* The parser and the reference model agree on @text. */
static bool agrees(const char *text)
{
	uint32_t key = UNTOUCHED;
	enum gaius_key_status status = key_reference_parse(text, &key);

	return parses_as(text, status, key);
}

/* Every text of up to MAX_SHORT characters of this alphabet. */
static const char alphabet[] = "0123789aAbBfFgxX-+ \t";
#define MAX_SHORT 4

static bool check_short_texts(unsigned long *count)
{
	size_t n = sizeof(alphabet) - 1;
	unsigned int index[MAX_SHORT];
	char text[MAX_SHORT + 1];

	for (int len = 0; len <= MAX_SHORT; len++) {
		memset(index, 0, sizeof(index));
		for (;;) {
			int pos;

			for (int i = 0; i < len; i++)
				text[i] = alphabet[index[i]];
			text[len] = '\0';
			++*count;
			if (!agrees(text))
				return false;
			for (pos = len - 1; pos >= 0 && ++index[pos] == n; pos--)
				index[pos] = 0;
			if (pos < 0)
				break;
		}
	}
	return true;
}

/* splitmix64: the random texts are the same on every run. */
static uint64_t rng_state = 20;

static uint64_t next_random(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int below(unsigned int n)
{
	return (unsigned int)(next_random() % n);
}

/*
 * A random text near the limits: a number around 2^32 (or any 32 or 64
 * bits) in decimal, hex or octal, with leading zeros, and now and then a
 * character changed, added or removed.
 */
static void random_text(char *text, size_t size)
{
	static const char *const formats[] = { "%" PRIu64, "0x%" PRIx64, "0X%" PRIX64, "0%" PRIo64 };
	static const char noise[] = "0189afxX-+ \tgb";
	uint64_t value = next_random();
	size_t len;

	switch (below(4)) {
	case 0: value = UINT32_MAX + (uint64_t)below(5) - 2; break;
	case 1: value &= UINT32_MAX; break;
	case 2: value &= 0xffff; break;
	default: break;
	}
	snprintf(text, size, formats[below(COUNT(formats))], value);
	if (below(4) == 0 && text[0] != '0') {	/* leading zeros make it octal */
		size_t zeros = 1 + below(3);

		memmove(text + zeros, text, strlen(text) + 1);
		memset(text, '0', zeros);
	}
	len = strlen(text);
	switch (below(6)) {
	case 0: text[below((unsigned int)len)] = noise[below(sizeof(noise) - 1)]; break;
	case 1:
		if (len + 1 < size) {
			size_t at = below((unsigned int)len + 1);

			memmove(text + at + 1, text + at, len - at + 1);
			text[at] = noise[below(sizeof(noise) - 1)];
		}
		break;
	case 2: {
		size_t at = below((unsigned int)len);

		memmove(text + at, text + at + 1, len - at);
		break;
	}
	default: break;
	}
}

#define RANDOM_TEXTS 1000000

static bool check_random_texts(unsigned long *count)
{
	char text[64];

	for (int i = 0; i < RANDOM_TEXTS; i++) {
		random_text(text, sizeof(text));
		++*count;
		if (!agrees(text))
			return false;
	}
	return true;
}

int main(void)
{
	unsigned long short_count = 0, random_count = 0;
	char name[200];
	int failed = 0;

	for (size_t i = 0; i < COUNT(cases); i++) {
		snprintf(name, sizeof(name), "key_parse(%s)", quoted(cases[i].text));
		failed += unit_report(name, check_case(&cases[i]), reason);
	}
	failed += unit_report("key_check_shift", check_shifts(), reason);
	failed += unit_report("key_problems_differ", check_problems(), reason);
	failed += unit_report("key_format_round_trip", check_round_trip(), reason);
	failed += unit_report("key_parse_vs_strtoumax_short_texts",
			      check_short_texts(&short_count), reason);
	failed += unit_report("key_parse_vs_strtoumax_random_texts",
			      check_random_texts(&random_count), reason);
	/* The generated texts, for the suite's count (tests/run-all). */
	printf("TALLY: inputs %lu\n", short_count + random_count);
	return failed ? 1 : 0;
}
