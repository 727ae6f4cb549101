/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Whether the caller may see what gaiusctl list shows. */
#ifndef GAIUSCTL_PRIVILEGE_H
#define GAIUSCTL_PRIVILEGE_H

#include "gaiusctl_status.h"

/*
 * GAIUSCTL_OK when the process has CAP_NET_ADMIN in its effective set, the
 * capability the kernel wants before it shows a socket's ULP details (it
 * leaves them out silently otherwise) or dumps conntrack; else prints why
 * and returns GAIUSCTL_PERMISSION (GAIUSCTL_ERROR if capget fails).
 */
enum gaiusctl_status gaiusctl_require_net_admin(void);

#endif /* GAIUSCTL_PRIVILEGE_H */
