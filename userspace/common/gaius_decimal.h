/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A count or a port on a command line, read one way: decimal digits only,
 * no blank, no sign, nothing after them, at most @max. (Keys, which
 * iptables also takes in hex and octal, are gaius_key.h's.)
 */
#ifndef GAIUS_DECIMAL_H
#define GAIUS_DECIMAL_H

#include <stdbool.h>

/* Sets *value and returns true, or returns false and leaves it alone. */
bool gaius_decimal(const char *text, unsigned long max, unsigned long *value);

#endif /* GAIUS_DECIMAL_H */
