// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * -j GAIUSENCRYPT --key N (OUTPUT, POSTROUTING, FORWARD; -p tcp): the
 * local socket that sends a matched packet enciphers what it sends from
 * then on with the caesar ULP and key N. The option, help, print and save
 * are shared with GAIUSDECRYPT: gaius_xt.c.
 */
#include <xtables.h>

#include "gaius_xt.h"

/*
 * What iptables' own extensions call _init: xtables.h renames it for them
 * (XTABLES_INTERNAL), an outside plugin names its constructor itself.
 */
static __attribute__((constructor)) void libxt_GAIUSENCRYPT_init(void)
{
	gaius_xt_register(GAIUS_XT_ENCRYPT);
}
