/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What libxt_GAIUSENCRYPT.so and libxt_GAIUSDECRYPT.so share: the --key
 * option, help, print and save. Each plugin links its own copy and
 * registers its one target from its constructor.
 */
#ifndef GAIUS_XT_H
#define GAIUS_XT_H

enum gaius_xt_direction {
	GAIUS_XT_ENCRYPT,	/* -j GAIUSENCRYPT: the bytes a local socket sends */
	GAIUS_XT_DECRYPT,	/* -j GAIUSDECRYPT: the bytes a local socket receives */
};

/* Registers the direction's target, revision 0, for IPv4 and IPv6. */
void gaius_xt_register(enum gaius_xt_direction direction);

#endif /* GAIUS_XT_H */
