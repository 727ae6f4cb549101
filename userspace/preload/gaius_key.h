/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Reading a caesar key from text: the preload's GAIUS_KEY, caesar-client's KEY. */
#ifndef GAIUS_KEY_H
#define GAIUS_KEY_H

/*
 * Parse an int written in decimal (optionally signed) or in hex with a
 * 0x prefix; nothing else may follow. Returns 0 and sets *key, or -1.
 * Whether the kernel takes the key (key mod 256 != 0) is its call.
 */
int gaius_parse_key(const char *text, int *key);

#endif /* GAIUS_KEY_H */
