/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* gaiusctl --netns: run in another network namespace, as ip netns exec does. */
#ifndef GAIUSCTL_NETNS_H
#define GAIUSCTL_NETNS_H

#include "gaiusctl_status.h"

/*
 * Enters the network namespace @name: one that ip-netns(8) made
 * (/run/netns/NAME), or any namespace file when @name holds a '/'
 * (/proc/PID/ns/net). sock_diag, ctnetlink and /proc/net then see that
 * namespace. Needs CAP_SYS_ADMIN: GAIUSCTL_PERMISSION when the file or
 * the namespace is refused, GAIUSCTL_ERROR when there is no such
 * namespace; says why.
 */
enum gaiusctl_status gaiusctl_netns_enter(const char *name);

#endif /* GAIUSCTL_NETNS_H */
