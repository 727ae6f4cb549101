/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The conntrack state of each listed connection, from ctnetlink. */
#ifndef GAIUSCTL_CONNTRACK_H
#define GAIUSCTL_CONNTRACK_H

#include "conn.h"
#include "gaiusctl_status.h"

/*
 * Sets ct_state of every connection in @conns that has a TCP conntrack
 * entry in this network namespace's default zone, matched on either
 * direction's tuple (so both ends of a connection, and a socket behind NAT
 * on this host, find theirs), one query per connection. When nf_conntrack
 * is not loaded, nothing is asked (asking would load it) and every
 * ct_state stays GAIUSCTL_NO_CT_STATE.
 */
enum gaiusctl_status gaiusctl_conntrack_fill(struct gaiusctl_conns *conns);

#endif /* GAIUSCTL_CONNTRACK_H */
